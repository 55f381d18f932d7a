package io.tcplens.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HandOverTimes} reads what JFR's method tracing recorded, and finds a GC pause inside a traced call. */
class HandOverTimesTest {
    private static volatile Object sink;

    /** Stands for FrameDispatcher.handOver: traced by name. */
    private static void handOver(int kind) throws InterruptedException {
        if (kind == 1) System.gc(); // a safepoint operation inside the call
        else if (kind == 2) Thread.sleep(40); // slow, by no pause of the JVM
        else sink = new byte[64];
    }

    @Test
    void timesEachCallAndFindsTheGcPauseInsideIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("h.jfr");
        Instant from = Instant.now();
        try (Recording r = new Recording()) {
            r.enable("jdk.MethodTrace").with("filter", HandOverTimesTest.class.getName() + "::handOver").withThreshold(java.time.Duration.ZERO)
                    .withoutStackTrace();
            r.enable("jdk.ExecuteVMOperation").withThreshold(java.time.Duration.ZERO);
            r.enable("jdk.GCPhasePause").withThreshold(java.time.Duration.ZERO);
            r.start();
            for (int kind : new int[] {0, 0, 1, 0, 2, 0}) handOver(kind);
            r.stop();
            r.dump(file);
        }
        HandOverTimes t = HandOverTimes.read(file, from, "handOver");
        List<HandOverTimes.HandOver> h = t.handOvers();
        assertEquals(6, h.size(), "every call traced once, in order");
        assertTrue(h.get(2).pauses() >= 1 && h.get(2).pausedMillis() > 0, "System.gc()'s safepoint is inside the third call: " + h.get(2));
        assertTrue(h.get(2).pausedMillis() <= h.get(2).millis() + 0.001, "a pause is counted only as far as it lies inside the call");
        assertTrue(h.get(4).millis() >= 40, "the sleeping call's wall time: " + h.get(4));
        assertTrue(t.slow() >= 1, "the 40 ms call is over 16 ms");
        assertTrue(t.summary().startsWith("FX hand-overs (from 10 s): 6,"), t.summary());
        // the hand-overs first; the scenes' pulses and paints beside them
        assertTrue(HandOverTimes.jcmdStartArgs().contains("+jdk.MethodTrace#filter=io.tcplens.ui.shell.FrameDispatcher::handOver;"
                + "javafx.scene.Scene$ScenePulseListener::pulse;com.sun.javafx.tk.quantum.ViewPainter::paintImpl"));
    }

    @Test
    void quantileIsTheNearestRankAndEmptyIsNaN() {
        assertEquals(3.0, HandOverTimes.quantile(List.of(5.0, 1.0, 3.0, 2.0, 4.0), 0.5));
        assertEquals(5.0, HandOverTimes.quantile(List.of(5.0, 1.0, 3.0, 2.0, 4.0), 0.99));
        assertTrue(Double.isNaN(HandOverTimes.quantile(List.of(), 0.5)));
    }
}
