package io.tcplens.model;

/**
 * The kernel's per-connection counters ({@code struct tcp_info}, include/uapi/linux/tcp.h) as
 * sock_diag reports them in its {@code INET_DIAG_INFO} attribute, plus the rates TcpLens derives
 * from two polls. Only the netlink source has them; a value the kernel did not send (an older,
 * shorter {@code tcp_info}) is {@link #UNKNOWN}. Immutable, with a record's accessors, equality and
 * text.
 *
 * <p>One is kept per full socket while a traffic column is shown (100k of them in a 100k table), so it
 * is a class, not a record: the kernel's five 32-bit counters are held in ints (unsigned) with a bit
 * each for "unknown", 88 bytes an object instead of a record's 104.
 *
 * <ul>
 * <li>{@code bytesSent()}: {@code tcpi_bytes_sent}: payload bytes sent, retransmissions included (Linux 4.19+)
 * <li>{@code bytesRetrans()}: {@code tcpi_bytes_retrans}: payload bytes retransmitted (Linux 4.19+)
 * <li>{@code bytesAcked()}: {@code tcpi_bytes_acked}: bytes the peer acknowledged; counts the SYN and FIN,
 *                      as {@code snd_una} does (RFC 4898 tcpEStatsAppHCThruOctetsAcked)
 * <li>{@code bytesReceived()}: {@code tcpi_bytes_received}: payload bytes received in order (RFC 4898
 *                      tcpEStatsAppHCThruOctetsReceived)
 * <li>{@code segsOut()}: {@code tcpi_segs_out} (u32): segments sent, retransmissions and pure ACKs included
 * <li>{@code segsIn()}: {@code tcpi_segs_in} (u32): segments received
 * <li>{@code totalRetrans()}: {@code tcpi_total_retrans} (u32): segments retransmitted over the connection's life
 * <li>{@code rttMicros()}: {@code tcpi_rtt} (u32): smoothed round-trip time in µs
 * <li>{@code rttVarMicros()}: {@code tcpi_rttvar} (u32): its variation in µs
 * <li>{@code sendRate()}: bytes sent per second between this poll and the previous one (from
 *                      {@code bytesSent}), or NaN on the first poll that saw the connection
 * <li>{@code receiveRate()}: the same for bytes received, or NaN
 * </ul>
 */
public final class TcpInfo {
    /** A counter the kernel did not report. */
    public static final long UNKNOWN = -1L;

    private final long bytesSent, bytesRetrans, bytesAcked, bytesReceived;
    private final double sendRate, receiveRate;
    /** The u32 counters' bits (read back unsigned). */
    private final int segsOut, segsIn, totalRetrans, rttMicros, rttVarMicros;
    /** Which of the u32 counters are {@link #UNKNOWN}: bit 0 segsOut … bit 4 rttVarMicros. */
    private final byte unknown;

    /**
     * @throws IllegalArgumentException when one of the five u32 counters is neither {@link #UNKNOWN}
     *                                  nor in [0, 2^32)
     */
    public TcpInfo(long bytesSent, long bytesRetrans, long bytesAcked, long bytesReceived, long segsOut,
                   long segsIn, long totalRetrans, long rttMicros, long rttVarMicros, double sendRate,
                   double receiveRate) {
        this.bytesSent = bytesSent;
        this.bytesRetrans = bytesRetrans;
        this.bytesAcked = bytesAcked;
        this.bytesReceived = bytesReceived;
        this.sendRate = sendRate;
        this.receiveRate = receiveRate;
        this.segsOut = u32("segsOut", segsOut);
        this.segsIn = u32("segsIn", segsIn);
        this.totalRetrans = u32("totalRetrans", totalRetrans);
        this.rttMicros = u32("rttMicros", rttMicros);
        this.rttVarMicros = u32("rttVarMicros", rttVarMicros);
        this.unknown = (byte) ((segsOut == UNKNOWN ? 1 : 0) | (segsIn == UNKNOWN ? 2 : 0) | (totalRetrans == UNKNOWN ? 4 : 0)
                | (rttMicros == UNKNOWN ? 8 : 0) | (rttVarMicros == UNKNOWN ? 16 : 0));
    }

    /** The counters without rates (the first poll that sees a connection). */
    public TcpInfo(long bytesSent, long bytesRetrans, long bytesAcked, long bytesReceived, long segsOut, long segsIn,
                   long totalRetrans, long rttMicros, long rttVarMicros) {
        this(bytesSent, bytesRetrans, bytesAcked, bytesReceived, segsOut, segsIn, totalRetrans, rttMicros, rttVarMicros,
                Double.NaN, Double.NaN);
    }

    private static int u32(String name, long v) {
        if (v == UNKNOWN) return 0;
        if (v < 0 || v > 0xFFFF_FFFFL) throw new IllegalArgumentException(name + " is a u32 counter: " + v);
        return (int) v;
    }

    private long u32(int bits, int unknownBit) {
        return (unknown & unknownBit) != 0 ? UNKNOWN : Integer.toUnsignedLong(bits);
    }

    public long bytesSent() {
        return bytesSent;
    }

    public long bytesRetrans() {
        return bytesRetrans;
    }

    public long bytesAcked() {
        return bytesAcked;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    public long segsOut() {
        return u32(segsOut, 1);
    }

    public long segsIn() {
        return u32(segsIn, 2);
    }

    public long totalRetrans() {
        return u32(totalRetrans, 4);
    }

    public long rttMicros() {
        return u32(rttMicros, 8);
    }

    public long rttVarMicros() {
        return u32(rttVarMicros, 16);
    }

    public double sendRate() {
        return sendRate;
    }

    public double receiveRate() {
        return receiveRate;
    }

    public TcpInfo withRates(double send, double receive) {
        return new TcpInfo(bytesSent, bytesRetrans, bytesAcked, bytesReceived, segsOut(), segsIn(), totalRetrans(),
                rttMicros(), rttVarMicros(), send, receive);
    }

    public boolean hasRates() {
        return !Double.isNaN(sendRate) || !Double.isNaN(receiveRate);
    }

    /** As a record's: every component equal (the rates as {@link Double#compare} does). */
    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof TcpInfo t && t.bytesSent == bytesSent && t.bytesRetrans == bytesRetrans
                && t.bytesAcked == bytesAcked && t.bytesReceived == bytesReceived && t.segsOut == segsOut
                && t.segsIn == segsIn && t.totalRetrans == totalRetrans && t.rttMicros == rttMicros
                && t.rttVarMicros == rttVarMicros && t.unknown == unknown && Double.compare(t.sendRate, sendRate) == 0
                && Double.compare(t.receiveRate, receiveRate) == 0;
    }

    @Override
    public int hashCode() {
        int h = Long.hashCode(bytesSent);
        h = 31 * h + Long.hashCode(bytesRetrans);
        h = 31 * h + Long.hashCode(bytesAcked);
        h = 31 * h + Long.hashCode(bytesReceived);
        h = 31 * h + Long.hashCode(segsOut());
        h = 31 * h + Long.hashCode(segsIn());
        h = 31 * h + Long.hashCode(totalRetrans());
        h = 31 * h + Long.hashCode(rttMicros());
        h = 31 * h + Long.hashCode(rttVarMicros());
        h = 31 * h + Double.hashCode(sendRate);
        return 31 * h + Double.hashCode(receiveRate);
    }

    /** As a record's: {@code TcpInfo[bytesSent=…, …, receiveRate=…]}. */
    @Override
    public String toString() {
        return "TcpInfo[bytesSent=" + bytesSent + ", bytesRetrans=" + bytesRetrans + ", bytesAcked=" + bytesAcked
                + ", bytesReceived=" + bytesReceived + ", segsOut=" + segsOut() + ", segsIn=" + segsIn()
                + ", totalRetrans=" + totalRetrans() + ", rttMicros=" + rttMicros() + ", rttVarMicros=" + rttVarMicros()
                + ", sendRate=" + sendRate + ", receiveRate=" + receiveRate + "]";
    }
}
