package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.RunningAnimations;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.diagram.StateDiagramView;
import io.tcplens.ui.table.ConnectionsView;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.timeline.TimeWaitTimelineView;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Scene;
import org.junit.jupiter.api.Test;

/**
 * No animation runs when nothing moves (issue 11, round 24). Every running {@code Timeline}, transition or
 * {@code AnimationTimer} makes JavaFX pulse 60 times a second, on the FX thread, whatever it draws. The real
 * window on a generated table of 31,000 sockets (above the diagram's 30,000: it draws counts and moving flows),
 * a poll a second; every tab is shown while the table changes, then the table stops changing:
 * <ul>
 *   <li>each tab at the front, nothing changing: no animation runs and the pulses are the polls' hand-overs
 *       and the age's ticks (a few a second, where one animation makes ~60);</li>
 *   <li>the table's search field with the keyboard blinks its caret (a Timeline); switched away from, it does not;</li>
 *   <li>the diagram's flows move while the table changes, and stop while the window is minimised (main 4493c10
 *       drew them on at 60 frames a second);</li>
 *   <li>the window closed with the search field's caret blinking leaves nothing running (main 4493c10: the caret
 *       blinked on in the closed window for good, on the headless platform).</li>
 * </ul>
 * Animations are named by {@link RunningAnimations} and counted against those running before the window opened.
 */
class IdleAnimationsTest {
    /** A generated table that stops changing when told to (the same rows at every poll after). */
    static final class Freezable implements SocketTableSource {
        private final GeneratedTable table;
        private volatile boolean frozen;
        private List<SocketEntry> last = List.of();
        private long now = System.currentTimeMillis();

        Freezable(int size, int churn) {
            table = new GeneratedTable(size, churn);
        }

        void freeze(boolean f) {
            frozen = f;
        }

        @Override
        public SourceInfo info() {
            return table.info();
        }

        @Override
        public synchronized Snapshot poll() {
            now += 1000;
            if (!frozen || last.isEmpty()) last = List.copyOf(table.poll().sockets());
            return new Snapshot(now, last, table.info(), List.of());
        }
    }

    @Test
    void nothingAnimatesWhenNothingMovesNorAfterTheWindowCloses() throws Exception {
        FxTestSupport.start();
        List<String> before = FxTestSupport.onFx(RunningAnimations::describe);
        Freezable source = new Freezable(31_000, 310);
        UiPreferences prefs = TestPreferences.cleared("tcplens-test/idle-animations", 1000);
        prefs.put(IncidentControls.RULES, "CLOSE_WAIT>100000"); // no alert: its notice would stand still, but it is not idle
        WindowFixture f = WindowFixture.open(prefs, source, 1360, 860, Theme.DARK);
        MainWindow window = f.window();
        boolean closed = false;
        try {
            f.awaitFirstPoll(60_000);
            List<String> ids = FxTestSupport.onFx(() -> window.views().stream().map(ShellTab::id).toList());
            for (String id : ids) { // each tab built and shown while the table changes
                FxTestSupport.onFx(() -> window.showView(id));
                awaitPolls(window, 2);
            }
            StateDiagramView diagram = FxTestSupport.onFx(() -> window.part(StateDiagramView.class));
            FxTestSupport.onFx(() -> window.showView(StateDiagramView.ID));
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(diagram::animating), 30_000, "the diagram's flows moving while the table changes");

            source.freeze(true);
            // the diagram's flows look 5 s back: they stop once the last change is that old
            FxTestSupport.waitUntil(() -> !FxTestSupport.onFx(diagram::animating), 30_000, "the diagram still once nothing changes");
            for (String id : ids) {
                FxTestSupport.onFx(() -> window.showView(id));
                awaitPolls(window, 2); // the tab's first hand-overs after it is shown
                double[] m = measure(window, "nothing changing");
                // (a hand-over wakes the diagram for a frame or two to draw its counts: one may be running just then)
                awaitNoneBut(before, 1000, "on the " + id + " tab with nothing changing");
                // a hand-over and an age tick a second, each a pulse or two; one animation makes ~60 a second. The
                // TIME_WAIT tab's "now" line moves with the clock, not an animation: a drawing each time it moves a
                // pixel (~8 a second at this width), up to 5 s after each poll
                double bound = id.equals(TimeWaitTimelineView.ID) ? 16 : 8;
                assertTrue(m[0] <= bound, String.format("%.1f pulses a second on the %s tab with nothing changing", m[0], id));
            }

            // the search field with the keyboard blinks its caret; switched away from, it stops
            FxTestSupport.onFx(() -> window.showView(ConnectionsView.ID));
            FxTestSupport.onFx(() -> window.part(ConnectionsView.class).focusSearch());
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> RunningAnimations.count()) > before.size(), 10_000,
                    "the search field's caret blinking (the count sees a Timeline)");
            FxTestSupport.onFx(() -> window.showView(StateDiagramView.ID));
            awaitNoneBut(before, 3000, "after the search field's tab was switched away from");

            // flows moving again; the window minimised: nothing runs (main 4493c10: the flows' timer ran on); restored: they move
            source.freeze(false);
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(diagram::animating), 30_000, "the diagram's flows moving again");
            measure(window, "flows moving, shown");
            FxTestSupport.onFx(() -> f.stage().setIconified(true));
            measure(window, "flows moving, minimised");
            awaitNoneBut(before, 3000, "in the minimised window, the diagram's flows moving");
            FxTestSupport.onFx(() -> f.stage().setIconified(false));
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(diagram::animating), 30_000, "the flows moving again once restored");

            // the window closed with the search field's caret blinking (main 4493c10: it blinked on for good)
            FxTestSupport.onFx(() -> window.showView(ConnectionsView.ID));
            FxTestSupport.onFx(() -> window.part(ConnectionsView.class).focusSearch());
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> RunningAnimations.count()) > before.size(), 10_000, "the caret blinking");
            f.close();
            closed = true;
            awaitNoneBut(before, 3000, "after the window closed");
        } finally {
            if (!closed) f.close();
        }
    }

    /** Waits up to {@code millis} (a transition ending) for nothing to run but {@code before}; fails naming what runs. */
    private static void awaitNoneBut(List<String> before, long millis, String when) throws InterruptedException {
        long t0 = System.nanoTime();
        List<String> running;
        do {
            running = FxTestSupport.onFx(RunningAnimations::describe);
            running.removeAll(before);
            if (running.isEmpty()) return;
            Thread.sleep(100);
        } while (System.nanoTime() - t0 < millis * 1_000_000L);
        assertEquals(List.of(), running, "animations running " + when);
    }

    private static void awaitPolls(MainWindow window, int n) {
        long from = FxTestSupport.onFx(() -> window.lastShown().sequence());
        FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= from + n, 60_000, n + " polls shown");
    }

    /** Pulses a second over 2 s, printed with the polls shown and the FX thread's CPU. */
    private static double[] measure(MainWindow window, String what) throws InterruptedException {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long fxId = FxTestSupport.onFx(() -> Thread.currentThread().threadId());
        long cpu0 = mx.getThreadCpuTime(fxId);
        Scene scene = FxTestSupport.onFx(window::scene);
        long[] pulses = {0};
        Runnable count = () -> pulses[0]++;
        long polls0 = FxTestSupport.onFx(() -> window.lastShown().sequence());
        FxTestSupport.onFx(() -> scene.addPreLayoutPulseListener(count));
        long t0 = System.nanoTime();
        Thread.sleep(2000);
        FxTestSupport.onFx(() -> scene.removePreLayoutPulseListener(count));
        double wall = (System.nanoTime() - t0) / 1e9;
        long polls = FxTestSupport.onFx(() -> window.lastShown().sequence()) - polls0;
        double perSecond = FxTestSupport.onFx(() -> pulses[0]) / wall;
        double fx = (mx.getThreadCpuTime(fxId) - cpu0) / 1e9 / wall;
        System.out.printf("idle %s, %s: %.1f pulses a second, FX thread %.3f s/s, %d polls shown in %.1f s%n",
                FxTestSupport.onFx(() -> window.scene().getRoot().lookup(".tab-pane") instanceof javafx.scene.control.TabPane t
                        ? t.getSelectionModel().getSelectedItem().getText() : "?"), what, perSecond, fx, polls, wall);
        return new double[] {perSecond, polls};
    }
}
