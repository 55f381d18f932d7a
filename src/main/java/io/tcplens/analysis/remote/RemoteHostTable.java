package io.tcplens.analysis.remote;

import io.tcplens.engine.PollResult;
import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Per-remote aggregation of the TCP table, fed with successive {@link PollResult}s: totals, per-state
 * breakdown, local ports, processes, first seen and new connections per second (from the opened
 * connections of each diff over a sliding window). Rows are computed on demand for a
 * {@link RemoteQuery}, so changing the filter or the grouping needs no new poll. Not thread-safe:
 * feed and query it from one thread.
 */
public final class RemoteHostTable {
    /** Default window over which new connections per second are averaged. */
    public static final Duration RATE_WINDOW = Duration.ofSeconds(10);
    /** How long a remote's first-seen time is remembered after its last connection went away. */
    public static final Duration MEMORY = Duration.ofMinutes(10);

    /**
     * The connections opened within the rate window, oldest first: a ring of three columns (time, remote, local
     * port), not an object each (a churning 100k table opens ~1,500 a second: 15k records of 32 bytes alive for
     * the window's 10 s, each copied by the young pauses it lived through and promoted dead, issue 11).
     */
    static final class OpenedRing {
        private long[] at = new long[16];
        private InetAddress[] remote = new InetAddress[16];
        private int[] port = new int[16];
        private int head;
        private int size;

        void add(long atMillis, InetAddress r, int localPort) {
            if (size == at.length) resize(at.length * 2);
            int i = (head + size) & (at.length - 1);
            at[i] = atMillis;
            remote[i] = r;
            port[i] = localPort;
            size++;
        }

        /** Drops the entries at or before {@code millis} from the front; shrinks a ring left mostly empty. */
        void dropUpTo(long millis) {
            while (size > 0 && at[head] <= millis) {
                remote[head] = null;
                head = (head + 1) & (at.length - 1);
                size--;
            }
            if (at.length > 1024 && size < at.length / 8) resize(at.length / 2);
        }

        private void resize(int cap) {
            long[] a = new long[cap];
            InetAddress[] r = new InetAddress[cap];
            int[] p = new int[cap];
            for (int k = 0; k < size; k++) {
                int i = (head + k) & (at.length - 1);
                a[k] = at[i];
                r[k] = remote[i];
                p[k] = port[i];
            }
            at = a;
            remote = r;
            port = p;
            head = 0;
        }

        int size() {
            return size;
        }

        int capacity() {
            return at.length;
        }

        InetAddress remote(int k) {
            return remote[(head + k) & (at.length - 1)];
        }

        int localPort(int k) {
            return port[(head + k) & (at.length - 1)];
        }
    }

    private static final class Seen {
        long first;
        long last;
    }

    private final long windowMillis;
    private Snapshot snapshot;
    private Map<ConnectionKey, TrackedConnection> tracked = Map.of();
    private long baselineMillis = -1;
    private final OpenedRing opened = new OpenedRing();
    private final Map<InetAddress, Seen> seen = new HashMap<>();

    public RemoteHostTable() {
        this(RATE_WINDOW);
    }

    public RemoteHostTable(Duration rateWindow) {
        this.windowMillis = Math.max(1, rateWindow.toMillis());
    }

    /** Takes one poll (call for every poll, oldest first, so no opened connection is missed). */
    public void accept(PollResult r) {
        accept(r, 0);
    }

    /**
     * Takes one poll, walking the whole table for the remotes still there only when the last walk is
     * {@code walkEveryMillis} or more (snapshot time) before it: a view in the background keeps its
     * history so. A remote that appears between walks is seen from its opened connections (every
     * diff is taken), so its first-seen time is the same; one whose connections are all gone is
     * forgotten up to {@code walkEveryMillis} after {@link #MEMORY} instead of at it.
     */
    public void accept(PollResult r, long walkEveryMillis) {
        Snapshot s = r.snapshot();
        long now = s.timestampMillis();
        if (r.error() != null && snapshot != null) return; // a failed poll repeats the last good table
        Map<ConnectionKey, TrackedConnection> conns = r.connections() == null ? Map.of() : r.connections();
        if (baselineMillis < 0) baselineMillis = now;
        else if (r.diff() != null) {
            for (SocketEntry e : r.diff().opened()) {
                if (e.state() != TcpState.LISTEN && !e.remote().isWildcard()) {
                    opened.add(now, e.remote().address(), e.local().port());
                    if (walkEveryMillis > 0) see(e, conns, now);
                }
            }
        }
        opened.dropUpTo(now - windowMillis);
        snapshot = s;
        tracked = conns;
        if (walkedAt != Long.MIN_VALUE && now >= walkedAt && now - walkedAt < walkEveryMillis) return;
        walkedAt = now;
        InetAddress lastAddress = null; // rows of one remote come in runs: no map lookup per row (100k a poll)
        Seen x = null;
        for (SocketEntry e : s.sockets()) {
            if (e.state() == TcpState.LISTEN || e.remote().isWildcard()) continue;
            InetAddress a = e.remote().address();
            if (x != null && a.equals(lastAddress)) {
                x.last = now;
                continue;
            }
            lastAddress = a;
            x = see(e, conns, now);
        }
        long forget = now - MEMORY.toMillis();
        seen.values().removeIf(v -> v.last < forget);
    }

    /** When the whole table was last walked for the remotes in it (snapshot time). */
    private long walkedAt = Long.MIN_VALUE;

    /** A remote seen now through one of its connections (first seen as the full walk dates it); its entry. */
    private Seen see(SocketEntry e, Map<ConnectionKey, TrackedConnection> conns, long now) {
        Seen x = seen.get(e.remote().address());
        if (x == null) {
            x = new Seen();
            TrackedConnection t = conns.get(e.key());
            x.first = t != null && t.firstSeenMillis() > 0 ? Math.min(now, t.firstSeenMillis()) : now;
            seen.put(e.remote().address(), x);
        }
        x.last = now;
        return x;
    }

    /** The latest snapshot taken, or null before the first poll. */
    public Snapshot snapshot() {
        return snapshot;
    }

    /** Rows for the latest poll: every remote with at least one counted socket, most matched first. */
    public List<RemoteHostRow> rows(RemoteQuery q) {
        if (snapshot == null) return List.of();
        long now = snapshot.timestampMillis();
        long elapsed = Math.min(windowMillis, now - baselineMillis);
        Map<InetAddress, Integer> newCounts = new HashMap<>();
        for (int k = 0, n = opened.size(); k < n; k++)
            if (q.localPort() == null || opened.localPort(k) == q.localPort())
                newCounts.merge(groupKey(opened.remote(k), q.grouping()), 1, Integer::sum);
        return build(snapshot, q, tracked, seen, newCounts, elapsed);
    }

    /** One-off rows for a single snapshot (no history: first seen and newest are the snapshot time, no rate). */
    public static List<RemoteHostRow> of(Snapshot s, RemoteQuery q) {
        return build(s, q, Map.of(), Map.of(), Map.of(), 0);
    }

    private static final class Acc {
        final Map<TcpState, Integer> byState = new EnumMap<>(TcpState.class);
        final TreeSet<Integer> ports = new TreeSet<>();
        final TreeSet<String> processes = new TreeSet<>();
        final List<ConnectionKey> keys = new ArrayList<>();
        long first = Long.MAX_VALUE;
        long newest = Long.MIN_VALUE;
        int total;
    }

    private static List<RemoteHostRow> build(Snapshot s, RemoteQuery q, Map<ConnectionKey, TrackedConnection> tracked,
                                             Map<InetAddress, Seen> seen, Map<InetAddress, Integer> newCounts,
                                             long elapsedMillis) {
        long now = s.timestampMillis();
        Map<InetAddress, Acc> groups = new HashMap<>();
        Map<InetAddress, Acc> byRemote = new HashMap<>();
        for (SocketEntry e : s.sockets()) {
            if (!q.counts(e)) continue;
            InetAddress remote = e.remote().address();
            Acc a = byRemote.computeIfAbsent(remote, k -> groups.computeIfAbsent(groupKey(k, q.grouping()), g -> new Acc()));
            a.total++;
            a.byState.merge(e.state(), 1, Integer::sum);
            a.ports.add(e.local().port());
            if (e.process() != null && !e.process().isBlank()) a.processes.add(e.process());
            a.keys.add(e.key());
            Seen x = seen.get(remote);
            TrackedConnection t = tracked.get(e.key());
            long connFirst = t != null ? t.firstSeenMillis() : now;
            a.first = Math.min(a.first, x != null ? Math.min(x.first, connFirst) : connFirst);
            a.newest = Math.max(a.newest, connFirst);
        }
        List<RemoteHostRow> rows = new ArrayList<>(groups.size());
        for (Map.Entry<InetAddress, Acc> en : groups.entrySet()) {
            InetAddress key = en.getKey();
            Acc a = en.getValue();
            int prefix = prefixLength(key, q.grouping());
            String label = Addresses.format(key) + (q.grouping() == Grouping.NETWORK ? "/" + prefix : "");
            double rate = elapsedMillis <= 0 ? Double.NaN : newCounts.getOrDefault(key, 0) * 1000.0 / elapsedMillis;
            int matched = q.state() == null ? a.total : a.byState.getOrDefault(q.state(), 0);
            rows.add(new RemoteHostRow(key, prefix, label, a.total, Collections.unmodifiableMap(a.byState), matched,
                    q.threshold() > 0 && matched >= q.threshold(), List.copyOf(a.ports), List.copyOf(a.processes),
                    a.first, a.newest, rate, Collections.unmodifiableList(a.keys)));
        }
        rows.removeIf(r -> r.matched() == 0);
        rows.sort(Comparator.comparingInt(RemoteHostRow::matched).reversed()
                .thenComparing(Comparator.comparingInt(RemoteHostRow::total).reversed())
                .thenComparing((x, y) -> Addresses.compare(x.address(), y.address())));
        return rows;
    }

    /** The row key of a remote address: itself, or its /24 or /64 network address. */
    public static InetAddress groupKey(InetAddress remote, Grouping g) {
        if (g == Grouping.ADDRESS) return remote;
        byte[] b = remote.getAddress();
        int keep = (remote instanceof Inet4Address ? Grouping.IPV4_PREFIX : Grouping.IPV6_PREFIX) / 8;
        for (int i = keep; i < b.length; i++) b[i] = 0;
        return Addresses.fromBytes(b);
    }

    private static int prefixLength(InetAddress key, Grouping g) {
        boolean v4 = key instanceof Inet4Address;
        if (g == Grouping.ADDRESS) return v4 ? 32 : 128;
        return v4 ? Grouping.IPV4_PREFIX : Grouping.IPV6_PREFIX;
    }

    /** Number of opened-connection events held for the rate window (for tests and diagnostics). */
    int pendingOpened() {
        return opened.size();
    }
}
