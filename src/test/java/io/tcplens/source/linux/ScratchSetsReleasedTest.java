package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The resolver's scratch sets (the inodes an attach's scan touched, the inodes whose owner exited) do
 * not keep the table a large scan grew them to: after an attach that mapped 20,000 sockets, and after
 * one where their owner exited and a process that shared them took them over, they are back to a
 * small table, and owners come out right with the sets grown and given back again.
 */
class ScratchSetsReleasedTest {
    private static final int N = 20_000;

    private static SocketEntry row(ConnectionKey key, long inode) {
        return new SocketEntry(key, TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 0, inode, null, null, false);
    }

    @Test
    void largeScansDoNotKeepLargeScratchSets() throws Exception {
        OwnerAlignmentInodeTest.Lister lister = new OwnerAlignmentInodeTest.Lister();
        ProcessResolver r = new ProcessResolver(lister, ProcessResolver.ProcessFilter.ALL, 0, 0);
        InetAddress server = InetAddress.getByName("10.0.0.1");
        long[] inodes = new long[N];
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            inodes[i] = 100_000 + i;
            rows.add(row(new ConnectionKey(new Endpoint(server, 80),
                    new Endpoint(InetAddress.getByName("10.1." + (i >> 8) + "." + (i & 0xFF)), 40_000)), inodes[i]));
        }
        int small = 2 * (ProcessResolver.SCRATCH_SET_KEPT + 1);
        // a parent and the child that inherited all its sockets
        lister.inodes.put(11, inodes.clone());
        lister.inodes.put(12, inodes.clone());
        List<SocketEntry> out = r.attach(rows, 1_000).rows();
        for (SocketEntry e : out) assertTrue(e.pid() == 11 || e.pid() == 12, e.toString());
        assertTrue(r.scratchSetSlots() <= small, "after the first scan: " + r.scratchSetSlots() + " slots");

        // the process named as owner exits: every socket is orphaned and given to the other holder
        int first = out.get(0).pid();
        int other = first == 11 ? 12 : 11;
        lister.inodes.remove(first);
        out = r.attach(rows, 2_000).rows();
        for (SocketEntry e : out) assertEquals(other, e.pid(), e.toString());
        assertTrue(r.scratchSetSlots() <= small, "after the owner exited: " + r.scratchSetSlots() + " slots");

        // again, with the sets given back: a third process that shares them takes over when the second exits
        lister.inodes.put(13, inodes.clone());
        r.attach(rows, 3_000);
        lister.inodes.remove(other);
        out = r.attach(rows, 4_000).rows();
        for (SocketEntry e : out) assertEquals(13, e.pid(), e.toString());
        assertEquals("p13", out.get(N - 1).process());
        assertTrue(r.scratchSetSlots() <= small, "after the second exit: " + r.scratchSetSlots() + " slots");
    }
}
