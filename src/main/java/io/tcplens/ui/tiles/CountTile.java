package io.tcplens.ui.tiles;

import io.tcplens.ui.shell.SteadyText;
import java.util.Locale;
import java.util.ResourceBundle;
import javafx.css.PseudoClass;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.text.Text;

/**
 * One header tile: title, the count (in full, or compact such as 14.0k when the tile is too narrow —
 * the tooltip always has the exact figure), the change since the last poll, and an autoscaled
 * spark line of the last polls with its low and high. Before the first poll it says it is waiting
 * instead of showing 0. Styled by CSS ({@code .count-tile}, colours from the state palette).
 */
public final class CountTile extends VBox {
    public static final PseudoClass WARNING = PseudoClass.getPseudoClass("warning");
    public static final PseudoClass LOADING = PseudoClass.getPseudoClass("loading");
    public static final int HISTORY = 60;

    private final ResourceBundle b;
    private final Locale locale;
    private final Label title = new Label();
    private final Label value = SteadyText.label(null); // changes at every poll: keeps its text node (no CSS again)
    private final Label deltaNumber = SteadyText.label(null);
    private final Label deltaSuffix = new Label();
    private final Label high = SteadyText.label(null);
    private final Label low = SteadyText.label(null);
    private final Sparkline spark = new Sparkline(HISTORY);
    private final Text measure = new Text();
    private long count;
    private boolean loaded;
    private String fullText = "";

    private String titleFull = "";
    private String titleShort = "";

    public CountTile(ResourceBundle b, String titleText) {
        this(b, titleText, titleText);
    }

    /** @param shortTitle used when the tile is too narrow for {@code titleText} */
    public CountTile(ResourceBundle b, String titleText, String shortTitle) {
        this.b = b;
        this.locale = b.getLocale() == null || b.getLocale().toString().isEmpty() ? Locale.getDefault() : b.getLocale();
        getStyleClass().add("count-tile");
        titleFull = titleText;
        titleShort = shortTitle;
        title.setText(titleText);
        title.getStyleClass().add("count-tile-title");
        title.setMinWidth(0);
        value.getStyleClass().add("count-tile-value");
        value.setMinWidth(0);
        deltaNumber.getStyleClass().addAll("count-tile-delta", "count-tile-delta-number");
        deltaNumber.setMinWidth(Region.USE_PREF_SIZE); // the number never truncates; the words after it may
        deltaSuffix.getStyleClass().addAll("count-tile-delta", "count-tile-delta-suffix");
        deltaSuffix.setMinWidth(0);
        HBox delta = new HBox(4, deltaNumber, deltaSuffix);
        delta.setAlignment(Pos.BASELINE_LEFT);
        high.getStyleClass().add("count-tile-range");
        low.getStyleClass().add("count-tile-range");
        high.setMinWidth(Region.USE_PREF_SIZE);
        low.setMinWidth(Region.USE_PREF_SIZE);
        Region gap = new Region();
        VBox.setVgrow(gap, Priority.ALWAYS);
        VBox range = new VBox(high, gap, low);
        range.setAlignment(Pos.CENTER_RIGHT);
        HBox.setHgrow(spark, Priority.ALWAYS);
        spark.setMaxWidth(Double.MAX_VALUE);
        HBox graph = new HBox(4, range, spark);
        graph.setPrefHeight(30);
        graph.setMinHeight(26);
        VBox.setVgrow(graph, Priority.ALWAYS);
        getChildren().addAll(title, value, delta, graph);
        setSpacing(1);
        setLoading();
    }

    /** Before the first poll (or after a source switch): no figure yet, and it says so. */
    public void setLoading() {
        loaded = false;
        count = 0;
        spark.clear();
        fullText = "\u2026";
        value.setText(fullText);
        deltaNumber.setText("");
        deltaSuffix.setText(b.getString("tile.loading"));
        high.setText("");
        low.setText("");
        pseudoClassStateChanged(LOADING, true);
        requestLayout();
    }

    /** A new count; {@code previous} is the last poll's count, or null on the first poll. */
    public void setCount(long n, Long previous) {
        loaded = true;
        count = n;
        spark.add(n);
        fullText = CountFormat.full(n, locale);
        value.setText(fullText);
        long d = previous == null ? 0 : n - previous;
        if (previous == null) {
            deltaNumber.setText("");
            deltaSuffix.setText(b.getString("tile.firstPoll"));
        } else if (d == 0) {
            deltaNumber.setText("");
            deltaSuffix.setText(b.getString("tile.noChange"));
        } else {
            deltaNumber.setText(CountFormat.delta(d, locale));
            deltaSuffix.setText(b.getString("tile.sinceLastPoll"));
        }
        long lo = spark.min(), hi = spark.max();
        high.setText(spark.size() > 1 ? rangeFigure(hi) : "");
        low.setText(spark.size() > 1 && lo != hi ? rangeFigure(lo) : "");
        pseudoClassStateChanged(LOADING, false);
        requestLayout();
    }

    private String rangeFigure(long v) {
        return v < 100_000 ? CountFormat.full(v, locale) : CountFormat.compact(v);
    }

    public boolean loaded() {
        return loaded;
    }

    public long count() {
        return count;
    }

    /** The figure as shown (full or compact). */
    public String valueText() {
        return value.getText();
    }

    /** The change line as shown, e.g. "+140 since last poll". */
    public String deltaText() {
        return (deltaNumber.getText() + " " + deltaSuffix.getText()).strip();
    }

    public Label deltaNumberLabel() {
        return deltaNumber;
    }

    public Label valueLabel() {
        return value;
    }

    public Sparkline sparkline() {
        return spark;
    }

    public String rangeText() {
        return low.getText() + ".." + high.getText();
    }

    public void setWarning(boolean warn) {
        pseudoClassStateChanged(WARNING, warn);
    }

    private boolean fits(Label l, String text, double width) {
        measure.setFont(l.getFont());
        measure.setText(text);
        return measure.getLayoutBounds().getWidth() <= width;
    }

    /** The delta words ("since last poll") as shown, or empty when hidden for want of room. */
    public String deltaSuffixShown() {
        return deltaSuffix.isVisible() ? deltaSuffix.getText() : "";
    }

    public String titleText() {
        return title.getText();
    }

    public Label titleLabel() {
        return title;
    }

    @Override
    protected void layoutChildren() {
        // the full figure when it fits, else the compact one (the number is what matters; never "14,0…")
        double avail = getWidth() - snappedLeftInset() - snappedRightInset() - value.snappedLeftInset() - value.snappedRightInset();
        if (loaded && avail > 0) {
            String want = fits(value, fullText, avail) ? fullText : CountFormat.compact(count);
            if (!want.equals(value.getText())) value.setText(want);
        }
        if (avail > 0) {
            String t = fits(title, titleFull, avail) ? titleFull : titleShort;
            if (!t.equals(title.getText())) title.setText(t);
            // the change figure always shows; the words after it only when they fit whole
            double suffixRoom = avail - deltaNumber.prefWidth(-1) - 4;
            deltaSuffix.setVisible(deltaSuffix.getText().isEmpty() || fits(deltaSuffix, deltaSuffix.getText(), suffixRoom)
                    || deltaNumber.getText().isEmpty());
        }
        super.layoutChildren();
    }
}
