package io.tcplens.ui.table;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpInfo;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The table's columns and how each sorts (used off the FX thread; the table's own sort is disabled).
 * A column that sorts by a whole number also gives it as a {@code long} read from the socket itself, so
 * {@link ConnectionTableModel} sorts 100k rows on primitive arrays, with no row objects and no comparators that walk them.
 */
public enum ConnectionColumn {
    STATE(Comparator.comparing(ConnectionRow::state), (e, t) -> e.state().ordinal()),
    LOCAL(Comparator.comparing(r -> r.key().local()), (e, t) -> e.key().localOrder()),
    REMOTE(Comparator.comparing(r -> r.key().remote()), (e, t) -> e.key().remoteOrder()),
    PROCESS(Comparator.comparing(ConnectionRow::processText), null),
    TIME_IN_STATE(Comparator.comparingLong(ConnectionRow::timeInStateMs), (e, t) -> t),
    TIME_WAIT_LEFT(Comparator.comparingLong(r -> timeWaitLeft(r.entry())), (e, t) -> timeWaitLeft(e)),
    SEND_Q(Comparator.comparingLong(r -> r.entry().sendQueue()), (e, t) -> e.sendQueue()),
    RECV_Q(Comparator.comparingLong(r -> r.entry().receiveQueue()), (e, t) -> e.receiveQueue()),
    UID(Comparator.comparingInt(r -> r.entry().uid()), (e, t) -> e.uid()),
    // the kernel's tcp_info (netlink only): rows without it sort as unknown (-1), before every value
    BYTES_SENT(TcpInfo::bytesSent),
    BYTES_RECEIVED(TcpInfo::bytesReceived),
    SEND_RATE(rate(TcpInfo::sendRate), null),
    RECEIVE_RATE(rate(TcpInfo::receiveRate), null),
    RTT(TcpInfo::rttMicros),
    RETRANSMITS(TcpInfo::totalRetrans),
    SEGS_OUT(TcpInfo::segsOut),
    SEGS_IN(TcpInfo::segsIn),
    BYTES_ACKED(TcpInfo::bytesAcked),
    // unsigned: flipping the sign bit keeps that order in a signed long
    COOKIE(Comparator.comparing(r -> r.entry().cookie(), Long::compareUnsigned), (e, t) -> e.cookie() ^ Long.MIN_VALUE),
    /** The remote's reverse-DNS name, as far as it was resolved (see {@link #hostNames}). */
    REMOTE_HOST(Comparator.comparing(r -> String.valueOf(hostName(r)), String.CASE_INSENSITIVE_ORDER), null);

    /** A column's value as a long from the socket and its time in state (-1 for a closed row), so no row object is needed. */
    @FunctionalInterface
    interface EntryKey {
        long of(SocketEntry e, long timeInStateMs);
    }

    private final Comparator<ConnectionRow> comparator;
    private final EntryKey entryKey;

    /**
     * @param c   the order of the column's values
     * @param key the same order as a long, or null when the values are not whole numbers; ties are
     *            broken by the connection's key either way
     */
    ConnectionColumn(Comparator<ConnectionRow> c, EntryKey key) {
        this.comparator = c.thenComparing(ConnectionRow::key);
        this.entryKey = key;
    }

    /** A tcp_info counter: -1 where the row has no tcp_info. */
    ConnectionColumn(ToLongFunction<TcpInfo> info) {
        this(Comparator.comparingLong(r -> info(info, r.entry())), (e, t) -> info(info, e));
    }

    /** A column of the kernel's tcp_info (Sent, Received, rates, RTT…): sorting by it needs every row's counters. */
    public boolean isTraffic() {
        return ordinal() >= BYTES_SENT.ordinal() && ordinal() <= BYTES_ACKED.ordinal();
    }

    public Comparator<ConnectionRow> comparator(boolean ascending) {
        return new Order(this, ascending);
    }

    /** The column's value as a long that sorts as the column does (from a socket and its time in state), or null when it has none. */
    EntryKey entryKey() {
        return entryKey;
    }

    /**
     * The reverse-DNS names the connections view has resolved (a cache lookup that never blocks;
     * null when none). Set by the view; the sort of {@link #REMOTE_HOST} reads it off the FX thread.
     */
    public static volatile Function<InetAddress, String> hostNames = a -> null;

    static String hostName(ConnectionRow r) {
        return hostNames.apply(r.key().remote().address());
    }

    /**
     * Orders by TIME_WAIT time left (-1: none): a row that carries its timer's due time by that due time
     * (its time left now moves with the clock while a sort runs, so comparisons would not agree), any other
     * by its stored time left. One table's TIME_WAIT rows are all of one kind (one source's).
     */
    private static long timeWaitLeft(SocketEntry e) {
        if (e.state() != TcpState.TIME_WAIT || !e.hasTimerTime()) return -1;
        return e.timerDueMillis() != SocketEntry.NO_DUE ? e.timerDueMillis() : e.timerRemainingMs();
    }

    private static long info(ToLongFunction<TcpInfo> f, SocketEntry e) {
        return e.tcpInfo() == null ? -1 : f.applyAsLong(e.tcpInfo());
    }

    private static Comparator<ConnectionRow> rate(ToDoubleFunction<TcpInfo> f) {
        return Comparator.comparingDouble(r -> {
            TcpInfo t = r.entry().tcpInfo();
            double v = t == null ? -1 : f.applyAsDouble(t);
            return Double.isNaN(v) ? -1 : v;
        });
    }

    /** A sort by one column; a {@link Comparator} for anyone, and read by the model to sort on primitives. */
    public record Order(ConnectionColumn column, boolean ascending) implements Comparator<ConnectionRow> {
        @Override
        public int compare(ConnectionRow a, ConnectionRow b) {
            int c = column.comparator.compare(a, b);
            return ascending ? c : -c;
        }
    }
}
