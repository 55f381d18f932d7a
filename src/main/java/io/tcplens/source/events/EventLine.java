package io.tcplens.source.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One line of bpftrace's JSON output ({@code -f json}), parsed. Event lines are
 * {@code {"type": "printf", "data": "E nsecs skaddr old new sport dport saddr daddr pid acked
 * received comm\n"}} (addresses as IPv6 text, IPv4 ones v4-mapped, which {@link Endpoint} holds as
 * IPv4; no interface: {@link io.tcplens.model.KernelTransition#plainKey} matches them to table keys); the heartbeat is {@code "H nsecs cpu"} (one per CPU: see {@link BpftraceEvents}); bpftrace's own lines ({@code attached_probes},
 * {@code lost_events}) go through Jackson. Event lines, tens of thousands a second, are cut by hand:
 * Jackson's tree for each would cost several times the parse.
 */
final class EventLine {
    private static final String PRINTF = "{\"type\": \"printf\", \"data\": \"";
    private static final ObjectMapper JSON = new ObjectMapper();

    sealed interface Parsed permits Event, Heartbeat, Attached, Lost, Other {}

    /** A raw event: key may carry local port 0 (a connect() before its port was chosen). */
    record Event(long monoNanos, long skaddr, KernelTcpState from, KernelTcpState to, ConnectionKey key,
                 int pid, long acked, long received, String comm) implements Parsed {}

    /** A heartbeat written on {@code cpu} (-1: a line without the CPU, as older programs printed). */
    record Heartbeat(long monoNanos, int cpu) implements Parsed {}

    record Attached(int probes) implements Parsed {}

    record Lost(long events) implements Parsed {}

    record Other(String text) implements Parsed {
        /** The data of a printf line bpftrace wrote (its JSON decoded, the trailing newline dropped), or null. */
        String printfData() {
            if (!text.startsWith(PRINTF)) return null;
            try {
                String d = JSON.readTree(text).path("data").asText(null);
                return d != null && d.endsWith("\n") ? d.substring(0, d.length() - 1) : d;
            } catch (Exception e) {
                return null;
            }
        }
    }

    private EventLine() {}

    static Parsed parse(String line) {
        if (line.startsWith(PRINTF) && line.endsWith("\"}")) {
            // the data's bounds in the line: no substring of it (tens of thousands of lines a second)
            int from = PRINTF.length(), end = line.length() - 2;
            if (end - from >= 2 && line.startsWith("\\n", end - 2)) end -= 2;
            if (end - from >= 2 && line.startsWith("E ", from)) {
                Event e = event(line, from + 2, end);
                if (e != null) return e;
            } else if (end - from >= 2 && line.startsWith("H ", from)) {
                Heartbeat h = heartbeat(line, from + 2, end);
                if (h != null) return h;
            }
            return new Other(line);
        }
        try {
            JsonNode n = JSON.readTree(line);
            String type = n.path("type").asText("");
            return switch (type) {
                case "attached_probes" -> new Attached(n.path("data").path("probes").asInt());
                case "lost_events" -> new Lost(n.path("data").path("events").asLong());
                default -> new Other(line);
            };
        } catch (Exception e) {
            return new Other(line);
        }
    }

    /**
     * A heartbeat's fields ("nsecs" or "nsecs cpu", separated by spaces, blanks around them), read in place:
     * what {@code strip().split(" +")} of the substring gave (a regex and three strings per line, 100 lines a
     * second on two CPUs). Null when it is not one (more fields, or a field that is not a number).
     */
    private static Heartbeat heartbeat(String d, int at, int end) {
        while (at < end && Character.isWhitespace(d.charAt(at))) at++;
        while (end > at && Character.isWhitespace(d.charAt(end - 1))) end--;
        int sp = d.indexOf(' ', at);
        if (sp < 0 || sp >= end) sp = end;
        int next = sp;
        while (next < end && d.charAt(next) == ' ') next++;
        if (next < end && d.indexOf(' ', next) >= 0 && d.indexOf(' ', next) < end) return null; // a third field
        try {
            long ns = Long.parseUnsignedLong(d, at, sp, 10);
            return new Heartbeat(ns, next < end ? Integer.parseInt(d, next, end, 10) : -1);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /**
     * Event fields, read in place from the line between {@code at} and {@code end} (no regex, no split
     * array, no substring per field: each event made a dozen strings, 73 MB a minute on the window's
     * churning 100k table); addresses and process names are looked up by their characters.
     */
    private static Event event(String d, int at, int end) {
        try {
            int e = field(d, at, end);
            long ns = Long.parseUnsignedLong(d, at, e, 10);
            int e2 = field(d, e + 1, end);
            long sk = Long.parseUnsignedLong(d, e + 1, e2, 16);
            int e3 = field(d, e2 + 1, end);
            int e4 = field(d, e3 + 1, end);
            KernelTcpState from = KernelTcpState.fromCode(Integer.parseInt(d, e2 + 1, e3, 10)).orElse(null);
            KernelTcpState to = KernelTcpState.fromCode(Integer.parseInt(d, e3 + 1, e4, 10)).orElse(null);
            if (from == null || to == null) return null;
            int e5 = field(d, e4 + 1, end);
            int sport = Integer.parseInt(d, e4 + 1, e5, 10);
            int e6 = field(d, e5 + 1, end);
            int dport = Integer.parseInt(d, e5 + 1, e6, 10);
            int e7 = field(d, e6 + 1, end);
            InetAddress src = address(d, e6 + 1, e7);
            int e8 = field(d, e7 + 1, end);
            InetAddress dst = address(d, e7 + 1, e8);
            int e9 = field(d, e8 + 1, end);
            int pid = Integer.parseInt(d, e8 + 1, e9, 10);
            int e10 = field(d, e9 + 1, end);
            long acked = Long.parseUnsignedLong(d, e9 + 1, e10, 10);
            int e11 = field(d, e10 + 1, end);
            long received = Long.parseUnsignedLong(d, e10 + 1, e11, 10);
            String comm = comm(d, e11 + 1, end);
            return new Event(ns, sk, from, to, key(src, sport, dst, dport), pid, acked, received, comm);
        } catch (NumberFormatException | UnknownHostException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** Where the field starting at {@code from} ends: the next space before {@code end}. */
    private static int field(String d, int from, int end) {
        int sp = d.indexOf(' ', from);
        if (sp < 0 || sp >= end) throw new IndexOutOfBoundsException("short event line");
        return sp;
    }

    /** An address's text and the address it parsed to (one object: a race can never pair other ones). */
    private record Known(String text, InetAddress address) {}

    /**
     * Addresses seen recently, direct-mapped by their text's hash: a churn repeats a handful of them,
     * parsing each again would cost more than the rest. Benign races: entries are immutable.
     */
    private static final Known[] ADDRESSES = new Known[1 << 12];

    private static int hash(String d, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) h = 31 * h + d.charAt(i);
        return h ^ (h >>> 16);
    }

    /** A literal address (bpftrace's ntop output), never a name lookup. */
    private static InetAddress address(String d, int from, int to) throws UnknownHostException {
        int i = hash(d, from, to) & (ADDRESSES.length - 1);
        Known k = ADDRESSES[i];
        int len = to - from;
        if (k != null && k.text().length() == len && d.regionMatches(from, k.text(), 0, len)) return k.address();
        String text = d.substring(from, to);
        if (text.isEmpty() || !(Character.digit(text.charAt(0), 16) >= 0 || text.charAt(0) == ':'))
            throw new UnknownHostException(text);
        InetAddress a = InetAddress.getByName(text);
        ADDRESSES[i] = new Known(text, a);
        return a;
    }

    /**
     * Keys of recent events, direct-mapped by 4-tuple: a socket's events (connect, established, the
     * close's three or four steps) name one 4-tuple, and each event kept one key and two endpoints of
     * its own (104 bytes; a full ring of 262,144 events held 27 MB of them). A slot is reused only when
     * its key has these very address objects ({@link #ADDRESSES} gives one per text) and ports, so a
     * collision or an address parsed again just makes a new key. Benign races: keys are immutable.
     */
    private static final ConnectionKey[] KEYS = new ConnectionKey[1 << 14];

    static ConnectionKey key(InetAddress src, int sport, InetAddress dst, int dport) {
        int h = (System.identityHashCode(src) * 31 + System.identityHashCode(dst)) * 65_537 + sport * 31 + dport;
        int i = (h ^ (h >>> 15)) & (KEYS.length - 1);
        ConnectionKey k = KEYS[i];
        if (k != null && k.local().port() == sport && k.remote().port() == dport && k.local().address() == src
                && k.remote().address() == dst) return k;
        k = new ConnectionKey(new Endpoint(src, sport), new Endpoint(dst, dport));
        KEYS[i] = k;
        return k;
    }

    /** Process names of recent events, one string each (a churn repeats a few: each event kept a copy). */
    private static final Map<String, String> COMMS = new ConcurrentHashMap<>();
    /** The same, direct-mapped by their text's hash, found without a substring (names with no escape). */
    private static final String[] RECENT_COMMS = new String[1 << 8];

    private static String comm(String d, int from, int end) {
        int len = end - from;
        int i = hash(d, from, end) & (RECENT_COMMS.length - 1);
        String c = RECENT_COMMS[i];
        if (c != null && c.length() == len && d.regionMatches(from, c, 0, len)) return c;
        String raw = d.substring(from, end);
        c = comm(unescape(raw));
        if (c.equals(raw)) RECENT_COMMS[i] = c; // an escaped name is not its own text: looked up by the map
        return c;
    }

    /**
     * The same from the bytes of a line, printable ASCII with no escape ({@link EventBytes} checked): found by the
     * same hash as the characters give, a string made only for a name not seen recently.
     */
    static String comm(byte[] b, int from, int end) {
        int len = end - from;
        int h = 0;
        for (int i = from; i < end; i++) h = 31 * h + b[i];
        int i = (h ^ (h >>> 16)) & (RECENT_COMMS.length - 1);
        String c = RECENT_COMMS[i];
        if (c != null && c.length() == len && sameText(c, b, from)) return c;
        String raw = new String(b, from, len, StandardCharsets.US_ASCII);
        c = comm(raw);
        if (c.equals(raw)) RECENT_COMMS[i] = c;
        return c;
    }

    private static boolean sameText(String c, byte[] b, int from) {
        for (int k = 0; k < c.length(); k++) if (c.charAt(k) != b[from + k]) return false;
        return true;
    }

    /** A process name as decoded from its line (no escape left), as one shared string. */
    static String name(String plain) {
        return comm(plain);
    }

    private static String comm(String c) {
        String had = COMMS.putIfAbsent(c, c);
        if (had != null) return had;
        if (COMMS.size() > 1024) COMMS.clear(); // a bound; the next events fill it again
        return c;
    }

    private static String unescape(String s) {
        if (s.indexOf('\\') < 0) return s;
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(n == 'n' ? '\n' : n == 't' ? '\t' : n);
            } else b.append(c);
        }
        return b.toString();
    }
}
