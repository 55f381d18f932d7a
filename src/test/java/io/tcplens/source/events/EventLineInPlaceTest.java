package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Event lines are read in place (fields by their bounds in the line, addresses and process names
 * looked up by their characters): every line parses to what the earlier substring-per-field parser
 * (kept below as the reference) made of it, well-formed or not.
 */
class EventLineInPlaceTest {
    private static final String PRINTF = "{\"type\": \"printf\", \"data\": \"";

    @Test
    void everyLineParsesAsTheSubstringParserDid() throws Exception {
        Random r = new Random(11);
        String[] addrs = {"::ffff:127.0.0.1", "::ffff:10.1.2.3", "::1", "fe80::1", "2001:db8::7", "::ffff:127.0.0.1",
                "", "x1", "::ffff:300.1.1.1", "0.0.0.0"};
        String[] comms = {"curl", "java", "", "a b", "tab\\there", "q\\\"x", "back\\\\slash", "ümlaut", "nginx: worker"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            String data = "E " + (r.nextInt(5) == 0 ? "-1" : Long.toUnsignedString(r.nextLong() >>> 1)) + " "
                    + Long.toHexString(r.nextLong()) + " " + r.nextInt(14) + " " + r.nextInt(14) + " " + r.nextInt(65_536)
                    + " " + r.nextInt(65_536) + " "
                    + addrs[r.nextInt(addrs.length)] + " " + addrs[r.nextInt(addrs.length)] + " " + r.nextInt(100_000) + " "
                    + Long.toUnsignedString(r.nextLong()) + " " + r.nextInt(1_000_000) + " " + comms[r.nextInt(comms.length)];
            switch (r.nextInt(12)) {
                case 0 -> data = data.substring(0, r.nextInt(data.length() + 1)); // cut anywhere
                case 1 -> data = data.replaceFirst(" ", "  ");
                default -> { }
            }
            lines.add(PRINTF + data + (r.nextInt(8) == 0 ? "" : "\\n") + "\"}");
        }
        lines.addAll(List.of(PRINTF + "H 123\\n\"}", PRINTF + "H  77 \\n\"}", PRINTF + "H x\\n\"}", PRINTF + "\\n\"}",
                PRINTF + "H 5 1 2\\n\"}", PRINTF + "H 5  1\\n\"}", PRINTF + "H  5\t\\n\"}", PRINTF + "H 5 x\\n\"}", PRINTF + "H 5\t1\\n\"}",
                PRINTF + "H 18446744073709551615 3\\n\"}", PRINTF + "H -1\\n\"}", PRINTF + "H 5 -1\"}", PRINTF + "H +5 +1\\n\"}", PRINTF + "H \"}",
                PRINTF + "E\\n\"}", PRINTF + "E \\n\"}", PRINTF + "\"}", PRINTF + "H\"}", PRINTF + "\\\"}",
                "{\"type\": \"attached_probes\", \"data\": {\"probes\": 2}}", "{\"type\": \"lost_events\", \"data\": {\"events\": 9}}",
                "garbage", ""));
        int events = 0;
        for (String line : lines) {
            EventLine.Parsed now = EventLine.parse(line);
            EventLine.Parsed was = Reference.parse(line);
            assertEquals(was, now, line);
            if (now instanceof EventLine.Event) events++;
        }
        // a fair share of the generated lines are events (the rest: unknown states, bad addresses, cut lines)
        assertEquals(true, events > 4_000, "events " + events);
    }

    @Test
    void aRepeatedAddressAndNameAreOneObject() {
        EventLine.Event a = (EventLine.Event) EventLine.parse(PRINTF + "E 1 ff 7 2 40001 80 ::ffff:192.0.2.9 ::ffff:192.0.2.10 5 0 0 wget\\n\"}");
        EventLine.Event b = (EventLine.Event) EventLine.parse(PRINTF + "E 2 ff 2 1 40001 80 ::ffff:192.0.2.9 ::ffff:192.0.2.10 5 0 0 wget\\n\"}");
        assertSame(a.key(), b.key());
        assertSame(a.comm(), b.comm());
        assertEquals(KernelTcpState.SYN_SENT, a.to());
        assertInstanceOf(EventLine.Heartbeat.class, EventLine.parse(PRINTF + "H 5\\n\"}"));
        assertEquals(new EventLine.Heartbeat(5, 1), EventLine.parse(PRINTF + "H 5 1\\n\"}"));
        assertEquals(new EventLine.Heartbeat(5, -1), EventLine.parse(PRINTF + "H 5\\n\"}"));
        assertInstanceOf(EventLine.Other.class, EventLine.parse(PRINTF + "H 5 1 2\\n\"}"));
    }

    /** The parser as it was before (substrings per field), for comparison only. */
    private static final class Reference {
        static EventLine.Parsed parse(String line) {
            if (line.startsWith(PRINTF) && line.endsWith("\"}")) {
                String data = line.substring(PRINTF.length(), line.length() - 2);
                if (data.endsWith("\\n")) data = data.substring(0, data.length() - 2);
                if (data.startsWith("E ")) {
                    EventLine.Event e = event(data);
                    if (e != null) return e;
                } else if (data.startsWith("H ")) {
                    try {
                        String[] f = data.substring(2).strip().split(" +");
                        if (f.length <= 2) {
                            return new EventLine.Heartbeat(Long.parseUnsignedLong(f[0]), f.length == 2 ? Integer.parseInt(f[1]) : -1);
                        }
                    } catch (NumberFormatException ignored) {
                        return new EventLine.Other(line);
                    }
                }
                return new EventLine.Other(line);
            }
            return EventLine.parse(line); // bpftrace's own lines: unchanged (Jackson)
        }

        private static EventLine.Event event(String d) {
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
                String comm = unescape(d.substring(Math.min(at[0], d.length())));
                return new EventLine.Event(ns, sk, from, to, new ConnectionKey(new Endpoint(src, sport), new Endpoint(dst, dport)),
                        pid, acked, received, comm);
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
}
