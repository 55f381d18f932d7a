package io.tcplens.analysis.advisor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The TCP sysctls that decide how TIME_WAIT, ephemeral ports, listen queues and keep-alive
 * behave, read once from a sysctl tree, each explained for its current value. The wording follows
 * current Linux (include/net/tcp.h, Documentation/networking/ip-sysctl.rst).
 */
public final class KernelSettings {
    public static final String TW_REUSE = "net.ipv4.tcp_tw_reuse";
    public static final String TW_REUSE_DELAY = "net.ipv4.tcp_tw_reuse_delay";
    public static final String TW_RECYCLE = "net.ipv4.tcp_tw_recycle";
    public static final String TIMESTAMPS = "net.ipv4.tcp_timestamps";
    public static final String FIN_TIMEOUT = "net.ipv4.tcp_fin_timeout";
    public static final String MAX_TW_BUCKETS = "net.ipv4.tcp_max_tw_buckets";
    public static final String PORT_RANGE = "net.ipv4.ip_local_port_range";
    public static final String RESERVED_PORTS = "net.ipv4.ip_local_reserved_ports";
    public static final String MAX_SYN_BACKLOG = "net.ipv4.tcp_max_syn_backlog";
    public static final String SOMAXCONN = "net.core.somaxconn";
    public static final String SYNCOOKIES = "net.ipv4.tcp_syncookies";
    public static final String KEEPALIVE_TIME = "net.ipv4.tcp_keepalive_time";
    public static final String KEEPALIVE_INTVL = "net.ipv4.tcp_keepalive_intvl";
    public static final String KEEPALIVE_PROBES = "net.ipv4.tcp_keepalive_probes";

    private static final List<String> NAMES = List.of(TW_REUSE, TW_REUSE_DELAY, TIMESTAMPS, FIN_TIMEOUT, MAX_TW_BUCKETS,
            PORT_RANGE, RESERVED_PORTS, MAX_SYN_BACKLOG, SOMAXCONN, SYNCOOKIES, KEEPALIVE_TIME, KEEPALIVE_INTVL,
            KEEPALIVE_PROBES, TW_RECYCLE);

    private final Map<String, String> values;
    private final boolean readable;

    private KernelSettings(Map<String, String> values, boolean readable) {
        this.values = values;
        this.readable = readable;
    }

    public static KernelSettings read(SysctlReader reader) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String n : NAMES) reader.read(n).ifPresent(v -> m.put(n, v));
        return new KernelSettings(m, !m.isEmpty());
    }

    /** False when no sysctl could be read at all (not Linux, or no /proc/sys). */
    public boolean readable() {
        return readable;
    }

    public Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public OptionalLong number(String name) {
        String v = values.get(name);
        if (v == null) return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private String v(String name) {
        return values.get(name);
    }

    /** Every relevant setting with its value and plain explanation (absent ones say so). */
    public List<SettingExplanation> explain() {
        List<SettingExplanation> out = new ArrayList<>();
        String reuse = v(TW_REUSE);
        String reuseMeaning = switch (reuse == null ? "" : reuse) {
            case "0" -> "Off: a new outgoing connection never takes over the 4-tuple of a socket still in TIME_WAIT.";
            case "1" -> "On: a new outgoing connection may take over the 4-tuple of a TIME_WAIT socket when TCP timestamps show its segments are newer.";
            case "2" -> "Loopback only (the default on current kernels): outgoing connections over loopback may take over a TIME_WAIT 4-tuple, others may not.";
            default -> "Whether new outgoing connections may take over the 4-tuple of a TIME_WAIT socket (0 off, 1 on, 2 loopback only).";
        };
        out.add(new SettingExplanation(TW_REUSE, reuse, reuseMeaning,
                "It does not shorten TIME_WAIT, does nothing for connections this machine accepts, and has no effect while tcp_timestamps is 0."));
        String delay = v(TW_REUSE_DELAY);
        out.add(new SettingExplanation(TW_REUSE_DELAY, delay,
                delay == null ? "Not on this kernel (newer kernels add it): tw_reuse then waits about 1 s."
                        : "tw_reuse may take over a TIME_WAIT socket only after it has been in TIME_WAIT for " + delay + " ms.",
                "It is not TIME_WAIT's length and changes nothing while tcp_tw_reuse is 0."));
        String ts = v(TIMESTAMPS);
        out.add(new SettingExplanation(TIMESTAMPS, ts,
                "0".equals(ts) ? "Off: segments carry no RFC 7323 timestamps, so tw_reuse and PAWS protection cannot work."
                        : "Segments carry RFC 7323 timestamps (1 = with a random offset per connection), which tw_reuse and PAWS rely on.",
                "Turning it off does not shorten TIME_WAIT; it disables tw_reuse."));
        String fin = v(FIN_TIMEOUT);
        out.add(new SettingExplanation(FIN_TIMEOUT, fin,
                "An orphaned socket (its process already closed it) waits at most " + (fin == null ? "this many" : fin)
                        + " s in FIN_WAIT_2 for the peer's FIN before the kernel drops it.",
                "It does not shorten TIME_WAIT: Linux keeps TIME_WAIT for a fixed 60 s (TCP_TIMEWAIT_LEN, not a sysctl)."));
        String buckets = v(MAX_TW_BUCKETS);
        out.add(new SettingExplanation(MAX_TW_BUCKETS, buckets,
                "The kernel keeps at most " + (buckets == null ? "this many" : buckets)
                        + " TIME_WAIT sockets; beyond that new ones are destroyed at once and TCPTimeWaitOverflow counts them.",
                "It is a safety cap, not a tuning knob: sockets over the cap lose TIME_WAIT's protection against old duplicate segments."));
        String range = v(PORT_RANGE);
        String rangeMeaning = "Local ports the kernel picks for outgoing connections that did not bind one";
        if (range != null) {
            String[] p = range.split(" ");
            if (p.length == 2) {
                try {
                    int n = Integer.parseInt(p[1]) - Integer.parseInt(p[0]) + 1;
                    rangeMeaning += ": " + String.format(java.util.Locale.ROOT, "%,d", n)
                            + " ports, available again for each destination address:port and each source address";
                } catch (NumberFormatException ignored) {
                    // leave the general sentence
                }
            }
        }
        out.add(new SettingExplanation(PORT_RANGE, range, rangeMeaning + ".",
                "It is not a limit on connections in total, and it does not affect ports that servers listen on (unless they fall inside it)."));
        String reserved = v(RESERVED_PORTS);
        out.add(new SettingExplanation(RESERVED_PORTS, reserved == null ? null : reserved.isEmpty() ? "(empty)" : reserved,
                "Ports inside ip_local_port_range the kernel will not pick by itself, so local services can keep them.",
                "It does not stop a program from binding such a port explicitly."));
        String syn = v(MAX_SYN_BACKLOG);
        out.add(new SettingExplanation(MAX_SYN_BACKLOG, syn,
                "Half-open connections (SYN_RECV) a listener may queue before the kernel drops new SYNs, or answers them with cookies when syncookies are on.",
                "It does not enlarge the accept queue of finished connections; that is min(listen() backlog, somaxconn)."));
        String somax = v(SOMAXCONN);
        out.add(new SettingExplanation(SOMAXCONN, somax,
                "The largest accept queue an application gets, whatever backlog it passes to listen().",
                "It does not raise an application's queue above the backlog the application itself asks for."));
        String cookies = v(SYNCOOKIES);
        String cookieMeaning = switch (cookies == null ? "" : cookies) {
            case "0" -> "Off: when a listener's SYN queue is full, new SYNs are dropped.";
            case "1" -> "On when needed: when a listener's SYN queue overflows, the kernel answers SYNs with cookies instead of dropping them.";
            case "2" -> "Always: every SYN is answered with a cookie, even when the queue is not full.";
            default -> "Whether the kernel answers SYNs with cookies when a listener's SYN queue overflows.";
        };
        out.add(new SettingExplanation(SYNCOOKIES, cookies, cookieMeaning,
                "It does not block the flood's sources; it keeps real clients able to connect while the queue is full."));
        out.add(new SettingExplanation(KEEPALIVE_TIME, v(KEEPALIVE_TIME),
                "Idle seconds before the first TCP keep-alive probe, on sockets whose application set SO_KEEPALIVE.",
                "It is not HTTP keep-alive (reusing a connection), does nothing for sockets without SO_KEEPALIVE, and does not touch TIME_WAIT."));
        out.add(new SettingExplanation(KEEPALIVE_INTVL, v(KEEPALIVE_INTVL),
                "Seconds between keep-alive probes once the first one went unanswered.",
                "It has no effect on sockets without SO_KEEPALIVE."));
        out.add(new SettingExplanation(KEEPALIVE_PROBES, v(KEEPALIVE_PROBES),
                "Unanswered keep-alive probes before the kernel declares the peer dead and resets the connection.",
                "It has no effect on sockets without SO_KEEPALIVE."));
        String recycle = v(TW_RECYCLE);
        out.add(new SettingExplanation(TW_RECYCLE, recycle,
                recycle == null ? "Removed in Linux 4.12 and absent here: old how-tos that tell you to set it are out of date."
                        : "Present only on kernels before 4.12: recycles TIME_WAIT sockets using per-host timestamps; keep it 0.",
                "It never was safe: it dropped connections from clients behind NAT, which is why it was removed; never enable it."));
        return out;
    }
}
