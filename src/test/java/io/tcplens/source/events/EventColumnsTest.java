package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.KernelTransition;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The feed holds a burst's events in primitive columns, not an object per event: 100,000 events
 * (IPv4 and IPv6 4-tuples, two CPUs' reads interleaved out of time order, across many chunks) take
 * at most 53 bytes each (29 when the
 * feed does not keep the socket's address and byte counters) plus one chunk (a {@code KernelTransition} alone is 72), and come out of two drains, split at a cutoff, exactly as the
 * transitions made from them directly: none lost, none twice, in the kernel's time order.
 */
class EventColumnsTest {
    private static final KernelTcpState[] STATES = KernelTcpState.values();

    @Test
    void aBurstIsHeldCompactlyAndHandedOutWhole() throws Exception {
        burst(true, false);
    }

    @Test
    void withoutSocketDetailsAnEventTakesHalf() throws Exception {
        burst(false, false);
    }

    @Test
    void eventsSecondsApartInOneIntervalAreKeptExactly() throws Exception {
        burst(false, true);
        burst(true, true);
    }

    private static void burst(boolean details, boolean secondsApart) throws Exception {
        int n = 100_000;
        BpftraceEvents f = new BpftraceEvents(0, BpftraceEvents.DEFAULT_CAPACITY, details).dropOverflowedIntervals();
        Random r = new Random(42);
        InetAddress[] v4 = new InetAddress[5];
        for (int i = 0; i < v4.length; i++) v4[i] = InetAddress.getByAddress(new byte[] {(byte) (10 + i * 50), 0, (byte) i, (byte) (1 + i)});
        InetAddress v6 = InetAddress.getByName("2001:db8::7");
        List<KernelTransition> expected = new ArrayList<>(n);
        long base = 5_000_000_000L;
        for (int i = 0; i < n; i++) {
            // two CPUs' buffers read in turns of 64 events: arrival order is not time order
            long mono = base + (i / 128) * 128_000L + (i % 128 < 64 ? 2 * (i % 64) : 2 * (i % 64) + 1) * 1_000L;
            if (secondsApart && i % 997 == 0) mono += 3_000_000_000L; // past what a chunk's int offsets reach
            if (secondsApart && i % 991 == 0) mono -= 2_500_000_000L; // and before it
            KernelTcpState from = STATES[r.nextInt(STATES.length)], to = STATES[r.nextInt(STATES.length)];
            if (to == KernelTcpState.SYN_SENT) to = KernelTcpState.ESTABLISHED; // a connect()'s port-0 event is held apart
            InetAddress src = i % 50 == 0 ? v6 : v4[r.nextInt(v4.length)], dst = i % 50 == 0 ? v6 : v4[r.nextInt(v4.length)];
            ConnectionKey key = new ConnectionKey(new Endpoint(src, 1 + r.nextInt(65_535)), new Endpoint(dst, r.nextInt(65_536)));
            int pid = r.nextInt(4) == 0 ? 0 : 1 + r.nextInt(4_194_303);
            long acked = r.nextLong() >>> r.nextInt(64), received = r.nextLong() >>> r.nextInt(64);
            long sk = 0xffff_8880_0000_0000L + r.nextInt(1 << 24) * 64L;
            String comm = "p" + r.nextInt(30);
            f.accept(new EventLine.Event(mono, sk, from, to, key, pid, acked, received, comm));
            expected.add(details ? EventColumns.transition(mono, sk, from, to, key, pid, acked, received, comm, f.offsetNanos())
                    : EventColumns.transition(mono, 0, from, to, key, pid, KernelTransition.UNKNOWN_BYTES,
                    KernelTransition.UNKNOWN_BYTES, comm, f.offsetNanos()));
        }
        assertEquals(n, f.held());
        long bytes = f.heldBytes();
        // 49 bytes an event (25 without the socket's details), 4 more in a chunk that holds a 4-tuple not IPv4 (here
        // every chunk), 8 more in one whose times span seconds; and the last chunk's free slots
        int each = (details ? 49 : 25) + 4 + (secondsApart ? 8 : 0);
        long bound = (long) n * each + (long) EventColumns.CHUNK * each;
        assertTrue(bytes <= bound, "held " + bytes + " bytes for " + n + " events, bound " + bound);

        expected.sort(Comparator.comparingLong(KernelTransition::monoNanos));
        long cutoff = expected.get(n / 2).monoNanos();
        EventBatch first = f.drain(cutoff);
        EventBatch second = f.drain(Long.MAX_VALUE);
        assertEquals(0, first.lost());
        assertEquals(0, second.lost());
        assertEquals(0, f.held(), "nothing is held after both drains");
        assertTrue(first.transitions().stream().allMatch(t -> t.monoNanos() <= cutoff));
        assertTrue(second.transitions().stream().allMatch(t -> t.monoNanos() > cutoff));
        List<KernelTransition> all = new ArrayList<>(first.transitions());
        all.addAll(second.transitions());
        assertEquals(expected, all, "every event once, in time order, as the transition made from it directly");
    }

    @Test
    void eventsOfOneIpv4SocketShareTheirKeyAgain() throws Exception {
        BpftraceEvents f = new BpftraceEvents(0, 100);
        InetAddress a = InetAddress.getByName("127.0.0.1"), b = InetAddress.getByName("127.0.0.2");
        ConnectionKey key = EventLine.key(a, 40_001, b, 8080);
        f.accept(new EventLine.Event(1, 7, KernelTcpState.CLOSE, KernelTcpState.SYN_SENT, key, 99, 0, 0, "curl"));
        f.accept(new EventLine.Event(2, 7, KernelTcpState.SYN_SENT, KernelTcpState.ESTABLISHED, key, 0, 0, 0, "ksoftirqd"));
        List<KernelTransition> t = f.drain(Long.MAX_VALUE).transitions();
        assertEquals(2, t.size());
        assertEquals(key, t.get(0).key());
        assertTrue(t.get(0).key() == t.get(1).key(), "one key object for the socket's events");
        assertEquals(99, t.get(0).pid());
        assertEquals("curl", t.get(0).comm());
        assertEquals(null, t.get(1).pid(), "softirq: not the socket's process");
        assertEquals(null, t.get(1).comm());
    }

    /**
     * An IPv4 address is held as its four bytes in network order (what {@link Inet4Address#getAddress()}
     * specifies), not as its {@code hashCode()}: the first byte's top bit set (a negative number) included, and
     * 1,024 addresses through the 256 slots of the address cache, each comes back as the same bytes.
     */
    @Test
    void anIpv4AddressIsHeldAsItsBytesInNetworkOrder() throws Exception {
        assertEquals(0x7f00_0001, EventColumns.ipv4((Inet4Address) InetAddress.getByName("127.0.0.1")));
        assertEquals(0xc0a8_01fe, EventColumns.ipv4((Inet4Address) InetAddress.getByName("192.168.1.254")));
        assertEquals(0xffff_fffe, EventColumns.ipv4((Inet4Address) InetAddress.getByName("255.255.255.254")));
        assertEquals(0x0000_0000, EventColumns.ipv4((Inet4Address) InetAddress.getByName("0.0.0.0")));

        EventColumns columns = new EventColumns(false);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 1024; i++) {
            byte[] src = {(byte) (i % 2 == 0 ? 203 : 10), (byte) (i >> 8), (byte) i, (byte) (255 - i)};
            byte[] dst = {(byte) 255, (byte) i, (byte) (i >> 8), 7};
            ConnectionKey key = new ConnectionKey(new Endpoint(InetAddress.getByAddress(src), 40_000 + i),
                    new Endpoint(InetAddress.getByAddress(dst), 443));
            columns.add(1_000L + i, 0, KernelTcpState.SYN_SENT, KernelTcpState.ESTABLISHED, key, 0,
                    KernelTransition.UNKNOWN_BYTES, KernelTransition.UNKNOWN_BYTES, "c");
            sent.add(src);
            sent.add(dst);
        }
        List<KernelTransition> out = new ArrayList<>();
        columns.transitionsUpTo(Long.MAX_VALUE, 0, out);
        assertEquals(1024, out.size());
        for (int i = 0; i < out.size(); i++) {
            ConnectionKey k = out.get(i).key();
            assertArrayEquals(sent.get(2 * i), k.local().address().getAddress(), "source of event " + i);
            assertArrayEquals(sent.get(2 * i + 1), k.remote().address().getAddress(), "destination of event " + i);
            assertEquals(40_000 + i, k.local().port());
            assertEquals(443, k.remote().port());
        }
    }
}
