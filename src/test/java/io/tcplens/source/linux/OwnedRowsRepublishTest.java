package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.*;

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
 * An attach where every row gets the same owned row as at the last attach hands over the last attach's
 * array again (no new array per poll); one owner that changes gives this attach an array of its own,
 * and the rows an earlier attach handed over never change.
 */
class OwnedRowsRepublishTest {
    private static SocketEntry row(ConnectionKey key, long inode) {
        return new SocketEntry(key, TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 0, inode, null, null, false);
    }

    @Test
    void theSameOwnersAreTheSameArrayAndAChangeIsANewOne() throws Exception {
        OwnerAlignmentInodeTest.Lister lister = new OwnerAlignmentInodeTest.Lister();
        ProcessResolver r = new ProcessResolver(lister, ProcessResolver.ProcessFilter.ALL, 0, 0);
        List<SocketEntry> rows = new ArrayList<>();
        long[] inodes = new long[300];
        for (int i = 0; i < 300; i++) {
            inodes[i] = 1_000 + i;
            rows.add(row(new ConnectionKey(new Endpoint(InetAddress.getByName("10.0.0.1"), 80),
                    new Endpoint(InetAddress.getByName("10.0.1." + (i % 250)), 40_000 + i)), inodes[i]));
        }
        lister.inodes.put(11, inodes);
        List<SocketEntry> out1 = r.attach(new ArrayList<>(rows), 1_000).rows();
        SocketEntry[] a1 = r.lastOwnedArray();
        for (SocketEntry e : out1) assertEquals(11, e.pid());

        // the same rows, the same processes: the same owned rows in the same array
        List<SocketEntry> out2 = r.attach(new ArrayList<>(rows), 2_000).rows();
        assertSame(a1, r.lastOwnedArray(), "nothing changed: the last attach's array again");
        assertEquals(out1, out2);
        for (int i = 0; i < 300; i++) assertSame(out1.get(i), out2.get(i));

        // row 150's socket moves to process 22, found by the light scan of an attach 30 s later (the map
        // changed: the rows whose owner the scan touched are looked up again): a new array
        lister.inodes.put(22, new long[] {inodes[150]});
        long[] rest = Arrays.stream(inodes).filter(v -> v != inodes[150]).toArray();
        lister.inodes.put(11, rest);
        List<SocketEntry> out3 = r.attach(new ArrayList<>(rows), 30_000).rows();
        assertNotSame(a1, r.lastOwnedArray());
        assertEquals(22, out3.get(150).pid());
        assertEquals(11, out2.get(150).pid(), "what the last attach handed over is unchanged");
        assertEquals(11, out1.get(150).pid());
        for (int i = 0; i < 300; i++) if (i != 150) assertSame(out2.get(i), out3.get(i));

        // one row fewer at the end: the last attach's array again, as far as the rows go
        SocketEntry[] a3 = r.lastOwnedArray();
        List<SocketEntry> out4 = r.attach(new ArrayList<>(rows.subList(0, 299)), 31_000).rows();
        assertEquals(299, out4.size());
        assertSame(a3, r.lastOwnedArray());
        assertEquals(out3.subList(0, 299), out4);
        assertEquals(300, out3.size());

        // a new socket (another inode, which process 22 holds) on row 7's key, found while the rows are
        // prepared: a new array, the last attach's rows unchanged
        lister.inodes.put(22, new long[] {inodes[150], 7_777});
        List<SocketEntry> rows5 = new ArrayList<>(rows.subList(0, 299));
        rows5.set(7, row(rows.get(7).key(), 7_777));
        List<SocketEntry> out5 = r.attach(rows5, 32_000).rows();
        assertNotSame(a3, r.lastOwnedArray());
        assertEquals(22, out5.get(7).pid());
        assertEquals(11, out4.get(7).pid());
        assertEquals(1_007, out4.get(7).inode());
    }
}
