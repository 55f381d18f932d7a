package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.KernelTransition;
import java.net.Inet4Address;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The window's batched feed ({@link EventBatches}: IPv4 events sixteen to a line, process names once per CPU, a
 * connect() paired with its port in the kernel) against the per-event feed, both on the same real loopback
 * connections of a namespace of the test's own: IPv4 clients bound and not (the connect's port chosen after its
 * first change), refused connects, IPv6 ones, dual-stack ones (IPv6 sockets with v4-mapped addresses, batched as
 * IPv4), connects that find no port (EADDRNOTAVAIL, IPv4 and dual-stack), a process whose name has spaces and
 * changes midway and back. Every
 * connection's changes, in order, with the process and name of the changes a process makes, must be the same in
 * both. Root only, as .ci/run is.
 */
class BatchedFeedKernelTest {
    private static final int N = 1_200;
    private static final String WORKLOAD = """
            import socket, sys, ctypes
            n = int(sys.argv[1])
            libc = ctypes.CDLL(None)
            def name(s): libc.prctl(15, s.encode(), 0, 0, 0)
            def listener(family, addr, port):
                l = socket.socket(family); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                l.bind((addr, port)); l.listen(512); return l
            l = listener(socket.AF_INET, '127.0.0.1', 9100)
            l6 = listener(socket.AF_INET6, '::1', 9101)
            dual = listener(socket.AF_INET6, '::', 9104)
            print('ready', flush=True); sys.stdin.readline()
            name('tl batch one')
            for i in range(n):
                if i == n // 2: name('tl-batch-2')
                if i == 3 * n // 4: name('tl batch one')  # and back: named again
                k = i % 5
                if k == 3:
                    c = socket.socket()
                    try: c.connect(('127.0.0.1', 9102))
                    except OSError: pass
                    c.close(); continue
                if k == 0:
                    c = socket.create_connection(('127.0.0.1', 9100)); a, _ = l.accept()
                elif k == 1:
                    c = socket.socket(); c.bind(('127.0.%d.%d' % (1 + i // 250 % 250, 1 + i % 250), 0))
                    c.connect(('127.0.0.1', 9100)); a, _ = l.accept()
                elif k == 2:
                    c = socket.create_connection(('::1', 9101)); a, _ = l6.accept()
                else:
                    c = socket.socket(socket.AF_INET6); c.connect(('::ffff:127.0.0.1', 9104)); a, _ = dual.accept()
                c.close(); a.recv(1); a.close()
            # "Cannot assign requested address": four ports, four clients holding them, then IPv4 and dual-stack tries
            open('/proc/sys/net/ipv4/ip_local_port_range', 'w').write('61000 61003')
            full = listener(socket.AF_INET, '127.0.0.1', 9105)
            held = [socket.create_connection(('127.0.0.1', 9105)) for _ in range(4)]
            refused = 0
            for family, addr in ((socket.AF_INET, '127.0.0.1'), (socket.AF_INET6, '::ffff:127.0.0.1')) * 2:
                c = socket.socket(family)
                try: c.connect((addr, 9105))
                except OSError as e: refused += e.errno == 99
                c.close()
            print('done', refused, flush=True); sys.stdin.readline()
            """;

    @Test
    void theBatchedFeedSeesWhatThePerEventFeedSees() throws Exception {
        assumeTrue(KernelEventsTest.usable(), "needs root and bpftrace");
        assumeTrue(EventSupport.idleTracepoint(), "needs the tracepoint power:cpu_idle");
        try (EventNetns ns = new EventNetns()) {
            KernelEventsTest.noTimeWaitReuse(ns);
            try (BpftraceEvents lean = BpftraceEvents.start(ns.inode, BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(60), false, false);
                 BpftraceEvents full = BpftraceEvents.start(ns.inode, BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(60), false, true)) {
                assertTrue(lean.on(), lean.status());
                assertTrue(full.on(), full.status());
                assertTrue(lean.batched(), "the window's feed runs the batched program");
                assertTrue(!full.batched(), "a feed that keeps socket details runs the per-event one");
                ns.python(WORKLOAD, Integer.toString(N));
                assertEquals("ready", ns.readLine());
                ns.send("go");
                assertEquals("done 4", ns.readLine(), "four connects found no port (EADDRNOTAVAIL)");
                // the servers' last steps (LAST_ACK -> CLOSE) come with the clients' last ACKs, at once on loopback
                Thread.sleep(200);
                long cutoff = System.nanoTime();
                assertTrue(lean.awaitCaughtUp(cutoff, 20_000), "the batched feed caught up");
                assertTrue(full.awaitCaughtUp(cutoff, 20_000), "the per-event feed caught up");
                Map<ConnectionKey, List<KernelTransition>> a = byKey(lean.drain(cutoff).transitions());
                Map<ConnectionKey, List<KernelTransition>> b = byKey(full.drain(cutoff).transitions());
                long batched = lean.batchedRead(); // (before the workload ends: its exit closes sockets)
                ns.send("end");
                long troubles = lean.lostTotal() + full.lostTotal() + lean.skippedTotal() + full.skippedTotal();
                Set<ConnectionKey> differ = new TreeSet<>((x, y) -> x.toString().compareTo(y.toString()));
                Set<ConnectionKey> keys = new HashSet<>(a.keySet());
                keys.addAll(b.keySet());
                for (ConnectionKey k : keys) if (!same(a.get(k), b.get(k))) differ.add(k);
                // every connection made its changes: 4 of 5 iterations connect (two sides each), the 5th is refused
                int sockets = 0;
                for (List<KernelTransition> l : b.values()) if (l.get(0).startsLife()) sockets++;
                if (troubles == 0) {
                    StringBuilder why = new StringBuilder();
                    differ.stream().limit(5).forEach(k -> why.append("\n").append(k).append("\n  batched:   ")
                            .append(a.get(k)).append("\n  per event: ").append(b.get(k)));
                    assertEquals(Set.of(), differ, "the same changes in both feeds:" + why);
                    assertTrue(sockets >= N / 5 * 9, "each connection's sockets seen: " + sockets);
                    assertEquals(4, noPort(a), "the connects that found no port, IPv4 and dual-stack: " + a.keySet());
                    assertNames(a);
                    // every change whose two addresses are IPv4 (IPv4 sockets, dual-stack ones) came in batch lines
                    long v4 = a.values().stream().flatMap(List::stream).filter(t -> t.key().local().address() instanceof Inet4Address
                            && t.key().remote().address() instanceof Inet4Address).count();
                    assertEquals(v4, batched, "IPv4 and v4-mapped changes batched");
                    assertTrue(v4 > N * 5L, "most changes are IPv4 or v4-mapped: " + v4);
                } else {
                    // events lost or runs of a program skipped (a busy machine): each is at most one connection apart
                    assertTrue(differ.size() <= troubles, differ.size() + " connections differ, " + troubles + " losses and skips");
                }
            }
        }
    }

    private static Map<ConnectionKey, List<KernelTransition>> byKey(List<KernelTransition> events) {
        Map<ConnectionKey, List<KernelTransition>> m = new HashMap<>();
        for (KernelTransition t : events) m.computeIfAbsent(t.key(), k -> new ArrayList<>()).add(t);
        return m;
    }

    /** The same changes in the same order, within a millisecond (each program reads the clock itself), with the same process. */
    private static boolean same(List<KernelTransition> x, List<KernelTransition> y) {
        if (x == null || y == null || x.size() != y.size()) return false;
        for (int i = 0; i < x.size(); i++) {
            KernelTransition p = x.get(i), q = y.get(i);
            if (p.from() != q.from() || p.to() != q.to() || Math.abs(p.monoNanos() - q.monoNanos()) > 1_000_000L) return false;
            if (!java.util.Objects.equals(p.pid(), q.pid()) || !java.util.Objects.equals(p.comm(), q.comm())) return false;
        }
        return true;
    }

    /** Connects that ended with no port chosen (SYN_SENT -> CLOSE, local port 0). */
    private static int noPort(Map<ConnectionKey, List<KernelTransition>> events) {
        int n = 0;
        for (List<KernelTransition> l : events.values())
            for (KernelTransition t : l)
                if (t.from() == KernelTcpState.SYN_SENT && t.to() == KernelTcpState.CLOSE && t.key().local().port() == 0) n++;
        return n;
    }

    /** The workload's connects name it by the name it had, spaces and all. */
    private static void assertNames(Map<ConnectionKey, List<KernelTransition>> events) {
        Set<String> names = new HashSet<>();
        for (List<KernelTransition> l : events.values())
            for (KernelTransition t : l)
                if (t.to() == KernelTcpState.SYN_SENT && t.key().remote().port() != 0) names.add(t.comm());
        assertEquals(Set.of("tl batch one", "tl-batch-2"), names);
    }
}
