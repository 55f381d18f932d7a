package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.model.TrackedConnection;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A socket that leaves its process (TIME_WAIT: no inode) keeps, in the resolver, the owner its row had
 * at the last attach, marked last known, when it is the same socket (the same key object: netlink keeps
 * a socket's key into TIME_WAIT); given again, that row is the same object, and the tracker publishes
 * it as is, with the owner and tracking it would have given its own copy. A new socket on the same
 * 4-tuple (another key object) gets no owner from the resolver (the tracker still names the last known).
 */
class TimeWaitLastKnownOwnerTest {
    private static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "unit test");

    private static SocketEntry established(ConnectionKey key, long inode) {
        return new SocketEntry(key, TcpState.ESTABLISHED, KernelTcpState.ESTABLISHED, 0, 0, null, null, 0, 1000, inode,
                null, null, false);
    }

    private static SocketEntry timeWait(ConnectionKey key, long due) {
        return new SocketEntry(key, TcpState.TIME_WAIT, KernelTcpState.TIME_WAIT, 0, 0, TimerKind.TIME_WAIT, null, 0,
                SocketEntry.UNKNOWN_UID, 0, null, null, false, false, 77, null, due);
    }

    private static ConnectionKey key(int i) throws Exception {
        return new ConnectionKey(new Endpoint(InetAddress.getByName("10.0.0.1"), 40_000 + i),
                new Endpoint(InetAddress.getByName("10.0.1.1"), 80));
    }

    @Test
    void aSocketInTimeWaitKeepsItsLastOwnerAsOneRow() throws Exception {
        OwnerAlignmentInodeTest.Lister lister = new OwnerAlignmentInodeTest.Lister();
        ProcessResolver r = new ProcessResolver(lister, ProcessResolver.ProcessFilter.ALL, 0, 0);
        ConnectionTracker tracker = new ConnectionTracker(60_000);
        int n = 50;
        List<ConnectionKey> keys = new ArrayList<>();
        long[] inodes = new long[n];
        for (int i = 0; i < n; i++) {
            keys.add(key(i));
            inodes[i] = 1_000 + i;
        }
        lister.inodes.put(11, inodes);
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) rows.add(established(keys.get(i), inodes[i]));
        List<SocketEntry> out1 = r.attach(rows, 1_000).rows();
        tracker.update(new Snapshot(1_000, out1, SRC, List.of()));
        assertEquals(11, out1.get(7).pid());

        // poll 2: socket 7 entered TIME_WAIT (no inode, no process holds it), on the same key object
        SocketEntry tw = timeWait(keys.get(7), 2_000 + 60_000);
        List<SocketEntry> rows2 = new ArrayList<>(rows);
        rows2.set(7, tw);
        List<SocketEntry> out2 = r.attach(rows2, 2_000).rows();
        SocketEntry owned = out2.get(7);
        assertEquals(11, owned.pid(), "the owner it had while ESTABLISHED");
        assertEquals("p11", owned.process());
        assertTrue(owned.ownerLastKnown(), "marked last known");
        assertEquals(tw.timerDueMillis(), owned.timerDueMillis());
        assertEquals(tw.key(), owned.key());
        assertEquals(tw.key().hashCode(), owned.key().hashCode());
        assertEquals(tw.local().toString(), owned.local().toString());
        ConnectionTracker.Update u2 = tracker.update(new Snapshot(2_000, out2, SRC, List.of()));
        assertSame(owned, u2.snapshot().sockets().get(7), "the tracker publishes the source's row, no copy");
        TrackedConnection c2 = u2.connections().get(keys.get(7));
        assertEquals(TcpState.TIME_WAIT, c2.entry().state());
        assertEquals(1, c2.history().size(), "ESTABLISHED -> TIME_WAIT seen");

        // poll 3: the source gives the row it was given back (what the parser's adopt does): the same row, owner and tracking
        List<SocketEntry> rows3 = new ArrayList<>(rows2);
        rows3.set(7, owned);
        List<SocketEntry> out3 = r.attach(rows3, 3_000).rows();
        assertSame(owned, out3.get(7));
        ConnectionTracker.Update u3 = tracker.update(new Snapshot(3_000, out3, SRC, List.of()));
        assertSame(owned, u3.snapshot().sockets().get(7));
        assertSame(c2, u3.connections().get(keys.get(7)));

        // poll 4: its timer was set again (a copy of the owned row with a new due time): still the owner, last known
        SocketEntry again = owned.withTimerDue(4_000 + 60_000);
        List<SocketEntry> rows4 = new ArrayList<>(rows3);
        rows4.set(7, again);
        SocketEntry out4 = r.attach(rows4, 4_000).rows().get(7);
        assertEquals(11, out4.pid());
        assertTrue(out4.ownerLastKnown());

        // poll 5: a new socket on the same 4-tuple (a new key object) in TIME_WAIT: the resolver names no owner
        ConnectionKey other = key(7);
        assertEquals(keys.get(7), other);
        assertNotSame(keys.get(7), other);
        List<SocketEntry> rows5 = new ArrayList<>(rows4);
        rows5.set(7, timeWait(other, 5_000 + 60_000));
        SocketEntry out5 = r.attach(rows5, 5_000).rows().get(7);
        assertNull(out5.pid(), "another socket: its owner is not known here");
        assertFalse(out5.ownerLastKnown());
        // the tracker still names the 4-tuple's last known owner (its own rule)
        SocketEntry published = tracker.update(new Snapshot(5_000, r.attach(rows5, 5_500).rows(), SRC, List.of())).snapshot().sockets().get(7);
        assertEquals(11, published.pid());
        assertTrue(published.ownerLastKnown());
        // every other row kept its live owner, not marked last known
        for (int i = 0; i < n; i++) if (i != 7) assertFalse(out3.get(i).ownerLastKnown());
    }
}
