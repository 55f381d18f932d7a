package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.carrotsearch.hppc.IntObjectHashMap;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The resolver takes a socket's owner from its place at the last attach only when it is the same socket:
 * the same key object and the same inode (read from the last attach's row, not a copy of the inodes). A new
 * socket on the same 4-tuple (same key object, another inode) is looked up anew.
 */
class OwnerAlignmentInodeTest {
    /** Processes and their socket inodes, changed by the test between attaches. */
    static final class Lister implements ProcessResolver.FdLister {
        final IntObjectHashMap<long[]> inodes = new IntObjectHashMap<>();

        @Override
        public int[] pids() {
            return inodes.keys().toArray();
        }

        @Override
        public long fdCount(int pid) {
            long[] i = inodes.get(pid);
            return i == null ? 0 : i.length;
        }

        @Override
        public long[] socketInodes(int pid) {
            return inodes.get(pid).clone();
        }

        @Override
        public String name(int pid) {
            return "p" + pid;
        }

        @Override
        public boolean alive(int pid) {
            return inodes.containsKey(pid);
        }
    }

    private static SocketEntry row(ConnectionKey key, long inode) {
        return new SocketEntry(key, TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 0, inode, null, null, false);
    }

    @Test
    void aNewInodeOnTheSameKeyIsLookedUpAgain() throws Exception {
        Lister lister = new Lister();
        ProcessResolver r = new ProcessResolver(lister, ProcessResolver.ProcessFilter.ALL, 0, 0);
        List<ConnectionKey> keys = new ArrayList<>();
        for (int i = 0; i < 200; i++)
            keys.add(new ConnectionKey(new Endpoint(InetAddress.getByName("10.0.0.1"), 80),
                    new Endpoint(InetAddress.getByName("10.0.1." + (i % 250)), 40_000 + i)));
        long[] first = new long[200];
        for (int i = 0; i < 200; i++) first[i] = 1_000 + i;
        lister.inodes.put(11, first);
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) rows.add(row(keys.get(i), first[i]));
        List<SocketEntry> out = r.attach(rows, 1_000).rows();
        for (SocketEntry e : out) assertEquals(11, e.pid());

        // poll 2: the same rows except row 50, a new socket (inode 5050) on the same key object, which process 22 holds
        lister.inodes.put(22, new long[] {5_050});
        long[] without = first.clone();
        without[50] = 0; // process 11 closed the old socket
        lister.inodes.put(11, Arrays.stream(without).filter(v -> v != 0).toArray());
        List<SocketEntry> rows2 = new ArrayList<>(rows);
        rows2.set(50, row(keys.get(50), 5_050));
        List<SocketEntry> out2 = r.attach(rows2, 2_000).rows();
        assertEquals(22, out2.get(50).pid(), "the new socket's owner, not the old socket's");
        assertEquals("p22", out2.get(50).process());
        for (int i = 0; i < 200; i++) if (i != 50) assertSame(out.get(i), out2.get(i), "an unchanged socket keeps its owned row: " + i);

        // poll 3: the same row object again takes its owner from its place; a row copy with the same inode does too
        List<SocketEntry> rows3 = new ArrayList<>(rows2);
        rows3.set(60, row(keys.get(60), first[60]));
        List<SocketEntry> out3 = r.attach(rows3, 3_000).rows();
        assertSame(out2.get(50), out3.get(50));
        assertEquals(11, out3.get(60).pid());
        // poll 4: a socket no process holds (inode unknown) on a known key gets no owner
        List<SocketEntry> rows4 = new ArrayList<>(rows3);
        rows4.set(70, row(keys.get(70), 9_999));
        assertNull(r.attach(rows4, 4_000).rows().get(70).pid());
    }
}
