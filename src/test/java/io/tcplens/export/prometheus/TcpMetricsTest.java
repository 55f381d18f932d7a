package io.tcplens.export.prometheus;

import static org.junit.jupiter.api.Assertions.*;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tcplens.analysis.advisor.NetstatCounters;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The families built from a crafted table (processes and networks cannot be conjured on a real
 * machine in these numbers): the label bound for CLOSE_WAIT per process and SYN_RECV per network,
 * sums kept across the cut, the oldest age, and a failed poll leaving the table out.
 */
class TcpMetricsTest {
    static final SourceInfo SOURCE = new SourceInfo(SourceInfo.Kind.SIMULATED, "crafted", "rows made by the test");
    static final long NOW = 1_700_000_000_000L;

    static SocketEntry entry(String local, int lport, String remote, int rport, TcpState s, Integer pid, String process) throws Exception {
        return new SocketEntry(new ConnectionKey(new Endpoint(InetAddress.ofLiteral(local), lport), new Endpoint(InetAddress.ofLiteral(remote), rport)),
                s, null, 0, 0, null, null, 0, 0, 1, pid, process, false);
    }

    static PollResult poll(List<SocketEntry> rows, Map<ConnectionKey, TrackedConnection> tracked, String error) {
        return new PollResult(1, new Snapshot(NOW, rows, SOURCE, List.of()), SnapshotDiff.none(NOW), tracked, 1_000_000, error);
    }

    static MetricSnapshots build(PollResult r, int top) {
        return TcpMetrics.build(new TcpMetrics.Input(r, null, NetstatCounters.none(), OptionalLong.empty(), SOURCE, 1, 0, top));
    }

    static Map<String, Double> points(MetricSnapshots all, String name, String label) {
        Map<String, Double> m = new HashMap<>();
        for (MetricSnapshot s : all)
            if (s.getMetadata().getName().equals(name))
                for (DataPointSnapshot p : s.getDataPoints())
                    m.put(label == null ? null : p.getLabels().get(label), ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue());
        return m;
    }

    @Test
    void fiveHundredNetworksAndProcessesGiveAtMostNPlusOneLabelValuesAndKeepTheirSums() throws Exception {
        List<SocketEntry> rows = new ArrayList<>();
        Map<ConnectionKey, TrackedConnection> tracked = new HashMap<>();
        int synTotal = 0, cwTotal = 0;
        for (int i = 0; i < 500; i++) {
            int n = 1 + i % 7; // uneven, so the top is well defined by count
            for (int k = 0; k < n; k++) {
                rows.add(entry("192.0.2.1", 443, "10." + (i / 250) + "." + (i % 250) + "." + (k + 1), 40000 + k, TcpState.SYN_RECV, null, null));
                synTotal++;
                SocketEntry cw = entry("192.0.2.1", 8080, "198.51.100." + (k + 1), 50000 + i, TcpState.CLOSE_WAIT, 1000 + i, "svc" + i);
                rows.add(cw);
                cwTotal++;
                // the tracker saw svc0's sockets enter CLOSE_WAIT 2 minutes ago, the others 10 s ago
                tracked.put(cw.key(), new TrackedConnection(cw, NOW - 300_000, i == 0 ? NOW - 120_000 : NOW - 10_000, true, List.of()));
            }
        }
        MetricSnapshots m = build(poll(rows, tracked, null), 20);

        Map<String, Double> syn = points(m, TcpMetrics.SYN_RECV, "network");
        assertEquals(21, syn.size());
        assertTrue(syn.containsKey("other"));
        assertEquals(synTotal, syn.values().stream().mapToDouble(Double::doubleValue).sum());
        syn.forEach((net, n) -> {
            if (!net.equals("other")) assertEquals(7.0, n, net + ": the kept networks are those with the most half-open sockets");
        });
        assertEquals(500.0, points(m, TcpMetrics.SYN_RECV_NETWORKS, null).get(null));

        Map<String, Double> cw = points(m, TcpMetrics.CLOSE_WAIT, "process");
        assertEquals(21, cw.size());
        assertEquals(cwTotal, cw.values().stream().mapToDouble(Double::doubleValue).sum());
        Map<String, Double> age = points(m, TcpMetrics.CLOSE_WAIT_AGE, "process");
        assertEquals(21, age.size());
        // svc0 (1 socket) is cut into "other", which carries its 120 s
        assertFalse(age.containsKey("svc0"));
        assertEquals(120.0, age.get("other"));
        age.forEach((proc, a) -> {
            if (!proc.equals("other")) assertEquals(10.0, a, proc);
        });
        cw.forEach((proc, n) -> {
            if (!proc.equals("other")) assertEquals(7.0, n, proc + ": the kept processes are those with the most CLOSE_WAIT");
        });
    }

    @Test
    void fewerThanNKeepsEveryValueAndNoOther() throws Exception {
        List<SocketEntry> rows = List.of(
                entry("192.0.2.1", 443, "203.0.113.9", 40000, TcpState.SYN_RECV, null, null),
                entry("2001:db8::1", 443, "2001:db8:1:2::9", 40001, TcpState.SYN_RECV, null, null),
                entry("192.0.2.1", 8080, "203.0.113.9", 40002, TcpState.CLOSE_WAIT, null, null));
        MetricSnapshots m = build(poll(rows, Map.of(), null), 20);
        assertEquals(Map.of("203.0.113.0/24", 1.0, "2001:db8:1:2::/64", 1.0), points(m, TcpMetrics.SYN_RECV, "network"));
        assertEquals(Map.of("unknown", 1.0), points(m, TcpMetrics.CLOSE_WAIT, "process"));
        Map<String, Double> states = points(m, TcpMetrics.SOCKETS, "state");
        assertEquals(TcpState.values().length, states.size(), "every state, zero included");
        assertEquals(2.0, states.get("SYN_RECV"));
    }

    @Test
    void aFailedPollPublishesNoTable() throws Exception {
        List<SocketEntry> rows = List.of(entry("192.0.2.1", 443, "203.0.113.9", 40000, TcpState.ESTABLISHED, null, null));
        MetricSnapshots m = build(poll(rows, Map.of(), "netlink: permission denied"), 20);
        assertEquals(0.0, points(m, TcpMetrics.UP, null).get(null));
        assertTrue(points(m, TcpMetrics.SOCKETS, "state").isEmpty(), "the repeated last snapshot is not published");
    }
}
