package io.tcplens.ui.charts;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.common.Units;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.Truncation;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.theme.StatePalette;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.tiles.StateGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.scene.shape.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 18: the charts tab in the window, on a generated table of 21,000 sockets (labelled simulated),
 * at 1024×700 and full size, light and dark. The two charts share one time axis: their plots start and
 * end at the same x in the scene, and "60 s ago" and "now" fall on the same x in both. The states chart
 * has a key with an entry per state group, in the group's colour from the theme — the colour its area is
 * drawn in — with the newest count, nothing cut.
 */
class ChartsLayoutTest {
    @ParameterizedTest
    @CsvSource({"1024, 700, LIGHT", "1024, 700, DARK", "1600, 1000, LIGHT", "1600, 1000, DARK"})
    void theChartsShareTheirTimeAxisAndNameEveryStateInItsColour(int width, int height, Theme theme) {
        GeneratedTable table = new GeneratedTable(21_000, 420);
        WindowFixture fixture = WindowFixture.open(TestPreferences.cleared("tcplens-test/charts-layout", 500), table, width, height, theme);
        MainWindow w = fixture.window();
        try {
            FxTestSupport.waitUntil(() -> w.lastShown() != null && w.lastShown().sequence() >= 2, 60_000, "two polls");
            FxTestSupport.onFx(() -> w.showView(ChartsView.ID));
            long seq = FxTestSupport.onFx(() -> w.lastShown().sequence());
            ChartsView v = w.part(ChartsView.class);
            FxTestSupport.waitUntil(() -> w.lastShown().sequence() >= seq + 3 && v.shownPoints().size() >= 3, 60_000, "three polls on the charts");
            FxTestSupport.settle();
            String where = width + "x" + height + " " + theme;
            FxTestSupport.onFx(() -> {
                w.scene().getRoot().applyCss();
                w.scene().getRoot().layout();
                // one time axis: the plots span the same x, and the same time is at the same x
                Bounds pc = plot(v.countsChart()), pr = plot(v.ratesChart());
                assertTrue(pc.getWidth() > width / 2.0, where + ": states plot " + pc);
                assertEquals(pc.getMinX(), pr.getMinX(), 1, where + ": plots' left edges");
                assertEquals(pc.getMaxX(), pr.getMaxX(), 1, where + ": plots' right edges");
                for (double t : new double[] {-60, -30, 0})
                    assertEquals(sceneX(v.countsChart(), t), sceneX(v.ratesChart(), t), 1, where + ": " + t + " s");

                // the key: a named entry per state group, in the colour the group's area is drawn in
                ResourceBundle b = ResourceBundle.getBundle("io.tcplens.ui.messages");
                ChartLegend key = v.countsKey();
                assertEquals(CountHistory.GROUPS.size(), key.entries().size());
                double[] newest = v.shownPoints().getLast().counts();
                for (int i = 0; i < CountHistory.GROUPS.size(); i++) {
                    StateGroup g = CountHistory.GROUPS.get(i);
                    Label e = key.entries().get(i);
                    assertTrue(e.isVisible() && e.getScene() != null, where + ": " + g + " entry shown");
                    Bounds eb = e.localToScene(e.getLayoutBounds());
                    assertTrue(eb.getMinX() >= 0 && eb.getMaxX() <= w.scene().getWidth() && eb.getMaxY() <= w.scene().getHeight(),
                            where + ": " + g + " entry on screen " + eb);
                    assertTrue(e.getText().startsWith(b.getString("tile." + g.name())), e.getText());
                    assertTrue(e.getText().endsWith(Units.count(Math.round(newest[i]))), where + ": newest count in " + e.getText());
                    Color want = StatePalette.color(g.colourState(), theme);
                    assertEquals(want, fill(key.swatch(i)), where + ": " + g + " swatch");
                    Path line = (Path) v.countsChart().lookup(".series" + i + ".chart-series-area-line");
                    assertNotNull(line, where + ": " + g + " area");
                    assertEquals(want, line.getStroke(), where + ": " + g + " area drawn in the key's colour");
                }
                assertEquals(2, v.ratesKey().entries().size());
                assertEquals(StatePalette.color(ChartsView.OPENED, theme), fill(v.ratesKey().swatch(0)));
                assertEquals(StatePalette.color(ChartsView.CLOSED, theme), fill(v.ratesKey().swatch(1)));
                List<String> cut = new ArrayList<>();
                for (Truncation.Cut c : Truncation.in(w.scene())) if (c.in("chart-key") || c.in("axis") || c.in("chart-title")) cut.add(c.toString());
                assertTrue(cut.isEmpty(), where + ": " + cut);
            });
            FxTestSupport.screenshot(w.scene(), "charts-aligned-" + theme.name().toLowerCase(Locale.ROOT) + "-" + width + "x" + height);
        } finally {
            fixture.close();
        }
    }

    private static Bounds plot(XYChart<?, ?> chart) {
        Node bg = chart.lookup(".chart-plot-background");
        return bg.localToScene(bg.getLayoutBounds());
    }

    private static double sceneX(XYChart<Number, Number> chart, double seconds) {
        NumberAxis x = (NumberAxis) chart.getXAxis();
        return x.localToScene(x.getDisplayPosition(seconds), 0).getX();
    }

    private static Paint fill(Region r) {
        assertNotNull(r.getBackground(), "swatch has a background");
        return r.getBackground().getFills().getFirst().getFill();
    }
}
