package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The resolver's deep scan (every link of every process) looks only for sockets that a light scan left
 * unplaced at an earlier poll and that the table still lists: a socket caught by one dump and closed before
 * the next (a process that opens and closes connections all the time: the steady 100k table's workers) costs
 * no deep scan; a socket passed to a process whose fd count stayed the same gets its owner a poll later.
 */
class DeepScanDeferredTest {
    private final OwnerAlignmentInodeTest.Lister lister = new OwnerAlignmentInodeTest.Lister();
    private final ProcessResolver resolver = new ProcessResolver(lister, ProcessResolver.ProcessFilter.ALL, 0, 0);

    private static SocketEntry row(int i, long inode) throws Exception {
        ConnectionKey key = new ConnectionKey(new Endpoint(InetAddress.getByName("10.0.0.1"), 40_000 + i),
                new Endpoint(InetAddress.getByName("10.0.1.1"), 80));
        return new SocketEntry(key, TcpState.ESTABLISHED, KernelTcpState.ESTABLISHED, 0, 0, null, null, 0, 1000, inode,
                null, null, false);
    }

    private List<SocketEntry> attach(long now, SocketEntry... rows) {
        return resolver.attach(new ArrayList<>(List.of(rows)), now).rows();
    }

    @Test
    void aSocketClosedBeforeTheNextPollCostsNoDeepScan() throws Exception {
        lister.inodes.put(11, new long[] {101, 102});
        SocketEntry a = row(1, 101), b = row(2, 102);
        assertEquals(11, attach(1_000, a, b).get(1).pid());
        // a socket of some process, listed by the dump and closed before the scan: no process holds it
        List<SocketEntry> p2 = attach(2_000, a, b, row(3, 103));
        assertNull(p2.get(2).pid());
        assertEquals(0, resolver.deepScans(), "not looked for by a deep scan at the poll that first lists it");
        // gone at the next poll: never looked for
        attach(3_000, a, b);
        attach(4_000, a, b);
        assertEquals(0, resolver.deepScans(), "a socket closed before the next poll costs no deep scan");
    }

    @Test
    void aSocketPassedWithTheSameFdCountGetsItsOwnerAPollLater() throws Exception {
        lister.inodes.put(11, new long[] {101, 102});
        lister.inodes.put(22, new long[] {201});
        SocketEntry a = row(1, 101), b = row(2, 102), c = row(3, 201);
        assertEquals(22, attach(1_000, a, b, c).get(2).pid());
        // process 22 closed its socket and holds another (one fd, as before): a light scan does not read it again
        lister.inodes.put(22, new long[] {202});
        SocketEntry x = row(4, 202);
        List<SocketEntry> p2 = attach(2_000, a, b, x);
        assertNull(p2.get(2).pid(), "not found by the light scan");
        assertEquals(0, resolver.deepScans());
        // still listed at the next poll: the deep scan finds it
        List<SocketEntry> p3 = attach(3_000, a, b, x);
        assertEquals(1, resolver.deepScans());
        assertEquals(22, p3.get(2).pid());
        assertEquals("p22", p3.get(2).process());
        // found: no more deep scans for it
        attach(4_000, a, b, x);
        assertEquals(1, resolver.deepScans());
    }
}
