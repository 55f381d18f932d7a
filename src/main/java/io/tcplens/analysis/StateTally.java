package io.tcplens.analysis;

import com.carrotsearch.hppc.ObjectIntHashMap;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A poll's sockets per state and its busiest TIME_WAIT destination (the most TIME_WAIT sockets from one
 * local address to one remote endpoint), kept from table to table and updated by the rows that changed.
 * <p>
 * The engine's tables give an unchanged socket's row object again (the tracker keeps it), in about the
 * same order: each row is compared, by reference, with the previous table's rows at about the same place
 * (a few reads of two arrays, nothing read of the row itself). Only a row not found so is read: its state
 * (and, in TIME_WAIT, its destination) is added; a previous row passed over is taken back. Every row of
 * either table is matched at most once, so the figures equal a walk over the whole table whatever the
 * order of the rows: a table in another order (another source) costs a walk, not a wrong count. At 100k
 * sockets the walk over every row, each a cache miss, was the state tiles' time on the prepare thread
 * every poll (issue 11). Not thread-safe.
 */
public final class StateTally {
    private static final TcpState[] STATES = TcpState.values();
    private static final int TIME_WAIT = TcpState.TIME_WAIT.ordinal();
    /** How far ahead in the previous table a row is looked for before it counts as new. */
    private static final int LOOKAHEAD = 8;
    /**
     * How far ahead it is looked for after a run of rows not found (a block of rows gone from the table):
     * without it the rest of the table would be read as new and the whole previous table taken back.
     */
    private static final int FAR = 4096;

    /** The figures of one table: sockets per state (every state, 0 for none; unmodifiable) and the TIME_WAIT peak. */
    public record Figures(Map<TcpState, Integer> byState, int timeWaitPeak) {}

    /** A TIME_WAIT socket's destination: its local address and its remote endpoint. */
    private record Destination(InetAddress local, Endpoint remote) {
        static Destination of(SocketEntry e) {
            return new Destination(e.local().address(), e.remote());
        }
    }

    private SocketEntry[] previous = new SocketEntry[0];
    private int previousCount;
    private SocketEntry[] spare = new SocketEntry[0];
    private final int[] states = new int[STATES.length];
    /** TIME_WAIT sockets per destination (those with at least one). */
    private final ObjectIntHashMap<Destination> timeWait = new ObjectIntHashMap<>();
    /** Destinations per TIME_WAIT count: {@code withCount[c]} destinations hold {@code c} sockets (c ≥ 1). */
    private int[] withCount = new int[16];
    private int peak;
    /** Rows read (not found by reference) by the last {@link #update}, for tests. */
    private int lastRead;

    /** Takes the next table and returns its figures. */
    public Figures update(List<SocketEntry> rows) {
        int n = rows.size();
        SocketEntry[] now = spare.length >= n ? spare : new SocketEntry[n + (n >> 4)];
        SocketEntry[] before = previous;
        int prevCount = previousCount;
        int cursor = 0, read = 0, misses = 0;
        for (int i = 0; i < n; i++) {
            SocketEntry e = rows.get(i);
            now[i] = e;
            // after a run of misses, every eighth row is looked for further ahead (reference reads of one array)
            int reach = misses >= LOOKAHEAD && (misses & (LOOKAHEAD - 1)) == 0 ? FAR : LOOKAHEAD;
            int found = -1;
            for (int j = cursor, end = Math.min(prevCount, cursor + reach); j < end; j++) {
                if (before[j] == e) {
                    found = j;
                    break;
                }
            }
            if (found < 0) {
                add(e, 1);
                read++;
                misses++;
                continue;
            }
            misses = 0;
            for (int j = cursor; j < found; j++) add(before[j], -1); // passed over: not in this table at its place
            cursor = found + 1;
        }
        for (int j = cursor; j < prevCount; j++) add(before[j], -1);
        // the previous table's array becomes the spare (its references cleared: it must not keep old rows alive)
        Arrays.fill(before, 0, prevCount, null);
        spare = before;
        previous = now;
        previousCount = n;
        lastRead = read;
        return figures();
    }

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

    private void add(SocketEntry e, int sign) {
        int s = e.state().ordinal();
        states[s] += sign;
        if (s != TIME_WAIT) return;
        Destination d = Destination.of(e);
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
