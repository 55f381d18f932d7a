package io.tcplens.model;

import com.carrotsearch.hppc.ObjectIntHashMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The TCP table at one moment: immutable.
 *
 * @param timestampMillis wall-clock time of the poll (epoch ms)
 * @param sockets         every socket seen
 * @param source          where it came from
 * @param warnings        non-fatal problems of this poll (malformed lines skipped, owners hidden…)
 * @param holders         every process holding each socket that several processes hold (beside the rows:
 *                        a row names one owner), {@link SocketHolders#NONE} when none or unknown
 */
public record Snapshot(long timestampMillis, List<SocketEntry> sockets, SourceInfo source, List<String> warnings,
                       SocketHolders holders) {

    public Snapshot {
        // the tracker's and the sources' handed-over rows: read-only already
        sockets = sockets instanceof HandedRows || sockets instanceof TrackedRows ? sockets : List.copyOf(sockets);
        warnings = List.copyOf(warnings);
        if (holders == null) holders = SocketHolders.NONE;
    }

    /** A table whose source tells no shared sockets apart. */
    public Snapshot(long timestampMillis, List<SocketEntry> sockets, SourceInfo source, List<String> warnings) {
        this(timestampMillis, sockets, source, warnings, SocketHolders.NONE);
    }

    /**
     * A read-only list of the first {@code size} rows of {@code rows} that a {@link Snapshot} takes without
     * copying: for a source that makes a new array for each table and never writes it again once it hands
     * it over (the caller's promise; every one of those rows non-null).
     */
    public static List<SocketEntry> handedRows(SocketEntry[] rows, int size) {
        return new HandedRows(rows, size);
    }

    public static Snapshot empty(SourceInfo source) {
        return new Snapshot(0, List.of(), source, List.of());
    }


    /** The sockets keyed by 4-tuple (a later duplicate of a 4-tuple wins). Built on each call: cache it. */
    public Map<ConnectionKey, SocketEntry> byKey() {
        Map<ConnectionKey, SocketEntry> m = new HashMap<>(sockets.size() * 2);
        for (SocketEntry e : sockets) m.put(e.key(), e);
        return m;
    }

    /**
     * The sockets with each 4-tuple once (the later row wins): a table read while it changes (/proc and
     * sock_diag dumps are not atomic) can list a socket twice. The tracker already does this for the
     * engine's snapshots; one-shot commands that skip the tracker call this.
     */
    public List<SocketEntry> distinctSockets() {
        // a primitive map: no Integer and no map node per socket (250k in a one-shot counts)
        ObjectIntHashMap<ConnectionKey> last = new ObjectIntHashMap<>(sockets.size());
        for (int i = 0; i < sockets.size(); i++) last.put(sockets.get(i).key(), i);
        if (last.size() == sockets.size()) return sockets;
        List<SocketEntry> out = new ArrayList<>(last.size());
        for (int i = 0; i < sockets.size(); i++) if (last.get(sockets.get(i).key()) == i) out.add(sockets.get(i));
        return out;
    }

    /** Number of sockets per RFC state (every state present, zero included). */
    public Map<TcpState, Integer> countByState() {
        TcpState[] states = TcpState.values();
        int[] n = new int[states.length]; // an int per state, not a boxed merge per socket (100k rows a poll)
        for (SocketEntry e : sockets) n[e.state().ordinal()]++;
        Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
        for (TcpState s : states) m.put(s, n[s.ordinal()]);
        return m;
    }
}
