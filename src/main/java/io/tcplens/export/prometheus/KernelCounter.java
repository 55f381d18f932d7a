package io.tcplens.export.prometheus;

import java.util.List;

/**
 * A kernel TCP counter the exporter publishes: its key in {@code /proc/net/netstat} or
 * {@code /proc/net/snmp} (as {@link io.tcplens.analysis.advisor.NetstatCounters} keys it), the
 * metric name (without {@code _total}, which the exposition adds) and its HELP text.
 */
public record KernelCounter(String key, String name, String help) {

    /** The counters the advisor reads, and the ones around them that explain a connection problem. */
    public static final List<KernelCounter> ALL = List.of(
            new KernelCounter("TcpExt.ListenOverflows", "tcplens_kernel_listen_overflows",
                    "Handshakes completed while the listener's accept queue was full (TcpExt.ListenOverflows)."),
            new KernelCounter("TcpExt.ListenDrops", "tcplens_kernel_listen_drops",
                    "SYNs or completed handshakes a listener dropped, overflows included (TcpExt.ListenDrops)."),
            new KernelCounter("TcpExt.SyncookiesSent", "tcplens_kernel_syncookies_sent",
                    "SYN cookies sent because a listener's SYN queue was full (TcpExt.SyncookiesSent)."),
            new KernelCounter("TcpExt.SyncookiesRecv", "tcplens_kernel_syncookies_received",
                    "Valid SYN cookies received back (TcpExt.SyncookiesRecv)."),
            new KernelCounter("TcpExt.SyncookiesFailed", "tcplens_kernel_syncookies_failed",
                    "ACKs whose SYN cookie did not check out (TcpExt.SyncookiesFailed)."),
            new KernelCounter("TcpExt.TCPReqQFullDrop", "tcplens_kernel_syn_queue_full_drops",
                    "SYNs dropped because the SYN queue was full and cookies were off (TcpExt.TCPReqQFullDrop)."),
            new KernelCounter("TcpExt.TCPReqQFullDoCookies", "tcplens_kernel_syn_queue_full_cookies",
                    "SYNs answered with a cookie because the SYN queue was full (TcpExt.TCPReqQFullDoCookies)."),
            new KernelCounter("TcpExt.TCPTimeWaitOverflow", "tcplens_kernel_time_wait_overflows",
                    "Sockets destroyed at once instead of entering TIME_WAIT because tcp_max_tw_buckets was reached (TcpExt.TCPTimeWaitOverflow)."),
            new KernelCounter("TcpExt.TW", "tcplens_kernel_time_wait_expired",
                    "TIME_WAIT sockets that ended when their timer ran out (TcpExt.TW)."),
            new KernelCounter("TcpExt.TCPAbortOnData", "tcplens_kernel_abort_on_data",
                    "Connections reset because data arrived after the application closed (TcpExt.TCPAbortOnData)."),
            new KernelCounter("TcpExt.TCPAbortOnClose", "tcplens_kernel_abort_on_close",
                    "Connections reset because the application closed with unread data (TcpExt.TCPAbortOnClose)."),
            new KernelCounter("TcpExt.TCPAbortOnTimeout", "tcplens_kernel_abort_on_timeout",
                    "Connections dropped after retransmission or keep-alive timeouts (TcpExt.TCPAbortOnTimeout)."),
            new KernelCounter("Tcp.ActiveOpens", "tcplens_kernel_active_opens",
                    "Connections this machine opened: CLOSED to SYN_SENT (Tcp.ActiveOpens in /proc/net/snmp)."),
            new KernelCounter("Tcp.PassiveOpens", "tcplens_kernel_passive_opens",
                    "Connections this machine accepted: LISTEN to SYN_RECV (Tcp.PassiveOpens)."),
            new KernelCounter("Tcp.AttemptFails", "tcplens_kernel_attempt_fails",
                    "Connection attempts that failed: SYN_SENT/SYN_RECV to CLOSED, SYN_RECV to LISTEN (Tcp.AttemptFails)."),
            new KernelCounter("Tcp.EstabResets", "tcplens_kernel_established_resets",
                    "Resets of ESTABLISHED or CLOSE_WAIT connections (Tcp.EstabResets)."),
            new KernelCounter("Tcp.RetransSegs", "tcplens_kernel_retransmitted_segments",
                    "Segments retransmitted (Tcp.RetransSegs)."),
            new KernelCounter("Tcp.OutRsts", "tcplens_kernel_resets_sent",
                    "Segments sent with the RST flag (Tcp.OutRsts)."));
}
