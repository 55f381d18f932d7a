package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.KernelTcpState;
import io.tcplens.model.KernelTransition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The batched program's lines ({@link EventBatches}) read back: events, their process names by CPU, the names' clears. */
class EventBatchesTest {
    private static final long T0 = 5_000_000_000L;

    /** One event of a B line: (t, a, p) in hex. */
    private static String event(long t, String src, int sport, String dst, int dport, int from, int to, int pid) throws IOException {
        long a = (ipv4(src) & 0xffff_ffffL) << 32 | (ipv4(dst) & 0xffff_ffffL);
        long p = (long) from << 60 | (long) to << 56 | (long) pid << 32 | (long) sport << 16 | dport;
        return Long.toHexString(t) + " " + Long.toHexString(a) + " " + Long.toHexString(p);
    }

    private static int ipv4(String s) throws IOException {
        byte[] b = InetAddress.getByName(s).getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static String printf(String data) {
        return "{\"type\": \"printf\", \"data\": \"" + data + "\\n\"}\n";
    }

    private static List<KernelTransition> read(BpftraceEvents feed, String lines) throws IOException {
        feed.readLoop(new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8)));
        return feed.drain(Long.MAX_VALUE).transitions();
    }

    @Test
    void batchLinesGiveEveryEventWithItsNameAsItsCpuNamedItsProcess() throws IOException {
        BpftraceEvents feed = new BpftraceEvents(0, 1000, false);
        String lines = printf("P 1 4242 curl")
                + printf("P 0 4242 wget") // the same process id named otherwise on the other CPU: each CPU's own
                + printf("B 1 " + event(T0, "127.0.3.4", 40000, "127.0.0.1", 80, 7, 2, 4242) + " "
                        + event(T0 + 10, "127.0.3.4", 40000, "127.0.0.1", 80, 2, 1, 999)) // (softirq: no process)
                + printf("B 0 " + event(T0 + 20, "127.0.3.4", 40000, "127.0.0.1", 80, 1, 4, 4242))
                + printf("H " + (T0 + 30) + " 0");
        List<KernelTransition> t = read(feed, lines);
        assertEquals(3, t.size());
        KernelTransition connect = t.get(0), established = t.get(1), close = t.get(2);
        assertEquals(KernelTcpState.CLOSE, connect.from());
        assertEquals(KernelTcpState.SYN_SENT, connect.to());
        assertEquals(T0, connect.monoNanos());
        assertEquals("127.0.3.4", connect.key().local().address().getHostAddress());
        assertEquals(40000, connect.key().local().port());
        assertEquals("127.0.0.1", connect.key().remote().address().getHostAddress());
        assertEquals(80, connect.key().remote().port());
        assertEquals(4242, connect.pid());
        assertEquals("curl", connect.comm());
        assertEquals(KernelTcpState.ESTABLISHED, established.to());
        assertNull(established.pid(), "a change made in softirq names no process");
        assertNull(established.comm());
        assertEquals(KernelTcpState.FIN_WAIT1, close.to());
        assertEquals("wget", close.comm(), "CPU 0 named the process wget");
        assertEquals(0, feed.lostTotal());
        assertEquals(connect.key(), close.key(), "one socket's events share one key");
    }

    @Test
    void aNameWithSpacesOrEscapesIsReadWhole() throws IOException {
        BpftraceEvents feed = new BpftraceEvents(0, 1000, false);
        String lines = printf("P 0 7 tl batch \\\"1\\\"")
                + printf("P 1 8 caf\u00e9 bar")
                + printf("B 0 " + event(T0, "10.0.0.1", 5000, "10.0.0.2", 22, 1, 4, 7))
                + printf("B 1 " + event(T0 + 1, "10.0.0.1", 5001, "10.0.0.2", 22, 1, 4, 8));
        List<KernelTransition> t = read(feed, lines);
        assertEquals(2, t.size());
        assertEquals("tl batch \"1\"", t.get(0).comm());
        assertEquals("caf\u00e9 bar", t.get(1).comm());
    }

    @Test
    void partAndFullLinesOfManyEventsAllCome() throws IOException {
        BpftraceEvents feed = new BpftraceEvents(0, 100_000, false);
        StringBuilder lines = new StringBuilder();
        int n = 0;
        for (int size : new int[] {EventBatches.PER_LINE, 8, 4, 2, 1, EventBatches.PER_LINE}) {
            StringBuilder b = new StringBuilder("B 1");
            for (int i = 0; i < size; i++, n++) b.append(' ').append(event(T0 + n, "127.0.0.2", 1000 + n, "127.0.0.1", 80, 7, 2, 0));
            lines.append(printf(b.toString()));
        }
        List<KernelTransition> t = read(feed, lines.toString());
        assertEquals(n, t.size());
        for (int i = 0; i < n; i++) assertEquals(1000 + i, t.get(i).key().local().port());
    }

    @Test
    void pastTheCapacityTheIntervalGoesWholeAndItsLaterLinesAreCountedNotKept() throws IOException {
        BpftraceEvents feed = new BpftraceEvents(0, 20, false).dropOverflowedIntervals();
        StringBuilder lines = new StringBuilder();
        int n = 0;
        for (int line = 0; line < 3; line++) {
            StringBuilder b = new StringBuilder("B 0");
            for (int i = 0; i < EventBatches.PER_LINE; i++, n++) b.append(' ').append(event(T0 + n, "127.0.0.2", 1000 + n, "127.0.0.1", 80, 1, 4, 0));
            lines.append(printf(b.toString()));
        }
        List<KernelTransition> t = read(feed, lines.toString());
        assertEquals(0, t.size(), "an interval past the capacity is inferred whole");
        assertEquals(n, feed.lostTotal(), "every event of it counted lost");
        assertEquals(n, feed.received());
        assertEquals(0, feed.held());
    }

    @Test
    void aConnectThatFoundNoPortKeepsItsOwnFourTupleWhateverLineComesBetween() throws IOException {
        BpftraceEvents feed = new BpftraceEvents(0, 1000, false);
        StringBuilder first = new StringBuilder("B 0");
        for (int i = 0; i < EventBatches.PER_LINE - 1; i++)
            first.append(' ').append(event(T0 + i, "127.0.0.2", 2000 + i, "127.0.0.1", 80, 1, 4, 0));
        // EADDRNOTAVAIL: the kernel wrote the held connect with port 0 beside its close, which fell in the next line
        first.append(' ').append(event(T0 + 100, "127.0.0.1", 0, "127.0.0.1", 9105, 7, 2, 77));
        String lines = printf("P 0 77 client") + printf(first.toString())
                + printf("B 1 " + event(T0 + 101, "127.0.0.9", 5555, "127.0.0.1", 80, 1, 4, 0))
                + printf("B 0 " + event(T0 + 102, "127.0.0.1", 0, "127.0.0.1", 9105, 2, 7, 77));
        List<KernelTransition> t = read(feed, lines);
        assertEquals(EventBatches.PER_LINE + 2, t.size());
        KernelTransition connect = t.stream().filter(e -> e.to() == KernelTcpState.SYN_SENT).findFirst().orElseThrow();
        assertEquals(0, connect.key().local().port());
        assertEquals(9105, connect.key().remote().port(), "the connect's own 4-tuple, not the other CPU's event's");
        assertEquals("client", connect.comm());
        KernelTransition other = t.stream().filter(e -> e.key().local().port() == 5555).findFirst().orElseThrow();
        assertEquals(KernelTcpState.FIN_WAIT1, other.to());
    }

    @Test
    void aBatchLineThatDoesNotReadWholeIsCountedLost() throws IOException {
        BpftraceEvents feed = new BpftraceEvents(0, 1000, false);
        String ok = event(T0, "127.0.0.2", 1000, "127.0.0.1", 80, 1, 4, 0);
        read(feed, printf("B 0 " + ok + " 12 zz 34") + printf("B 0 " + ok.substring(0, ok.lastIndexOf(' '))));
        assertEquals(2, feed.lostTotal(), "each batch line not read whole is one loss");
    }

    @Test
    void aNameNotWrittenAgainInTwoClearsIsLetGoOneWrittenAgainIsKept() {
        EventBatches b = new EventBatches();
        b.named(0, 100, "old");
        b.named(0, 200, "busy");
        b.cleared();
        assertEquals("old", b.name(0, 100), "one clear: the kernel may not have let the name go yet");
        b.named(0, 200, "busy"); // written again after the clear
        b.cleared();
        assertNull(b.name(0, 100), "two clears since it was written: the kernel writes it again before it is needed");
        assertEquals("busy", b.name(0, 200));
        assertEquals(1, b.namesHeld());
        b.cleared();
        b.cleared();
        assertEquals(0, b.namesHeld());
    }

    @Test
    void theProgramNamesProcessesForTheChangesTheTrackerKeepsAProcessFor() {
        String p = BpftraceEvents.batchedProgram(4026531840L);
        assertTrue(p.contains("ns.inum == 4026531840"), p);
        for (KernelTcpState from : KernelTcpState.values()) {
            for (KernelTcpState to : KernelTcpState.values()) {
                if (!EventColumns.processContext(from, to)) continue;
                boolean named = p.contains("args->newstate == " + to.code() + " ||")
                        || p.contains("args->newstate == " + to.code() + " &&") || p.contains("args->newstate == " + to.code() + ";")
                        || p.contains("(args->newstate == " + to.code() + " && args->oldstate == " + from.code() + ")");
                assertTrue(named, from + " -> " + to + " is named by the program: " + p);
            }
        }
    }
}
