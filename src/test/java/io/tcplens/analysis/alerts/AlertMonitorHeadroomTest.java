package io.tcplens.analysis.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.analysis.ports.DestinationUsage;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.PortUsageAnalyzer;
import io.tcplens.engine.PollResult;
import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.TimeWaitDuration;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Headroom on a table of 12,000 destinations, as a server with many peers has: the monitor counts the
 * ports each destination holds (no port report) and must give the values the port report gives, fire
 * for the few destinations past the rule and clear them when they fall back or are gone.
 */
class AlertMonitorHeadroomTest {
    private static final SourceInfo SIM = new SourceInfo(SourceInfo.Kind.SIMULATED, "sim", "simulated");
    /** 100 ephemeral ports: 40000–40099. */
    private static final EphemeralPortRange RANGE = EphemeralPortRange.of(40_000, 40_099, List.of(), "test");
    private static final InetAddress LOCAL = Addresses.fromBytes(new byte[] {10, 0, 0, 1});
    private static final int DESTINATIONS = 12_000;

    private final ConnectionTracker tracker = new ConnectionTracker();
    private long seq;
    private long now = 1_000_000;

    private static Endpoint remote(int i) {
        return new Endpoint(Addresses.fromBytes(new byte[] {(byte) 198, 51, (byte) (i / 250), (byte) (i % 250 + 1)}), 443);
    }

    private static SocketEntry row(int localPort, Endpoint remote, TcpState s) {
        return new SocketEntry(new ConnectionKey(new Endpoint(LOCAL, localPort), remote), s, null, 0, 0, null, null, 0, 0, 0, null, null, false);
    }

    /** Every destination holds one port (some a port outside the range); destination {@code busy} holds {@code held} ports. */
    private PollResult poll(int busy, int held, int gone) {
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < DESTINATIONS; i++) {
            if (i == gone) continue;
            int n = i == busy ? held : 1;
            for (int p = 0; p < n; p++) rows.add(row(i % 7 == 0 && i != busy ? 20_000 + p : 40_000 + (i + p) % 100, remote(i),
                    p % 3 == 2 ? TcpState.TIME_WAIT : TcpState.ESTABLISHED));
        }
        rows.add(row(40_050, new Endpoint(Addresses.fromBytes(new byte[] {0, 0, 0, 0}), 0), TcpState.LISTEN)); // one listener inside the range
        now += 1000;
        ConnectionTracker.Update u = tracker.update(new Snapshot(now, rows, SIM, List.of()));
        return new PollResult(++seq, u.snapshot(), u.diff(), u.connections(), 0, null);
    }

    /** What the port report says each destination has free, for the destinations under the rule's threshold. */
    private static Map<String, Double> reportUnder(PollResult r, double threshold) {
        Map<String, Double> out = new TreeMap<>();
        for (DestinationUsage u : new PortUsageAnalyzer().report(r, RANGE, TimeWaitDuration.LINUX).destinations()) {
            if (u.usable() <= 0) continue;
            double free = Math.max(0, 100.0 * (u.usable() - u.inUse()) / u.usable());
            if (free < threshold) out.put(u.destination().toString(), free);
        }
        return out;
    }

    /** What the port report says destination {@code i} has free. */
    private static double reportFree(PollResult r, int i) {
        for (DestinationUsage u : new PortUsageAnalyzer().report(r, RANGE, TimeWaitDuration.LINUX).destinations())
            if (u.destination().remote().equals(remote(i))) return Math.max(0, 100.0 * (u.usable() - u.inUse()) / u.usable());
        throw new AssertionError("no destination " + i);
    }

    private static Map<String, Double> events(List<AlertEvent> l, boolean fired) {
        Map<String, Double> out = new TreeMap<>();
        for (AlertEvent e : l) if (e.fired() == fired && e.rule().kind() == AlertRule.Kind.HEADROOM) out.put(e.subject(), e.value());
        return out;
    }

    @Test
    void headroomFiresAndClearsAsThePortReportCounts() {
        AlertRule rule = AlertRule.parse("headroom<10%");
        AlertMonitor m = new AlertMonitor(List.of(rule, AlertRule.parse("CLOSE_WAIT>100")), () -> RANGE);

        PollResult p1 = poll(5, 2, -1);
        assertEquals(Map.of(), events(m.observe(p1), true), "no destination is near its ports' end");

        // destination 5 holds 94 of the 99 usable ports (one listener's port inside the range is lost to all,
        // and its socket on that port is not outbound): 5.1 % free
        PollResult p2 = poll(5, 95, -1);
        Map<String, Double> expected = reportUnder(p2, 10);
        assertEquals(1, expected.size(), expected.toString());
        List<AlertEvent> ev = m.observe(p2);
        assertEquals(expected, events(ev, true));
        assertEquals(100.0 * (99 - 94) / 99, events(ev, true).values().iterator().next(), 1e-9);
        assertEquals(1, m.active().size());

        // still held: no new event; its value stays current
        PollResult p3 = poll(5, 94, -1);
        assertTrue(events(m.observe(p3), true).isEmpty());
        assertEquals(reportFree(p3, 5), m.active().getFirst().value(), 1e-9);

        // back to 50 held: cleared, with the value the report gives
        PollResult p4 = poll(5, 50, -1);
        ev = m.observe(p4);
        assertEquals(Map.of("10.0.0.1 → " + remote(5), reportFree(p4, 5)), events(ev, false));
        assertTrue(m.active().isEmpty());

        // fires again, then the destination is gone: cleared at 100 %
        assertEquals(1, events(m.observe(poll(9, 97, -1)), true).size());
        ev = m.observe(poll(-1, 0, 9));
        assertEquals(Map.of("10.0.0.1 → " + remote(9), 100.0), events(ev, false));
        assertTrue(m.active().isEmpty());
    }
}
