package io.tcplens.analysis.alerts;

import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.testutil.GeneratedTable;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The window's alert rules ({@code IncidentControls.DEFAULT_RULES}) checked against a generated table
 * of N sockets towards many destinations (GeneratedTable: nearly every socket its own remote endpoint,
 * so ~N destinations), as the window's incident thread checks every poll: CPU and wall time per
 * {@link AlertMonitor#observe} after warm-up, median and max. Uses only the monitor's public API, so the
 * same class can time another build's monitor (its classes first on the class path).
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.analysis.alerts.AlertMonitorBenchmark -Dtcplens.args="10000 100000"</pre>
 */
public final class AlertMonitorBenchmark {
    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {10_000, 100_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        int polls = Integer.getInteger("polls", 20);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        EphemeralPortRange range = EphemeralPortRange.of(32_768, 60_999, List.of(), "benchmark");
        for (int size : sizes) {
            GeneratedTable table = new GeneratedTable(size, Math.max(100, size / 10));
            ConnectionTracker tracker = new ConnectionTracker();
            AlertMonitor m = new AlertMonitor(AlertRule.parseAll("CLOSE_WAIT>100; headroom<10%; closewait-growth>20/5m"), () -> range);
            long[] cpu = new long[polls], wall = new long[polls];
            long destinations = 0;
            for (int i = -10; i < polls; i++) {
                ConnectionTracker.Update u = tracker.update(table.poll());
                PollResult r = new PollResult(i + 11, u.snapshot(), u.diff(), u.connections(), 0, null);
                if (i == 0) destinations = r.snapshot().sockets().stream().map(e -> e.local().address() + "|" + e.remote()).distinct().count();
                long c0 = threads.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                m.observe(r);
                if (i >= 0) {
                    cpu[i] = threads.getCurrentThreadCpuTime() - c0;
                    wall[i] = System.nanoTime() - w0;
                }
            }
            Arrays.sort(cpu);
            Arrays.sort(wall);
            System.out.printf(Locale.ROOT, "%,d sockets, %,d destinations: observe CPU p50 %.1f ms max %.1f ms; wall p50 %.1f ms max %.1f ms; load %s%n",
                    size, destinations, cpu[polls / 2] / 1e6, cpu[polls - 1] / 1e6, wall[polls / 2] / 1e6, wall[polls - 1] / 1e6,
                    Files.readString(Path.of("/proc/loadavg")).strip());
        }
    }
}
