package io.tcplens.analysis.ports;

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

class PortUsageAnalyzerTest {
    static final EphemeralPortRange SMALL = EphemeralPortRange.of(40000, 40099, List.of(), "test range");

    @Test
    void countsPerDestinationAndMeasuresCloseRate() {
        Crafted c = new Crafted();
        PortUsageAnalyzer a = new PortUsageAnalyzer(30_000);
        List<SocketEntry> base = new ArrayList<>();
        base.add(listen("0.0.0.0", 8080));
        // an accepted connection on the listening port must not count as ephemeral use
        base.add(sock("10.0.0.1", 8080, "10.0.0.9", 40001, TcpState.TIME_WAIT, 30_000L));
        a.observe(c.poll(1_000, base));
        // 10 s later: 20 new client TIME_WAIT towards 10.0.0.5:80, 5 ESTABLISHED, 3 towards :443
        List<SocketEntry> now = new ArrayList<>(base);
        now.addAll(timeWaits("10.0.0.1", 40000, 20, "10.0.0.5", 80));
        for (int i = 0; i < 5; i++) now.add(sock("10.0.0.1", 40050 + i, "10.0.0.5", 80, TcpState.ESTABLISHED, null));
        now.addAll(timeWaits("10.0.0.1", 40000, 3, "10.0.0.5", 443));
        now.add(sock("10.0.0.1", 5555, "10.0.0.5", 80, TcpState.ESTABLISHED, null)); // explicitly bound, outside range
        PollResult r = c.poll(11_000, now);
        a.observe(r);
        PortReport rep = a.report(r, SMALL, TimeWaitDuration.LINUX);

        assertEquals(10.0, rep.windowSeconds(), 1e-9);
        assertEquals(1, rep.inboundTimeWait());
        DestinationUsage d80 = rep.destinations().stream().filter(u -> u.destination().remote().port() == 80).findFirst().orElseThrow();
        assertEquals(25, d80.inUse());
        assertEquals(1, d80.outsideRange());
        assertEquals(20, d80.timeWait());
        assertEquals(6, d80.byState().get(TcpState.ESTABLISHED));
        assertEquals(2.0, d80.closesPerSecond(), 1e-9, "20 entries into TIME_WAIT in 10 s");
        assertEquals(120.0, d80.steadyStateTimeWait(), 1e-9);
        assertEquals(100, d80.usable());
        // 5 ESTABLISHED + 20 TW expiring every 60/21 s; + 2/s new ones: with 5 TW left (42.9–45.7 s) 5 + 5 + 2t = 100 at 45 s
        assertEquals(45.0, d80.forecast().secondsToExhaustion(), 1e-9);
        assertEquals(DestinationUsage.Level.CRITICAL, d80.level(), "out of ports within a minute");
        assertEquals(d80, rep.worst());
        assertEquals(100 / 60.0, rep.maxSustainableRate(), 1e-9);
        DestinationUsage d443 = rep.destinations().get(1);
        assertEquals(3, d443.inUse());
        assertEquals(0.3, d443.closesPerSecond(), 1e-9);
        assertEquals(DestinationUsage.Level.OK, d443.level());
        // the accepted one counts towards the overall TIME_WAIT entry rate? it existed at the first poll, so no
        assertEquals(2.3, rep.timeWaitEntryRate(), 1e-9);
    }

    @Test
    void unknownRangeStillCountsButForecastsNothing() {
        Crafted c = new Crafted();
        PortUsageAnalyzer a = new PortUsageAnalyzer();
        PollResult r = c.poll(1_000, timeWaits("10.0.0.1", 50000, 4, "10.0.0.5", 80));
        a.observe(r);
        PortReport rep = a.report(r, EphemeralPortRange.unknown("not readable"), TimeWaitDuration.WINDOWS_DEFAULT);
        assertFalse(rep.rateMeasured());
        assertEquals(4, rep.worst().inUse());
        assertNull(rep.worst().forecast());
        assertTrue(Double.isNaN(rep.worst().fraction()));
        assertTrue(Double.isNaN(rep.maxSustainableRate()));
    }

    @Test
    void rateWindowForgetsOldPolls() {
        Crafted c = new Crafted();
        PortUsageAnalyzer a = new PortUsageAnalyzer(5_000);
        a.observe(c.poll(0 + 1, List.of()));
        List<SocketEntry> burst = new ArrayList<>();
        for (int i = 0; i < 10; i++)
            burst.add(sock("10.0.0.1", 40000 + i, "10.0.0.5", 80, TcpState.TIME_WAIT, 30_000L * (i + 1) / 11 + 20_000));
        a.observe(c.poll(1_001, burst));
        PollResult last = null;
        for (int t = 2; t <= 10; t++) {
            // the same ten sockets, their kernel timers running down (a timer that jumps back up is a takeover)
            List<SocketEntry> aged = new ArrayList<>();
            for (int i = 0; i < 10; i++)
                aged.add(sock("10.0.0.1", 40000 + i, "10.0.0.5", 80, TcpState.TIME_WAIT, 30_000L * (i + 1) / 11 + 20_000 - (t - 1) * 1_000L));
            a.observe(last = c.poll(t * 1_000 + 1, aged));
        }
        DestinationUsage u = a.report(last, SMALL, TimeWaitDuration.LINUX).worst();
        assertEquals(0.0, u.closesPerSecond(), 1e-9, "the burst at 1 s is outside the 5 s window at 10 s");
    }

    @Test
    void aRowMissingFromOnePollIsNotCountedTwice() {
        Crafted c = new Crafted();
        PortUsageAnalyzer a = new PortUsageAnalyzer(60_000);
        Destination d = new Destination(ep("10.0.0.1", 0).address(), ep("10.0.0.5", 80));
        a.observe(c.poll(1_000, List.of()));
        a.observe(c.poll(2_000, List.of(sock("10.0.0.1", 40000, "10.0.0.5", 80, TcpState.TIME_WAIT, 59_500L))));
        a.observe(c.poll(3_000, List.of())); // the /proc read skipped the row
        a.observe(c.poll(4_000, List.of(sock("10.0.0.1", 40000, "10.0.0.5", 80, TcpState.TIME_WAIT, 57_510L))));
        assertEquals(1, a.meter().outboundEntries(d));
        // tw_reuse: a new connection on the same 4-tuple, closed again 5 s later, is a new entry
        a.observe(c.poll(5_000, List.of(sock("10.0.0.1", 40000, "10.0.0.5", 80, TcpState.ESTABLISHED, null))));
        a.observe(c.poll(9_000, List.of(sock("10.0.0.1", 40000, "10.0.0.5", 80, TcpState.TIME_WAIT, 59_900L))));
        assertEquals(2, a.meter().outboundEntries(d));
    }
}
