package io.tcplens.analysis.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.analysis.ports.Destination;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.LinuxPortRangeReader;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.linux.NetlinkSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The alert tally, updated by what changed from poll to poll, against a walk over the whole table, on
 * real polls of this machine's table with thousands of this JVM's loopback sockets that open, close (to
 * CLOSE_WAIT, held by this process, and on to TIME_WAIT) and listen between polls, some polls not given
 * to the tally (the incident thread skips polls when behind). Every count the alerts read (per state, the
 * usable ports, the ports per destination, CLOSE_WAIT per process) must be the walk's at every poll: a
 * missed update shows as a count off. Whatever else the machine runs is in the table too (compared the
 * same way).
 */
class AlertTallyRealPollsTest {
    private static final int PID = (int) ProcessHandle.current().pid();

    @Test
    void theTallyIsTheWalksCountAtEveryPoll() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        EphemeralPortRange range = new LinuxPortRangeReader().read();
        assumeTrue(range.known(), "needs the ephemeral port range");
        Random rnd = new Random(11);
        List<ServerSocket> listeners = new ArrayList<>();
        List<Socket[]> pairs = new ArrayList<>();
        List<Socket> halfOpen = new ArrayList<>(); // the accepted side, kept open after the client closed: CLOSE_WAIT
        try (NetlinkSource src = new NetlinkSource(Path.of("/proc"), true); // with owners: CLOSE_WAIT per process
             PollingEngine engine = new PollingEngine(src, Duration.ofMillis(100))) {
            for (int l = 0; l < 3; l++) listeners.add(listen());
            for (int i = 0; i < 1_500; i++) pairs.add(connect(listeners.get(i % listeners.size())));
            AlertTally tally = new AlertTally();
            int compared = 0, ourCloseWaitSeen = 0, heldSeen = 0;
            for (int poll = 0; poll < 24; poll++) {
                PollResult r = engine.pollOnce();
                if (poll % 5 != 3) { // every fifth poll is not given to the tally: it sees two polls' changes at once
                    tally.update(r.snapshot(), range);
                    AlertTally.FromScratch walk = AlertTally.FromScratch.of(r.snapshot(), range);
                    AlertTally.FromScratch kept = tally.asFromScratch();
                    assertEquals(walk.states(), kept.states(), "per state, poll " + poll);
                    assertEquals(walk.usable(), kept.usable(), "usable ports, poll " + poll);
                    assertEquals(walk.closeWait(), kept.closeWait(), "CLOSE_WAIT per process, poll " + poll);
                    assertEquals(walk.held().size(), kept.held().size(), "destinations, poll " + poll);
                    for (Map.Entry<Destination, Integer> e : walk.held().entrySet())
                        assertEquals(e.getValue(), kept.held().get(e.getKey()), "ports held towards " + e.getKey() + ", poll " + poll);
                    Integer cw = kept.closeWait().get(new AlertMonitor.ProcessKey(PID, processName(kept)));
                    if (cw != null && cw > 0) ourCloseWaitSeen++;
                    if (kept.held().values().stream().mapToInt(Integer::intValue).sum() >= 1_000) heldSeen++;
                    compared++;
                }
                // between polls: some clients close (their accepted side stays: CLOSE_WAIT, then the accepted side
                // closes too), some connections close both ways, new ones open, a listener comes and goes
                for (int k = 0; k < 60 && !pairs.isEmpty(); k++) {
                    Socket[] p = pairs.remove(rnd.nextInt(pairs.size()));
                    p[0].close();
                    if (k % 3 == 0) p[1].close();
                    else halfOpen.add(p[1]);
                }
                for (int k = 0; k < 30 && !halfOpen.isEmpty(); k++) halfOpen.remove(rnd.nextInt(halfOpen.size())).close();
                for (int k = 0; k < 70; k++) pairs.add(connect(listeners.get(rnd.nextInt(listeners.size()))));
                if (poll % 4 == 1) listeners.add(listen());
                if (poll % 4 == 3 && listeners.size() > 3) listeners.remove(listeners.size() - 1).close();
            }
            assertEquals(19, compared);
            assertTrue(ourCloseWaitSeen >= 10, "this JVM held CLOSE_WAIT sockets at most polls: " + ourCloseWaitSeen + "; last poll: "
                    + engine.pollOnce().snapshot().sockets().stream().filter(e -> e.state() == TcpState.CLOSE_WAIT).limit(5).toList());
            assertTrue(heldSeen >= 10, "outbound sockets on ephemeral ports counted per destination: " + heldSeen);
        } finally {
            for (Socket[] p : pairs) for (Socket s : p) s.close();
            for (Socket s : halfOpen) s.close();
            for (ServerSocket l : listeners) l.close();
        }
    }

    private static String processName(AlertTally.FromScratch f) {
        for (AlertMonitor.ProcessKey k : f.closeWait().keySet()) if (k.pid() == PID) return k.name();
        return null;
    }

    private static ServerSocket listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        return s;
    }

    private static Socket[] connect(ServerSocket server) throws IOException {
        Socket c = new Socket();
        c.connect(server.getLocalSocketAddress());
        Socket a = server.accept();
        return new Socket[] {c, a};
    }

    @Test
    void everyRowCountsAlsoWhereATableListsA4TupleTwice() {
        // a racing dump lists a socket twice: each row counts, as a walk counts it, as rows come and go
        EphemeralPortRange range = EphemeralPortRange.of(40_000, 40_099, List.of(), "test");
        InetAddress local = Addresses.fromBytes(new byte[] {10, 0, 0, 1});
        Endpoint remote = new Endpoint(Addresses.fromBytes(new byte[] {10, 0, 0, 2}), 443);
        ConnectionKey k1 = new ConnectionKey(new Endpoint(local, 40_001), remote), k2 = new ConnectionKey(new Endpoint(local, 40_002), remote);
        SocketEntry a = row(k1, TcpState.CLOSE_WAIT, 7), aAgain = row(k1, TcpState.CLOSE_WAIT, 7), b = row(k2, TcpState.ESTABLISHED, 8);
        SocketEntry listener = row(new ConnectionKey(new Endpoint(local, 40_002), new Endpoint(Addresses.fromBytes(new byte[] {0, 0, 0, 0}), 0)),
                TcpState.LISTEN, 9);
        List<List<SocketEntry>> tables = List.of(List.of(a, b, aAgain), List.of(a, aAgain), List.of(aAgain), List.of(aAgain, a, b),
                List.of(aAgain, a, b, listener), List.of(row(k1, TcpState.CLOSE_WAIT, 7), b, row(k1, TcpState.ESTABLISHED, 7)),
                List.of(b, listener), List.of());
        AlertTally tally = new AlertTally();
        long t = 1_000;
        for (List<SocketEntry> rows : tables) {
            Snapshot s = new Snapshot(t += 1000, rows, SIM, List.of());
            tally.update(s, range);
            assertEquals(AlertTally.FromScratch.of(s, range), tally.asFromScratch(), "table " + rows);
        }
    }

    private static final SourceInfo SIM = new SourceInfo(SourceInfo.Kind.SIMULATED, "sim", "simulated");

    private static SocketEntry row(ConnectionKey k, TcpState s, int pid) {
        return new SocketEntry(k, s, null, 0, 0, null, null, 0, 0, 0, pid, "p" + pid, false);
    }
}
