package io.tcplens.analysis.aggregate;

import com.carrotsearch.hppc.IntIntHashMap;
import io.tcplens.analysis.ports.Listeners;
import io.tcplens.engine.PollResult;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.TableDelta;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import io.tcplens.model.TrackedRows;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a leak hunt starts: the table counted per owning process × state and per local port × state,
 * with each group's growth over a window of polls (default {@value #DEFAULT_WINDOW_MILLIS} ms) and
 * its oldest CLOSE_WAIT. Client sockets (local port not a listening one) are counted under port 0,
 * "ephemeral", so the port table stays one row per service. A socket several processes hold (after
 * fork(), SCM_RIGHTS, a pre-fork server's listener) counts for each of them, as {@code ss -p} names
 * them all, and each row says how many of its sockets are shared ({@link Row#shared()}): the process
 * rows may then add up to more than the table; the port rows count each socket once. Not thread-safe.
 */
public final class StateAggregates {
    public static final long DEFAULT_WINDOW_MILLIS = 5 * 60_000;
    /** The port-table key of client sockets (local port is not one this machine listens on). */
    public static final int EPHEMERAL = 0;

    /**
     * One group's counts. {@code pid} null: sockets with no known owner (TIME_WAIT, orphans, other users).
     * {@code shared}: how many of them other processes hold too (0 in the port table).
     */
    public record Row(Integer pid, String process, int uid, int localPort, Map<TcpState, Integer> byState, int total,
                      int growth, long oldestCloseWaitMillis, boolean oldestObserved, int shared) {
        public int count(TcpState s) {
            return byState.getOrDefault(s, 0);
        }
    }

    /** Both tables for one poll, and the span the growth covers. */
    public record Report(long atMillis, double growthSeconds, List<Row> processes, List<Row> ports) {}

    /** Sockets per pid and per port key of one poll (primitive maps: no boxed count per socket, issue 11). */
    private record Sample(long atMillis, IntIntHashMap byPid, IntIntHashMap byPort) {}

    private static final Integer NO_OWNER = -1;
    private final long windowMillis;
    private final Deque<Sample> samples = new ArrayDeque<>();

    public StateAggregates(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    public StateAggregates() {
        this(DEFAULT_WINDOW_MILLIS);
    }

    /**
     * Sockets per pid and per port key of the table {@link #counted} (zero counts taken out), kept from poll to
     * poll: a table of the tracker's whose listeners and shared-socket holders are the last one's is counted from
     * the rows that changed ({@link TableDelta}: runs of the last table's very trackings passed by reference,
     * a row not found added, a last row passed over taken back), not by a walk over every row (at 100k rows each a
     * read of its tracking, its row and its endpoints: cache misses, every poll, issue 11).
     */
    private final IntIntHashMap countedPid = new IntIntHashMap(), countedPort = new IntIntHashMap();
    /** The rows the counts are of (null: none, or a table not the tracker's: the next one is counted whole). */
    private TrackedRows counted;
    private SocketHolders countedHolders;
    private Listeners countedListeners;
    /** Rows the last {@link #observe} read (tests). */
    int lastRead;

    /** Records one poll's totals (call for every poll, oldest first). */
    public void observe(PollResult r) {
        Listeners l = Listeners.of(r.snapshot());
        SocketHolders holders = r.snapshot().holders();
        List<SocketEntry> rows = r.snapshot().sockets();
        if (rows instanceof TrackedRows now && counted != null && l.sameAs(countedListeners) && holders.equals(countedHolders)) {
            lastRead = TableDelta.walk(now, counted, (e, sign) -> count(e, l, holders, sign));
        } else {
            countedPid.clear();
            countedPort.clear();
            for (SocketEntry e : rows) count(e, l, holders, 1);
            lastRead = rows.size();
        }
        counted = rows instanceof TrackedRows t ? t : null;
        countedHolders = holders;
        countedListeners = l;
        long now = r.snapshot().timestampMillis();
        samples.addLast(new Sample(now, countedPid.clone(), countedPort.clone()));
        while (samples.size() > 2 && now - samples.peekFirst().atMillis() > windowMillis) samples.removeFirst();
    }

    /** What a row adds to the counts ({@code sign} 1) or takes back (-1). */
    private void count(SocketEntry e, Listeners l, SocketHolders holders, int sign) {
        List<SocketHolders.Holder> h = holders.of(e.inode());
        if (h.isEmpty()) add(countedPid, e.pid() == null ? NO_OWNER : e.pid(), sign);
        else for (var x : h) add(countedPid, x.pid(), sign);
        add(countedPort, portKey(l, e), sign);
    }

    private static void add(IntIntHashMap m, int key, int sign) {
        if (m.addTo(key, sign) == 0) m.remove(key);
    }

    /** The last poll's counts per pid and per port key (tests). */
    List<IntIntHashMap> lastCounts() {
        Sample s = samples.peekLast();
        return s == null ? List.of() : List.of(s.byPid(), s.byPort());
    }

    /** A table's counts per pid and per port key by a walk over every row, as {@link #observe} had them (tests). */
    static List<IntIntHashMap> countAfresh(PollResult r) {
        Listeners l = Listeners.of(r.snapshot());
        IntIntHashMap byPid = new IntIntHashMap(), byPort = new IntIntHashMap();
        SocketHolders holders = r.snapshot().holders();
        for (SocketEntry e : r.snapshot().sockets()) {
            List<SocketHolders.Holder> h = holders.of(e.inode());
            if (h.isEmpty()) byPid.addTo(e.pid() == null ? NO_OWNER : e.pid(), 1);
            else for (var x : h) byPid.addTo(x.pid(), 1);
            byPort.addTo(portKey(l, e), 1);
        }
        return List.of(byPid, byPort);
    }

    private static int portKey(Listeners l, SocketEntry e) {
        return e.state() == TcpState.LISTEN || l.isInbound(e) ? e.local().port() : EPHEMERAL;
    }

    /** Both tables for the latest poll (observed first if it was not). */
    public Report report(PollResult latest) {
        long now = latest.snapshot().timestampMillis();
        if (samples.isEmpty() || samples.peekLast().atMillis() != now) observe(latest);
        Sample first = samples.peekFirst();
        Listeners l = Listeners.of(latest.snapshot());
        Map<Integer, Acc> procs = new HashMap<>(), ports = new HashMap<>();
        SocketHolders holders = latest.snapshot().holders();
        for (SocketEntry e : latest.snapshot().sockets()) {
            TrackedConnection t = e.state() == TcpState.CLOSE_WAIT ? latest.connections().get(e.key()) : null;
            List<SocketHolders.Holder> h = holders.of(e.inode());
            if (h.isEmpty()) procs.computeIfAbsent(e.pid() == null ? NO_OWNER : e.pid(), k -> new Acc()).add(e, t, now);
            else for (var x : h) procs.computeIfAbsent(x.pid(), k -> new Acc()).addShared(e, x.name(), t, now);
            ports.computeIfAbsent(portKey(l, e), k -> new Acc()).add(e, t, now);
        }
        List<Row> pr = new ArrayList<>(), po = new ArrayList<>();
        procs.forEach((pid, a) -> pr.add(a.row(pid.equals(NO_OWNER) ? null : pid, -1,
                a.total - first.byPid().getOrDefault(pid.intValue(), 0))));
        ports.forEach((port, a) -> po.add(a.row(null, port, a.total - first.byPort().getOrDefault(port.intValue(), 0))));
        Comparator<Row> order = Comparator.comparingInt((Row r) -> r.count(TcpState.CLOSE_WAIT)).reversed()
                .thenComparing(Comparator.comparingInt(Row::total).reversed());
        pr.sort(order.thenComparing(r -> r.pid() == null ? Integer.MAX_VALUE : r.pid()));
        po.sort(order.thenComparingInt(Row::localPort));
        return new Report(now, (now - first.atMillis()) / 1000.0, pr, po);
    }

    private static final class Acc {
        final Map<TcpState, Integer> byState = new EnumMap<>(TcpState.class);
        int total;
        String process;
        int uid = -1;
        long oldestCw = -1;
        boolean oldestObserved;

        int shared;

        /** A socket this process holds with others: counted here too, under its own name. */
        void addShared(SocketEntry e, String name, TrackedConnection t, long now) {
            shared++;
            if (process == null) process = name;
            add(e, t, now);
        }

        void add(SocketEntry e, TrackedConnection t, long now) {
            byState.merge(e.state(), 1, Integer::sum);
            total++;
            if (process == null && e.process() != null) process = e.process();
            if (uid < 0 && e.uid() >= 0) uid = e.uid();
            if (e.state() == TcpState.CLOSE_WAIT) {
                long age = t == null ? 0 : t.timeInStateMillis(now);
                if (age >= oldestCw) {
                    oldestCw = age;
                    oldestObserved = t != null && t.stateSinceObserved();
                }
            }
        }

        Row row(Integer pid, int port, int growth) {
            return new Row(pid, pid == null ? null : process, uid, port, Map.copyOf(byState), total, growth, oldestCw, oldestObserved,
                    port < 0 ? shared : 0);
        }
    }
}
