package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTransition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reader's lines read as bytes ({@link EventBytes}, {@link BpftraceEvents#readLoop}) give what the text parse gives. */
class EventBytesTest {
    private static final String PRINTF = "{\"type\": \"printf\", \"data\": \"";

    private static String line(String data) {
        return PRINTF + data + "\\n\"}";
    }

    private static String fields(EventBytes.Fields f) {
        String tuple = f.v4 ? f.src + ":" + f.sport + ">" + f.dst + ":" + f.dport : String.valueOf(f.key);
        return f.mono + " " + f.skaddr + " " + f.from + " " + f.to + " " + tuple + " " + f.pid + " " + f.acked + " "
                + f.received + " [" + f.comm + "]";
    }

    /** The bytes' answer for a line: its fields, or null where the bytes leave the line to the text parse. */
    private static String bytes(String line) {
        byte[] b = ("xx" + line).getBytes(StandardCharsets.UTF_8); // not at the buffer's start, as in the reader
        long d = EventBytes.printfData(b, 2, b.length);
        if (d < 0) return null;
        EventBytes.Fields f = new EventBytes.Fields();
        return EventBytes.event(b, (int) (d >>> 32), (int) d, f) ? fields(f) : null;
    }

    @Test
    void eventsReadAsBytesAreTheTextParse() {
        List<String> lines = List.of(
                line("E 73135053501028 ffff888104849280 7 2 0 37405 ::ffff:127.0.0.1 ::ffff:127.0.0.1 14855 0 0 python3"),
                line("E 73135053563583 ffff888104849280 2 1 38860 37405 ::ffff:127.0.0.1 ::ffff:127.0.0.1 14855 1 0 python3"),
                line("E 1 FF 10 3 65535 1 ::ffff:255.255.255.255 ::ffff:0.0.0.0 0 123456789012345678 7 a b c"),
                line("E 5 ff 1 4 1 2 10.0.0.1 192.168.1.254 -1 0 0 "),
                line("E 5 ff 1 4 1 2 10.0.0.1 192.168.1.254 17 0 0 java"));
        for (String l : lines) {
            String got = bytes(l);
            assertTrue(got != null, l);
            EventLine.Event e = assertInstanceOf(EventLine.Event.class, EventLine.parse(l));
            assertEquals(fields(EventBytes.Fields.of(e)), got, l);
        }
    }

    @Test
    void whatTheBytesDoNotReadIsLeftToTheTextParse() {
        List<String> lines = List.of(
                line("E 1 ff 1 4 1 2 ::1 ::1 5 0 0 x"), // IPv6
                line("E 1 ff 1 4 1 2 ::ffff:10.0.0.01 ::ffff:10.0.0.1 5 0 0 x"), // a leading zero
                line("E 1 ff 1 4 1 2 ::ffff:10.0.0.1 ::ffff:10.0.0.1 5 0 0 we\\\"ird"), // an escape
                line("E 1 ff 1 4 1 2 ::ffff:10.0.0.1 ::ffff:10.0.0.1 5 18446744073709551615 0 x"), // past a long
                line("E 1 ff 1 4 +1 2 ::ffff:10.0.0.1 ::ffff:10.0.0.1 5 0 0 x"),
                line("E 1 ff 1 99 1 2 ::ffff:10.0.0.1 ::ffff:10.0.0.1 5 0 0 x"), // no such state
                line("E 1 ff 1 4 1 2 ::ffff:10.0.0.1  ::ffff:10.0.0.1 5 0 0 x"), // two spaces
                line("E 1 ff 1 4 1 2 ::ffff:10.0.0.1"), // short
                line("H 5 1"),
                "{\"type\": \"lost_events\", \"data\": {\"events\": 3}}");
        for (String l : lines) assertEquals(null, bytes(l), l);
        // and the text parse still reads the ones it read before
        assertInstanceOf(EventLine.Event.class, EventLine.parse(lines.get(0)));
        assertInstanceOf(EventLine.Event.class, EventLine.parse(lines.get(3)));
    }

    @Test
    void heartbeatsReadAsBytes() {
        long[] out = new long[2];
        byte[] b = "H 73133211949518 1".getBytes(StandardCharsets.US_ASCII);
        assertTrue(EventBytes.heartbeat(("." + new String(b, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII), 1, b.length + 1, out));
        assertEquals(73133211949518L, out[0]);
        assertEquals(1, out[1]);
        byte[] c = ".H 5".getBytes(StandardCharsets.US_ASCII);
        assertTrue(EventBytes.heartbeat(c, 1, c.length, out));
        assertEquals(-1, out[1]);
        byte[] d = ".H 5 1 2".getBytes(StandardCharsets.US_ASCII);
        assertFalse(EventBytes.heartbeat(d, 1, d.length, out));
    }

    /**
     * The reader over a stream cut at random places (a line across reads, a line longer than the buffer, CRLF, IPv6
     * and escaped lines among them) hands out what the text parse of each line, given to the feed, hands out.
     */
    @Test
    void readLoopOverBytesGivesWhatTheTextLinesGive() throws IOException {
        Random r = new Random(21);
        StringBuilder out = new StringBuilder();
        List<String> lines = new ArrayList<>();
        lines.add("{\"type\": \"attached_probes\", \"data\": {\"probes\": 2}}");
        for (int i = 0; i < 3_000; i++) {
            int port = 10_000 + i;
            long sk = 0xffff888100000000L + i * 64L;
            String src = i % 97 == 0 ? "::1" : "::ffff:127.0.0." + (1 + i % 3);
            String comm = i % 89 == 0 ? "we\\\"ird" : i % 7 == 0 ? "curl" : "python3";
            lines.add(line("E " + (1_000 + 10L * i) + " " + Long.toHexString(sk) + " 7 2 0 7000 " + src + " " + src + " 42 0 0 " + comm));
            lines.add(line("E " + (1_001 + 10L * i) + " " + Long.toHexString(sk) + " 2 1 " + port + " 7000 " + src + " " + src + " 0 1 0 " + comm));
            lines.add(line("E " + (1_002 + 10L * i) + " " + Long.toHexString(sk) + " 1 4 " + port + " 7000 " + src + " " + src + " 42 1 0 " + comm));
            if (i % 100 == 0) lines.add(line("H " + (1_003 + 10L * i) + " " + (i / 100 % 2)));
            if (i == 1_500) lines.add("{\"type\": \"printf\", \"data\": \"" + "x".repeat(100_000) + "\"}");
        }
        for (String l : lines) out.append(l).append(r.nextInt(5) == 0 ? "\r\n" : "\n");
        byte[] all = out.toString().getBytes(StandardCharsets.UTF_8);
        InputStream chopped = new ByteArrayInputStream(all) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + r.nextInt(300)));
            }
        };
        BpftraceEvents viaBytes = new BpftraceEvents(0, 1_000_000, true);
        viaBytes.readLoop(chopped);
        BpftraceEvents viaText = new BpftraceEvents(0, 1_000_000, true);
        for (String l : lines) if (EventLine.parse(l) instanceof EventLine.Event e) viaText.accept(e);
        EventBatch a = viaBytes.drain(Long.MAX_VALUE), b = viaText.drain(Long.MAX_VALUE);
        assertEquals(9_000, b.transitions().size());
        assertEquals(b.transitions().size(), a.transitions().size());
        for (int i = 0; i < a.transitions().size(); i++) {
            KernelTransition x = a.transitions().get(i), y = b.transitions().get(i);
            assertEquals(y.monoNanos(), x.monoNanos());
            assertEquals(y.key(), x.key(), "event " + i);
            assertEquals(y.from(), x.from());
            assertEquals(y.to(), x.to());
            assertEquals(y.socketId(), x.socketId());
            assertEquals(y.pid(), x.pid());
            assertEquals(y.comm(), x.comm());
            assertEquals(y.txBytes(), x.txBytes());
            assertEquals(y.rxBytes(), x.rxBytes());
        }
        assertEquals(10_000 + 1, a.transitions().get(3).key().local().port(), "a connect() event got its port");
    }
}
