package io.tcplens.analysis.advisor;

import io.tcplens.common.Units;
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
        out.add(explained(TW_REUSE, reuse, byValue(TW_REUSE, reuse, "0", "1", "2")));
        String delay = v(TW_REUSE_DELAY);
        out.add(explained(TW_REUSE_DELAY, delay, delay == null ? meaning(TW_REUSE_DELAY, ".absent") : meaning(TW_REUSE_DELAY, "", delay)));
        String ts = v(TIMESTAMPS);
        out.add(explained(TIMESTAMPS, ts, meaning(TIMESTAMPS, "0".equals(ts) ? ".0" : "")));
        String fin = v(FIN_TIMEOUT);
        out.add(explained(FIN_TIMEOUT, fin, fin == null ? meaning(FIN_TIMEOUT, ".absent") : meaning(FIN_TIMEOUT, "", fin)));
        String buckets = v(MAX_TW_BUCKETS);
        out.add(explained(MAX_TW_BUCKETS, buckets,
                buckets == null ? meaning(MAX_TW_BUCKETS, ".absent") : meaning(MAX_TW_BUCKETS, "", buckets)));
        String range = v(PORT_RANGE);
        Text rangeMeaning = meaning(PORT_RANGE, "");
        if (range != null) {
            String[] p = range.split(" ");
            if (p.length == 2) {
                try {
                    int n = Integer.parseInt(p[1]) - Integer.parseInt(p[0]) + 1;
                    rangeMeaning = meaning(PORT_RANGE, ".size", Units.count(n));
                } catch (NumberFormatException ignored) {
                    // leave the general sentence
                }
            }
        }
        out.add(explained(PORT_RANGE, range, rangeMeaning));
        String reserved = v(RESERVED_PORTS);
        out.add(explained(RESERVED_PORTS, reserved == null ? null : reserved.isEmpty() ? "(empty)" : reserved,
                meaning(RESERVED_PORTS, "")));
        out.add(explained(MAX_SYN_BACKLOG, v(MAX_SYN_BACKLOG), meaning(MAX_SYN_BACKLOG, "")));
        out.add(explained(SOMAXCONN, v(SOMAXCONN), meaning(SOMAXCONN, "")));
        String cookies = v(SYNCOOKIES);
        out.add(explained(SYNCOOKIES, cookies, byValue(SYNCOOKIES, cookies, "0", "1", "2")));
        out.add(explained(KEEPALIVE_TIME, v(KEEPALIVE_TIME), meaning(KEEPALIVE_TIME, "")));
        out.add(explained(KEEPALIVE_INTVL, v(KEEPALIVE_INTVL), meaning(KEEPALIVE_INTVL, "")));
        out.add(explained(KEEPALIVE_PROBES, v(KEEPALIVE_PROBES), meaning(KEEPALIVE_PROBES, "")));
        String recycle = v(TW_RECYCLE);
        out.add(explained(TW_RECYCLE, recycle, meaning(TW_RECYCLE, recycle == null ? ".absent" : "")));
        return out;
    }

    /** The bundle key prefix of a sysctl: {@code setting.} and the last part of its name. */
    static String keyOf(String name) {
        return "setting." + name.substring(name.lastIndexOf('.') + 1);
    }

    private static Text meaning(String name, String variant, Object... args) {
        return Text.of(keyOf(name) + ".meaning" + variant, args);
    }

    /** The meaning for this value when the bundle has one for it ({@code .meaning.VALUE}), else the general one. */
    private static Text byValue(String name, String value, String... known) {
        for (String k : known) if (k.equals(value)) return meaning(name, "." + k);
        return meaning(name, "");
    }

    private static SettingExplanation explained(String name, String value, Text meaning) {
        return new SettingExplanation(name, value, meaning, Text.of(keyOf(name) + ".not"));
    }
}
