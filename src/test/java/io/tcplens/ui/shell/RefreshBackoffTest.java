package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Issue 11 (round 23): the refresh's back-off judges a poll by the CPU TcpLens spent on it, not its wall
 * time; the cold start and one slow poll do not raise the interval; it returns after quick polls spanning
 * a few seconds; and what the window shows is how often it really refreshes. Pure logic, on a clock of
 * its own: each poll ends its wall time plus the interval in effect after the one before (the engine
 * waits the interval after each poll's end).
 */
class RefreshBackoffTest {
    /** Drives a back-off as the engine would, on a simulated clock. */
    private static final class Polls {
        final RefreshBackoff b;
        long end;
        final java.util.List<Long> changes = new java.util.ArrayList<>();

        Polls(long requested) {
            b = new RefreshBackoff(requested);
        }

        /** One poll of {@code wall} ms that cost {@code cpu} ms; returns what the back-off answered. */
        long poll(double wall, double cpu) {
            end += b.effectiveMillis() + Math.round(wall);
            long next = b.onPoll(end, wall, cpu);
            if (next > 0) changes.add(next);
            return next;
        }

        void polls(int n, double wall, double cpu) {
            for (int i = 0; i < n; i++) poll(wall, cpu);
        }
    }

    @Test
    void theColdStartsFirstPollsNeverRaiseTheIntervalButTheWindowSaysHowOftenItRefreshes() {
        Polls p = new Polls(1_000);
        // 250k on a loaded machine: the first polls took 4.5-5.9 s, most of it CPU (owner scan, C1 compiling)
        assertEquals(-1, p.poll(5_900, 4_000));
        assertEquals(-1, p.poll(4_500, 3_000));
        assertEquals(-1, p.poll(3_000, 2_000));
        assertEquals(1_000, p.b.effectiveMillis(), "the interval the engine polls at");
        assertFalse(p.b.intervalRaised());
        // but the refresh is really every ~5.5 s (median wall 4.5 s + 1 s): the label says 5 s, not 1 s
        assertEquals(5_000, p.b.refreshMillis());
        assertTrue(p.b.backedOff());
        // then warm polls of 600 ms CPU in 1.5 s: a 1 s interval (0.24 of a core), and the label says 3 s
        p.polls(20, 1_500, 600);
        assertEquals(1_000, p.b.effectiveMillis());
        assertEquals(3_000, p.b.refreshMillis(), "polls of 1.5 s wall 1 s apart refresh about every 2.5 s");
        assertTrue(p.changes.isEmpty(), "never raised: " + p.changes);
    }

    @Test
    void oneSlowRemakePollDoesNotRaiseTheInterval() {
        Polls p = new Polls(1_000);
        p.polls(10, 300, 150);
        assertEquals(-1, p.poll(8_100, 2_500)); // the burst table's remake poll
        p.polls(10, 300, 150);
        assertTrue(p.changes.isEmpty(), "raised by one poll: " + p.changes);
        assertEquals(1_000, p.b.effectiveMillis());
        assertFalse(p.b.backedOff(), "the window shows the chosen refresh again: " + p.b.refreshMillis());
    }

    @Test
    void sustainedCostlyPollsRaiseTheIntervalToAThirdOfACoreAndHoldIt() {
        Polls p = new Polls(1_000);
        p.polls(3, 1_500, 1_400); // cold
        p.polls(2, 1_500, 1_400);
        assertEquals(1_000, p.b.effectiveMillis(), "two warm polls are not yet a trend");
        // the third warm poll at 1 s: 1.4 s of CPU, then 1 s of rest, is 0.58 of a core, above a half; 3 s brings it to 0.32
        assertEquals(3_000, p.poll(1_500, 1_400));
        assertTrue(p.b.intervalRaised() && p.b.backedOff());
        assertTrue(1_400 / (1_400 + 3_000.0) <= RefreshBackoff.LOW_SHARE);
        // the same cost goes on: neither raised further nor let back down (no flapping)
        p.polls(30, 1_500, 1_400);
        assertEquals(java.util.List.of(3_000L), p.changes);
        assertEquals(3_000, p.b.effectiveMillis());
    }

    @Test
    void aLoadedMachinesWallTimeWithCheapPollsKeepsTheChosenInterval() {
        Polls p = new Polls(1_000);
        // 100k on a machine at load 5-9: polls of 2.6-3.2 s wall whose CPU is 300 ms (the rest is others' time)
        for (int i = 0; i < 40; i++) p.poll(i % 2 == 0 ? 2_600 : 3_200, 300);
        assertTrue(p.changes.isEmpty(), "the old rule raised it to 10 s at the second poll: " + p.changes);
        assertEquals(1_000, p.b.effectiveMillis());
        assertFalse(p.b.intervalRaised());
        // the window says how often it really refreshes: about every 3.9 s (median wall 2.9 s plus 1 s), a step near it
        long shown = p.b.refreshMillis();
        assertTrue(shown == 3_000 || shown == 5_000, "shown " + shown);
        assertTrue(p.b.backedOff());
        assertTrue(p.b.slowestPollMillis() >= 3_200, "the banner quotes the slow polls: " + p.b.slowestPollMillis());
        // the load goes: the label comes back to the chosen 1 s
        p.polls(20, 300, 300);
        assertEquals(1_000, p.b.refreshMillis());
        assertFalse(p.b.backedOff());
    }

    @Test
    void itReturnsAfterQuickPollsSpanningAFewSecondsNotThreePollsOfTheRaisedInterval() {
        Polls p = new Polls(1_000);
        p.polls(6, 4_000, 4_000);
        assertEquals(10_000, p.b.effectiveMillis(), "4 s of CPU a poll: raised to 10 s");
        // one cheap poll, 10 s after the last costly one: back to the 1 s chosen at once (the old rule waited
        // for three quick polls of the raised interval, 30 s)
        assertEquals(1_000, p.poll(300, 150));
        assertFalse(p.b.intervalRaised());
        // a smaller raise comes back within 5 s of quick polls
        Polls q = new Polls(1_000);
        q.polls(6, 1_500, 1_400);
        assertEquals(3_000, q.b.effectiveMillis());
        long t0 = q.end;
        while (q.b.intervalRaised()) q.poll(300, 150);
        assertTrue(q.end - t0 <= 5_000 + 3_300, "back after " + (q.end - t0) + " ms");
        assertEquals(1_000, q.b.effectiveMillis());
        // and it does not go up again while polls stay cheap
        q.polls(20, 300, 150);
        assertEquals(java.util.List.of(3_000L, 1_000L), q.changes);
    }

    @Test
    void aNewIntervalChosenStartsAfresh() {
        Polls p = new Polls(1_000);
        p.polls(6, 1_500, 1_400);
        assertTrue(p.b.intervalRaised());
        p.b.setRequested(5_000);
        assertEquals(5_000, p.b.effectiveMillis());
        assertEquals(5_000, p.b.refreshMillis());
        p.polls(10, 1_500, 1_400); // 1.4 s of CPU, then 5 s of rest: 0.22 of a core
        assertEquals(5_000, p.b.effectiveMillis());
        assertFalse(p.b.backedOff());
    }
}
