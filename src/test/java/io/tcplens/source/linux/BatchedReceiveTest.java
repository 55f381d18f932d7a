package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The receive thread hands the parser several datagrams at once ({@link NetlinkReceiver}, round 23): on a
 * real table of 1,500 loopback listeners of this JVM (identified by address and port; dozens of datagrams),
 * a batched and a one-datagram-a-hand-over source both list each of them exactly once, and the batched one
 * handed over fewer buffers than it received datagrams; and a dump's end is found in a later datagram of a
 * batch.
 */
class BatchedReceiveTest {
    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    @Test
    void batchedAndSingleListEveryListenerOnceAndBatchedHandsOverFewerBuffers() throws Exception {
        assumeTrue(NetlinkSource.probe().isEmpty(), "needs sock_diag");
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        List<ServerSocket> listeners = new ArrayList<>();
        try (NetlinkSource batched = new NetlinkSource(Path.of("/proc"), false);
                NetlinkSource single = new NetlinkSource(Path.of("/proc"), false)) {
            Set<Integer> ports = new HashSet<>();
            for (int i = 0; i < 1_500; i++) {
                ServerSocket s = new ServerSocket();
                listeners.add(s);
                s.bind(new InetSocketAddress(lo, 0), 1);
                ports.add(s.getLocalPort());
            }
            batched.setPipelined(true);
            batched.setBatchedReceive(true);
            single.setPipelined(true);
            single.setBatchedReceive(false);
            for (NetlinkSource source : List.of(batched, single)) {
                Map<Integer, Integer> seen = new HashMap<>();
                for (SocketEntry e : source.poll().sockets()) {
                    if (e.state() != TcpState.LISTEN || !e.key().local().address().equals(lo)) continue;
                    if (ports.contains(e.key().local().port())) seen.merge(e.key().local().port(), 1, Integer::sum);
                }
                assertEquals(ports, seen.keySet(), "every listener of this JVM is in the dump");
                assertFalse(seen.values().stream().anyMatch(n -> n != 1), "none twice: " + seen);
            }
            int[] b = batched.lastReceiveCounts(), s = single.lastReceiveCounts();
            assertTrue(b[0] >= 6, "1,500 listeners take several datagrams: " + b[0]);
            assertTrue(b[1] * 2 <= b[0], "batched: " + b[1] + " hand-overs for " + b[0] + " datagrams");
            assertEquals(s[0], s[1], "one datagram a hand-over when not batched");
        } finally {
            for (ServerSocket s : listeners) s.close();
        }
    }

    @Test
    void theEndOfADumpIsFoundInALaterDatagramOfABatch() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(256, 8);
            // datagram 1 at 0: one 40-byte record of seq 7; datagram 2 at 40: another record, then NLMSG_DONE of seq 7
            header(m, 0, 40, InetDiagParser.SOCK_DIAG_BY_FAMILY, 7);
            header(m, 40, 40, InetDiagParser.SOCK_DIAG_BY_FAMILY, 7);
            header(m, 80, 20, InetDiagParser.NLMSG_DONE, 7);
            assertFalse(NetlinkReceiver.ends(m, 0, 40, 7), "datagram 1 does not end the dump");
            assertTrue(NetlinkReceiver.ends(m, 40, 100, 7), "datagram 2, read from its own offset, does");
            assertFalse(NetlinkReceiver.ends(m, 40, 100, 8), "not another request's dump");
        }
    }

    private static void header(MemorySegment m, long at, int len, int type, int seq) {
        m.set(HOST_INT, at, len);
        m.set(HOST_SHORT, at + 4, (short) type);
        m.set(HOST_SHORT, at + 6, (short) InetDiagParser.NLM_F_MULTI);
        m.set(HOST_INT, at + 8, seq);
    }
}
