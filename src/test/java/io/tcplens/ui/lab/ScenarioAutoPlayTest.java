package io.tcplens.ui.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.table.ConnectionsView;
import io.tcplens.ui.theme.Theme;
import io.tcplens.lab.script.Script;
import io.tcplens.lab.script.Scripts;
import java.lang.reflect.Field;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the scenario player's auto-play steps on a ticker, not on a JavaFX {@code Timeline}: a running
 * Timeline, however slow its key frame (a step every 2 s), makes the toolkit pulse 60 times a second for as long
 * as it plays — ~120 pulses with nothing new between two steps — and it went on playing with the tab hidden.
 * Now: playing adds no pulse receiver to JavaFX's primary timer, the steps still come while the tab is in front,
 * none while it is hidden, and they go on from the same step when it is shown again. The real window on a
 * generated table of 5,000 sockets polled every second.
 */
class ScenarioAutoPlayTest {
    @Test
    void autoPlayStepsWithoutAnAnimationAndRestsWhileHidden() throws Exception {
        try (WindowFixture f = WindowFixture.open(TestPreferences.cleared("tcplens-test/scenario-autoplay", 1000), new GeneratedTable(5_000, 50),
                1360, 860, Theme.DARK, mw -> mw.showView(ScenarioPlayerView.ID))) {
            MainWindow window = f.window();
            FxTestSupport.waitUntil(() -> window.lastShown() != null, 60_000, "a poll shown");
            ScenarioPlayerView view = FxTestSupport.onFx(() -> window.part(ScenarioPlayerView.class));
            Script longest = Scripts.all().stream().max(Comparator.comparingInt(s -> s.steps().size())).orElseThrow();
            assertTrue(longest.steps().size() >= 6, "a script long enough to play, hide and play on: " + longest.steps().size());
            int added = FxTestSupport.onFx(() -> {
                view.select(longest.id());
                view.faster();
                view.faster(); // speed 4: a step every 500 ms
                int before = pulseReceivers();
                view.togglePlay();
                return pulseReceivers() - before;
            });
            assertEquals(0, added, "pulse receivers (Timelines, transitions) that auto-play added to JavaFX's primary timer");
            int from = FxTestSupport.onFx(() -> view.player().position());
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> view.player().position()) >= from + 2, 20_000, "two steps played");

            FxTestSupport.onFx(() -> window.showView(ConnectionsView.ID));
            assertFalse(FxTestSupport.onFx(view::autoStepping), "auto-play steps while the tab is hidden");
            int hiddenAt = FxTestSupport.onFx(() -> view.player().position());
            Thread.sleep(1_600); // three steps' time at this speed
            assertEquals(hiddenAt, (int) FxTestSupport.onFx(() -> view.player().position()), "steps taken while the tab was hidden");

            FxTestSupport.onFx(() -> window.showView(ScenarioPlayerView.ID));
            assertTrue(FxTestSupport.onFx(view::autoStepping), "auto-play goes on when the tab is shown again");
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> view.player().position()) > hiddenAt, 20_000, "a step after showing");
            FxTestSupport.onFx(view::togglePlay);
            assertFalse(FxTestSupport.onFx(view::autoStepping), "paused");
        }
    }

    /** Pulse receivers (Timelines, transitions) registered with JavaFX's primary timer now. */
    private static int pulseReceivers() {
        Object timer = com.sun.javafx.tk.Toolkit.getToolkit().getPrimaryTimer();
        try {
            Field field = com.sun.scenario.animation.AbstractPrimaryTimer.class.getDeclaredField("receiversLength");
            field.setAccessible(true);
            return field.getInt(timer);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("JavaFX's primary timer changed: " + e, e);
        }
    }
}
