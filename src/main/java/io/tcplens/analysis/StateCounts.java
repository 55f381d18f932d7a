package io.tcplens.analysis;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Sockets per state — the {@code netstat -nat | awk '{print $NF}' | sort | uniq -c} of the old how-tos. */
public final class StateCounts {
    private StateCounts() {}

    /** The last snapshot asked about and its figures (immutable, so a racy read sees one or the other whole). */
    private record Last(Snapshot snapshot, StateTally.Figures figures) {}
    private static volatile Last last;
    /** Kept from table to table: only the rows that changed since the last table asked about are read. */
    private static final StateTally TALLY = new StateTally();

    /**
     * Sockets per state of a poll's table, every state present (0 for none), like
     * {@link Snapshot#countByState()}, unmodifiable. Several parts of the window count the same poll (the
     * tiles, the charts' history, on the prepare thread): the last snapshot asked about (by identity) is
     * not counted again, and the next is counted from the last by its changed rows ({@link StateTally};
     * issue 11: 100k rows a poll).
     */
    public static Map<TcpState, Integer> of(Snapshot snapshot) {
        return figures(snapshot).byState();
    }

    /** {@link #of} and the most TIME_WAIT sockets from one local address to one remote endpoint, of the same table. */
    public static StateTally.Figures figures(Snapshot snapshot) {
        Last l = last;
        if (l != null && l.snapshot() == snapshot) return l.figures();
        StateTally.Figures f;
        synchronized (TALLY) {
            f = TALLY.update(snapshot.sockets());
        }
        last = new Last(snapshot, f);
        return f;
    }

    /** Counts of the states present, ascending by count like {@code sort | uniq -c | sort -n}, ties by state order. */
    public static Map<TcpState, Integer> count(Collection<SocketEntry> sockets, Predicate<SocketEntry> filter) {
        TcpState[] states = TcpState.values();
        int[] n = new int[states.length]; // an int per state: a boxed merge per socket made an Integer each past 127
        for (SocketEntry e : sockets) if (filter.test(e)) n[e.state().ordinal()]++;
        Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
        for (TcpState s : states) if (n[s.ordinal()] > 0) m.put(s, n[s.ordinal()]);
        List<Map.Entry<TcpState, Integer>> list = new ArrayList<>(m.entrySet());
        list.sort(Map.Entry.<TcpState, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()));
        Map<TcpState, Integer> sorted = new LinkedHashMap<>();
        for (Map.Entry<TcpState, Integer> e : list) sorted.put(e.getKey(), e.getValue());
        return sorted;
    }

    /** Matches sockets whose local or remote port is {@code port} (like grep ":80"), or all when null. */
    public static Predicate<SocketEntry> port(Integer port) {
        if (port == null) return e -> true;
        int p = port;
        return e -> e.local().port() == p || e.remote().port() == p;
    }

    public static Comparator<Map.Entry<TcpState, Integer>> byCountAscending() {
        return Map.Entry.<TcpState, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey());
    }
}
