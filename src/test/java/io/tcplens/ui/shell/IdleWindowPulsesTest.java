package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.testutil.LoopbackSockets;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.RunningAnimations;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.table.ConnectionsView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Scene;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a window with nothing new to show does not make JavaFX pulse every frame. A running
 * {@code Timeline} (the status bar's age ticker was one) or {@code AnimationTimer} keeps the pulse going 60 times
 * a second, ~0.03 s of the FX thread's CPU per second for nothing; the age now ticks on {@link FxTicker}, so a pulse
 * comes when its text changes. Checked two ways: the window adds no receiver to JavaFX's primary timer (what
 * every running Timeline and AnimationTimer registers; other tests in the same JVM may leave theirs running, so
 * this is counted against the count before the window opened), and, when nothing else animates in this JVM, the
 * scene's pulse listener counts the pulses from one change of the age's text to the next (a poll or a kernel
 * event in between adds a few; the median over several is taken).
 */
class IdleWindowPulsesTest {
    @Test
    void anIdleWindowPulsesOnlyWhenTheAgeChanges() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        try (LoopbackSockets lab = new LoopbackSockets()) {
            lab.established();
            // the connections tab in front (the default), a poll a minute: after the first, nothing new to show
            FxTestSupport.start();
            int before = FxTestSupport.onFx(RunningAnimations::count);
            try (WindowFixture fixture = WindowFixture.open("tcplens-test/idlepulses", 60_000, "proc", 1400, 900)) {
                MainWindow window = fixture.window();
                FxTestSupport.waitUntil(() -> window.lastShown() != null
                        && !window.part(ConnectionsView.class).visibleRows().isEmpty(), 60_000, "first poll shown");
                Scene scene = FxTestSupport.onFx(window::scene);
                List<Integer> perChange = new ArrayList<>(); // FX thread only
                int[] pulses = {0};
                String[] last = {null};
                String[] badAge = {null};
                Runnable count = () -> {
                    pulses[0]++;
                    String age = window.ageText();
                    // whole seconds: a text in tenths changed at every tick, twice a second, each a pulse
                    if (!age.matches("last poll \\d+ s ago")) badAge[0] = age;
                    if (!age.equals(last[0])) {
                        if (last[0] != null) perChange.add(pulses[0]);
                        pulses[0] = 0;
                        last[0] = age;
                    }
                };
                FxTestSupport.onFx(() -> scene.addPreLayoutPulseListener(count));
                int changes = 9; // once a second: ~9 s
                FxTestSupport.waitUntil(() -> perChange.size() >= changes, 60_000, "the status bar's age moving on " + changes + " times");
                FxTestSupport.onFx(() -> scene.removePreLayoutPulseListener(count));
                assertNull(FxTestSupport.onFx(() -> badAge[0]), "the age is shown in whole seconds");
                int after = FxTestSupport.onFx(RunningAnimations::count);
                assertTrue(after <= before, "animations running in JavaFX: " + before + " before the window, " + after
                        + " with it open and nothing to show");
                if (before > 0) return; // another test's animation pulses the toolkit anyway: pulses say nothing
                List<Integer> sorted = FxTestSupport.onFx(() -> perChange.stream().sorted().toList());
                int median = sorted.get(sorted.size() / 2);
                // one pulse shows each change of the text; a running animation gives ~30 between two changes
                assertTrue(median <= 4, "pulses from one change of the age to the next " + perChange
                        + ": something animates with nothing to show");
            }
        }
    }
}
