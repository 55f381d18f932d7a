package io.tcplens.analysis.timewait;

import static io.tcplens.analysis.Crafted.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.analysis.Crafted;
import io.tcplens.engine.PollResult;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.TimeWaitDuration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeWaitClockTest {
    @Test
    void entryFromKernelTimerWhenFirstSeenInTimeWait() {
        Crafted c = new Crafted();
        PollResult r = c.poll(100_000, List.of(sock("10.0.0.1", 40000, "10.0.0.5", 80, TcpState.TIME_WAIT, 45_000L)));
        TimeWaitClock clock = TimeWaitClock.of(r, TimeWaitDuration.LINUX);
        TimeWaitEntry e = clock.entries().get(0);
        assertEquals(TimeWaitEntry.EntrySource.KERNEL_TIMER, e.entrySource());
        assertEquals(100_000 - 15_000, e.entryMillis(), "entered 60 − 45 = 15 s ago");
        assertEquals(145_000, e.expiryMillis());
        assertTrue(e.expiryFromKernel());
        assertTrue(e.outbound());
    }

    @Test
    void observedEntryWinsAndExpiryStillFromTimer() {
        Crafted c = new Crafted();
        c.poll(100_000, List.of(owned(sock("10.0.0.1", 40000, "10.0.0.5", 80, TcpState.FIN_WAIT2, null), 42, "curl")));
        PollResult r = c.poll(101_000, List.of(sock("10.0.0.1", 40000, "10.0.0.5", 80, TcpState.TIME_WAIT, 59_800L)));
        TimeWaitEntry e = TimeWaitClock.of(r, TimeWaitDuration.LINUX).entries().get(0);
        assertEquals(TimeWaitEntry.EntrySource.OBSERVED, e.entrySource());
        assertEquals(101_000, e.entryMillis());
        assertEquals(160_800, e.expiryMillis());
        assertEquals(42, e.pid(), "last known owner carried over");
        assertEquals("curl", e.process());
    }

    @Test
    void withoutTimerExpiryIsEntryPlusPlatformDuration() {
        Crafted c = new Crafted();
        SocketEntry noTimer = sock("10.0.0.1", 40000, "10.0.0.5", 80, TcpState.TIME_WAIT, null);
        c.poll(10_000, List.of(noTimer));
        PollResult r = c.poll(30_000, List.of(noTimer));
        TimeWaitEntry e = TimeWaitClock.of(r, TimeWaitDuration.WINDOWS_DEFAULT).entries().get(0);
        assertEquals(TimeWaitEntry.EntrySource.FIRST_SEEN, e.entrySource());
        assertEquals(10_000, e.entryMillis());
        assertEquals(130_000, e.expiryMillis());
        assertFalse(e.expiryFromKernel());
    }

    @Test
    void histogramExpiringSoonAndInbound() {
        Crafted c = new Crafted();
        List<SocketEntry> s = new ArrayList<>();
        s.add(listen("0.0.0.0", 80));
        long[] rem = {1_000, 4_000, 9_999, 10_000, 10_001, 30_000, 59_999, 60_000};
        for (int i = 0; i < rem.length; i++) s.add(sock("10.0.0.1", 40000 + i, "10.0.0.5", 443, TcpState.TIME_WAIT, rem[i]));
        s.add(sock("10.0.0.1", 80, "10.0.0.7", 51000, TcpState.TIME_WAIT, 20_000L));
        TimeWaitClock clock = TimeWaitClock.of(c.poll(1_000, s), TimeWaitDuration.LINUX);
        assertEquals(9, clock.size());
        assertEquals(4, clock.expiringWithin(TimeWaitClock.EXPIRING_SOON_MILLIS), "1, 4, 9.999 and 10 s");
        TimeWaitClock.Histogram h = clock.histogram(6);
        assertArrayEquals(new int[] {3, 2, 1, 1, 0, 2}, h.counts());
        assertEquals(9, h.total());
        assertEquals(10_000, h.binMillis(), 1e-9);
        assertEquals(1, clock.entries().stream().filter(e -> !e.outbound()).count());
        assertTrue(clock.allExpiriesFromKernel());
        // sorted by expiry
        for (int i = 1; i < clock.size(); i++)
            assertTrue(clock.entries().get(i - 1).expiryMillis() <= clock.entries().get(i).expiryMillis());
    }

    @Test
    void teachingMslIsLabelled() {
        assertEquals(240_000, TeachingMsl.RFC_793.twoMsl());
        assertTrue(TeachingMsl.RFC_793.label().contains("teaching"));
        assertEquals(30_000, TeachingMsl.halfOf(60_000, "Linux").millis());
        assertThrows(IllegalArgumentException.class, () -> new TeachingMsl(0, "x"));
    }
}
