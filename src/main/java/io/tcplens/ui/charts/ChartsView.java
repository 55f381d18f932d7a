package io.tcplens.ui.charts;

import io.tcplens.common.Units;
import io.tcplens.engine.PollResult;
import io.tcplens.model.TcpState;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.ShellView;
import io.tcplens.ui.theme.StatePalette;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import io.tcplens.ui.tiles.StateGroup;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.IntToDoubleFunction;
import javafx.embed.swing.SwingFXUtils;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.StackedAreaChart;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import javax.imageio.ImageIO;

/**
 * State counts over time (stacked area) and opens/closes per second (lines), over the last 1, 5, 15
 * or 60 minutes. Fixed windows, no symbols, no animation; downsampled off the FX thread to at most
 * {@link #MAX_POINTS} points per series. Hover shows the exact values; each chart saves as PNG.
 * Issue 18: the two charts share one time axis — their y-axes are as wide as the wider of the two
 * ({@link AlignedAxes}) and their keys sit below them ({@link ChartLegend}), not beside one of them, so
 * both plots span the same x; each key names every series in its state's colour, with its newest value.
 */
public final class ChartsView implements ShellView<ChartsView.Prepared> {
    public static final String ID = "charts";
    static final int MAX_POINTS = 240;
    private static final long[] WINDOWS = {60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000};

    /** What prepare hands to show. */
    public record Prepared(List<CountHistory.Point> points, long windowMs) {}

    private final ShellContext ctx;
    private final ResourceBundle b;
    private final CountHistory history = new CountHistory();
    // the controls: built when the tab is first shown (issue 13), see node()
    private NumberAxis countsX, countsY, ratesX, ratesY;
    private StackedAreaChart<Number, Number> counts;
    private LineChart<Number, Number> rates;
    private final List<XYChart.Series<Number, Number>> countSeries = new ArrayList<>();
    private XYChart.Series<Number, Number> opens, closes;
    private Label hoverCounts, hoverRates;
    private ChartLegend countsKey, ratesKey;
    private VBox countsBox, ratesBox;
    private final VBox root = new VBox(8);
    private volatile long windowMs = WINDOWS[0];
    private List<CountHistory.Point> shown = List.of();
    /** State groups the user switched off by clicking their legend entry (the stack rescales without them). */
    private final Set<Integer> hiddenGroups = new HashSet<>();
    private Prepared lastApplied;
    /** Rates are averaged over this long: the kernel reaps TIME_WAIT in batches about 2 s apart. */
    public static final double RATE_AVERAGE_SECONDS = 5;
    /** The states whose colours the opened and closed lines are drawn in. */
    static final TcpState OPENED = TcpState.ESTABLISHED, CLOSED = TcpState.CLOSE_WAIT;

    public ChartsView(ShellContext ctx) {
        this.ctx = ctx;
        this.b = ctx.bundle();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String titleKey() {
        return "view.charts";
    }

    @Override
    public Node node() {
        if (counts == null) { // the controls when the tab is first shown (issue 13)
            build();
            applyTheme(ctx.theme().get());
            ctx.theme().addListener((o, a, n) -> applyTheme(n));
        }
        return root;
    }

    @Override
    public boolean isBuilt() {
        return counts != null;
    }

    /** In the background: the series keep every poll; the window of points is cut when shown. */
    @Override
    public void observe(List<PollResult> batch) {
        synchronized (history) {
            for (PollResult r : batch) history.add(r);
        }
    }

    @Override
    public Prepared prepare(PollResult latest, List<PollResult> batch) {
        synchronized (history) {
            observe(batch);
            return new Prepared(history.window(latest.snapshot().timestampMillis(), windowMs, MAX_POINTS), windowMs);
        }
    }

    /** FX thread; the shell calls this only while the tab is at the front (and once more when it comes back). */
    @Override
    public void show(Prepared p) {
        if (p == null) return;
        node();
        lastApplied = p;
        double w = p.windowMs() / 1000.0;
        boolean minutes = w > 300;
        for (NumberAxis x : List.of(countsX, ratesX)) {
            x.setLabel(b.getString(minutes ? "charts.minutesAgo" : "charts.secondsAgo"));
            x.setTickLabelFormatter(minutes ? MINUTES : null);
        }
        countsX.setLowerBound(-w);
        ratesX.setLowerBound(-w);
        double tick = w <= 60 ? 10 : w <= 300 ? 60 : w <= 900 ? 120 : 600;
        countsX.setTickUnit(tick);
        ratesX.setTickUnit(tick);
        // the points are set into the series' Data in place: new Data for every point at every poll
        // made the charts remove and add 8 x 240 items per hand-over (issue 11: 79 ms with this tab in front)
        List<CountHistory.Point> pts = p.points();
        for (int g = 0; g < countSeries.size(); g++) {
            int group = g;
            update(countSeries.get(g).getData(), hiddenGroups.contains(g) ? 0 : pts.size(),
                    i -> pts.get(i).secondsAgo(), i -> pts.get(i).counts()[group]);
        }
        double[][] avg = averaged(pts, RATE_AVERAGE_SECONDS);
        update(opens.getData(), pts.size(), i -> pts.get(i).secondsAgo(), i -> avg[0][i]);
        update(closes.getData(), pts.size(), i -> pts.get(i).secondsAgo(), i -> avg[1][i]);
        shown = pts;
        showKeys(pts, avg);
    }

    /** The keys: the newest value of every series beside its name, hidden states dimmed. */
    private void showKeys(List<CountHistory.Point> pts, double[][] avg) {
        List<String> values = new ArrayList<>();
        for (int g = 0; g < countSeries.size(); g++) {
            values.add(pts.isEmpty() ? null : Units.count(Math.round(pts.getLast().counts()[g])));
            countsKey.setOff(g, hiddenGroups.contains(g));
        }
        countsKey.setValues(values);
        int last = pts.size() - 1;
        ratesKey.setValues(last < 0 ? List.of() : List.of(perSecond(avg[0][last]), perSecond(avg[1][last])));
    }

    private static String perSecond(double v) {
        return Units.decimal(v, v >= 100 ? 0 : 1) + "/s";
    }

    /** Makes a series hold n points (x(i), y(i)): the Data it has are given the new values (only those that changed), the rest added or removed at the end. */
    static void update(List<XYChart.Data<Number, Number>> data, int n, IntToDoubleFunction x, IntToDoubleFunction y) {
        int keep = Math.min(n, data.size());
        for (int i = 0; i < keep; i++) {
            XYChart.Data<Number, Number> d = data.get(i);
            double xv = x.applyAsDouble(i), yv = y.applyAsDouble(i);
            if (d.getXValue().doubleValue() != xv) d.setXValue(xv);
            if (d.getYValue().doubleValue() != yv) d.setYValue(yv);
        }
        if (data.size() > n) data.subList(n, data.size()).clear();
        else if (n > keep) {
            List<XYChart.Data<Number, Number>> more = new ArrayList<>(n - keep);
            for (int i = keep; i < n; i++) more.add(new XYChart.Data<>(x.applyAsDouble(i), y.applyAsDouble(i)));
            data.addAll(more);
        }
    }

    private static final StringConverter<Number> MINUTES = new StringConverter<>() {
        @Override
        public String toString(Number n) {
            return String.format(Locale.ROOT, "%.0f", n.doubleValue() / 60);
        }

        @Override
        public Number fromString(String s) {
            return Double.parseDouble(s) * 60;
        }
    };

    /** Opens and closes per second, each point the mean over the {@code seconds} up to it. */
    static double[][] averaged(List<CountHistory.Point> pts, double seconds) {
        double[][] out = new double[2][pts.size()];
        int from = 0;
        double so = 0, sc = 0;
        for (int i = 0; i < pts.size(); i++) {
            so += pts.get(i).opensPerSec();
            sc += pts.get(i).closesPerSec();
            // points run oldest (most seconds ago) to newest
            while (pts.get(i).secondsAgo() - pts.get(from).secondsAgo() > seconds && from < i) {
                so -= pts.get(from).opensPerSec();
                sc -= pts.get(from).closesPerSec();
                from++;
            }
            int n = i - from + 1;
            out[0][i] = so / n;
            out[1][i] = sc / n;
        }
        return out;
    }

    /** Hides or shows one state group of the stacked chart. */
    public void setGroupHidden(int group, boolean hidden) {
        if (hidden) hiddenGroups.add(group);
        else hiddenGroups.remove(group);
        if (countsKey != null) countsKey.setOff(group, hidden);
        if (lastApplied != null) show(lastApplied);
    }

    /** Points currently drawn (for tests). */
    public List<CountHistory.Point> shownPoints() {
        return shown;
    }

    public StackedAreaChart<Number, Number> countsChart() {
        node();
        return counts;
    }

    /** Series of the stacked chart, in group order (tests). */
    public List<XYChart.Series<Number, Number>> countSeries() {
        node();
        return countSeries;
    }

    public LineChart<Number, Number> ratesChart() {
        node();
        return rates;
    }

    /** The states chart's key (tests). */
    ChartLegend countsKey() {
        node();
        return countsKey;
    }

    /** The rates chart's key (tests). */
    ChartLegend ratesKey() {
        node();
        return ratesKey;
    }

    private void build() {
        countsX = new NumberAxis();
        countsY = new NumberAxis();
        counts = new StackedAreaChart<>(countsX, countsY);
        ratesX = new NumberAxis();
        ratesY = new NumberAxis();
        AlignedAxes.align(countsY, ratesY);
        rates = new LineChart<>(ratesX, ratesY);
        opens = new XYChart.Series<>();
        closes = new XYChart.Series<>();
        hoverCounts = new Label();
        hoverRates = new Label();
        for (NumberAxis x : List.of(countsX, ratesX)) {
            x.setAutoRanging(false);
            x.setUpperBound(0);
            x.setLowerBound(-60);
            x.setLabel(b.getString("charts.secondsAgo"));
            x.setMinorTickVisible(false);
        }
        countsY.setLabel(b.getString("charts.sockets"));
        ratesY.setLabel(b.getString("charts.perSecondAveraged"));
        // the keys are the view's, below each chart: a legend beside one chart only narrowed its plot
        counts.setLegendVisible(false);
        rates.setLegendVisible(false);
        countsY.setForceZeroInRange(true);
        counts.setAnimated(false);
        counts.setCreateSymbols(false);
        counts.setTitle(b.getString("charts.countsTitle"));
        rates.setAnimated(false);
        rates.setCreateSymbols(false);
        rates.setTitle(b.getString("charts.ratesTitle"));
        for (StateGroup g : CountHistory.GROUPS) {
            XYChart.Series<Number, Number> s = new XYChart.Series<>();
            s.setName(b.getString("tile." + g.name()));
            countSeries.add(s);
            counts.getData().add(s);
        }
        opens.setName(b.getString("charts.opens"));
        closes.setName(b.getString("charts.closes"));
        rates.getData().add(opens);
        rates.getData().add(closes);
        List<String> names = new ArrayList<>();
        List<TcpState> colours = new ArrayList<>();
        for (StateGroup g : CountHistory.GROUPS) {
            names.add(b.getString("tile." + g.name()));
            colours.add(g.colourState());
        }
        countsKey = new ChartLegend(names, colours, g -> setGroupHidden(g, !hiddenGroups.contains(g)), b.getString("charts.legendToggle"));
        ratesKey = new ChartLegend(List.of(opens.getName(), closes.getName()), List.of(OPENED, CLOSED), null, null);

        ToggleGroup tg = new ToggleGroup();
        HBox bar = new HBox(6);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getChildren().add(new Label(b.getString("charts.window")));
        for (long w : WINDOWS) {
            ToggleButton t = new ToggleButton(MessageFormat.format(b.getString("charts.minutes"), w / 60_000));
            t.setToggleGroup(tg);
            t.setSelected(w == windowMs);
            t.setOnAction(e -> {
                windowMs = w;
                t.setSelected(true);
                ctx.requestRefresh();
            });
            bar.getChildren().add(t);
        }
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Button saveCounts = new Button(b.getString("charts.saveCounts"));
        saveCounts.setOnAction(e -> savePng(countsBox, "tcplens-states.png"));
        Button saveRates = new Button(b.getString("charts.saveRates"));
        saveRates.setOnAction(e -> savePng(ratesBox, "tcplens-rates.png"));
        bar.getChildren().addAll(spacer, saveCounts, saveRates);

        StackPane countsPane = withHover(counts, countsX, hoverCounts, true);
        StackPane ratesPane = withHover(rates, ratesX, hoverRates, false);
        countsBox = new VBox(2, countsPane, countsKey);
        ratesBox = new VBox(2, ratesPane, ratesKey);
        for (VBox box : List.of(countsBox, ratesBox)) box.getStyleClass().add("chart-with-key");
        VBox.setVgrow(countsPane, Priority.ALWAYS);
        VBox.setVgrow(countsBox, Priority.ALWAYS);
        VBox.setVgrow(ratesPane, Priority.ALWAYS);
        ratesBox.setPrefHeight(230);
        ratesBox.setMinHeight(170);
        root.getChildren().addAll(bar, countsBox, ratesBox);
        root.setPadding(new Insets(10));
        root.getStyleClass().add("charts-view");
    }

    private StackPane withHover(XYChart<Number, Number> chart, NumberAxis x, Label hover, boolean isCounts) {
        hover.getStyleClass().add("chart-hover");
        hover.setVisible(false);
        hover.setMouseTransparent(true);
        StackPane pane = new StackPane(chart, hover);
        StackPane.setAlignment(hover, Pos.TOP_RIGHT);
        StackPane.setMargin(hover, new Insets(36, 24, 0, 0));
        chart.setOnMouseMoved(e -> {
            double secs = x.getValueForDisplay(x.sceneToLocal(e.getSceneX(), e.getSceneY()).getX()).doubleValue();
            CountHistory.Point best = null;
            for (CountHistory.Point p : shown) if (best == null || Math.abs(p.secondsAgo() - secs) < Math.abs(best.secondsAgo() - secs)) best = p;
            if (best == null) {
                hover.setVisible(false);
                return;
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%.0f s ago%n", -best.secondsAgo()));
            if (isCounts) {
                for (int g = 0; g < CountHistory.GROUPS.size(); g++)
                    sb.append(String.format(Locale.ROOT, "%-13s %,.0f%n", b.getString("tile." + CountHistory.GROUPS.get(g).name()), best.counts()[g]));
            } else {
                sb.append(String.format(Locale.ROOT, "%s %.1f/s%n%s %.1f/s", b.getString("charts.opens"), best.opensPerSec(),
                        b.getString("charts.closes"), best.closesPerSec()));
            }
            hover.setText(sb.toString().strip());
            hover.setVisible(true);
        });
        chart.setOnMouseExited(e -> hover.setVisible(false));
        return pane;
    }

    private void applyTheme(Theme t) {
        StringBuilder css = new StringBuilder();
        for (int i = 0; i < CountHistory.GROUPS.size(); i++) {
            String c = StatePalette.hex(CountHistory.GROUPS.get(i).colourState(), t);
            css.append(".default-color").append(i).append(".chart-series-area-fill { -fx-fill: ").append(c).append("aa; }\n");
            css.append(".default-color").append(i).append(".chart-series-area-line { -fx-stroke: ").append(c).append("; -fx-stroke-width: 1.5; }\n");
            css.append(".default-color").append(i).append(".chart-area-symbol { -fx-background-color: ").append(c).append(", ").append(c).append("; }\n");
        }
        String open = StatePalette.hex(OPENED, t);
        String close = StatePalette.hex(CLOSED, t);
        // Opened is drawn wide and Closed dashed on top of it: at a steady rate the two lines coincide, and both stay visible.
        String rcss = ".default-color0.chart-series-line { -fx-stroke: " + open + "; -fx-stroke-width: 4; }\n"
                + ".default-color1.chart-series-line { -fx-stroke: " + close + "; -fx-stroke-width: 2; -fx-stroke-dash-array: 7 4; }\n"
                + ".default-color0.chart-line-symbol { -fx-background-color: " + open + ", " + open + "; }\n"
                + ".default-color1.chart-line-symbol { -fx-background-color: " + close + ", " + close + "; }\n";
        counts.getStylesheets().setAll(ThemeStyles.dataUrl(css.toString()));
        rates.getStylesheets().setAll(ThemeStyles.dataUrl(rcss));
    }

    private void savePng(Node chart, String name) {
        FileChooser fc = new FileChooser();
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG", "*.png"));
        fc.setInitialFileName(name);
        File f = fc.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (f == null) return;
        try {
            savePng(chart, f);
        } catch (IOException ex) {
            hoverCounts.setText(ex.getMessage());
            hoverCounts.setVisible(true);
        }
    }

    /** Writes a snapshot of a chart (or of a pane holding one chart and its key) to a PNG file. */
    public static void savePng(Node node, File f) throws IOException {
        // a saved chart says where and when it is from
        Node chart = node instanceof XYChart<?, ?> ? node : node.lookup(".chart");
        String title = chart instanceof XYChart<?, ?> x ? x.getTitle() : null;
        if (chart instanceof XYChart<?, ?> x) {
            String host;
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "?";
            }
            x.setTitle(title + " \u00b7 " + host + " \u00b7 "
                    + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault()).format(Instant.now()));
            x.applyCss();
            x.layout();
        }
        WritableImage img;
        try {
            img = node.snapshot(null, null);
        } finally {
            if (chart instanceof XYChart<?, ?> x) x.setTitle(title);
        }
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", f);
    }
}
