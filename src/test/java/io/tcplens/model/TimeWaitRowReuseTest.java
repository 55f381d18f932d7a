package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.testutil.Rows;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A TIME_WAIT row that carries its timer's due time (the netlink source's) is given again as the same
 * object while only its time left moves: the tracker then keeps its tracking object and its published
 * row (also the copy that inherited the owner of an earlier state), and dates its entry the same at
 * every poll. A new socket on the same 4-tuple (a new row with a later due time) starts again.
 */
class TimeWaitRowReuseTest {
    static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "unit test");

    static Snapshot snap(long t, SocketEntry... rows) {
        return new Snapshot(t, List.of(rows), SRC, List.of());
    }

    /** A TIME_WAIT row of 127.0.0.1:port → :80 due at {@code due}, no owner. */
    static SocketEntry dueRow(int port, long due) {
        SocketEntry e = Rows.row(port, 80, TcpState.TIME_WAIT, null, 0L);
        return e.withTimerDue(due);
    }

    @Test
    void aRowWithADueTimeKeepsItsTrackingWhileOnlyItsTimeLeftMoves() {
        ConnectionTracker t = new ConnectionTracker(60_000);
        t.update(snap(1_000));
        SocketEntry tw = dueRow(5, 100_000 + 45_000);
        ConnectionTracker.Update u1 = t.update(snap(100_000, tw));
        TrackedConnection c1 = u1.connections().values().iterator().next();
        assertEquals(100_000 - 15_000, c1.stateSinceMillis(), "entered TIME_WAIT at its due time less 60 s");
        assertFalse(c1.stateSinceObserved());
        for (long now = 101_000; now <= 140_000; now += 1_000) {
            ConnectionTracker.Update u = t.update(snap(now, tw));
            assertSame(tw, u.snapshot().sockets().getFirst(), "the same row at " + now);
            assertSame(c1, u.connections().get(tw.key()), "the same tracking at " + now);
            assertEquals(145_000 - now, tw.timerRemainingMs(now), "its time left at that poll");
            assertTrue(u.diff().transitions().isEmpty() && u.diff().opened().isEmpty() && u.diff().closed().isEmpty());
        }
    }

    @Test
    void aRowThatInheritedItsOwnerIsTheSamePublishedRowAndTrackingAgain() {
        ConnectionTracker t = new ConnectionTracker(60_000);
        t.update(snap(1_000, Rows.row(5, 80, TcpState.ESTABLISHED, 7, null)));
        SocketEntry tw = dueRow(5, 2_000 + 60_000);
        ConnectionTracker.Update u2 = t.update(snap(2_000, tw));
        SocketEntry owned = u2.snapshot().sockets().getFirst();
        assertNotSame(tw, owned);
        assertEquals(7, owned.pid(), "TIME_WAIT keeps the owner it had while ESTABLISHED");
        assertTrue(owned.ownerLastKnown());
        assertEquals(tw.timerDueMillis(), owned.timerDueMillis(), "the copy keeps the due time");
        TrackedConnection c2 = u2.connections().get(tw.key());
        assertEquals(2_000, c2.stateSinceMillis());
        assertEquals(1, c2.history().size());
        for (long now = 3_000; now <= 10_000; now += 1_000) {
            ConnectionTracker.Update u = t.update(snap(now, tw));
            assertSame(owned, u.snapshot().sockets().getFirst(), "the same owned row at " + now);
            assertSame(c2, u.connections().get(tw.key()), "the same tracking at " + now);
        }
    }

    @Test
    void aNewSocketOnTheSameFourTupleStartsAgain() {
        ConnectionTracker t = new ConnectionTracker(60_000);
        t.update(snap(1_000));
        SocketEntry first = dueRow(5, 10_000 + 60_000);
        t.update(snap(10_000, first));
        TrackedConnection c1 = t.update(snap(11_000, first)).connections().get(first.key());
        // a new connection took the 4-tuple over and closed again between two polls: its own row, due later
        SocketEntry second = dueRow(5, 20_000 + 59_000);
        ConnectionTracker.Update u = t.update(snap(20_000, second));
        TrackedConnection c2 = u.connections().get(second.key());
        assertNotSame(c1, c2);
        assertSame(second, c2.entry());
        assertEquals(19_000, c2.stateSinceMillis(), "dated by the new timer");
        assertEquals(20_000, c2.firstSeenMillis(), "a new connection");
        // and from then on it keeps its own tracking
        assertSame(c2, t.update(snap(21_000, second)).connections().get(second.key()));
    }

    @Test
    void aNewRowWithTheSameDueTimeKeepsTheTimesOfItsTracking() {
        ConnectionTracker t = new ConnectionTracker(60_000);
        t.update(snap(1_000));
        SocketEntry first = dueRow(5, 10_000 + 60_000);
        TrackedConnection c1 = t.update(snap(10_000, first)).connections().get(first.key());
        SocketEntry again = dueRow(5, 10_000 + 60_000 + 300); // made again (read 300 ms later): not a takeover
        TrackedConnection c2 = t.update(snap(11_000, again)).connections().get(again.key());
        assertSame(again, c2.entry());
        assertEquals(c1.stateSinceMillis(), c2.stateSinceMillis());
        assertEquals(c1.firstSeenMillis(), c2.firstSeenMillis());
    }

    @Test
    void theDueTimeAndTheTimeLeftAgree() {
        SocketEntry stored = Rows.row(5, 80, TcpState.TIME_WAIT, null, 30_000L);
        assertEquals(SocketEntry.NO_DUE, stored.timerDueMillis());
        assertEquals(130_000, stored.timerDueAt(100_000), "a stored time left is read as of the snapshot's time");
        assertEquals(30_000L, stored.timerRemainingMs(123_456), "a stored time left is the snapshot's");
        SocketEntry due = stored.withTimerDue(130_000);
        assertNull(due.withTimerRemaining(null).timerRemainingMs());
        assertEquals(130_000, due.timerDueAt(999));
        assertEquals(10_000L, due.timerRemainingMs(120_000));
        assertEquals(0L, due.timerRemainingMs(140_000), "never below 0");
        assertTrue(due.hasTimerTime());
        assertEquals(stored, due.withTimerRemaining(30_000L), "back to a stored time left: the same row as before");
        long left = due.withTimerDue(System.currentTimeMillis() + 50_000).timerRemainingMs();
        assertTrue(left > 0 && left <= 50_000, "without a time: the time left now, " + left);
        assertThrows(IllegalArgumentException.class, () -> Rows.row(5, 80, TcpState.ESTABLISHED, null, null).withTimerDue(1));
    }
}
