package io.tcplens.bench;

import io.tcplens.analysis.StateTally;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.table.ConnectionColumn;
import io.tcplens.ui.table.ConnectionFilter;
import io.tcplens.ui.table.ConnectionTableModel;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import com.carrotsearch.hppc.ObjectIntHashMap;

/**
 * The window's per-poll walks on the prepare thread, engine-level, on one generated table with churn
 * (GeneratedTable: changed, opened and closed rows every poll, unchanged rows the same objects as the
 * netlink source gives them): the state tiles' figures by a walk over every row (what main did:
 * {@code Snapshot.countByState} and a per-destination TIME_WAIT count) beside {@link StateTally}, and
 * the connections table's rows (accept + rows, sorted by state). Thread CPU ms per poll, median and p90.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.PrepareWalksBenchmark -Dtcplens.args="100000 1000"</pre>
 * Arguments: table size (100,000), rows changed per poll (1,000; as many again opened and closed half that); {@code -Dpolls=N} (60).
 */
public final class PrepareWalksBenchmark {
    public static void main(String[] args) {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int churn = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
        int polls = Integer.getInteger("polls", 60);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        GeneratedTable table = new GeneratedTable(size, churn);
        ConnectionTracker tracker = new ConnectionTracker(60_000);
        StateTally tally = new StateTally();
        ConnectionTableModel model = new ConnectionTableModel(3000);
        long seq = 0;
        int warm = 20;
        long[] walk = new long[polls], tallied = new long[polls], rows = new long[polls];
        for (int p = -warm; p < polls; p++) {
            var u = tracker.update(table.poll());
            PollResult r = new PollResult(++seq, u.snapshot(), u.diff(), u.connections(), 0, null);
            Snapshot s = r.snapshot();
            long t0 = mx.getCurrentThreadCpuTime();
            Map<TcpState, Integer> counts = s.countByState();
            int peak = peakTimeWaitPerDestination(s.sockets());
            long t1 = mx.getCurrentThreadCpuTime();
            StateTally.Figures f = tally.update(s.sockets());
            long t2 = mx.getCurrentThreadCpuTime();
            model.accept(List.of(r));
            var made = model.rows(r, s.timestampMillis(), ConnectionFilter.NONE, ConnectionColumn.STATE.comparator(true));
            long t3 = mx.getCurrentThreadCpuTime();
            if (!counts.equals(f.byState()) || peak != f.timeWaitPeak() || made.isEmpty())
                throw new AssertionError("the tally differs from the walk at poll " + p);
            if (p >= 0) {
                walk[p] = t1 - t0;
                tallied[p] = t2 - t1;
                rows[p] = t3 - t2;
            }
        }
        System.out.printf(Locale.ROOT, "%,d sockets, %,d changed per poll, %d polls (after %d): thread CPU ms per poll, p50 / p90%n",
                size, churn, polls, warm);
        print("tiles: walk over every row (main)", walk);
        print("tiles: StateTally", tallied);
        print("connections table: accept + rows", rows);
    }

    private static void print(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "  %-36s %8.2f %8.2f%n", what, s[s.length / 2] / 1e6, s[(int) (s.length * 0.9)] / 1e6);
    }

    /** Main's tiles' TIME_WAIT peak (StateTilesPanel before StateTally). */
    static int peakTimeWaitPerDestination(List<SocketEntry> sockets) {
        Map<InetAddress, ObjectIntHashMap<Endpoint>> byLocal = new HashMap<>();
        InetAddress lastLocal = null;
        ObjectIntHashMap<Endpoint> m = null;
        int peak = 0;
        for (SocketEntry e : sockets) {
            if (e.state() != TcpState.TIME_WAIT) continue;
            InetAddress local = e.local().address();
            if (m == null || !local.equals(lastLocal)) {
                m = byLocal.computeIfAbsent(local, a -> new ObjectIntHashMap<>());
                lastLocal = local;
            }
            int n = m.addTo(e.remote(), 1);
            if (n > peak) peak = n;
        }
        return peak;
    }
}
