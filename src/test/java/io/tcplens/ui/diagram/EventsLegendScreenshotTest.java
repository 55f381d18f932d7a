package io.tcplens.ui.diagram;

import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import io.tcplens.diagram.SimulatedTraffic;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ObservedEvents;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.theme.Theme;
import java.util.List;
import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;
import org.junit.jupiter.api.Test;

/**
 * The diagram's legend when kernel events run: observed steps are the kernel's; an interval that lost
 * events is counted there. Generated (simulated) traffic whose diffs carry events: the poll
 * transitions as observed steps, and one interval with 1,234 events lost.
 */
class EventsLegendScreenshotTest {
    private Scene scene;

    private static PollResult withEvents(PollResult r, boolean complete) {
        SnapshotDiff d = r.diff();
        ObservedEvents ev = complete ? new ObservedEvents(d.transitions(), 0, true, List.of())
                : new ObservedEvents(List.of(), 1_234, false, List.of());
        return new PollResult(r.sequence(), r.snapshot(), new SnapshotDiff(d.opened(), d.closed(), d.transitions(),
                d.fromMillis(), d.toMillis(), ev), r.connections(), r.pollNanos(), r.error());
    }

    @Test
    void legendSaysWhatEventsSawAndLost() {
        TestShellContext ctx = new TestShellContext();
        FxTestSupport.start();
        StateDiagramView view = FxTestSupport.onFx(() -> {
            Application.setUserAgentStylesheet(new PrimerLight().getUserAgentStylesheet());
            StateDiagramView v = new StateDiagramView(ctx, null, 30_000);
            scene = new Scene((Parent) v.node(), 1024, 700);
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            return v;
        });
        SimulatedPolls.feed(view, new SimulatedTraffic(3_000, 11), 4, 200, (r, i) -> withEvents(r, i != 2));
        FxTestSupport.onFx(() -> view.model().advance(300));
        FxTestSupport.settle();
        FxTestSupport.onFx(view::renderNow);
        FxTestSupport.screenshot(scene, "diagram-events-light");
        FxTestSupport.onFx(() -> {
            Application.setUserAgentStylesheet(new PrimerDark().getUserAgentStylesheet());
            ctx.theme.set(Theme.DARK);
        });
        FxTestSupport.settle();
        FxTestSupport.onFx(view::renderNow);
        FxTestSupport.screenshot(scene, "diagram-events-dark");
        String legend = FxTestSupport.onFx(() -> view.overlayForTest().legendInferred());
        assertTrue(legend.contains("events lost in 1 poll"), legend);
        assertTrue(FxTestSupport.onFx(() -> view.overlayForTest().legendObserved()).contains("kernel event"));
    }
}
