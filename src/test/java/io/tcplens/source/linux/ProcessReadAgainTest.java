package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A process read again with a few sockets closed and a few opened (a worker that churns connections
 * among thousands it holds): only those sockets' owner entries are touched, every row keeps the right
 * owner, sockets shared with another process are listed with both holders and stop being shared when
 * one lets go, and a socket on two fds of one process is one socket of it.
 */
class ProcessReadAgainTest {
    private static final int N = 6_000;

    private static SocketEntry row(int i, long inode) throws Exception {
        return new SocketEntry(new ConnectionKey(new Endpoint(InetAddress.getByName("10.0.0.1"), 80),
                new Endpoint(InetAddress.getByName("10.2." + (i >> 8) + "." + (i & 0xFF)), 40_000)),
                TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 0, inode, null, null, false);
    }

    /** The inodes in an order that is not sorted (as a process's fds list them). */
    private static long[] shuffled(List<Long> inodes, long seed) {
        List<Long> l = new ArrayList<>(inodes);
        java.util.Collections.shuffle(l, new Random(seed));
        return l.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void aProcessReadAgainTouchesOnlyTheSocketsItClosedOrOpened() throws Exception {
        OwnerAlignmentInodeTest.Lister lister = new OwnerAlignmentInodeTest.Lister();
        ProcessResolver r = new ProcessResolver(lister, ProcessResolver.ProcessFilter.ALL, 0, 0);
        List<Long> held = new ArrayList<>();
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            held.add(10_000L + i);
            rows.add(row(i, 10_000L + i));
        }
        long[] worker = shuffled(held, 1);
        long[] withDuplicate = java.util.Arrays.copyOf(worker, worker.length + 1);
        withDuplicate[worker.length] = 10_000L; // the same socket on a second fd
        lister.inodes.put(11, withDuplicate);
        lister.inodes.put(12, new long[] {10_001L, 10_002L, 10_003L}); // a child that inherited three
        List<SocketEntry> out = r.attach(rows, 1_000).rows();
        for (SocketEntry e : out) assertTrue(e.pid() == 11 || e.pid() == 12, e.toString());
        List<ProcessResolver.Owner> both = r.holders(10_002L);
        assertEquals(List.of(11, 12), both.stream().map(ProcessResolver.Owner::pid).toList());
        assertNull(r.holders(10_000L), "on two fds of one process: not shared");
        assertNull(r.holders(10_004L));

        // the worker closes three sockets (one of them shared) and opens two; the child lets one go
        List<Long> now = new ArrayList<>(held);
        now.removeAll(List.of(10_000L, 10_002L, 10_500L));
        now.add(90_000L);
        now.add(90_001L);
        lister.inodes.put(11, shuffled(now, 2));
        lister.inodes.put(12, new long[] {10_001L, 10_002L});
        List<SocketEntry> next = new ArrayList<>(rows);
        next.remove(500); // inode 10,500
        next.remove(0);
        next.add(row(N, 90_000L));
        next.add(row(N + 1, 90_001L));
        out = r.attach(next, 2_000).rows();
        int touched = r.touchedInLastAttach();
        assertTrue(touched >= 0 && touched <= 10, "owner entries touched when the worker was read again: " + touched);
        for (SocketEntry e : out) {
            long ino = e.inode();
            if (ino == 10_001L) { // held by both: either is its owner here (SocketOwners names the lowest living pid)
                assertTrue(e.pid() == 11 || e.pid() == 12, e.toString());
                continue;
            }
            int want = ino == 10_002L ? 12 : 11; // 10,002: only the child holds it now; 10,003: only the worker
            assertEquals(want, e.pid(), e.toString());
            assertEquals("p" + want, e.process());
        }
        assertEquals(List.of(11, 12), r.holders(10_001L).stream().map(ProcessResolver.Owner::pid).toList());
        assertNull(r.holders(10_002L), "the worker closed it: the child's alone");
        assertNull(r.holders(10_003L), "the child let it go: the worker's alone");
        assertNull(r.holders(90_000L));
    }

    @Test
    void inodesAreSortedOnceEach() {
        long[] given = {5, 3, 9, 3, 1};
        long[] s = ProcessResolver.sortedUnique(given, false);
        assertArrayEquals(new long[] {1, 3, 5, 9}, s);
        assertArrayEquals(new long[] {5, 3, 9, 3, 1}, given, "a lister's own array is not changed");
        long[] sorted = {1, 2, 3};
        assertTrue(ProcessResolver.sortedUnique(sorted, false) == sorted);
        assertArrayEquals(new long[] {}, ProcessResolver.sortedUnique(new long[0], true));
    }
}
