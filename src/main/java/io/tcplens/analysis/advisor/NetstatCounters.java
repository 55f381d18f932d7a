package io.tcplens.analysis.advisor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

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
     * (17,400 strings; issue 11, thirteenth round's dominator tree). A header line's names are worked out
     * once ({@link #names}) and the values are read in place, without splitting the line: each poll read
     * the files again for both advisors, and splitting, joining and interning ~230 names each time was
     * 0.11 MB a second of the window's 1.1 at 100k (round 25's allocation profile).
     */
    public static NetstatCounters parse(List<String> lines, long atMillis) {
        Map<String, Long> m = new HashMap<>();
        for (int i = 0; i + 1 < lines.size(); i += 2) {
            String[] names = names(lines.get(i));
            if (names.length < 2) continue;
            String vals = lines.get(i + 1);
            // the values line: the header's first token, then one field per name (as split on white space)
            int fields = 0;
            for (int p = skipSpace(vals, 0); p < vals.length(); p = skipSpace(vals, tokenEnd(vals, p))) fields++;
            if (fields != names.length) continue;
            int p = skipSpace(vals, 0), e = tokenEnd(vals, p);
            String first = names[0];
            if (e - p != first.length() || !vals.regionMatches(p, first, 0, first.length())) continue;
            for (int k = 1; k < names.length; k++) {
                p = skipSpace(vals, e);
                e = tokenEnd(vals, p);
                try {
                    m.put(names[k], Long.parseLong(vals, p, e, 10));
                } catch (NumberFormatException ignored) {
                    // skip a field that is not a number
                }
            }
        }
        return new NetstatCounters(atMillis, m);
    }

    /** Header lines seen (a handful in the two files), each with its names; bounded against odd input. */
    private static final Map<String, String[]> HEADERS = new ConcurrentHashMap<>();
    private static final int MAX_HEADERS = 64;

    /**
     * A header line's first token ("TcpExt:") followed by its counters' keys ("TcpExt.ListenOverflows", interned),
     * split on white space as {@code trim().split("\\s+")} would.
     */
    private static String[] names(String header) {
        String[] cached = HEADERS.get(header);
        if (cached != null) return cached;
        String[] names = header.trim().split("\\s+");
        if (names.length >= 2) {
            String prefix = names[0].endsWith(":") ? names[0].substring(0, names[0].length() - 1) : names[0];
            for (int k = 1; k < names.length; k++) names[k] = (prefix + "." + names[k]).intern();
        }
        if (HEADERS.size() < MAX_HEADERS) HEADERS.putIfAbsent(header, names);
        return names;
    }

    /** White space as the regular expression {@code \\s} has it. */
    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
    }

    private static int skipSpace(String s, int from) {
        while (from < s.length() && space(s.charAt(from))) from++;
        return from;
    }

    private static int tokenEnd(String s, int from) {
        while (from < s.length() && !space(s.charAt(from))) from++;
        return from;
    }
}
