package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.testutil.Rows;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A poll where every place of the table has the same row and tracking as at the last poll publishes the
 * last poll's rows and connections again (no new arrays); the first place that differs gets arrays of
 * its own, and what an earlier poll published never changes.
 */
class TrackerRepublishTest {
    static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "unit test");

    static Snapshot snap(long t, List<SocketEntry> rows) {
        return new Snapshot(t, rows, SRC, List.of());
    }

    @Test
    void theSameTableIsPublishedAgainAndAChangeGetsItsOwnArrays() {
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < 50; i++) rows.add(Rows.row(10_000 + i, 80, TcpState.ESTABLISHED, 7, null));
        ConnectionTracker t = new ConnectionTracker(60_000);
        ConnectionTracker.Update u1 = t.update(snap(1_000, List.copyOf(rows)));
        ConnectionTracker.Update u2 = t.update(snap(2_000, new ArrayList<>(rows)));
        assertSame(u1.connections(), u2.connections(), "nothing changed: the same view again");
        assertSame(u1.snapshot().sockets(), u2.snapshot().sockets(), "nothing changed: the same rows again");
        assertEquals(2_000, u2.snapshot().timestampMillis());
        assertTrue(u2.diff().opened().isEmpty() && u2.diff().closed().isEmpty() && u2.diff().transitions().isEmpty());
        // watched with the kernel's events, an interval with none (a table at rest): the same again
        ConnectionTracker.Update quiet = t.update(snap(2_000, new ArrayList<>(rows)), EventBatch.empty(true));
        assertSame(u1.connections(), quiet.connections(), "no event, nothing changed: the same view again");
        assertTrue(quiet.diff().eventsComplete() && quiet.diff().events().transitions().isEmpty());

        // row 20 changes state: new arrays from there, the last poll's as they were
        List<SocketEntry> changed = new ArrayList<>(rows);
        SocketEntry was = rows.get(20);
        SocketEntry fin = Rows.row(10_020, 80, TcpState.FIN_WAIT1, 7, null);
        changed.set(20, fin);
        ConnectionTracker.Update u3 = t.update(snap(3_000, changed));
        assertNotSame(u2.connections(), u3.connections());
        assertNotSame(u2.snapshot().sockets(), u3.snapshot().sockets());
        assertEquals(changed, u3.snapshot().sockets());
        assertEquals(rows, u2.snapshot().sockets(), "the last poll's rows unchanged");
        assertSame(was, u2.connections().get(was.key()).entry(), "the last poll's view unchanged");
        assertSame(fin, u3.connections().get(fin.key()).entry());
        assertEquals(TcpState.ESTABLISHED, u3.connections().get(fin.key()).history().getFirst().from());
        for (int i = 0; i < 50; i++)
            if (i != 20) assertSame(u2.connections().get(rows.get(i).key()), u3.connections().get(rows.get(i).key()));

        // the last ten close: a shorter table, the places before them as they were
        List<SocketEntry> shorter = new ArrayList<>(changed.subList(0, 40));
        ConnectionTracker.Update u4 = t.update(snap(4_000, shorter));
        assertEquals(shorter, u4.snapshot().sockets());
        assertEquals(40, u4.connections().size());
        assertEquals(10, u4.diff().closed().size());
        assertEquals(50, u3.connections().size(), "the last poll's view unchanged");
        assertEquals(changed, u3.snapshot().sockets());
        for (int i = 0; i < 40; i++) assertSame(u3.connections().get(shorter.get(i).key()), u4.connections().get(shorter.get(i).key()));

        // a 4-tuple listed twice (the later row, the same object, takes the earlier place): the same table again
        List<SocketEntry> twice = new ArrayList<>(shorter);
        twice.add(shorter.get(5));
        ConnectionTracker.Update u5 = t.update(snap(5_000, twice));
        assertSame(u4.connections(), u5.connections());
        assertEquals(shorter, u5.snapshot().sockets());

        // a new socket: appended, arrays of its own
        List<SocketEntry> more = new ArrayList<>(shorter);
        SocketEntry added = Rows.row(20_000, 80, TcpState.ESTABLISHED, 8, null);
        more.add(added);
        ConnectionTracker.Update u6 = t.update(snap(6_000, more));
        assertEquals(more, u6.snapshot().sockets());
        assertEquals(List.of(added), u6.diff().opened());
        assertEquals(shorter, u5.snapshot().sockets());
        Map<ConnectionKey, TrackedConnection> c6 = u6.connections();
        assertEquals(41, c6.size());
        assertNull(u5.connections().get(added.key()));
    }
}
