package io.tcplens.ui.charts;

import io.tcplens.engine.PollResult;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.ShellView;
import io.tcplens.ui.theme.StatePalette;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.tiles.StateGroup;
import java.io.File;
import java.io.IOException;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
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
import javax.imageio.ImageIO;

/**
 * State counts over time (stacked area) and opens/closes per second (lines), over the last 1, 5, 15
 * or 60 minutes. Fixed windows, no symbols, no animation; downsampled off the FX thread to at most
 * {@link #MAX_POINTS} points per series. Hover shows the exact values; each chart saves as PNG.
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
    private final NumberAxis countsX = new NumberAxis();
    private final NumberAxis countsY = new NumberAxis();
    private final StackedAreaChart<Number, Number> counts = new StackedAreaChart<>(countsX, countsY);
    private final NumberAxis ratesX = new NumberAxis();
    private final NumberAxis ratesY = new NumberAxis();
    private final LineChart<Number, Number> rates = new LineChart<>(ratesX, ratesY);
    private final List<XYChart.Series<Number, Number>> countSeries = new ArrayList<>();
    private final XYChart.Series<Number, Number> opens = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> closes = new XYChart.Series<>();
    private final Label hoverCounts = new Label();
    private final Label hoverRates = new Label();
    private final VBox root = new VBox(8);
    private volatile long windowMs = WINDOWS[0];
    private List<CountHistory.Point> shown = List.of();

    public ChartsView(ShellContext ctx) {
        this.ctx = ctx;
        this.b = ctx.bundle();
        build();
        applyTheme(ctx.theme().get());
        ctx.theme().addListener((o, a, n) -> applyTheme(n));
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
        return root;
    }

    @Override
    public Prepared prepare(PollResult latest, List<PollResult> batch) {
        synchronized (history) {
            for (PollResult r : batch) history.add(r);
            return new Prepared(history.window(latest.snapshot().timestampMillis(), windowMs, MAX_POINTS), windowMs);
        }
    }

    /** FX thread; the shell calls this only while the tab is at the front (and once more when it comes back). */
    @Override
    public void show(Prepared p) {
        if (p == null) return;
        double w = p.windowMs() / 1000.0;

        countsX.setLowerBound(-w);
        ratesX.setLowerBound(-w);
        double tick = w <= 60 ? 10 : w <= 300 ? 60 : w <= 900 ? 120 : 600;
        countsX.setTickUnit(tick);
        ratesX.setTickUnit(tick);
        for (int g = 0; g < countSeries.size(); g++) {
            List<XYChart.Data<Number, Number>> data = new ArrayList<>(p.points().size());
            for (CountHistory.Point pt : p.points()) data.add(new XYChart.Data<>(pt.secondsAgo(), pt.counts()[g]));
            countSeries.get(g).getData().setAll(data);
        }
        List<XYChart.Data<Number, Number>> o = new ArrayList<>(), c = new ArrayList<>();
        for (CountHistory.Point pt : p.points()) {
            o.add(new XYChart.Data<>(pt.secondsAgo(), pt.opensPerSec()));
            c.add(new XYChart.Data<>(pt.secondsAgo(), pt.closesPerSec()));
        }
        opens.getData().setAll(o);
        closes.getData().setAll(c);
        shown = p.points();
    }

    /** Points currently drawn (for tests). */
    public List<CountHistory.Point> shownPoints() {
        return shown;
    }

    public StackedAreaChart<Number, Number> countsChart() {
        return counts;
    }

    private void build() {
        for (NumberAxis x : List.of(countsX, ratesX)) {
            x.setAutoRanging(false);
            x.setUpperBound(0);
            x.setLowerBound(-60);
            x.setLabel(b.getString("charts.secondsAgo"));
            x.setMinorTickVisible(false);
        }
        countsY.setLabel(b.getString("charts.sockets"));
        ratesY.setLabel(b.getString("charts.perSecond"));
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
        saveCounts.setOnAction(e -> savePng(counts, "tcplens-states.png"));
        Button saveRates = new Button(b.getString("charts.saveRates"));
        saveRates.setOnAction(e -> savePng(rates, "tcplens-rates.png"));
        bar.getChildren().addAll(spacer, saveCounts, saveRates);

        StackPane countsPane = withHover(counts, countsX, hoverCounts, true);
        StackPane ratesPane = withHover(rates, ratesX, hoverRates, false);
        VBox.setVgrow(countsPane, Priority.ALWAYS);
        ratesPane.setPrefHeight(220);
        ratesPane.setMinHeight(160);
        root.getChildren().addAll(bar, countsPane, ratesPane);
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
        String open = StatePalette.hex(io.tcplens.model.TcpState.ESTABLISHED, t);
        String close = StatePalette.hex(io.tcplens.model.TcpState.CLOSE_WAIT, t);
        String rcss = ".default-color0.chart-series-line { -fx-stroke: " + open + "; -fx-stroke-width: 2; }\n"
                + ".default-color1.chart-series-line { -fx-stroke: " + close + "; -fx-stroke-width: 2; }\n"
                + ".default-color0.chart-line-symbol { -fx-background-color: " + open + ", " + open + "; }\n"
                + ".default-color1.chart-line-symbol { -fx-background-color: " + close + ", " + close + "; }\n";
        counts.getStylesheets().setAll(io.tcplens.ui.theme.ThemeStyles.dataUrl(css.toString()));
        rates.getStylesheets().setAll(io.tcplens.ui.theme.ThemeStyles.dataUrl(rcss));
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

    /** Writes a snapshot of a chart to a PNG file. */
    public static void savePng(Node chart, File f) throws IOException {
        WritableImage img = chart.snapshot(null, null);
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", f);
    }
}
