package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.testutil.Rows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tracker's tracks are slots in parallel arrays, freed when a connection closes and given to the next one
 * opened; the published view finds a row by key through an index of several pages (no page a humongous object) or,
 * in the rows' order, without one. Realistic volume: 150,000 rows (five pages of the index).
 */
class TrackerSlotsAndViewTest {
    static Snapshot snap(long t, List<SocketEntry> rows) {
        return TrackerRepublishTest.snap(t, rows);
    }

    /** 150,000 distinct 4-tuples: 127.0.0.1:{10000+i/50000...} → 127.0.0.1:{1+i%50000}. */
    static List<SocketEntry> table(int n, int from) {
        List<SocketEntry> rows = new ArrayList<>(n);
        for (int i = from; i < from + n; i++) rows.add(Rows.row(10_000 + i / 50_000, 1 + i % 50_000, TcpState.ESTABLISHED, null, null));
        return rows;
    }

    @Test
    void lookupsInAnyOrderFindEveryRowAcrossThePages() {
        List<SocketEntry> rows = table(150_000, 0);
        ConnectionTracker t = new ConnectionTracker(60_000);
        Map<ConnectionKey, TrackedConnection> first = t.update(snap(1_000, rows)).connections();
        assertTrue(ConnectionTracker.View.tableSize(rows.size()) > 4 * ConnectionTracker.View.PAGE, "more than four pages");
        // in the rows' order (the hint), then shuffled (the index), then by equal keys that are other objects
        for (SocketEntry e : rows) assertSame(e, first.get(e.key()).entry());
        List<SocketEntry> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(11));
        for (SocketEntry e : shuffled) assertSame(e, first.get(e.key()).entry());
        for (int i = 0; i < 150_000; i += 997) {
            SocketEntry copy = Rows.row(10_000 + i / 50_000, 1 + i % 50_000, TcpState.ESTABLISHED, null, null);
            assertNotSame(rows.get(i).key(), copy.key());
            assertSame(rows.get(i), first.get(copy.key()).entry());
        }
        assertNull(first.get(Rows.row(9_999, 1, TcpState.ESTABLISHED, null, null).key()));
        assertFalse(first.containsKey("not a key"));
        assertEquals(150_000, first.size());
    }

    @Test
    void closedConnectionsFreeTheirSlotsForNewOnesAndTrackingStaysRight() {
        ConnectionTracker t = new ConnectionTracker(60_000);
        List<SocketEntry> a = table(20_000, 0);
        t.update(snap(1_000, a));
        // the first half closes, 10,000 others open (in the freed slots), the second half changes state
        List<SocketEntry> b = new ArrayList<>(table(10_000, 100_000));
        for (int i = 10_000; i < 20_000; i++) {
            SocketEntry e = a.get(i);
            b.add(Rows.row(e.local().port(), e.remote().port(), TcpState.CLOSE_WAIT, null, null));
        }
        ConnectionTracker.Update u = t.update(snap(2_000, b));
        assertEquals(20_000, t.size());
        assertEquals(10_000, u.diff().closed().size());
        assertEquals(10_000, u.diff().opened().size());
        assertEquals(10_000, u.diff().transitions().size());
        for (int i = 0; i < 10_000; i++) {
            TrackedConnection c = u.connections().get(b.get(i).key());
            assertEquals(2_000, c.firstSeenMillis(), "a new connection in a freed slot starts afresh");
            assertTrue(c.history().isEmpty());
            assertNull(u.connections().get(a.get(i).key()), "closed");
        }
        for (int i = 10_000; i < 20_000; i++) {
            TrackedConnection c = u.connections().get(b.get(i).key());
            assertEquals(1_000, c.firstSeenMillis());
            assertEquals(2_000, c.stateSinceMillis());
            assertEquals(TcpState.ESTABLISHED, c.history().getFirst().from());
        }
        // the table shrinks to 100 rows, then grows back: the same answers as a fresh tracker's
        List<SocketEntry> small = new ArrayList<>(b.subList(19_900, 20_000));
        ConnectionTracker.Update s = t.update(snap(3_000, small));
        assertEquals(100, t.size());
        assertEquals(19_900, s.diff().closed().size());
        List<SocketEntry> big = new ArrayList<>(small);
        big.addAll(table(30_000, 200_000));
        ConnectionTracker.Update g = t.update(snap(4_000, big));
        assertEquals(30_100, t.size());
        assertEquals(30_000, g.diff().opened().size());
        for (SocketEntry e : big.subList(100, big.size())) assertEquals(4_000, g.connections().get(e.key()).firstSeenMillis());
        for (SocketEntry e : small) assertEquals(1_000, g.connections().get(e.key()).firstSeenMillis());
    }
}
