package io.tcplens.model;

/**
 * The kernel's per-connection counters ({@code struct tcp_info}, include/uapi/linux/tcp.h) as
 * sock_diag reports them in its {@code INET_DIAG_INFO} attribute, plus the rates TcpLens derives
 * from two polls. Only the netlink source has them; a value the kernel did not send (an older,
 * shorter {@code tcp_info}) is {@link #UNKNOWN}. Immutable.
 *
 * @param bytesSent     {@code tcpi_bytes_sent}: payload bytes sent, retransmissions included (Linux 4.19+)
 * @param bytesRetrans  {@code tcpi_bytes_retrans}: payload bytes retransmitted (Linux 4.19+)
 * @param bytesAcked    {@code tcpi_bytes_acked}: bytes the peer acknowledged; counts the SYN and FIN,
 *                      as {@code snd_una} does (RFC 4898 tcpEStatsAppHCThruOctetsAcked)
 * @param bytesReceived {@code tcpi_bytes_received}: payload bytes received in order (RFC 4898
 *                      tcpEStatsAppHCThruOctetsReceived)
 * @param segsOut       {@code tcpi_segs_out}: segments sent, retransmissions and pure ACKs included
 * @param segsIn        {@code tcpi_segs_in}: segments received
 * @param totalRetrans  {@code tcpi_total_retrans}: segments retransmitted over the connection's life
 * @param rttMicros     {@code tcpi_rtt}: smoothed round-trip time in µs
 * @param rttVarMicros  {@code tcpi_rttvar}: its variation in µs
 * @param sendRate      bytes sent per second between this poll and the previous one (from
 *                      {@code bytesSent}), or NaN on the first poll that saw the connection
 * @param receiveRate   the same for bytes received, or NaN
 */
public record TcpInfo(long bytesSent, long bytesRetrans, long bytesAcked, long bytesReceived, long segsOut,
                      long segsIn, long totalRetrans, long rttMicros, long rttVarMicros, double sendRate,
                      double receiveRate) {
    /** A counter the kernel did not report. */
    public static final long UNKNOWN = -1L;

    /** The counters without rates (the first poll that sees a connection). */
    public TcpInfo(long bytesSent, long bytesRetrans, long bytesAcked, long bytesReceived, long segsOut, long segsIn,
                   long totalRetrans, long rttMicros, long rttVarMicros) {
        this(bytesSent, bytesRetrans, bytesAcked, bytesReceived, segsOut, segsIn, totalRetrans, rttMicros, rttVarMicros,
                Double.NaN, Double.NaN);
    }

    public TcpInfo withRates(double send, double receive) {
        return new TcpInfo(bytesSent, bytesRetrans, bytesAcked, bytesReceived, segsOut, segsIn, totalRetrans, rttMicros,
                rttVarMicros, send, receive);
    }

    public boolean hasRates() {
        return !Double.isNaN(sendRate) || !Double.isNaN(receiveRate);
    }
}
