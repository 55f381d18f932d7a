package io.tcplens.ui.shell;

import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SocketTableSourceProvider;
import io.tcplens.source.Sources;
import io.tcplens.ui.source.SourceControls;
import io.tcplens.ui.theme.Theme;
import java.text.MessageFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.stage.Window;
import javafx.util.StringConverter;

/**
 * The window's header: title, the source badge, the Source box with the namespace picker and
 * "Connect to server…", the refresh interval, the dark toggle, "Open recording…" and the help menu.
 * It only shows and asks; what a choice does is the window's.
 */
final class HeaderBar {
    private static final List<Long> INTERVALS = List.of(250L, 500L, 1000L, 2000L, 5000L, 10_000L);

    private final ResourceBundle bundle;
    private final HBox header;
    private final SourceBadge sourceBadge = new SourceBadge();
    private final ComboBox<String> sourceBox = new ComboBox<>();
    private final ComboBox<Long> intervalBox = new ComboBox<>();
    /** The closed box's text: the chosen interval, or "1 s → 5 s" while the refresh is backed off. */
    private final IntervalCell intervalCell = new IntervalCell();
    private final ToggleButton themeToggle = new ToggleButton();
    /** Namespace picker and "Connect to server…" (issue 16). */
    private final SourceControls sourceControls;

    /**
     * @param sources        opens what the Source box, the picker or "Open recording…" name
     * @param chooseInterval an interval picked in the Refresh box (milliseconds)
     */
    HeaderBar(ResourceBundle bundle, UiPreferences prefs, ObjectProperty<Theme> theme, SourceSwitcher sources,
            LongConsumer chooseInterval, Supplier<Window> window, Node helpMenu) {
        this.bundle = bundle;
        this.sourceControls = new SourceControls(bundle, sources::switchTo, window);
        Label title = new Label("TcpLens");
        title.getStyleClass().add("app-title");

        sourceBox.getItems().add("auto");
        // probing a provider can be slow (netlink sets up the native linker): list them off the FX thread
        CompletableFuture.supplyAsync(() -> Sources.providers().stream()
                        .filter(p -> p.autoPriority() >= 0 && p.unavailableReason().isEmpty())
                        .map(SocketTableSourceProvider::name).toList())
                .thenAccept(names -> Platform.runLater(() -> {
                    String current = sourceBox.getValue();
                    for (String n : names) if (!sourceBox.getItems().contains(n)) sourceBox.getItems().add(n);
                    if (current != null) sourceBox.setValue(current);
                }));
        LazyTooltip.install(sourceBox, bundle.getString("control.source.tip"));
        sourceBox.setMaxWidth(260); // a replay:/long/path must not push the other controls off the header
        // fixed widths: a combo box measures its items once, and after Present (large type) it kept that
        // width and pushed the header past the right edge of a 1024 px window (issue 13 item 7)
        sourceBox.setPrefWidth(220);
        intervalBox.setPrefWidth(INTERVAL_WIDTH); // "500 ms" whole (95 px cut it to "500 …")
        intervalBox.setId("interval-box");
        sourceBox.setOnAction(e -> {
            String s = sourceBox.getValue();
            if (s != null && !s.equals(sources.spec())) sources.switchTo(s);
        });

        intervalBox.getItems().addAll(INTERVALS);
        intervalBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(Long ms) {
                return ms == null ? "" : RefreshBackoff.format(ms);
            }

            @Override
            public Long fromString(String s) {
                return null;
            }
        });
        intervalBox.setButtonCell(intervalCell);
        intervalBox.setValue(prefs.intervalMillis());
        LazyTooltip.install(intervalBox, bundle.getString("control.interval.tip"));
        intervalBox.setOnAction(e -> {
            Long ms = intervalBox.getValue();
            if (ms != null) chooseInterval.accept(ms);
        });

        themeToggle.setText(bundle.getString("control.dark"));
        themeToggle.setSelected(theme.get().isDark());
        themeToggle.setOnAction(e -> theme.set(themeToggle.isSelected() ? Theme.DARK : Theme.LIGHT));

        Button openRecording = new Button(bundle.getString("replay.open"));
        LazyTooltip.install(openRecording, bundle.getString("replay.open.tip"));
        openRecording.setOnAction(e -> ReplayBar.chooseRecording(window.get(), bundle)
                .ifPresent(p -> sources.switchTo("replay:" + p)));

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label srcLabel = new Label(bundle.getString("control.source"));
        Label intLabel = new Label(bundle.getString("control.interval"));
        srcLabel.setLabelFor(sourceBox);
        intLabel.setLabelFor(intervalBox);
        header = new HBox(10, title, sourceBadge, spacer, srcLabel, sourceBox);
        header.getChildren().addAll(sourceControls.nodes());
        header.getChildren().addAll(intLabel, intervalBox, themeToggle, openRecording, helpMenu);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("app-header");
        // narrow windows: controls keep their full width (no "So…", "25…"); the source badge shortens
        // first (to "live", not "live · n…"), and the "Source"/"Refresh" captions (also the controls' tooltips) go below 1,300 px
        for (Node n : header.getChildren())
            if (n instanceof Region r && n != sourceBadge && n != spacer) r.setMinWidth(Region.USE_PREF_SIZE);
        for (Label caption : List.of(srcLabel, intLabel)) {
            caption.visibleProperty().bind(header.widthProperty().greaterThan(1300));
            caption.managedProperty().bind(caption.visibleProperty());
        }
        // the window's width, not the header's: a header whose least width is past the window's keeps that width
        header.sceneProperty().addListener((o, was, scene) -> {
            if (scene != null) scene.widthProperty().addListener(w -> {
                if (intervalCell.slowedTo > 0) fitRefresh();
            });
        });
    }

    Node node() {
        return header;
    }

    /** A source is open: the namespace picker shows only where it applies (not for a remote source). */
    void sourceStarted(SocketTableSource source) {
        sourceControls.sourceShown(source);
    }

    /** The spec the Source box shows (set before the source is open, put back when it fails). */
    void showSpec(String spec) {
        sourceBox.setValue(spec);
    }

    /** A source is open and shown: the picker and the recent hosts follow. */
    void sourceOpened(String spec) {
        sourceControls.shown(spec);
    }

    /** The badge: the source's label and kind, and whether kernel events run beside the polls. */
    void showSource(SourceInfo info, boolean eventsOn) {
        String kind = info.kind().name().toLowerCase(Locale.ROOT), events = " · " + bundle.getString("header.eventsOn");
        // longest first: the whole label; the kind and place ("live · namespace web", "live · host db1:22"); the kind
        Set<String> forms = new LinkedHashSet<>();
        List<String> where = SourcedToolBar.forms(info, null);
        if (eventsOn) forms.add(info.label() + events);
        forms.addAll(where);
        if (eventsOn) forms.add(kind + events);
        forms.add(kind);
        sourceBadge.show(List.copyOf(forms));
        sourceBadge.pill().getStyleClass().removeAll("live", "lab", "replay", "simulated");
        sourceBadge.pill().getStyleClass().add(kind);
    }

    /**
     * The refresh in effect: while it is backed off ({@code effectiveMillis > requestedMillis}) the
     * Refresh box reads "1 s → 5 s" in amber, so that the header never contradicts the banner that says
     * why; the chosen interval again once the refresh has returned to it. Cheap when nothing changed
     * (called at every age tick).
     */
    void showRefresh(long requestedMillis, long effectiveMillis) {
        long shown = effectiveMillis > requestedMillis ? effectiveMillis : 0;
        if (shown == intervalCell.slowedTo) return;
        intervalCell.slowedTo = shown;
        intervalBox.pseudoClassStateChanged(SLOWED, shown > 0);
        fitRefresh();
        String tip = bundle.getString("control.interval.tip");
        if (shown > 0) tip = MessageFormat.format(bundle.getString("control.interval.slowed"),
                RefreshBackoff.format(requestedMillis), RefreshBackoff.format(effectiveMillis)) + "\n" + tip;
        LazyTooltip.install(intervalBox, tip);
    }

    /**
     * Sizes the Refresh box for what it shows. While slowed: "500 ms → 10 s" where the header has room for it
     * once the badge has given way, else "→ 10 s" (the interval in effect; the tooltip and the banner say the
     * rest) in the box's normal width — a 1024-px window watching a live source under load had its content
     * 17–30 px wider than the window. Again when the window's width changes while slowed.
     */
    private void fitRefresh() {
        intervalCell.compact = false;
        intervalCell.show();
        if (intervalCell.slowedTo == 0) {
            intervalBox.setPrefWidth(INTERVAL_WIDTH);
            return;
        }
        double full = Math.max(INTERVAL_WIDTH, textWidth(intervalCell.getText()) + chrome());
        // the header's least width without the box (its controls' minimum is their preferred width), then with it
        double others = header.minWidth(-1) - intervalBox.minWidth(-1);
        double room = header.getScene() != null ? header.getScene().getWidth() : header.getWidth();
        if (room > 0 && others + full > room) {
            intervalCell.compact = true;
            intervalCell.show();
            full = Math.max(INTERVAL_WIDTH, textWidth(intervalCell.getText()) + chrome());
        }
        intervalBox.setPrefWidth(full);
    }

    private double textWidth(String s) {
        Text t = new Text(s);
        Font f = intervalCell.getFont(); // measured bold: the slowed text is drawn bold (base.css)
        t.setFont(Font.font(f.getFamily(), FontWeight.BOLD, f.getSize()));
        return Math.ceil(t.getLayoutBounds().getWidth());
    }

    /** What the box takes around its text: its padding and arrow button, the cell's padding (as laid out now). */
    private double chrome() {
        double around = intervalBox.getWidth() - intervalCell.getWidth() + intervalCell.snappedLeftInset() + intervalCell.snappedRightInset();
        return (intervalBox.getWidth() > 0 && intervalCell.getWidth() > 0 ? around : INTERVAL_CHROME) + 8;
    }

    private static final PseudoClass SLOWED = PseudoClass.getPseudoClass("slowed");
    private static final double INTERVAL_WIDTH = 110;
    /** The box's padding and arrow button before the box was laid out. */
    private static final double INTERVAL_CHROME = 56;

    /** The Refresh box's button cell: the chosen interval, and the one in effect while slowed. */
    private static final class IntervalCell extends ListCell<Long> {
        /** The interval in effect while backed off, or 0. */
        long slowedTo;

        @Override
        protected void updateItem(Long item, boolean empty) {
            super.updateItem(item, empty);
            show();
        }

        /** While slowed, only "→ 10 s" (a header too narrow for the chosen interval beside it). */
        boolean compact;

        void show() {
            Long ms = isEmpty() ? null : getItem();
            String inEffect = slowedTo > 0 ? "\u2192 " + RefreshBackoff.format(slowedTo) : null;
            setText(ms == null ? "" : inEffect == null ? RefreshBackoff.format(ms) : compact ? inEffect : RefreshBackoff.format(ms) + " " + inEffect);
        }
    }

    void showDark(boolean dark) {
        themeToggle.setSelected(dark);
    }
}
