package io.tcplens.analysis.ports;

import static org.junit.jupiter.api.Assertions.*;

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
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The port report sums the close-rate window once per report and sorts with one comparator: on thousands
 * of destinations over random polls (closes, TIME_WAIT takeovers, destinations that only closed), every
 * row's rate and coarse warning must equal what the meter says per destination, the destinations must be
 * those holding a socket plus those that closed within the window, and the order the comparator chain's.
 */
class PortReportSumsTest {
    private static final SourceInfo SIM = new SourceInfo(SourceInfo.Kind.SIMULATED, "sim", "simulated");
    private static final EphemeralPortRange RANGE = EphemeralPortRange.of(40_000, 40_199, List.of(), "test");
    /** The order before: a chain of reversed and then-comparing comparators. */
    private static final Comparator<DestinationUsage> CHAIN = Comparator.comparingInt((DestinationUsage u) -> u.level().ordinal()).reversed()
            .thenComparing(Comparator.comparingInt(DestinationUsage::inUse).reversed())
            .thenComparing(Comparator.comparingDouble(DestinationUsage::closesPerSecond).reversed())
            .thenComparing(DestinationUsage::destination);

    private static InetAddress v4(int a, int b, int c, int d) {
        return Addresses.fromBytes(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    }

    private static SocketEntry row(InetAddress local, int port, Endpoint remote, TcpState s, Long timer) {
        return new SocketEntry(new ConnectionKey(new Endpoint(local, port), remote), s, null, 0, 0, null, timer, 0, 0, 0, null, null, false);
    }

    @Test
    void everyRowEqualsThePerDestinationFigures() {
        Random rnd = new Random(11);
        List<InetAddress> locals = List.of(v4(10, 0, 0, 1), v4(10, 0, 0, 2), v4(192, 168, 1, 7),
                Addresses.fromBytes(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
        List<Endpoint> remotes = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) remotes.add(new Endpoint(v4(198, 51, i / 250, i % 250 + 1), i % 3 == 0 ? 80 : 443));
        remotes.add(new Endpoint(Addresses.fromBytes(new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9}), 443));
        // each socket: local address, local port, remote; state and TIME_WAIT timer change from poll to poll
        Map<ConnectionKey, SocketEntry> table = new LinkedHashMap<>();
        for (int i = 0; i < 6_000; i++) {
            InetAddress l = locals.get(rnd.nextInt(locals.size()));
            Endpoint r = remotes.get(rnd.nextInt(remotes.size()));
            int port = rnd.nextInt(10) == 0 ? 20_000 + rnd.nextInt(100) : 40_000 + rnd.nextInt(200);
            SocketEntry e = row(l, port, r, rnd.nextInt(4) == 0 ? TcpState.TIME_WAIT : TcpState.ESTABLISHED, null);
            if (e.state() == TcpState.TIME_WAIT) e = row(l, port, r, TcpState.TIME_WAIT, (long) rnd.nextInt(60_000));
            table.put(e.key(), e);
        }
        table.put(row(locals.getFirst(), 40_100, new Endpoint(v4(0, 0, 0, 0), 0), TcpState.LISTEN, null).key(),
                row(locals.getFirst(), 40_100, new Endpoint(v4(0, 0, 0, 0), 0), TcpState.LISTEN, null));
        ConnectionTracker tracker = new ConnectionTracker();
        PortUsageAnalyzer analyzer = new PortUsageAnalyzer(10_000);
        long now = 1_000_000;
        int coarseSeen = 0, closedOnlySeen = 0;
        for (int poll = 0; poll < 25; poll++) {
            now += 1_000;
            List<ConnectionKey> keys = new ArrayList<>(table.keySet());
            for (int k = 0; k < 400; k++) {
                SocketEntry e = table.get(keys.get(rnd.nextInt(keys.size())));
                if (e == null || e.state() == TcpState.LISTEN) continue;
                switch (rnd.nextInt(4)) {
                    case 0 -> table.put(e.key(), row(e.local().address(), e.local().port(), e.remote(), TcpState.TIME_WAIT, 60_000L)); // a close (or a takeover)
                    case 1 -> table.remove(e.key()); // gone: some destinations keep only their closes
                    case 2 -> table.put(e.key(), row(e.local().address(), e.local().port(), e.remote(), TcpState.ESTABLISHED, null));
                    default -> {
                        Endpoint r = remotes.get(rnd.nextInt(remotes.size()));
                        SocketEntry n = row(e.local().address(), 40_000 + rnd.nextInt(200), r, TcpState.TIME_WAIT, 60_000L);
                        table.put(n.key(), n); // opened and closed between two polls
                    }
                }
            }
            // one destination's single TIME_WAIT 4-tuple taken over at every poll: its rate is coarse
            SocketEntry hot = row(locals.get(1), 40_007, new Endpoint(v4(203, 0, 113, 5), 8080), TcpState.TIME_WAIT, 60_000L);
            table.put(hot.key(), hot);
            // the rest of the TIME_WAIT timers run down
            for (Map.Entry<ConnectionKey, SocketEntry> en : table.entrySet()) {
                SocketEntry e = en.getValue();
                if (e.state() == TcpState.TIME_WAIT && e != hot && e.timerRemainingMs() != null && e.timerRemainingMs() > 1_000)
                    en.setValue(row(e.local().address(), e.local().port(), e.remote(), TcpState.TIME_WAIT, e.timerRemainingMs() - 1_000));
            }
            ConnectionTracker.Update u = tracker.update(new Snapshot(now, new ArrayList<>(table.values()), SIM, List.of()));
            PollResult r = new PollResult(poll + 1, u.snapshot(), u.diff(), u.connections(), 0, null);
            analyzer.observe(r);
            PortReport rep = analyzer.report(r, RANGE, TimeWaitDuration.LINUX);
            CloseRateMeter meter = analyzer.meter();

            Set<Destination> holding = new HashSet<>();
            Listeners listeners = Listeners.of(r.snapshot());
            for (SocketEntry e : r.snapshot().sockets()) if (listeners.isOutbound(e)) holding.add(Destination.of(e));
            Set<Destination> expected = new HashSet<>(holding);
            expected.addAll(meter.destinations());
            Set<Destination> got = new HashSet<>();
            for (DestinationUsage d : rep.destinations()) {
                assertTrue(got.add(d.destination()), "once: " + d.destination());
                assertEquals(meter.outboundRate(d.destination()), d.closesPerSecond(), 0.0, d.destination().toString());
                assertEquals(meter.coarse(d.destination(), d.timeWait()), d.coarse(), d.destination().toString());
                if (d.coarse() != null) coarseSeen++;
                if (!holding.contains(d.destination())) closedOnlySeen++;
            }
            Set<Destination> missing = new HashSet<>(expected);
            missing.removeAll(got);
            Set<Destination> extra = new HashSet<>(got);
            extra.removeAll(expected);
            assertTrue(missing.isEmpty() && extra.isEmpty(), () -> "poll: missing " + missing.size() + " " + missing.stream().limit(3).toList()
                    + ", extra " + extra.size() + " " + extra.stream().limit(3).toList());
            List<DestinationUsage> sorted = new ArrayList<>(rep.destinations());
            sorted.sort(CHAIN);
            assertTrue(sorted.equals(rep.destinations()), "the order of the comparator chain, poll " + poll);
            assertTrue(rep.destinations().size() > 1_500, "thousands of destinations: " + rep.destinations().size());
        }
        assertTrue(coarseSeen > 0, "a coarse rate was checked");
        assertTrue(closedOnlySeen > 0, "a destination with closes and no socket was checked");
    }
}
