package io.tcplens.bench;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.KernelTransition;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.Rows;
import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The poller's side of kernel events, engine-level: the tracker's update on the steady-churn table as the window
 * polls it at 1 s ({@code rows} ESTABLISHED sockets given again as the same row objects, {@code rate} loopback
 * connections a second closed by the client into TIME_WAIT and expiring 60 s later, each with its ten state changes:
 * the client's five, whose 4-tuple the next table holds in TIME_WAIT, and the server's five, whose 4-tuple no table
 * holds), once with the events and once polling only (the same tables, empty batches). Reported per poll: the
 * update's CPU (median) and allocation (mean) in both, and per event their difference — what the events cost the
 * poller beyond the table (grouping, alignment, steps, state changes, the rows of connections no table held).
 * The batches are made before each update and not counted (the feed's drain: {@link EventFeedBenchmark}).
 *
 * <p>A against B in one run: {@code -Djars=A.jar|B.jar} runs each set in a JVM of its own with that jar and its
 * {@code lib/} beside it on the class path (this class from {@code target/test-classes}), under {@code -Dflags=...}
 * (comma-separated JVM flags; the launchers': C1 only). Sets repeat in the order given.
 *
 * <pre>mvn -q -o test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.TrackerEventsBenchmark \
 *     -Dtcplens.args="100000 467" -Djvm.flags="-Djars=/tmp/x/tcplens.jar|/tmp/m22/tcplens.jar -Dflags=-Xmx768m,-XX:TieredStopAtLevel=1"</pre>
 */
public final class TrackerEventsBenchmark {
    private static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "bench", "steady events");
    private static final int SERVER_PORT = 7000;
    private static final int WARM = 70, MEASURED = 40;

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 467;
        String jars = System.getProperty("jars");
        if (jars != null) {
            JarSets.run(TrackerEventsBenchmark.class, jars.split("\\|"), System.getProperty("flags", ""),
                    rows + " rows, " + rate + " connections a second", String.valueOf(rows), String.valueOf(rate));
            return;
        }
        System.out.println(child(rows, rate));
    }

    private static KernelTransition ev(ConnectionKey k, KernelTcpState from, KernelTcpState to, long atMillis, Integer pid) {
        return new KernelTransition(k, 0, from, to, atMillis, atMillis * 1_000_000L, pid, pid == null ? null : "client",
                KernelTransition.UNKNOWN_BYTES, KernelTransition.UNKNOWN_BYTES);
    }

    /** Polls {@code WARM + MEASURED} times; returns {cpu ns per poll (median), bytes per poll (mean), events per poll}. */
    private static double[] run(int n, int rate, boolean withEvents) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        ConnectionTracker tracker = new ConnectionTracker(60_000);
        List<SocketEntry> established = new ArrayList<>(n);
        for (int i = 0; i < n; i++) established.add(Rows.row(20_000 + i % 40_000, 1_000 + i / 40_000, TcpState.ESTABLISHED, 4242, null));
        ArrayDeque<SocketEntry[]> timeWait = new ArrayDeque<>(); // per poll: the TIME_WAIT rows it made, oldest first
        Integer pid = 4242;
        long now = 1_000_000;
        int conn = 0;
        tracker.update(new Snapshot(now, new ArrayList<>(established), SRC, List.of()), EventBatch.empty(true));
        long[] cpu = new long[MEASURED];
        long bytes = 0, events = 0;
        for (int p = 0; p < WARM + MEASURED; p++) {
            now += 1_000;
            List<KernelTransition> batch = new ArrayList<>(rate * 10);
            SocketEntry[] made = new SocketEntry[rate];
            for (int c = 0; c < rate; c++, conn++) {
                int port = 10_000 + conn % 50_000;
                long t = now - 950 + c * 900L / rate;
                SocketEntry client = Rows.row(port, SERVER_PORT, TcpState.TIME_WAIT, null, 60_000L - (now - t - 5));
                SocketEntry server = Rows.row(SERVER_PORT, port, TcpState.ESTABLISHED, null, null);
                ConnectionKey ck = client.key(), sk = server.key();
                batch.add(ev(ck, KernelTcpState.CLOSE, KernelTcpState.SYN_SENT, t, pid));
                batch.add(ev(sk, KernelTcpState.LISTEN, KernelTcpState.SYN_RECV, t, null));
                batch.add(ev(ck, KernelTcpState.SYN_SENT, KernelTcpState.ESTABLISHED, t, null));
                batch.add(ev(sk, KernelTcpState.SYN_RECV, KernelTcpState.ESTABLISHED, t, null));
                batch.add(ev(ck, KernelTcpState.ESTABLISHED, KernelTcpState.FIN_WAIT1, t + 1, pid));
                batch.add(ev(sk, KernelTcpState.ESTABLISHED, KernelTcpState.CLOSE_WAIT, t + 1, null));
                batch.add(ev(ck, KernelTcpState.FIN_WAIT1, KernelTcpState.FIN_WAIT2, t + 1, null));
                batch.add(ev(sk, KernelTcpState.CLOSE_WAIT, KernelTcpState.LAST_ACK, t + 2, pid));
                batch.add(ev(sk, KernelTcpState.LAST_ACK, KernelTcpState.CLOSE, t + 2, null));
                batch.add(ev(ck, KernelTcpState.FIN_WAIT2, KernelTcpState.CLOSE, t + 2, null));
                made[c] = client;
            }
            timeWait.addLast(made);
            if (timeWait.size() > 60) timeWait.removeFirst(); // expired: gone from the table (no event)
            List<SocketEntry> table = new ArrayList<>(n + 60 * rate);
            table.addAll(established);
            for (SocketEntry[] tw : timeWait) table.addAll(Arrays.asList(tw));
            Snapshot s = new Snapshot(now, table, SRC, List.of());
            EventBatch b = withEvents ? new EventBatch(batch, 0, true) : EventBatch.empty(true);
            long c0 = mx.getThreadCpuTime(self), b0 = mx.getThreadAllocatedBytes(self);
            tracker.update(s, b);
            long c1 = mx.getThreadCpuTime(self), b1 = mx.getThreadAllocatedBytes(self);
            if (p >= WARM) {
                cpu[p - WARM] = c1 - c0;
                bytes += b1 - b0;
                events += batch.size();
            }
        }
        Arrays.sort(cpu);
        return new double[] {cpu[MEASURED / 2], bytes / (double) MEASURED, events / (double) MEASURED};
    }

    private static String child(int rows, int rate) {
        run(rows, rate, true); // warm-up of both paths
        run(rows, rate, false);
        double[] on = run(rows, rate, true), off = run(rows, rate, false);
        double perEvent = on[2];
        return String.format(Locale.ROOT,
                "update with events %.2f ms %,.0f B | polling only %.2f ms %,.0f B | events' share %.2f us %.0f B an event (%,.0f a poll)",
                on[0] / 1e6, on[1], off[0] / 1e6, off[1], (on[0] - off[0]) / 1e3 / perEvent, (on[1] - off[1]) / perEvent, perEvent);
    }

    private TrackerEventsBenchmark() {}
}
