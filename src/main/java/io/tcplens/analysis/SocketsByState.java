package io.tcplens.analysis;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A poll's sockets split by state, each list in table order. The advisor's rules each look at one or
 * two states (CLOSE_WAIT, FIN_WAIT2, SYN_RECV, LISTEN, TIME_WAIT): at 100k sockets each rule walked the
 * whole table (issue 11); now the table is walked once per poll and a rule reads its state's rows.
 * {@link #of(Snapshot)} remembers the last snapshot asked about (by identity).
 * <p>
 * Each state's rows go into an array of the size {@link StateCounts} gives for the same table (no list grown
 * and copied as it fills: at 100k rows some 1 MB of arrays a poll, issue 11); ESTABLISHED, most of a busy
 * table and read by no rule, is split off only when asked for (a walk then).
 */
public final class SocketsByState {
    private static final TcpState[] STATES = TcpState.values();
    /** The state split off only when asked for. */
    private static final TcpState LAZY = TcpState.ESTABLISHED;

    private final Snapshot snapshot;
    /** By state ordinal; {@link #LAZY}'s null (see {@link #lazy}). */
    private final List<List<SocketEntry>> lists;
    /** {@link #LAZY}'s rows once asked for (made under this object's lock). */
    private volatile List<SocketEntry> lazy;

    /** The last snapshot asked about and its split (immutable, so a racy read sees one or the other whole). */
    private record Last(Snapshot snapshot, SocketsByState split) {}
    private static volatile Last last;

    private SocketsByState(Snapshot snapshot) {
        this.snapshot = snapshot;
        Map<TcpState, Integer> counts = StateCounts.of(snapshot);
        SocketEntry[][] rows = new SocketEntry[STATES.length][];
        int[] n = new int[STATES.length];
        for (TcpState s : STATES) if (s != LAZY) rows[s.ordinal()] = new SocketEntry[counts.getOrDefault(s, 0)];
        for (SocketEntry e : snapshot.sockets()) {
            int s = e.state().ordinal();
            SocketEntry[] a = rows[s];
            if (a == null) continue;
            if (n[s] == a.length) rows[s] = a = Arrays.copyOf(a, Math.max(8, 2 * a.length)); // (the counts are the table's: never)
            a[n[s]++] = e;
        }
        List<List<SocketEntry>> out = new ArrayList<>(STATES.length);
        for (int i = 0; i < STATES.length; i++) out.add(rows[i] == null ? null : listOf(rows[i], n[i]));
        this.lists = Collections.unmodifiableList(out);
    }

    private static List<SocketEntry> listOf(SocketEntry[] a, int n) {
        if (n == 0) return List.of();
        List<SocketEntry> l = Arrays.asList(a);
        return Collections.unmodifiableList(n == a.length ? l : l.subList(0, n));
    }

    /** The sockets of {@code snapshot} by state; the same snapshot asked about again is not walked again. */
    public static SocketsByState of(Snapshot snapshot) {
        Last l = last;
        if (l != null && l.snapshot() == snapshot) return l.split();
        SocketsByState made = new SocketsByState(snapshot);
        last = new Last(snapshot, made);
        return made;
    }

    /** The split of {@code snapshot} when it is the last one made, else null (nothing walked). */
    public static SocketsByState ifMade(Snapshot snapshot) {
        Last l = last;
        return l != null && l.snapshot() == snapshot ? l.split() : null;
    }

    /** The sockets in {@code state}, in table order (unmodifiable). */
    public List<SocketEntry> get(TcpState state) {
        if (state != LAZY) return lists.get(state.ordinal());
        List<SocketEntry> l = lazy;
        if (l != null) return l;
        synchronized (this) {
            if (lazy == null) {
                List<SocketEntry> made = new ArrayList<>();
                for (SocketEntry e : snapshot.sockets()) if (e.state() == state) made.add(e);
                lazy = Collections.unmodifiableList(made);
            }
            return lazy;
        }
    }
}
