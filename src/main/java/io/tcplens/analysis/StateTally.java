package io.tcplens.analysis;

import com.carrotsearch.hppc.ObjectIntHashMap;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TableDelta;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedRows;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A poll's sockets per state and its busiest TIME_WAIT destination (the most TIME_WAIT sockets from one
 * local address to one remote endpoint), kept from table to table and updated by the rows that changed ({@link TableDelta}).
 * <p>
 * The engine's tables give an unchanged socket's row object again (the tracker keeps it), in about the
 * same order: each row is compared, by reference, with the previous table's rows at about the same place
 * (a few reads of two lists' arrays, nothing read of the row itself). Only a row not found so is read: its state
 * (and, in TIME_WAIT, its destination) is added; a previous row passed over is taken back. Every row of
 * either table is matched at most once, so the figures equal a walk over the whole table whatever the
 * order of the rows: a table in another order (another source) costs a walk, not a wrong count. At 100k
 * sockets the walk over every row, each a cache miss, was the state tiles' time on the prepare thread
 * every poll (issue 11). The tracker's tables ({@link TrackedRows}) are compared by their trackings where they
 * match in runs (no row read at all). Not thread-safe.
 */
public final class StateTally {
    private static final TcpState[] STATES = TcpState.values();
    private static final int TIME_WAIT = TcpState.TIME_WAIT.ordinal();
    /** The figures of one table: sockets per state (every state, 0 for none; unmodifiable) and the TIME_WAIT peak. */
    public record Figures(Map<TcpState, Integer> byState, int timeWaitPeak) {}

    /**
     * A TIME_WAIT socket's destination: its local address and its remote endpoint. A class with its own
     * equals and hash code, not a record: a record's go through method handles, which the launchers'
     * C1-only JIT ({@code TieredStopAtLevel=1}) does not inline (most of the tally's time when it was one).
     */
    private static final class Destination {
        final InetAddress local;
        final Endpoint remote;
        final int hash;

        Destination(SocketEntry e) {
            this.local = e.local().address();
            this.remote = e.remote();
            this.hash = local.hashCode() * 31 + remote.hashCode();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Destination d && d.hash == hash && d.remote.equals(remote) && d.local.equals(local);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * The previous table's rows, the list itself (a snapshot's rows are immutable): a copy into an array of
     * this tally's cost a store per row, each with G1's write barrier and its fence (an old array pointing
     * at other regions), several times the walk itself.
     */
    private List<SocketEntry> previous = List.of();
    private final int[] states = new int[STATES.length];
    /** TIME_WAIT sockets per destination (those with at least one). */
    private final ObjectIntHashMap<Destination> timeWait = new ObjectIntHashMap<>();
    /** Destinations per TIME_WAIT count: {@code withCount[c]} destinations hold {@code c} sockets (c ≥ 1). */
    private int[] withCount = new int[16];
    private int peak;
    /** Rows read (not found by reference) by the last {@link #update}, for tests. */
    private int lastRead;

    /** Takes the next table and returns its figures. {@code rows} must not change afterwards (a snapshot's rows): it is kept. */
    public Figures update(List<SocketEntry> rows) {
        if (rows == previous && lastFigures != null) {
            lastRead = 0;
            return lastFigures; // the last table's list again (the tracker publishes it again when no row changed)
        }
        lastRead = TableDelta.walk(rows, previous, delta);
        previous = rows;
        return lastFigures = figures();
    }

    /** What the walk beside the previous table tells this tally (its own methods stay private). */
    private final TableDelta.Counter delta = new TableDelta.Counter() {
        @Override
        public void add(SocketEntry row, int sign) {
            StateTally.this.add(row, sign);
        }

        @Override
        public boolean replace(SocketEntry was, SocketEntry now) {
            ConnectionKey k = now.key();
            if (was.key().hashCode() != k.hashCode() || !was.key().equals(k)) return false; // (the hash: cached)
            // the same socket at the same place, changed (its state, its queues): what it adds changes only with
            // its state, and its destination is its key's
            StateTally.this.replace(was, now);
            return true;
        }
    };

    /** What {@link #update} gave for {@link #previous}. */
    private Figures lastFigures;

    /** The figures of the last table taken. */
    public Figures figures() {
        Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
        for (TcpState s : STATES) m.put(s, states[s.ordinal()]);
        return new Figures(Collections.unmodifiableMap(m), peak);
    }

    /** Rows of the last table that were read (not found among the previous table's rows by reference). */
    int lastRead() {
        return lastRead;
    }

    /** {@code was} taken back and {@code now} added, for two rows of one 4-tuple. */
    private void replace(SocketEntry was, SocketEntry now) {
        int a = was.state().ordinal(), b = now.state().ordinal();
        if (a == b) return; // the same state and (the same 4-tuple) the same destination
        if (a == TIME_WAIT || b == TIME_WAIT) {
            add(was, -1);
            add(now, 1);
        } else {
            states[a]--;
            states[b]++;
        }
    }

    private void add(SocketEntry e, int sign) {
        int s = e.state().ordinal();
        states[s] += sign;
        if (s != TIME_WAIT) return;
        Destination d = new Destination(e);
        int c = timeWait.addTo(d, sign);
        if (c == 0) timeWait.remove(d);
        if (sign > 0) {
            if (c >= withCount.length) withCount = Arrays.copyOf(withCount, Math.max(c + 1, withCount.length * 2));
            withCount[c]++;
            if (c - 1 > 0) withCount[c - 1]--;
            if (c > peak) peak = c;
        } else {
            withCount[c + 1]--;
            if (c > 0) withCount[c]++;
            while (peak > 0 && withCount[peak] == 0) peak--;
        }
    }
}
