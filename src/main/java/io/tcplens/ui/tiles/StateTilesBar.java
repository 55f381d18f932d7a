package io.tcplens.ui.tiles;

import eu.hansolo.tilesfx.Tile;
import eu.hansolo.tilesfx.TileBuilder;
import io.tcplens.model.TcpState;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.theme.CanvasPalette;
import io.tcplens.ui.theme.StatePalette;
import io.tcplens.ui.theme.Theme;
import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.ResourceBundle;
import javafx.geometry.Insets;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TextInputDialog;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.paint.Color;

/**
 * The header strip: one TilesFX spark-line tile per {@link StateGroup} with count, trend and
 * delta since the last poll. A tile turns to the warning colour above its threshold (right-click
 * to change; remembered). Clicking a tile filters the connections table to its states.
 */
public final class StateTilesBar extends HBox {
    private final Map<StateGroup, Tile> tiles = new EnumMap<>(StateGroup.class);
    private final Map<StateGroup, Integer> thresholds = new EnumMap<>(StateGroup.class);
    private final Map<StateGroup, Integer> lastCounts = new EnumMap<>(StateGroup.class);
    private final ResourceBundle b;
    private final UiPreferences prefs;
    private Theme theme = Theme.LIGHT;
    private final Map<StateGroup, Boolean> shownWarning = new EnumMap<>(StateGroup.class);
    private final Map<StateGroup, Tooltip> tips = new EnumMap<>(StateGroup.class);
    private int timeWaitDestinationPeak;
    private int portRangeSize;

    public interface TileClick {
        void clicked(StateGroup g);
    }

    public StateTilesBar(ResourceBundle b, UiPreferences prefs, TileClick onClick) {
        this.b = b;
        this.prefs = prefs;
        getStyleClass().add("tiles-strip");
        setPadding(new Insets(8, 12, 8, 12));
        for (StateGroup g : StateGroup.values()) {
            thresholds.put(g, prefs.threshold(g.name(), g.defaultThreshold()));
            Tile t = TileBuilder.create()
                    .skinType(Tile.SkinType.SPARK_LINE)
                    .prefSize(150, 112)
                    .textSize(Tile.TextSize.BIGGER)
                    .minSize(92, 100)
                    .title(b.getString("tile." + g.name()))
                    .decimals(0)
                    .averagingPeriod(60)
                    .averageVisible(false)
                    .smoothing(false)
                    .animated(false)
                    .textVisible(true)
                    .build();
            t.setFocusTraversable(true);
            t.setOnMouseClicked(e -> {
                if (e.getButton() == javafx.scene.input.MouseButton.PRIMARY) onClick.clicked(g);
            });
            t.setOnKeyPressed(e -> {
                if (e.getCode() == javafx.scene.input.KeyCode.ENTER || e.getCode() == javafx.scene.input.KeyCode.SPACE) onClick.clicked(g);
            });
            MenuItem setThreshold = new MenuItem(b.getString("tile.setThreshold"));
            setThreshold.setOnAction(e -> askThreshold(g));
            ContextMenu menu = new ContextMenu(setThreshold);
            t.setOnContextMenuRequested(e -> menu.show(t, e.getScreenX(), e.getScreenY()));
            HBox.setHgrow(t, Priority.ALWAYS);
            t.setMaxWidth(Double.MAX_VALUE);
            tiles.put(g, t);
            getChildren().add(t);
        }
        setSpacing(8);
        applyTheme(theme);
    }

    public Tile tile(StateGroup g) {
        return tiles.get(g);
    }

    public int threshold(StateGroup g) {
        return thresholds.get(g);
    }

    public void setThreshold(StateGroup g, int value) {
        thresholds.put(g, Math.max(0, value));
        prefs.setThreshold(g.name(), Math.max(0, value));
        refreshColours(g, lastCounts.getOrDefault(g, 0));
    }

    /** The busiest destination's TIME_WAIT count and the port range size, for the 70 % warning. */
    public void setTimeWaitPressure(int peakPerDestination, int rangeSize) {
        this.timeWaitDestinationPeak = peakPerDestination;
        this.portRangeSize = rangeSize;
    }

    /** FX thread: new counts. */
    public void update(Map<TcpState, Integer> counts) {
        for (StateGroup g : StateGroup.values()) {
            int n = g.count(counts);
            Integer prev = lastCounts.put(g, n);
            Tile t = tiles.get(g);
            t.setValue(n);
            int delta = prev == null ? 0 : n - prev;
            t.setText(delta == 0 ? b.getString("tile.noChange") : (delta > 0 ? "+" : "−") + Math.abs(delta) + " " + b.getString("tile.sinceLastPoll"));
            if (!Boolean.valueOf(isWarning(g)).equals(shownWarning.get(g))) refreshColours(g, n);
            else if (isWarning(g)) tips.get(g).setText(explained(g, MessageFormat.format(b.getString("tile.warning"), n, thresholds.get(g))));
        }
    }

    public int lastCount(StateGroup g) {
        return lastCounts.getOrDefault(g, 0);
    }

    public boolean isWarning(StateGroup g) {
        int n = lastCounts.getOrDefault(g, 0);
        boolean warn = StateGroup.exceeds(n, thresholds.get(g));
        if (g == StateGroup.TIME_WAIT && portRangeSize > 0 && timeWaitDestinationPeak > 0.7 * portRangeSize) warn = true;
        return warn;
    }

    /** What each tile's tooltip adds under its own line: the explanation of its states (ui.explain). */
    public void setExplanation(java.util.function.Function<StateGroup, String> explanation) {
        this.explanation = explanation;
        for (StateGroup g : StateGroup.values()) refreshColours(g, lastCounts.getOrDefault(g, 0));
    }

    private java.util.function.Function<StateGroup, String> explanation = g -> "";

    private String explained(StateGroup g, String line) {
        String more = explanation.apply(g);
        return more == null || more.isEmpty() ? line : line + "\n\n" + more;
    }

    public void applyTheme(Theme t) {
        this.theme = t;
        for (StateGroup g : StateGroup.values()) refreshColours(g, lastCounts.getOrDefault(g, 0));
    }

    private void refreshColours(StateGroup g, int n) {
        Tile t = tiles.get(g);
        boolean warn = isWarning(g);
        shownWarning.put(g, warn);
        Tooltip tip = tips.computeIfAbsent(g, k -> {
            Tooltip tt = new Tooltip();
            tt.setWrapText(true);
            tt.setMaxWidth(460);
            Tooltip.install(t, tt);
            return tt;
        });
        CanvasPalette pal = CanvasPalette.of(theme);
        Color accent = g.colourState() == null ? pal.foreground() : StatePalette.color(g.colourState(), theme);
        Color bg = pal.surface();
        Color fg = pal.foreground();
        if (warn) {
            Color w = StatePalette.warning(theme);
            t.setBackgroundColor(w);
            t.setForegroundColor(pal.onFill());
            t.setValueColor(pal.onFill());
            t.setTitleColor(pal.onFill());
            t.setTextColor(pal.onFill());
            t.setBarColor(pal.onFill());
            tip.setText(explained(g, MessageFormat.format(b.getString("tile.warning"), n, thresholds.get(g))));
        } else {
            t.setBackgroundColor(bg);
            t.setForegroundColor(fg);
            t.setValueColor(accent);
            t.setTitleColor(accent);
            t.setTextColor(pal.muted());
            t.setBarColor(accent);
            tip.setText(explained(g, b.getString("tile.tip")));
        }
        t.setBorderColor(pal.border());
        t.setBorderWidth(1);
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
