package io.tcplens.analysis.advisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The kernel's TCP extension counters from {@code /proc/net/netstat} (pairs of lines: a header
 * "TcpExt: Name1 Name2 …" and values "TcpExt: 1 2 …"), keyed "TcpExt.ListenOverflows"; with
 * {@link #readWithSnmp} also {@code /proc/net/snmp}'s, keyed "Tcp.ActiveOpens".
 */
public record NetstatCounters(long atMillis, Map<String, Long> values) {
    public static final String LISTEN_OVERFLOWS = "TcpExt.ListenOverflows";
    public static final String LISTEN_DROPS = "TcpExt.ListenDrops";
    public static final String SYNCOOKIES_SENT = "TcpExt.SyncookiesSent";
    public static final String TIME_WAIT_OVERFLOW = "TcpExt.TCPTimeWaitOverflow";

    public NetstatCounters {
        values = Map.copyOf(values);
    }

    public static NetstatCounters none() {
        return new NetstatCounters(0, Map.of());
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public OptionalLong get(String key) {
        Long v = values.get(key);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /** How much a counter grew since {@code earlier} (empty when either lacks it). */
    public OptionalLong delta(NetstatCounters earlier, String key) {
        Long now = values.get(key), then = earlier == null ? null : earlier.values.get(key);
        return now == null || then == null ? OptionalLong.empty() : OptionalLong.of(now - then);
    }

    /** Reads {@code PROC/net/netstat}; an unreadable file gives {@link #none()}. */
    public static NetstatCounters read(Path procRoot, long atMillis) {
        try {
            return parse(Files.readAllLines(procRoot.resolve("net/netstat"), StandardCharsets.US_ASCII), atMillis);
        } catch (IOException e) {
            return none();
        }
    }

    /**
     * Reads {@code PROC/net/netstat} and {@code PROC/net/snmp} (the same pairs-of-lines format,
     * keyed e.g. "Tcp.ActiveOpens"); a file that cannot be read adds nothing.
     */
    public static NetstatCounters readWithSnmp(Path procRoot, long atMillis) {
        Map<String, Long> m = new HashMap<>(read(procRoot, atMillis).values());
        try {
            m.putAll(parse(Files.readAllLines(procRoot.resolve("net/snmp"), StandardCharsets.US_ASCII), atMillis).values());
        } catch (IOException e) {
            // netstat alone
        }
        return new NetstatCounters(atMillis, m);
    }

    /**
     * Parses pairs of lines. Each counter's name is the one {@link String#intern interned} string:
     * the advisor keeps a minute of samples (two advisors at once in the window), each with every
     * counter, and at ~230 counters a sample their own name strings were 1.1 MB of the window's live heap
     * (17,400 strings; issue 11, thirteenth round's dominator tree).
     */
    public static NetstatCounters parse(List<String> lines, long atMillis) {
        Map<String, Long> m = new HashMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = lines.get(i).trim().split("\\s+");
            String[] vals = lines.get(i + 1).trim().split("\\s+");
            if (names.length != vals.length || names.length < 2 || !names[0].equals(vals[0])) continue;
            String prefix = names[0].endsWith(":") ? names[0].substring(0, names[0].length() - 1) : names[0];
            for (int k = 1; k < names.length; k++) {
                try {
                    m.put((prefix + "." + names[k]).intern(), Long.parseLong(vals[k]));
                } catch (NumberFormatException ignored) {
                    // skip a field that is not a number
                }
            }
        }
        return new NetstatCounters(atMillis, m);
    }
}
