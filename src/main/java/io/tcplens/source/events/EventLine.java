package io.tcplens.source.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import java.net.InetAddress;
import java.net.UnknownHostException;

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

    private static Event event(String d) {
        String[] f = d.split(" ", 13);
        if (f.length < 12) return null;
        try {
            long ns = Long.parseUnsignedLong(f[1]);
            long sk = Long.parseUnsignedLong(f[2], 16);
            KernelTcpState from = KernelTcpState.fromCode(Integer.parseInt(f[3])).orElse(null);
            KernelTcpState to = KernelTcpState.fromCode(Integer.parseInt(f[4])).orElse(null);
            if (from == null || to == null) return null;
            int sport = Integer.parseInt(f[5]);
            int dport = Integer.parseInt(f[6]);
            int pid = Integer.parseInt(f[9]);
            long acked = Long.parseUnsignedLong(f[10]);
            long received = Long.parseUnsignedLong(f[11]);
            String comm = f.length > 12 ? unescape(f[12]) : "";
            ConnectionKey key = new ConnectionKey(new Endpoint(address(f[7]), sport), new Endpoint(address(f[8]), dport));
            return new Event(ns, sk, from, to, key, pid, acked, received, comm);
        } catch (NumberFormatException | UnknownHostException e) {
            return null;
        }
    }

    /** A literal address (bpftrace's ntop output), never a name lookup. */
    private static InetAddress address(String text) throws UnknownHostException {
        if (text.isEmpty() || !(Character.digit(text.charAt(0), 16) >= 0 || text.charAt(0) == ':'))
            throw new UnknownHostException(text);
        return InetAddress.getByName(text);
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
