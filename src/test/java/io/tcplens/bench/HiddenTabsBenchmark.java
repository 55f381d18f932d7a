package io.tcplens.bench;

import io.tcplens.engine.PollResult;
import io.tcplens.export.firewall.Allowlist;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.advisor.AdvisorView;
import io.tcplens.ui.aggregate.AggregatesView;
import io.tcplens.ui.charts.ChartsView;
import io.tcplens.ui.diagram.StateDiagramView;
import io.tcplens.ui.remote.RemoteHostView;
import io.tcplens.ui.shell.Presenter;
import io.tcplens.ui.table.ConnectionsView;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.prefs.Preferences;

/**
 * What the tabs in the background cost per poll: the advisor, the remote hosts, the aggregates, the
 * diagram and the charts each {@code observe} every poll of a generated table (1 s of snapshot time apart, as at the default
 * refresh; {@code -Dchurn} connections changed per poll, default a tenth) on this thread; printed: each one's CPU time per poll, mean over {@code -Dpolls} (60) after
 * 10 warm-up polls; and the connections table's {@code prepare} (the tab in front by default: filter, marks, sort). Public API only, so another build's views can be timed with the same class (its
 * classes first on the class path).
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.HiddenTabsBenchmark -Dtcplens.args="100000"</pre>
 */
public final class HiddenTabsBenchmark {
    public static void main(String[] args) throws Exception {
        int size = args.length == 0 ? 100_000 : Integer.parseInt(args[0]);
        int polls = Integer.getInteger("polls", 60);
        FxTestSupport.start();
        TestShellContext ctx = new TestShellContext();
        Preferences node = Preferences.userRoot().node("tcplens-bench/hidden-tabs");
        Map<String, Presenter<?>> views = new LinkedHashMap<>();
        Map<String, Presenter<?>> front = new LinkedHashMap<>(); // the tab in front: prepare, as the shell calls it
        FxTestSupport.onFx(() -> {
            views.put("advisor", new AdvisorView(ctx));
            views.put("remote hosts", new RemoteHostView(ctx, new Allowlist(node)));
            views.put("aggregates", new AggregatesView(ctx));
            views.put("diagram", new StateDiagramView(ctx));
            views.put("charts", new ChartsView(ctx));
            front.put("connections", new ConnectionsView(ctx));
            return null;
        });
        // -Dchurn: connections changed per poll (the default, a tenth of the table, is far more than the window
        // benchmark's table moves: ~500 a second in 100k, where a walk of the table costs more than the diffs)
        GeneratedTable table = new GeneratedTable(size, Integer.getInteger("churn", Math.max(100, size / 10)));
        ConnectionTracker tracker = new ConnectionTracker();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] cpu = new long[views.size()];
        long[] frontCpu = new long[front.size()];
        for (int i = -10; i < polls; i++) {
            ConnectionTracker.Update u = tracker.update(table.poll());
            PollResult r = new PollResult(i + 11, u.snapshot(), u.diff(), u.connections(), 0, null);
            int v = 0;
            for (Presenter<?> p : views.values()) {
                long c0 = threads.getCurrentThreadCpuTime();
                p.observe(List.of(r));
                if (i >= 0) cpu[v] += threads.getCurrentThreadCpuTime() - c0;
                v++;
            }
            v = 0;
            for (Presenter<?> p : front.values()) {
                long c0 = threads.getCurrentThreadCpuTime();
                p.prepare(r, List.of(r));
                if (i >= 0) frontCpu[v] += threads.getCurrentThreadCpuTime() - c0;
                v++;
            }
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%,d sockets, %d polls, in the background, CPU per poll:", size, polls));
        int v = 0;
        for (String name : views.keySet()) sb.append(String.format(Locale.ROOT, " %s %.1f ms;", name, cpu[v++] / 1e6 / polls));
        sb.append(String.format(Locale.ROOT, " all %.1f ms; in front, prepare:", Arrays.stream(cpu).sum() / 1e6 / polls));
        v = 0;
        for (String name : front.keySet()) sb.append(String.format(Locale.ROOT, " %s %.1f ms;", name, frontCpu[v++] / 1e6 / polls));
        sb.append(" load ").append(Files.readString(Path.of("/proc/loadavg")).strip());
        System.out.println(sb);
        System.exit(0);
    }
}
