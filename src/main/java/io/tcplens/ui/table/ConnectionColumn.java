package io.tcplens.ui.table;

import io.tcplens.model.TcpInfo;
import java.net.InetAddress;
import java.util.Comparator;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/** The table's columns and how each sorts (used off the FX thread; the table's own sort is disabled). */
public enum ConnectionColumn {
    STATE(Comparator.comparing(ConnectionRow::state)),
    LOCAL(Comparator.comparing(r -> r.key().local())),
    REMOTE(Comparator.comparing(r -> r.key().remote())),
    PROCESS(Comparator.comparing(ConnectionRow::processText)),
    TIME_IN_STATE(Comparator.comparingLong(ConnectionRow::timeInStateMs)),
    TIME_WAIT_LEFT(Comparator.comparingLong(r -> r.entry().timeWaitRemainingMs() == null ? -1 : r.entry().timeWaitRemainingMs())),
    SEND_Q(Comparator.comparingLong(r -> r.entry().sendQueue())),
    RECV_Q(Comparator.comparingLong(r -> r.entry().receiveQueue())),
    UID(Comparator.comparingInt(r -> r.entry().uid())),
    // the kernel's tcp_info (netlink only): rows without it sort as unknown (-1), before every value
    BYTES_SENT(info(TcpInfo::bytesSent)),
    BYTES_RECEIVED(info(TcpInfo::bytesReceived)),
    SEND_RATE(rate(TcpInfo::sendRate)),
    RECEIVE_RATE(rate(TcpInfo::receiveRate)),
    RTT(info(TcpInfo::rttMicros)),
    RETRANSMITS(info(TcpInfo::totalRetrans)),
    SEGS_OUT(info(TcpInfo::segsOut)),
    SEGS_IN(info(TcpInfo::segsIn)),
    BYTES_ACKED(info(TcpInfo::bytesAcked)),
    COOKIE(Comparator.comparing(r -> r.entry().cookie(), Long::compareUnsigned)),
    /** The remote's reverse-DNS name, as far as it was resolved (see {@link #hostNames}). */
    REMOTE_HOST(Comparator.comparing(r -> String.valueOf(hostName(r)), String.CASE_INSENSITIVE_ORDER));

    private final Comparator<ConnectionRow> comparator;

    ConnectionColumn(Comparator<ConnectionRow> c) {
        this.comparator = c.thenComparing(ConnectionRow::key);
    }

    public Comparator<ConnectionRow> comparator(boolean ascending) {
        return ascending ? comparator : comparator.reversed();
    }

    /**
     * The reverse-DNS names the connections view has resolved (a cache lookup that never blocks;
     * null when none). Set by the view; the sort of {@link #REMOTE_HOST} reads it off the FX thread.
     */
    public static volatile Function<InetAddress, String> hostNames = a -> null;

    static String hostName(ConnectionRow r) {
        return hostNames.apply(r.key().remote().address());
    }

    private static Comparator<ConnectionRow> info(ToLongFunction<TcpInfo> f) {
        return Comparator.comparingLong(r -> r.entry().tcpInfo() == null ? -1 : f.applyAsLong(r.entry().tcpInfo()));
    }

    private static Comparator<ConnectionRow> rate(ToDoubleFunction<TcpInfo> f) {
        return Comparator.comparingDouble(r -> {
            TcpInfo t = r.entry().tcpInfo();
            double v = t == null ? -1 : f.applyAsDouble(t);
            return Double.isNaN(v) ? -1 : v;
        });
    }
}
