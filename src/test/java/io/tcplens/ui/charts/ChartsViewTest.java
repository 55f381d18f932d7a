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
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/** Issue 13 item 11: rates legend, toggling a state out of the stack (a click on its key entry), smoothed rates. */
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
                // the rates' key (issue 18: below the chart, the view's own, so both plots keep one width)
                assertEquals(2, v.ratesKey().entries().size());
                assertTrue(v.ratesKey().entries().getFirst().getText().startsWith("Opened"), v.ratesKey().entries().getFirst().getText());
                assertFalse(v.countSeries().get(0).getData().isEmpty());
                // a click on ESTABLISHED's key entry takes it out of the stack: the rest rescales
                var e = v.countsKey().entries().getFirst();
                e.fireEvent(new MouseEvent(MouseEvent.MOUSE_CLICKED, 5, 5, 5, 5, MouseButton.PRIMARY, 1,
                        false, false, false, false, true, false, false, true, false, true, null));
                assertTrue(v.countSeries().get(0).getData().isEmpty());
                assertTrue(e.getStyleClass().contains("off"), "the entry shows its state is hidden");
                assertFalse(v.countSeries().get(1).getData().isEmpty());
            });
            FxTestSupport.settle();
            FxTestSupport.screenshot(s, "trust-charts-toggled-light-1600x1000");
            FxTestSupport.onFx(() -> {
                v.setGroupHidden(0, false);
                assertFalse(v.countSeries().get(0).getData().isEmpty());
                assertFalse(v.countsKey().entries().getFirst().getStyleClass().contains("off"));
            });
        } finally {
            FxTestSupport.onFx(stage::close);
        }
    }
}
