package io.tcplens.source.netns;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.tcplens.analysis.advisor.NetstatCounters;
import io.tcplens.analysis.aggregate.StateAggregates;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.export.prometheus.TcpMetrics;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.Sources;
import io.tcplens.testutil.ForkedHolders;
import io.tcplens.testutil.TestNetns;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14 item 7 on {@code --netns}: sockets a python3 parent and its two forked children hold in a
 * namespace of the test's own. The netns source (netlink and /proc readers) lists every holder as
 * {@code ip netns exec NAME ss -tanp} does; the Processes tab's aggregates count each shared socket
 * for each holder and say it is shared; Prometheus' CLOSE_WAIT per process has a series per holder.
 * A child that ends (a zombie: the parent does not reap it) and then the parent are dropped at the
 * very next poll of running sources; the last child is then the one owner.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NamespaceSharedOwnersTest {

    @Test
    void everyHolderInTheNamespaceAndEndedOnesDropAtTheNextPoll() throws Exception {
        assumeTrue(TestNetns.usable(), "needs root, ip netns and python3");
        try (TestNetns ns = new TestNetns(0, 0, 0);
             ForkedHolders f = new ForkedHolders(List.of("ip", "netns", "exec", ns.name()));
             SocketTableSource proc = Sources.open("netns:" + ns.name() + "/proc");
             PollingEngine engine = new PollingEngine(Sources.open("netns:" + ns.name() + "/netlink"), Duration.ofSeconds(1))) {
            TreeSet<Integer> all = new TreeSet<>(f.pids);
            f.awaitSs(all);
            PollResult r = engine.pollOnce();
            assertNull(r.error());
            f.assertHoldersAsSs(r.snapshot(), f.ss(), "netns netlink");
            f.assertHoldersAsSs(proc.poll(), f.ss(), "netns proc");
            assertFalse(r.snapshot().holders().isEmpty());

            // the Processes tab: each holder counts every shared socket and says they are shared
            StateAggregates agg = new StateAggregates();
            Map<Integer, StateAggregates.Row> rows = byPid(agg.report(r));
            for (int pid : all) {
                StateAggregates.Row row = rows.get(pid);
                assertNotNull(row, "a row for holder " + pid + ": " + rows.keySet());
                assertEquals(4, row.total(), "listener, both ends of the pair, the CLOSE_WAIT: " + row);
                assertEquals(4, row.shared(), row.toString());
                assertEquals(1, row.count(TcpState.LISTEN));
                assertEquals(2, row.count(TcpState.ESTABLISHED));
                assertEquals(1, row.count(TcpState.CLOSE_WAIT));
                assertEquals("python3", row.process());
            }
            // the port table counts each socket once
            StateAggregates.Row port = agg.report(r).ports().stream().filter(x -> x.localPort() == f.listenPort).findFirst().orElseThrow();
            assertEquals(3, port.total(), "listener, accepted end, CLOSE_WAIT: " + port);

            // Prometheus: a CLOSE_WAIT series per holder, within the label rules (process, pid)
            assertEquals(expected(all), closeWait(r), "tcplens_close_wait_sockets per holder");

            // a child ends: a zombie until reaped, which the parent never does; ss drops it, so must the next poll
            int child = all.last();
            f.kill(child);
            all.remove(child);
            f.awaitSs(all);
            r = engine.pollOnce();
            f.assertHoldersAsSs(r.snapshot(), f.ss(), "netns netlink after a child ended");
            f.assertHoldersAsSs(proc.poll(), f.ss(), "netns proc after a child ended");
            rows = byPid(agg.report(r));
            assertFalse(rows.containsKey(child), "the ended child has no row in the Processes tab");
            assertEquals(expected(all), closeWait(r), "no series for the ended child");

            // the parent ends (reaped by this JVM): the last child holds the sockets alone
            f.kill(f.parent);
            all.remove(f.parent);
            f.awaitSs(all);
            var pp = proc.poll();
            r = engine.pollOnce();
            f.assertHoldersAsSs(pp, f.ss(), "netns proc after the parent ended");
            f.assertHoldersAsSs(r.snapshot(), f.ss(), "netns netlink after the parent ended");
            rows = byPid(agg.report(r));
            assertEquals(0, rows.get(all.first()).shared(), "held by one process: not shared");
            assertFalse(rows.containsKey(f.parent));
            assertEquals(expected(all), closeWait(r));
        }
    }

    private static Map<Integer, StateAggregates.Row> byPid(StateAggregates.Report rep) {
        Map<Integer, StateAggregates.Row> m = new HashMap<>();
        for (StateAggregates.Row x : rep.processes()) if (x.pid() != null) m.put(x.pid(), x);
        return m;
    }

    private static Map<String, Double> expected(TreeSet<Integer> pids) {
        Map<String, Double> m = new HashMap<>();
        for (int p : pids) m.put("python3/" + p, 1.0);
        return m;
    }

    private static Map<String, Double> closeWait(PollResult r) {
        MetricSnapshots all = TcpMetrics.build(new TcpMetrics.Input(r, null, NetstatCounters.none(), OptionalLong.empty(),
                r.snapshot().source(), 1, 0, 20));
        Map<String, Double> m = new HashMap<>();
        for (MetricSnapshot s : all)
            if (s.getMetadata().getName().equals(TcpMetrics.CLOSE_WAIT))
                for (DataPointSnapshot p : s.getDataPoints())
                    m.put(p.getLabels().get("process") + "/" + p.getLabels().get("pid"), ((GaugeSnapshot.GaugeDataPointSnapshot) p).getValue());
        return m;
    }
}
