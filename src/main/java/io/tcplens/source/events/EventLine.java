package io.tcplens.source.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One line of bpftrace's JSON output ({@code -f json}), parsed. Event lines are
 * {@code {"type": "printf", "data": "E nsecs skaddr old new sport dport saddr daddr pid acked
 * received comm\n"}} (addresses as IPv6 text, IPv4 ones v4-mapped, which {@link Endpoint} holds as
 * IPv4; no interface: {@link io.tcplens.model.KernelTransition#plainKey} matches them to table keys); the heartbeat is {@code "H nsecs"}; bpftrace's own lines ({@code attached_probes},
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

    record Heartbeat(long monoNanos) implements Parsed {}

    record Attached(int probes) implements Parsed {}

    record Lost(long events) implements Parsed {}

    record Other(String text) implements Parsed {}

    private EventLine() {}

    static Parsed parse(String line) {
        if (line.startsWith(PRINTF) && line.endsWith("\"}")) {
            String data = line.substring(PRINTF.length(), line.length() - 2);
            if (data.endsWith("\\n")) data = data.substring(0, data.length() - 2);
            if (data.startsWith("E ")) {
                Event e = event(data);
                if (e != null) return e;
            } else if (data.startsWith("H ")) {
                try {
                    return new Heartbeat(Long.parseUnsignedLong(data.substring(2).strip()));
                } catch (NumberFormatException ignored) {
                    return new Other(line);
                }
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

    /** Event fields, cut by hand (no regex, no split array): tens of thousands of lines a second. */
    private static Event event(String d) {
        try {
            int[] at = {2};
            long ns = Long.parseUnsignedLong(next(d, at));
            long sk = Long.parseUnsignedLong(next(d, at), 16);
            KernelTcpState from = KernelTcpState.fromCode(Integer.parseInt(next(d, at))).orElse(null);
            KernelTcpState to = KernelTcpState.fromCode(Integer.parseInt(next(d, at))).orElse(null);
            if (from == null || to == null) return null;
            int sport = Integer.parseInt(next(d, at));
            int dport = Integer.parseInt(next(d, at));
            InetAddress src = address(next(d, at));
            InetAddress dst = address(next(d, at));
            int pid = Integer.parseInt(next(d, at));
            long acked = Long.parseUnsignedLong(next(d, at));
            long received = Long.parseUnsignedLong(next(d, at));
            String comm = at[0] <= d.length() ? comm(unescape(d.substring(Math.min(at[0], d.length())))) : "";
            return new Event(ns, sk, from, to, key(src, sport, dst, dport), pid, acked, received, comm);
        } catch (NumberFormatException | UnknownHostException | IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static String next(String d, int[] at) {
        int from = at[0];
        int sp = d.indexOf(' ', from);
        if (sp < 0) throw new IndexOutOfBoundsException("short event line");
        at[0] = sp + 1;
        return d.substring(from, sp);
    }

    /** Addresses seen recently: a churn repeats a handful of them, parsing each again would cost more than the rest. */
    private static final Map<String, InetAddress> ADDRESSES = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, InetAddress> eldest) {
            return size() > 4096;
        }
    };

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

    private static String comm(String c) {
        String had = COMMS.putIfAbsent(c, c);
        if (had != null) return had;
        if (COMMS.size() > 1024) COMMS.clear(); // a bound; the next events fill it again
        return c;
    }

    /** A literal address (bpftrace's ntop output), never a name lookup. */
    private static InetAddress address(String text) throws UnknownHostException {
        InetAddress a = ADDRESSES.get(text); // the reader thread is the only caller
        if (a != null) return a;
        if (text.isEmpty() || !(Character.digit(text.charAt(0), 16) >= 0 || text.charAt(0) == ':'))
            throw new UnknownHostException(text);
        a = InetAddress.getByName(text);
        ADDRESSES.put(text, a);
        return a;
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
