package io.tcplens.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Follows connections across snapshots: when each was first seen, when it entered its current
 * state, its last few transitions and its last known owner. Connections that close are forgotten at
 * once, so memory is bounded by the size of the current table. Not thread-safe: one poller owns it.
 *
 * <p>One pass per poll: each row is looked up once in a map the tracker keeps and updates in place
 * (keys hash once, see {@link ConnectionKey}); opened connections and transitions fall out of that
 * lookup, and closed ones are the entries the pass did not touch. What is published per poll is a
 * read-only view over two arrays (row and tracking per position) with its own compact index, so no
 * map of every connection is rebuilt and nothing a view holds is changed afterwards.
 */
public final class ConnectionTracker {
    /** Transitions kept per connection. */
    public static final int HISTORY_LIMIT = 16;

    private final long timeWaitDurationMs;
    private final HashMap<ConnectionKey, Track> live = new HashMap<>();
    private Map<ConnectionKey, TrackedConnection> published = Map.of();
    private long generation;
    private boolean polled;
    private long previousMillis;

    /** What the tracker keeps per live 4-tuple between polls. */
    private static final class Track {
        SocketEntry row;
        TrackedConnection conn;
        long generation;
        int index;
    }

    /** @param timeWaitDurationMs the platform's TIME_WAIT length, used to derive entry times */
    public ConnectionTracker(long timeWaitDurationMs) {
        this.timeWaitDurationMs = timeWaitDurationMs;
    }

    public ConnectionTracker() {
        this(60_000);
    }

    /** The result of one update. */
    public record Update(Snapshot snapshot, SnapshotDiff diff, Map<ConnectionKey, TrackedConnection> connections) {}

    /**
     * Takes the next snapshot. Owners: a row with no PID inherits the last known PID/process of the
     * same 4-tuple (marked {@code ownerLastKnown}); the returned snapshot carries those owners. A
     * 4-tuple listed twice (the kernel's table changed while it was read: /proc and sock_diag dumps
     * are not atomic) is one socket: the later row replaces the earlier one in the snapshot, so no
     * count ever includes a socket twice.
     */
    public Update update(Snapshot raw) {
        long now = raw.timestampMillis();
        long gen = ++generation;
        boolean firstPoll = !polled;
        List<SocketEntry> in = raw.sockets();
        int n = in.size();
        SocketEntry[] rows = new SocketEntry[n];
        TrackedConnection[] conns = new TrackedConnection[n];
        List<SocketEntry> opened = new ArrayList<>();
        List<StateChange> changes = new ArrayList<>();
        int duplicates = 0;
        int m = 0; // rows kept (a repeated 4-tuple takes the place of its earlier row)
        for (int i = 0; i < n; i++) {
            SocketEntry e = in.get(i);
            Track t = live.get(e.key());
            SocketEntry row = e;
            TrackedConnection conn;
            if (t == null) {
                long since = now;
                boolean observed = !firstPoll;
                if (row.state() == TcpState.TIME_WAIT && row.timerRemainingMs() != null) {
                    // entered TIME_WAIT (duration - remaining) ago, whatever we observed
                    since = now - Math.max(0, timeWaitDurationMs - row.timerRemainingMs());
                    observed = false;
                }
                conn = new TrackedConnection(row, firstPoll ? since : now, since, observed, List.of());
                t = new Track();
                live.put(row.key(), t);
                if (!firstPoll) opened.add(row);
            } else {
                if (t.generation == gen) duplicates++;
                SocketEntry was = t.row;
                if (e.pid() == null && was.pid() != null) row = e.withOwner(was.pid(), was.process(), true);
                TrackedConnection old = t.conn;
                if (was.state() != row.state()) {
                    StateChange c = new StateChange(row.key(), was.state(), row.state(), row, now);
                    changes.add(c);
                    conn = new TrackedConnection(row, old.firstSeenMillis(), now, true, append(old.history(), c));
                } else {
                    conn = new TrackedConnection(row, old.firstSeenMillis(), old.stateSinceMillis(),
                            old.stateSinceObserved(), old.history());
                }
            }
            int at = t.generation == gen ? t.index : m++;
            t.row = row;
            t.conn = conn;
            t.generation = gen;
            t.index = at;
            rows[at] = row;
            conns[at] = conn;
        }
        if (m < n) {
            rows = java.util.Arrays.copyOf(rows, m);
            conns = java.util.Arrays.copyOf(conns, m);
        }
        List<SocketEntry> closed = new ArrayList<>();
        if (live.size() > n - duplicates) {
            for (Iterator<Track> it = live.values().iterator(); it.hasNext(); ) {
                Track t = it.next();
                if (t.generation != gen) {
                    closed.add(t.row);
                    it.remove();
                }
            }
        }
        Snapshot snapshot = new Snapshot(now, List.of(rows), raw.source(), raw.warnings(), raw.holders());
        SnapshotDiff diff = firstPoll ? new SnapshotDiff(List.of(), List.of(), List.of(), 0, now)
                : new SnapshotDiff(opened, closed, changes, previousMillis, now);
        published = new View(rows, conns, m);
        polled = true;
        previousMillis = now;
        return new Update(snapshot, diff, published);
    }

    private static List<StateChange> append(List<StateChange> history, StateChange c) {
        int keep = Math.min(history.size(), HISTORY_LIMIT - 1);
        List<StateChange> h = new ArrayList<>(keep + 1);
        h.addAll(history.subList(history.size() - keep, history.size()));
        h.add(c);
        return Collections.unmodifiableList(h);
    }

    public int size() {
        return live.size();
    }

    /** The tracking published by the last update (read-only; later updates do not change it). */
    public Map<ConnectionKey, TrackedConnection> connections() {
        return published;
    }

    /**
     * A read-only map over one poll's rows: open addressing on an int array of row positions (the
     * keys' own cached hashes), so publishing costs one int array instead of a map of nodes. Where a
     * 4-tuple was listed twice, the later row wins, as the tracker tracks it.
     */
    static final class View extends AbstractMap<ConnectionKey, TrackedConnection> {
        private final SocketEntry[] rows;
        private final TrackedConnection[] conns;
        private final int[] slots; // row index + 1, 0 = empty
        private final int mask;
        private final int size;
        private Set<Map.Entry<ConnectionKey, TrackedConnection>> entries;

        View(SocketEntry[] rows, TrackedConnection[] conns, int distinct) {
            this.rows = rows;
            this.conns = conns;
            this.size = distinct;
            int cap = Integer.highestOneBit(Math.max(4, rows.length * 2 - 1)) << 1;
            this.slots = new int[cap];
            this.mask = cap - 1;
            for (int i = 0; i < rows.length; i++) {
                ConnectionKey k = rows[i].key();
                int s = spread(k.hashCode()) & mask;
                while (true) {
                    int at = slots[s];
                    if (at == 0) {
                        slots[s] = i + 1;
                        break;
                    }
                    if (rows[at - 1].key().equals(k)) {
                        slots[s] = i + 1; // a later duplicate wins
                        break;
                    }
                    s = (s + 1) & mask;
                }
            }
        }

        private static int spread(int h) {
            return h * 0x9E3779B9;
        }

        private int indexOf(Object key) {
            if (!(key instanceof ConnectionKey k)) return -1;
            int s = spread(k.hashCode()) & mask;
            while (true) {
                int at = slots[s];
                if (at == 0) return -1;
                if (rows[at - 1].key().equals(k)) return at - 1;
                s = (s + 1) & mask;
            }
        }

        @Override
        public TrackedConnection get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : conns[i];
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public boolean isEmpty() {
            return size == 0;
        }

        @Override
        public java.util.Collection<TrackedConnection> values() {
            return new java.util.AbstractCollection<>() {
                @Override
                public Iterator<TrackedConnection> iterator() {
                    return new Iterator<>() {
                        private int slot = advance(0);

                        private int advance(int from) {
                            while (from < slots.length && slots[from] == 0) from++;
                            return from;
                        }

                        @Override
                        public boolean hasNext() {
                            return slot < slots.length;
                        }

                        @Override
                        public TrackedConnection next() {
                            if (slot >= slots.length) throw new NoSuchElementException();
                            TrackedConnection c = conns[slots[slot] - 1];
                            slot = advance(slot + 1);
                            return c;
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }

        @Override
        public Set<Map.Entry<ConnectionKey, TrackedConnection>> entrySet() {
            Set<Map.Entry<ConnectionKey, TrackedConnection>> e = entries;
            if (e == null) entries = e = new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<ConnectionKey, TrackedConnection>> iterator() {
                    return new Iterator<>() {
                        private int slot = advance(0);

                        private int advance(int from) {
                            while (from < slots.length && slots[from] == 0) from++;
                            return from;
                        }

                        @Override
                        public boolean hasNext() {
                            return slot < slots.length;
                        }

                        @Override
                        public Map.Entry<ConnectionKey, TrackedConnection> next() {
                            if (slot >= slots.length) throw new NoSuchElementException();
                            int i = slots[slot] - 1;
                            slot = advance(slot + 1);
                            return new SimpleImmutableEntry<>(rows[i].key(), conns[i]);
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
            return e;
        }
    }
}
