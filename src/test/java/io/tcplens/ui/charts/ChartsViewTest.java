package io.tcplens.ui.charts;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.theme.Theme;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/** Issue 13 item 11: rates legend, toggling a state out of the stack, smoothed rates. */
class ChartsViewTest {
    @Test
    void closedRateIsAveragedOverFiveSeconds() {
        List<CountHistory.Point> pts = new ArrayList<>();
        for (int i = -30; i <= 0; i++) pts.add(new CountHistory.Point(i, new double[0], 100, (i & 1) == 0 ? 0 : 200));
        double[][] avg = ChartsView.averaged(pts, 5);
        for (int i = 6; i < pts.size(); i++) assertEquals(100, avg[1][i], 20, "smoothed at " + i);
        assertEquals(100, avg[0][10], 1e-9);
    }

    @Test
    void legendTogglesAStateOutOfTheStackAndRatesHaveALegend() {
        FxTestSupport.start();
        TestShellContext ctx = new TestShellContext();
        GeneratedTable table = new GeneratedTable(21_000, 400);
        ConnectionTracker tr = new ConnectionTracker();
        ChartsView v = FxTestSupport.onFx(() -> new ChartsView(ctx));
        Scene s = FxTestSupport.themedScene(FxTestSupport.onFx(() -> new StackPane(v.node())), 1600, 1000, Theme.LIGHT);
        Stage stage = FxTestSupport.show(s);
        try {
            List<PollResult> batch = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                var u = tr.update(table.poll());
                batch.add(new PollResult(i, u.snapshot(), u.diff(), u.connections(), 0, null));
            }
            ChartsView.Prepared p = v.prepare(batch.get(batch.size() - 1), batch);
            FxTestSupport.onFx(() -> v.show(p));
            FxTestSupport.settle();
            FxTestSupport.onFx(() -> {
                assertTrue(v.ratesChart().isLegendVisible());
                assertFalse(v.ratesChart().lookupAll(".chart-legend-item").isEmpty(), "rates legend drawn");
                assertFalse(v.countSeries().get(0).getData().isEmpty());
                v.setGroupHidden(0, true); // ESTABLISHED out: the rest rescales
                assertTrue(v.countSeries().get(0).getData().isEmpty());
                assertFalse(v.countSeries().get(1).getData().isEmpty());
            });
            FxTestSupport.settle();
            FxTestSupport.screenshot(s, "trust-charts-toggled-light-1600x1000");
            FxTestSupport.onFx(() -> {
                v.setGroupHidden(0, false);
                assertFalse(v.countSeries().get(0).getData().isEmpty());
            });
        } finally {
            FxTestSupport.onFx(stage::close);
        }
    }
}
