package io.tcplens.ui.remote;

import io.tcplens.analysis.remote.RemoteHostRow;
import io.tcplens.model.Addresses;
import io.tcplens.model.TcpState;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/** The sortable columns of the remote-host table and how each sorts (off the FX thread). */
public enum RemoteColumn {
    REMOTE(null),
    TOTAL(RemoteHostRow::total),
    ESTABLISHED(r -> r.count(TcpState.ESTABLISHED)),
    SYN_RECV(r -> r.count(TcpState.SYN_RECV)),
    TIME_WAIT(r -> r.count(TcpState.TIME_WAIT)),
    CLOSE_WAIT(r -> r.count(TcpState.CLOSE_WAIT)),
    FIN_WAIT1(r -> r.count(TcpState.FIN_WAIT1)),
    FIN_WAIT2(r -> r.count(TcpState.FIN_WAIT2)),
    OTHER(RemoteColumn::other),
    NEW_PER_SECOND(null),
    PORTS(r -> r.localPorts().isEmpty() ? -1 : r.localPorts().get(0)),
    PROCESSES(null),
    FIRST_SEEN(null),
    LAST_NEW(null);

    /** States shown in their own column; the rest are summed under OTHER. */
    public static final List<TcpState> OWN_COLUMNS = List.of(TcpState.ESTABLISHED, TcpState.TIME_WAIT, TcpState.CLOSE_WAIT,
            TcpState.SYN_RECV, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2); // in the app's order (StatePalette.ORDER)

    private final ToIntFunction<RemoteHostRow> count;

    RemoteColumn(ToIntFunction<RemoteHostRow> count) {
        this.count = count;
    }

    public static int other(RemoteHostRow r) {
        int n = 0;
        for (var e : r.byState().entrySet()) if (!OWN_COLUMNS.contains(e.getKey())) n += e.getValue();
        return n;
    }

    /** The column of a state shown on its own, or OTHER. */
    public static RemoteColumn of(TcpState s) {
        for (RemoteColumn c : values()) if (c.name().equals(s.name())) return c;
        return OTHER;
    }

    private static final Comparator<RemoteHostRow> BY_ADDRESS = (x, y) -> {
        int c = Addresses.compare(x.address(), y.address());
        return c != 0 ? c : Integer.compare(x.prefixLength(), y.prefixLength());
    };

    public Comparator<RemoteHostRow> comparator(boolean ascending) {
        Comparator<RemoteHostRow> c = switch (this) {
            case REMOTE -> BY_ADDRESS;
            case NEW_PER_SECOND -> Comparator.comparingDouble(r -> Double.isNaN(r.newPerSecond()) ? -1 : r.newPerSecond());
            case PROCESSES -> Comparator.comparing(r -> r.processes().isEmpty() ? "" : r.processes().get(0));
            case FIRST_SEEN -> Comparator.comparingLong(RemoteHostRow::firstSeenMillis);
            case LAST_NEW -> Comparator.comparingLong(RemoteHostRow::lastNewMillis);
            default -> Comparator.comparingInt(count);
        };
        c = ascending ? c : c.reversed();
        return c.thenComparing(BY_ADDRESS);
    }
}
