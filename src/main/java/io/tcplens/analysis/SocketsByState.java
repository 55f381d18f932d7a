package io.tcplens.analysis;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A poll's sockets split by state, each list in table order. The advisor's rules each look at one or
 * two states (CLOSE_WAIT, FIN_WAIT2, SYN_RECV, LISTEN, TIME_WAIT): at 100k sockets each rule walked the
 * whole table (issue 11); now the table is walked once per poll and a rule reads its state's rows.
 * {@link #of(Snapshot)} remembers the last snapshot asked about (by identity).
 */
public final class SocketsByState {
    private final List<List<SocketEntry>> lists;

    /** The last snapshot asked about and its split (immutable, so a racy read sees one or the other whole). */
    private record Last(Snapshot snapshot, SocketsByState split) {}
    private static volatile Last last;

    private SocketsByState(List<List<SocketEntry>> lists) {
        this.lists = lists;
    }

    /** The sockets of {@code snapshot} by state; the same snapshot asked about again is not walked again. */
    public static SocketsByState of(Snapshot snapshot) {
        Last l = last;
        if (l != null && l.snapshot() == snapshot) return l.split();
        TcpState[] states = TcpState.values();
        List<List<SocketEntry>> out = new ArrayList<>(states.length);
        for (int i = 0; i < states.length; i++) out.add(new ArrayList<>());
        for (SocketEntry e : snapshot.sockets()) out.get(e.state().ordinal()).add(e);
        for (int i = 0; i < states.length; i++) out.set(i, Collections.unmodifiableList(out.get(i)));
        SocketsByState made = new SocketsByState(List.copyOf(out));
        last = new Last(snapshot, made);
        return made;
    }

    /** The sockets in {@code state}, in table order (unmodifiable). */
    public List<SocketEntry> get(TcpState state) {
        return lists.get(state.ordinal());
    }
}
