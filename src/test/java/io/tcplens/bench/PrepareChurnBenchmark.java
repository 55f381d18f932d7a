package io.tcplens.bench;

import com.sun.management.ThreadMXBean;
import io.tcplens.analysis.ports.SharedPortUsage;
import io.tcplens.engine.PollResult;
import io.tcplens.export.firewall.Allowlist;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.ObservedEvents;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.source.SocketTableSource;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.testutil.SteadyTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.advisor.AdvisorView;
import io.tcplens.ui.aggregate.AggregatesView;
import io.tcplens.ui.charts.ChartsView;
import io.tcplens.ui.diagram.StateDiagramView;
import io.tcplens.ui.remote.RemoteHostView;
import io.tcplens.ui.shell.Presenter;
import io.tcplens.ui.table.ConnectionsView;
import io.tcplens.ui.tiles.StateTilesPanel;
import io.tcplens.ui.timeline.TimeWaitTimelineView;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.prefs.Preferences;

/**
 * The prepare thread's per-poll work on a steadily churning generated table, as the window composes it: the
 * connections table and the state tiles {@code prepare} (in front), the advisor and the TIME_WAIT timeline (one
 * {@link SharedPortUsage} between them, as {@code UiComposition}), the aggregates, the charts, the diagram and the
 * remote hosts {@code observe} (in the background); polls 1 s of snapshot time apart. With {@code -Devents=true}
 * (the default) every poll's diff says the kernel's events were complete (none listed), as with bpftrace at the
 * window's steady table, where the close-rate meter takes its TIME_WAIT entries from the events. Printed per view:
 * thread CPU ms and allocated KB per poll (mean over {@code -Dpolls}, 60, after 10 warm-up polls), and the sum; and apart,
 * a {@link SharedPortUsage} of its own fed every poll first (the close rates alone; it also takes the poll's listeners).
 * Public API only: another build's views can be timed with the same class (its jar first on the class path).
 *
 * <pre>java -XX:TieredStopAtLevel=1 -cp OTHER.jar:target/test-classes:target/classes:DEPS io.tcplens.bench.PrepareChurnBenchmark 100000</pre>
 * Arguments: table size (100,000); {@code -Dchurn=N} rows changed per poll (500, about the window's steady table:
 * 467 TIME_WAIT made and expiring a second; as many again opened and closed half that); {@code -Dtable=steady}: a
 * {@link SteadyTable} instead (the steady table's shape: unique 4-tuples, a 60th of its TIME_WAIT made and expiring a poll).
 */
public final class PrepareChurnBenchmark {
    public static void main(String[] args) throws Exception {
        int size = args.length == 0 ? 100_000 : Integer.parseInt(args[0]);
        int polls = Integer.getInteger("polls", 60);
        boolean events = Boolean.parseBoolean(System.getProperty("events", "true"));
        FxTestSupport.start();
        TestShellContext ctx = new TestShellContext();
        Preferences node = Preferences.userRoot().node("tcplens-bench/prepare-churn");
        Map<String, Presenter<?>> front = new LinkedHashMap<>();
        Map<String, Presenter<?>> back = new LinkedHashMap<>();
        FxTestSupport.onFx(() -> {
            SharedPortUsage ports = new SharedPortUsage();
            front.put("connections", new ConnectionsView(ctx));
            front.put("tiles", new StateTilesPanel(ctx));
            back.put("advisor", new AdvisorView(ctx, ports));
            back.put("timeline", new TimeWaitTimelineView(ctx, ports));
            back.put("aggregates", new AggregatesView(ctx));
            back.put("charts", new ChartsView(ctx));
            back.put("diagram", new StateDiagramView(ctx));
            back.put("remote hosts", new RemoteHostView(ctx, new Allowlist(node)));
            return null;
        });
        // -Dtable=steady: the window's steady table's shape (unique 4-tuples, TIME_WAIT made and expiring at 1/60 a second)
        boolean steady = "steady".equals(System.getProperty("table"));
        SocketTableSource table = steady ? new SteadyTable(size, 0) : new GeneratedTable(size, Integer.getInteger("churn", 500));
        ConnectionTracker tracker = new ConnectionTracker();
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        int n = front.size() + back.size();
        long[] cpu = new long[n], bytes = new long[n];
        // the close rates alone (what the advisor's and the timeline's shared analysis takes from every poll), apart
        SharedPortUsage meterOnly = new SharedPortUsage();
        long meterCpu = 0, meterBytes = 0;
        for (int i = -10; i < polls; i++) {
            ConnectionTracker.Update u = tracker.update(table.poll());
            SnapshotDiff d = u.diff();
            if (events) d = new SnapshotDiff(d.opened(), d.closed(), d.transitions(), d.fromMillis(), d.toMillis(),
                    new ObservedEvents(List.of(), 0, true, List.of()));
            PollResult r = new PollResult(i + 11, u.snapshot(), d, u.connections(), 0, null);
            List<PollResult> batch = List.of(r);
            long m0 = threads.getCurrentThreadCpuTime(), mb0 = threads.getThreadAllocatedBytes(tid);
            meterOnly.observe(batch, 60_000);
            if (i >= 0) {
                meterCpu += threads.getCurrentThreadCpuTime() - m0;
                meterBytes += threads.getThreadAllocatedBytes(tid) - mb0;
            }
            int v = 0;
            for (Presenter<?> p : front.values()) {
                long c0 = threads.getCurrentThreadCpuTime(), b0 = threads.getThreadAllocatedBytes(tid);
                p.prepare(r, batch);
                if (i >= 0) {
                    cpu[v] += threads.getCurrentThreadCpuTime() - c0;
                    bytes[v] += threads.getThreadAllocatedBytes(tid) - b0;
                }
                v++;
            }
            for (Presenter<?> p : back.values()) {
                long c0 = threads.getCurrentThreadCpuTime(), b0 = threads.getThreadAllocatedBytes(tid);
                p.observe(batch);
                if (i >= 0) {
                    cpu[v] += threads.getCurrentThreadCpuTime() - c0;
                    bytes[v] += threads.getThreadAllocatedBytes(tid) - b0;
                }
                v++;
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%,d sockets, churn %s, events %s, %d polls; per poll, CPU ms / KB allocated:",
                size, steady ? "steady table" : Integer.getInteger("churn", 500), events ? "complete" : "none", polls));
        int v = 0;
        long cpuSum = 0, bytesSum = 0;
        for (String name : front.keySet()) {
            sb.append(String.format(Locale.ROOT, " %s %.2f / %.0f;", name, cpu[v] / 1e6 / polls, bytes[v] / 1024.0 / polls));
            cpuSum += cpu[v];
            bytesSum += bytes[v++];
        }
        for (String name : back.keySet()) {
            sb.append(String.format(Locale.ROOT, " %s %.2f / %.0f;", name, cpu[v] / 1e6 / polls, bytes[v] / 1024.0 / polls));
            cpuSum += cpu[v];
            bytesSum += bytes[v++];
        }
        sb.append(String.format(Locale.ROOT, " ALL %.2f ms / %.0f KB; apart: close rates (SharedPortUsage.observe) %.2f / %.0f; load %s", cpuSum / 1e6 / polls, bytesSum / 1024.0 / polls,
                meterCpu / 1e6 / polls, meterBytes / 1024.0 / polls, Files.readString(Path.of("/proc/loadavg")).strip()));
        System.out.println(sb);
        System.exit(0);
    }
}
