package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import io.tcplens.testutil.LoopbackSockets;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the real kernel: a TIME_WAIT socket's row from the netlink source is the same object at polls
 * a second apart (its timer's due time stays while the time left moves), and so is its tracking.
 */
class TimeWaitRowIdentityTest {
    @BeforeAll
    static void linuxWithNetlink() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        assertEquals(Optional.empty(), new NetlinkSourceProvider().unavailableReason(),
                "on Linux the netlink sock_diag socket must open and answer");
    }

    @Test
    void aTimeWaitSocketIsTheSameRowAndTrackingAtPollsASecondApart() throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource()) {
            ConnectionKey tw = lab.timeWaitKey(); // by its whole 4-tuple: other programs' sockets share port numbers
            ConnectionTracker tracker = new ConnectionTracker(60_000);
            Snapshot s1 = netlink.poll();
            ConnectionTracker.Update u1 = tracker.update(s1);
            SocketEntry r1 = s1.byKey().get(tw);
            assertNotNull(r1, "the client's TIME_WAIT socket is listed");
            assertEquals(TcpState.TIME_WAIT, r1.state());
            assertNotEquals(SocketEntry.NO_DUE, r1.timerDueMillis(), "a netlink TIME_WAIT row carries its due time");
            Snapshot s2 = pollAfter(netlink, s1.timestampMillis() + 1_100);
            ConnectionTracker.Update u2 = tracker.update(s2);
            SocketEntry r2 = s2.byKey().get(tw);
            if (r2 != r1) {
                // the first reading was held up in its dump by more than the tolerance (a loaded machine): the
                // later, truer due time makes the row once more; from then on it stays
                assertTrue(r2.timerDueMillis() > r1.timerDueMillis() + InetDiagParser.DUE_TOLERANCE_MILLIS,
                        "a new row only for a later due time: " + r1.timerDueMillis() + " then " + r2.timerDueMillis());
                s1 = s2;
                u1 = u2;
                r1 = r2;
                s2 = pollAfter(netlink, s1.timestampMillis() + 1_100);
                u2 = tracker.update(s2);
                r2 = s2.byKey().get(tw);
            }
            assertSame(r1, r2, "the same row object a second later");
            long left1 = r1.timerRemainingMs(s1.timestampMillis()), left2 = r2.timerRemainingMs(s2.timestampMillis());
            assertEquals(s2.timestampMillis() - s1.timestampMillis(), left1 - left2, "its time left moved with the polls' times");
            TrackedConnection c1 = u1.connections().get(tw), c2 = u2.connections().get(tw);
            assertSame(c1, c2, "the same tracking");
            assertSame(r2, u2.snapshot().byKey().get(tw));
        }
    }

    /**
     * With owners: the client's socket, this JVM's while ESTABLISHED, enters TIME_WAIT (no process holds
     * it any more) and the source names this JVM as its last known owner, on one row object that polls
     * a second apart give again and the tracker publishes as is.
     */
    @Test
    void aTimeWaitSocketKeepsItsLastKnownOwnerOnOneRow() throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), true)) {
            Socket[] pair = lab.established();
            ConnectionKey key = LoopbackSockets.key(pair[0]); // by its whole 4-tuple: other programs' sockets share port numbers
            Integer self = (int) ProcessHandle.current().pid();
            ConnectionTracker tracker = new ConnectionTracker(60_000);
            Snapshot s0 = netlink.poll();
            tracker.update(s0);
            SocketEntry open = s0.byKey().get(key);
            assertNotNull(open, "the client's socket is listed");
            assertEquals(self, open.pid(), "this JVM holds the client's socket");
            pair[0].close();
            InputStream in = pair[1].getInputStream();
            pair[1].setSoTimeout(2000);
            while (in.read() >= 0) { /* drain until FIN */ }
            pair[1].close();
            lab.awaitState(key, TcpState.TIME_WAIT);
            Snapshot s1 = netlink.poll();
            SocketEntry r1 = s1.byKey().get(key);
            assertEquals(TcpState.TIME_WAIT, r1.state());
            assertEquals(self, r1.pid(), "the owner it had while ESTABLISHED: " + r1);
            assertTrue(r1.ownerLastKnown(), "marked last known: " + r1);
            ConnectionTracker.Update u1 = tracker.update(s1);
            assertSame(r1, u1.snapshot().byKey().get(key), "published as the source gave it (no copy)");
            Snapshot s2 = pollAfter(netlink, s1.timestampMillis() + 1_100);
            SocketEntry r2 = s2.byKey().get(key);
            if (r2 != r1) // the first reading was held up in its dump (a loaded machine): a later due time, once
                r2 = (s2 = pollAfter(netlink, s2.timestampMillis() + 1_100)).byKey().get(key);
            assertEquals(self, r2.pid());
            assertTrue(r2.ownerLastKnown());
            ConnectionTracker.Update u2 = tracker.update(s2);
            assertSame(r2, u2.snapshot().byKey().get(key));
            assertSame(r2, pollAfter(netlink, s2.timestampMillis() + 1_100).byKey().get(key), "the same row object a second later");
        }
    }

    /** Polls until a poll is at least at {@code atMillis} (waits for the clock, polling every 100 ms). */
    private static Snapshot pollAfter(NetlinkSource netlink, long atMillis) throws Exception {
        while (true) {
            Snapshot s = netlink.poll();
            if (s.timestampMillis() >= atMillis) return s;
            Thread.sleep(100);
        }
    }
}
