package io.tcplens.analysis.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.source.linux.ProcNetSource;
import io.tcplens.testutil.Await;
import io.tcplens.testutil.ExclusiveServerSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Real loopback connections from several source addresses (127.0.0.2 → 1 connection, .3 → 2,
 * .4 → 3, .5 → 4) to a local server; the per-remote rows built from the live /proc table match.
 */
class RemoteHostLoopbackTest {

    @Test
    void perRemoteCountsMatchRealConnections() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc/net/tcp");
        List<AutoCloseable> open = new ArrayList<>();
        // a port no other socket on the host can take while the server is open: filters on it see only this test's sockets
        try (ExclusiveServerSocket server = new ExclusiveServerSocket(InetAddress.getByName("127.0.0.1"), 50)) {
            int port = server.getLocalPort();
            Map<String, Integer> expected = new LinkedHashMap<>();
            ConnectionTracker tracker = new ConnectionTracker();
            ProcNetSource source = new ProcNetSource(Path.of("/proc"), false);
            RemoteHostTable table = new RemoteHostTable();
            Snapshot before = source.poll();
            ConnectionTracker.Update u0 = tracker.update(before);
            table.accept(new PollResult(1, u0.snapshot(), u0.diff(), u0.connections(), 0, null));

            for (int k = 2; k <= 5; k++) {
                String src = "127.0.0." + k;
                server.connectFrom(InetAddress.getByName(src), k - 1, open);
                expected.put(src, k - 1);
            }
            // the rate needs time between the two snapshots: wait for the clock to pass the first one
            Await.until(() -> System.currentTimeMillis() > before.timestampMillis(), Duration.ofSeconds(5), "the clock to move");
            ConnectionTracker.Update u1 = tracker.update(source.poll());
            table.accept(new PollResult(2, u1.snapshot(), u1.diff(), u1.connections(), 0, null));

            List<RemoteHostRow> rows = table.rows(new RemoteQuery(Grouping.ADDRESS, port, null, 0));
            Map<String, Integer> actual = new LinkedHashMap<>();
            for (RemoteHostRow r : rows) actual.put(r.label(), r.total());
            assertEquals(expected.keySet().stream().sorted().toList(), actual.keySet().stream().sorted().toList(), rows.toString());
            expected.forEach((a, n) -> assertEquals(n, actual.get(a), a));
            assertEquals("127.0.0.5", rows.get(0).label(), "most connections first");
            for (RemoteHostRow r : rows) {
                assertEquals(r.total(), r.count(TcpState.ESTABLISHED), r.label());
                assertEquals(List.of(port), r.localPorts());
                assertEquals(r.total(), r.connections().size());
                // every connection appeared between the two polls
                assertTrue(r.newPerSecond() > 0, r.label() + " rate " + r.newPerSecond());
            }
            // threshold: remotes with at least 3 ESTABLISHED on the port
            RemoteQuery q = new RemoteQuery(Grouping.ADDRESS, port, TcpState.ESTABLISHED, 3);
            assertEquals(List.of("127.0.0.5", "127.0.0.4"),
                    table.rows(q).stream().filter(q::selects).map(RemoteHostRow::label).toList());
            // per /24 they are one network with 1+2+3+4 connections
            List<RemoteHostRow> net = table.rows(new RemoteQuery(Grouping.NETWORK, port, null, 0));
            assertEquals(1, net.size());
            assertEquals("127.0.0.0/24", net.get(0).label());
            assertEquals(10, net.get(0).total());
        } finally {
            for (AutoCloseable c : open) c.close();
        }
    }
}
