package io.tcplens.analysis.ports;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Whether Linux lets a new {@code connect()} take over a TIME_WAIT 4-tuple ({@code tcp_twsk_unique}
 * in net/ipv4/tcp_ipv4.c; {@code Documentation/networking/ip-sysctl.rst}, 6.18): with
 * {@code net.ipv4.tcp_tw_reuse} 1 for every destination, with 2 (the default) only when either
 * address is loopback, and in both cases only for a TIME_WAIT socket that recorded the peer's
 * timestamp ({@code tcp_timestamps} on, and the peer agreed) and is older than
 * {@code net.ipv4.tcp_tw_reuse_delay} (ms, Linux 6.13+; before that about one second). Such a port
 * is not held for connect(): TcpLens counts it as free. The sysctl applies to IPv6 too.
 *
 * @param mode       0, 1 or 2 as in the sysctl; -1 when unknown (then nothing is assumed reusable)
 * @param delayMs    the age after which a TIME_WAIT socket may be taken over
 * @param timestamps whether {@code net.ipv4.tcp_timestamps} lets this host send timestamps
 * @param origin     where the figures came from
 */
public record TimeWaitReuse(int mode, long delayMs, boolean timestamps, String origin) {
    /** Nothing reusable: other platforms, or the sysctls could not be read. */
    public static final TimeWaitReuse NONE = new TimeWaitReuse(-1, 0, false, "TIME_WAIT takeover not known here: none assumed");

    /** Whether connect() towards this destination can take over a TIME_WAIT slot older than {@link #delayMs}. */
    public boolean appliesTo(Destination d) {
        if (!timestamps) return false;
        return mode == 1 || (mode == 2 && (loopback(d.localAddress()) || loopback(d.remote().address())));
    }

    private static boolean loopback(InetAddress a) {
        // an IPv4-mapped loopback is held as Inet4Address already
        return (a instanceof Inet4Address || a instanceof Inet6Address) && a.isLoopbackAddress();
    }

    /** "tcp_tw_reuse = 2 (loopback only), delay 1000 ms, timestamps on". */
    public String describe() {
        if (mode < 0) return origin;
        String m = switch (mode) {
            case 0 -> "0 (off)";
            case 1 -> "1 (every destination)";
            case 2 -> "2 (loopback only)";
            default -> mode + "";
        };
        return "tcp_tw_reuse = " + m + ", delay " + delayMs + " ms, timestamps " + (timestamps ? "on" : "off");
    }
}
