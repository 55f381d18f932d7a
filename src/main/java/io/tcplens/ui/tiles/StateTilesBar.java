package io.tcplens.ui.tiles;

import io.tcplens.analysis.ports.DestinationUsage;
import io.tcplens.model.TcpState;
import io.tcplens.ui.shell.LazyTooltip;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.theme.CanvasPalette;
import io.tcplens.ui.theme.StatePalette;
import io.tcplens.ui.theme.Theme;
import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.function.Function;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextInputDialog;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

/**
 * The header strip: one {@link CountTile} per {@link StateGroup} with the real count, the change
 * since the last poll and an autoscaled spark line. A tile turns to the warning colour above its
 * threshold (right-click to change; remembered). Clicking a tile filters the connections table to
 * its states. Before the first poll every tile says it is waiting.
 */
public final class StateTilesBar extends HBox {
    private static final String CSS = Objects.requireNonNull(StateTilesBar.class.getResource("/io/tcplens/ui/tiles/tiles.css")).toExternalForm();
    private final Map<StateGroup, CountTile> tiles = new EnumMap<>(StateGroup.class);
    private final Map<StateGroup, Integer> thresholds = new EnumMap<>(StateGroup.class);
    private final Map<StateGroup, Integer> lastCounts = new EnumMap<>(StateGroup.class);
    private final Map<StateGroup, LazyTooltip> tips = new EnumMap<>(StateGroup.class);
    private final ResourceBundle b;
    private final UiPreferences prefs;
    private int timeWaitDestinationPeak;
    private int portRangeSize;

    public interface TileClick {
        void clicked(StateGroup g);
    }

    public StateTilesBar(ResourceBundle b, UiPreferences prefs, TileClick onClick) {
        this.b = b;
        this.prefs = prefs;
        getStyleClass().add("tiles-strip");
        getStylesheets().add(CSS);
        for (StateGroup g : StateGroup.values()) {
            thresholds.put(g, prefs.threshold(g.name(), g.defaultThreshold()));
            CountTile t = new CountTile(b, b.getString("tile." + g.name()), b.getString("tile.short." + g.name()));
            t.getStyleClass().add(g.colourState() == null ? "count-tile-total" : StatePalette.styleClass(g.colourState()));
            t.setId("tile-" + g.name());
            t.setFocusTraversable(true);
            t.setOnMouseClicked(e -> {
                if (e.getButton() == MouseButton.PRIMARY) onClick.clicked(g);
            });
            t.setOnKeyPressed(e -> {
                if (e.getCode() == KeyCode.ENTER || e.getCode() == KeyCode.SPACE) onClick.clicked(g);
            });
            // the menu (a popup window and scene of its own) is made when first asked for, not before the first frame (issue 13)
            ContextMenu[] menu = new ContextMenu[1];
            t.setOnContextMenuRequested(e -> {
                if (menu[0] == null) {
                    MenuItem setThreshold = new MenuItem(b.getString("tile.setThreshold"));
                    setThreshold.setOnAction(a -> askThreshold(g));
                    menu[0] = new ContextMenu(setThreshold);
                }
                menu[0].show(t, e.getScreenX(), e.getScreenY());
            });
            // the tooltip (a popup window and scene of its own) is made when the pointer first enters the tile (issue 13)
            tips.put(g, LazyTooltip.install(t, "", tip -> {
                tip.setWrapText(true);
                tip.setMaxWidth(460);
            }));
            HBox.setHgrow(t, Priority.ALWAYS);
            t.setMaxWidth(Double.MAX_VALUE);
            t.setMinWidth(88);
            t.setPrefWidth(150);
            tiles.put(g, t);
            getChildren().add(t);
            refreshWarning(g);
        }
    }

    public CountTile tile(StateGroup g) {
        return tiles.get(g);
    }

    public int threshold(StateGroup g) {
        return thresholds.get(g);
    }

    public void setThreshold(StateGroup g, int value) {
        thresholds.put(g, Math.max(0, value));
        prefs.setThreshold(g.name(), Math.max(0, value));
        refreshWarning(g);
    }

    /** The busiest destination's TIME_WAIT count and the port range size, for the 70 % warning. */
    public void setTimeWaitPressure(int peakPerDestination, int rangeSize) {
        this.timeWaitDestinationPeak = peakPerDestination;
        this.portRangeSize = rangeSize;
    }

    /** FX thread: no data yet (first poll pending, or a new source). */
    public void setLoading() {
        lastCounts.clear();
        for (StateGroup g : StateGroup.values()) {
            tiles.get(g).setLoading();
            refreshWarning(g);
        }
    }

    /** Whether every tile still waits for its first poll. */
    public boolean loading() {
        return lastCounts.isEmpty();
    }

    /** FX thread: new counts. */
    public void update(Map<TcpState, Integer> counts) {
        for (StateGroup g : StateGroup.values()) {
            int n = g.count(counts);
            Integer prev = lastCounts.put(g, n);
            tiles.get(g).setCount(n, prev == null ? null : prev.longValue());
            refreshWarning(g);
        }
    }

    public int lastCount(StateGroup g) {
        return lastCounts.getOrDefault(g, 0);
    }

    public boolean isWarning(StateGroup g) {
        int n = lastCounts.getOrDefault(g, 0);
        boolean warn = StateGroup.exceeds(n, thresholds.get(g));
        if (g == StateGroup.TIME_WAIT && DestinationUsage.levelOfShare(timeWaitDestinationPeak, portRangeSize)
                != DestinationUsage.Level.OK) warn = true; // the TIME_WAIT tab's rule (issue 14)
        return warn;
    }

    /** What each tile's tooltip adds under its own line: the explanation of its states (ui.explain). */
    public void setExplanation(Function<StateGroup, String> explanation) {
        this.explanation = explanation;
        explanations.clear();
        tipInputs.clear();
        for (StateGroup g : StateGroup.values()) refreshWarning(g);
    }

    private Function<StateGroup, String> explanation = g -> "";
    /**
     * Each tile's explanation, asked for once: it does not change, and at every poll the tooltips' texts were
     * made from it again (nine explanations of the states, each a few paragraphs; most of the tiles' allocation).
     */
    private final Map<StateGroup, String> explanations = new EnumMap<>(StateGroup.class);
    /** What each tooltip's text was last made from. */
    private final Map<StateGroup, TipInputs> tipInputs = new EnumMap<>(StateGroup.class);

    private String explained(StateGroup g, String line) {
        String more = explanations.computeIfAbsent(g, explanation);
        return more == null || more.isEmpty() ? line : line + "\n\n" + more;
    }

    /** What a tooltip's text was made from: made again only when one of them changed (not at every poll). */
    private record TipInputs(int count, boolean warning, boolean loaded, int threshold) {}

    /** Colours are CSS (state palette and theme); kept for callers that switch themes. */
    public void applyTheme(Theme t) {
        for (StateGroup g : StateGroup.values()) refreshWarning(g);
    }

    private void refreshWarning(StateGroup g) {
        CountTile t = tiles.get(g);
        boolean warn = isWarning(g);
        t.setWarning(warn);
        int n = lastCounts.getOrDefault(g, 0);
        TipInputs in = new TipInputs(n, warn, t.loaded(), thresholds.get(g));
        if (in.equals(tipInputs.put(g, in))) return; // the same text
        String exact = t.loaded() ? MessageFormat.format(b.getString("tile.exact"), n) + "\n" : "";
        tips.get(g).setText(explained(g, exact + (warn ? MessageFormat.format(b.getString("tile.warning"), n, thresholds.get(g)) : b.getString("tile.tip"))));
    }

    private void askThreshold(StateGroup g) {
        TextInputDialog d = new TextInputDialog(Integer.toString(thresholds.get(g)));
        d.setTitle(b.getString("tile.setThreshold"));
        d.setHeaderText(MessageFormat.format(b.getString("tile.setThreshold.header"), b.getString("tile." + g.name())));
        if (getScene() != null) d.initOwner(getScene().getWindow());
        Optional<String> r = d.showAndWait();
        r.ifPresent(s -> {
            try {
                setThreshold(g, Integer.parseInt(s.strip()));
            } catch (NumberFormatException ex) {
                // keep the old one; the dialog shows nothing more to fix
            }
        });
    }
}
