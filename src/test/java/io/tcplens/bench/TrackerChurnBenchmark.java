package io.tcplens.bench;

import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.KernelTransition;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.Rows;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The tracker's update on a steadily churning table watched with events, as the window polls one
 * (netlink gives an unchanged socket's row object again): N sockets, of which C are replaced at
 * every poll (C closed, C new, each new one with its connect's two events, each closed one with its
 * close's three), against the same table at rest (no socket replaced, an empty batch). Prints the
 * update's CPU per poll (median of 30) for both.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.TrackerChurnBenchmark -Dtcplens.args="100000 467"</pre>
 */
public final class TrackerChurnBenchmark {
    private static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "bench", "churn");

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int churn = args.length > 1 ? Integer.parseInt(args[1]) : 467;
        for (int round = 0; round < 2; round++) {
            System.out.printf(Locale.ROOT, "%d sockets, at rest:            update CPU p50 %.2f ms%n", n, run(n, 0));
            System.out.printf(Locale.ROOT, "%d sockets, %d replaced a poll: update CPU p50 %.2f ms%n", n, churn, run(n, churn));
        }
    }

    private static SocketEntry row(int id) {
        return Rows.row(10_000 + id % 50_000, 1_000 + id / 50_000, TcpState.ESTABLISHED, null, null);
    }

    private static double run(int n, int churn) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        ConnectionTracker tracker = new ConnectionTracker(60_000);
        List<SocketEntry> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) rows.add(row(i));
        int next = n; // the next socket's id
        long now = 1_000_000;
        tracker.update(new Snapshot(now, new ArrayList<>(rows), SRC, List.of()), EventBatch.empty(true));
        double[] cpu = new double[30];
        for (int p = -5; p < cpu.length; p++) {
            now += 1_000;
            List<KernelTransition> events = new ArrayList<>();
            for (int c = 0; c < churn; c++) {
                int at = (int) ((p + 5L) * 7919 * (c + 1) % rows.size()); // spread over the table
                SocketEntry gone = rows.get(at);
                events.add(ev(gone, KernelTcpState.ESTABLISHED, KernelTcpState.FIN_WAIT1, now - 900));
                events.add(ev(gone, KernelTcpState.FIN_WAIT1, KernelTcpState.FIN_WAIT2, now - 899));
                events.add(ev(gone, KernelTcpState.FIN_WAIT2, KernelTcpState.CLOSE, now - 898));
                SocketEntry fresh = row(next++ % 200_000 + n);
                events.add(ev(fresh, KernelTcpState.CLOSE, KernelTcpState.SYN_SENT, now - 500));
                events.add(ev(fresh, KernelTcpState.SYN_SENT, KernelTcpState.ESTABLISHED, now - 499));
                rows.set(at, fresh);
            }
            Snapshot raw = new Snapshot(now, new ArrayList<>(rows), SRC, List.of());
            EventBatch batch = new EventBatch(events, 0, true);
            long c0 = mx.getCurrentThreadCpuTime();
            SnapshotDiff d = tracker.update(raw, batch).diff();
            if (p >= 0) cpu[p] = (mx.getCurrentThreadCpuTime() - c0) / 1e6;
            if (d.opened().size() > churn) throw new AssertionError("more opened than made: " + d.opened().size());
        }
        Arrays.sort(cpu);
        return cpu[cpu.length / 2];
    }

    private static KernelTransition ev(SocketEntry row, KernelTcpState from, KernelTcpState to, long at) {
        return new KernelTransition(row.key(), row.key().hashCode(), from, to, at, at * 1_000_000L, null, null, 0, 0);
    }
}
