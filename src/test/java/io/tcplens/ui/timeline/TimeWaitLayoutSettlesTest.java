package io.tcplens.ui.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.theme.Theme;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TitledPane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TIME_WAIT tab's layout comes to rest: once a poll is laid out, nothing in it asks for another pass
 * (issue 11: its side panel's ScrollPane asked for one from inside every pass — the histogram's width was
 * bound to the viewport bounds, which the ScrollPane sets anew at each pass — so every pulse re-measured
 * the whole panel's wrapped text, for as long as the tab existed, shown or not).
 */
class TimeWaitLayoutSettlesTest {
    @TempDir
    Path sys;

    /** The tab on a private sysctl tree (port range 32768-60999, tcp_tw_reuse 2). */
    private TimeWaitTimelineView newView() throws Exception {
        return TimeWaitTabs.view(sys, new TestShellContext(), "tcp_tw_reuse", "2");
    }

    @Test
    void aShownPollIsLaidOutOnceAndTheLayoutThenRests() throws Exception {
        FxTestSupport.start();
        PollResult r = TimeWaitTabs.timeWaitPoll(1_700_000_000_000L, 500, 3, i -> 1_000L + 100L * i);
        TimeWaitTimelineView view = newView();
        Parent root = FxTestSupport.themedScene((Parent) view.node(), 1400, 900, Theme.LIGHT).getRoot();
        TimelineModel.Prepared p = view.prepare(r, List.of(r));
        FxTestSupport.onFx(() -> {
            view.show(p);
            root.applyCss();
            root.layout();
            ScrollPane side = sidePanel(root);
            assertNotNull(side, "the side panel's ScrollPane");
            // a few passes: what the first ones resize may ask for one more, then it must rest
            for (int pass = 0; pass < 3; pass++) root.layout();
            assertFalse(side.isNeedsLayout(), "the side panel asks for a layout pass again after its own");
            assertFalse(root.isNeedsLayout(), "the tab asks for a layout pass again after its own");
            root.layout();
            assertFalse(side.isNeedsLayout(), "the side panel asks for a layout pass again after a pass with nothing to do");
        });
    }

    @Test
    void aCollapsedPaneHoldsNoContentToMeasure() throws Exception {
        FxTestSupport.start();
        SourceInfo sim = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "generated");
        var u = new ConnectionTracker(60_000).update(new Snapshot(1_700_000_000_000L, List.of(), sim, List.of()));
        PollResult r = new PollResult(1, u.snapshot(), u.diff(), u.connections(), 0, null);
        TimeWaitTimelineView view = newView();
        Parent root = FxTestSupport.onFx(() -> new Scene((Parent) view.node(), 1400, 900).getRoot());
        TimelineModel.Prepared p = view.prepare(r, List.of(r));
        FxTestSupport.onFx(() -> {
            view.show(p);
            root.applyCss();
            root.layout();
            List<TitledPane> panes = root.lookupAll(".titled-pane").stream().filter(n -> n instanceof TitledPane).map(n -> (TitledPane) n).toList();
            assertTrue(panes.stream().anyMatch(t -> !t.isExpanded()), "a collapsed pane (the kernel settings)");
            for (TitledPane t : panes) {
                if (!t.isExpanded()) assertEquals(0, ((Parent) t.getContent()).getChildrenUnmodifiable().size(), t.getText() + ": content while collapsed");
            }
            TitledPane settings = panes.stream().filter(t -> !t.isExpanded()).findFirst().orElseThrow();
            settings.setExpanded(true);
            assertTrue(((Parent) settings.getContent()).getChildrenUnmodifiable().size() > 0, "expanded: its content is back");
            settings.setExpanded(false);
        });
    }

    private static ScrollPane sidePanel(Parent root) {
        Node side = root.lookup(".timewait-side");
        while (side != null && !(side instanceof ScrollPane)) side = side.getParent();
        return (ScrollPane) side;
    }
}
