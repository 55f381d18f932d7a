package io.tcplens.bench;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.testutil.GeneratedTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import io.tcplens.model.ReferenceTracker;
import io.tcplens.model.TcpState;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;

/**
 * The engine's per-poll work after the read — tracking, diff, last-known owners — on a generated
 * table whose rows are fresh objects every poll, as a real source gives them (no kernel involved,
 * so the figure is the object model's cost alone), and the bytes each update allocates (median).
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.TrackerBenchmark -Dtcplens.args="20000 100000 250000"</pre>
 */
public final class TrackerBenchmark {
    public static void main(String[] args) {
        int[] sizes = args.length == 0 ? new int[] {20_000, 100_000, 250_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "%-8s %10s %10s %10s %12s %14s%n", "sockets", Boolean.getBoolean("reference") ? "ref p50" : "track p50", "track p90", "track min", "cpu p50 (ms)",
                "alloc p50 (KB)");
        com.sun.management.ThreadMXBean alloc = (com.sun.management.ThreadMXBean) mx;
        for (int n : sizes) {
            GeneratedTable table = new GeneratedTable(n, Math.max(10, n / 100));
            ConnectionTracker tracker = new ConnectionTracker();
            boolean reference = Boolean.getBoolean("reference");
            ReferenceTracker ref = new ReferenceTracker();
            double[] t = new double[20];
            double[] cpu = new double[t.length];
            double[] bytes = new double[t.length];
            for (int i = -5; i < t.length; i++) {
                Snapshot raw = fresh(table.poll());
                long t0 = System.nanoTime(), c0 = mx.getCurrentThreadCpuTime(), a0 = alloc.getCurrentThreadAllocatedBytes();
                Object u = reference ? ref.update(raw).connections() : tracker.update(raw).connections();
                if (i >= 0) {
                    bytes[i] = (alloc.getCurrentThreadAllocatedBytes() - a0) / 1024.0;
                    t[i] = (System.nanoTime() - t0) / 1e6;
                    cpu[i] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
                }
                if (((Map<?, ?>) u).isEmpty()) throw new AssertionError("nothing tracked");
            }
            Arrays.sort(t);
            Arrays.sort(cpu);
            Arrays.sort(bytes);
            System.out.printf(Locale.ROOT, "%-8d %10.2f %10.2f %10.2f %12.2f %14.0f%n", n, t[t.length / 2], t[(int) (t.length * 0.9)], t[0],
                    cpu[cpu.length / 2], bytes[bytes.length / 2]);
        }
    }

    /** New key and row objects, as a parser makes them (addresses interned, as the parsers do). */
    static Snapshot fresh(Snapshot s) {
        List<SocketEntry> rows = new ArrayList<>(s.sockets().size());
        for (SocketEntry e : s.sockets()) {
            ConnectionKey k = new ConnectionKey(new Endpoint(e.local().address(), e.local().port()),
                    new Endpoint(e.remote().address(), e.remote().port()));
            rows.add(new SocketEntry(k, e.state(), e.kernelState(), e.sendQueue(), e.receiveQueue(), e.timer(),
                    e.timerRemainingMs(), e.retransmits(), e.uid(), e.inode(), e.state() == TcpState.TIME_WAIT
                    ? null : e.pid(), e.state() == TcpState.TIME_WAIT ? null : e.process(), false));
        }
        return new Snapshot(s.timestampMillis(), rows, s.source(), s.warnings());
    }
}
