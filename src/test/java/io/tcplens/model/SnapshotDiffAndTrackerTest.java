package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.testutil.Rows;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SnapshotDiffAndTrackerTest {
    static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "unit test");

    static SocketEntry row(int localPort, int remotePort, TcpState s, Integer pid, Long timer) {
        return Rows.row(localPort, remotePort, s, pid, timer);
    }

    static Snapshot snap(long t, SocketEntry... rows) {
        return new Snapshot(t, List.of(rows), SRC, List.of());
    }

    @Test
    void diffFindsOpenedClosedAndTransitions() {
        Snapshot a = snap(1000, row(1, 80, TcpState.ESTABLISHED, 7, null), row(2, 80, TcpState.ESTABLISHED, 7, null));
        Snapshot b = snap(2000, row(1, 80, TcpState.TIME_WAIT, null, 59_000L), row(3, 80, TcpState.SYN_SENT, 7, null));
        SnapshotDiff d = SnapshotDiff.between(a, b);
        assertEquals(1, d.opened().size());
        assertEquals(3, d.opened().get(0).local().port());
        assertEquals(1, d.closed().size());
        assertEquals(2, d.closed().get(0).local().port());
        assertEquals(1, d.transitions().size());
        assertEquals(TcpState.ESTABLISHED, d.transitions().get(0).from());
        assertEquals(TcpState.TIME_WAIT, d.transitions().get(0).to());
    }

    @Test
    void trackerKeepsTimesAndLastKnownOwner() {
        ConnectionTracker t = new ConnectionTracker(60_000);
        t.update(snap(1000, row(1, 80, TcpState.ESTABLISHED, 7, null)));
        t.update(snap(2000, row(1, 80, TcpState.ESTABLISHED, 7, null)));
        ConnectionTracker.Update u = t.update(snap(3000, row(1, 80, TcpState.TIME_WAIT, null, 60_000L)));
        TrackedConnection c = u.connections().values().iterator().next();
        assertEquals(TcpState.TIME_WAIT, c.entry().state());
        assertEquals(3000, c.stateSinceMillis());
        assertEquals(7, c.entry().pid(), "TIME_WAIT keeps the owner it had while ESTABLISHED");
        assertTrue(c.entry().ownerLastKnown());
        assertEquals(1, c.history().size());
        assertEquals(1000, c.firstSeenMillis());
        assertEquals(7, u.snapshot().sockets().get(0).pid());
    }

    @Test
    void timeWaitFirstSeenGetsEntryFromKernelTimer() {
        ConnectionTracker t = new ConnectionTracker(60_000);
        t.update(snap(1000));
        var u = t.update(snap(100_000, row(5, 80, TcpState.TIME_WAIT, null, 45_000L)));
        TrackedConnection c = u.connections().values().iterator().next();
        assertEquals(100_000 - 15_000, c.stateSinceMillis());
        assertFalse(c.stateSinceObserved());
    }

    @Test
    void closedConnectionsAreForgottenAndHistoryIsBounded() {
        ConnectionTracker t = new ConnectionTracker();
        Random rnd = new Random(42);
        TcpState[] states = TcpState.values();
        for (int i = 0; i < 500; i++) {
            List<SocketEntry> rows = new ArrayList<>();
            for (int p = 0; p < 50; p++) if (rnd.nextInt(4) != 0) rows.add(row(p, 80, states[rnd.nextInt(states.length)], 1, null));
            var u = t.update(new Snapshot(i * 1000L, rows, SRC, List.of()));
            assertEquals(rows.size(), u.connections().size());
            for (TrackedConnection c : u.connections().values())
                assertTrue(c.history().size() <= ConnectionTracker.HISTORY_LIMIT);
        }
        t.update(snap(1_000_000));
        assertEquals(0, t.size());
    }

    /** The tracker's snapshot holds its rows without a copy, read-only, and equal to a copied list of them. */
    @Test
    void theTrackersRowsAreReadOnlyAndEqualToAList() {
        ConnectionTracker t = new ConnectionTracker(60_000);
        SocketEntry a = row(1, 80, TcpState.ESTABLISHED, 7, null), b = row(2, 80, TcpState.TIME_WAIT, null, 30_000L);
        Snapshot s = t.update(snap(1000, a, b)).snapshot();
        assertEquals(List.of(a, b), s.sockets());
        assertEquals(List.of(a, b).hashCode(), s.sockets().hashCode());
        assertThrows(UnsupportedOperationException.class, () -> s.sockets().add(a));
        assertThrows(UnsupportedOperationException.class, () -> s.sockets().set(0, b));
        Snapshot again = new Snapshot(s.timestampMillis(), s.sockets(), s.source(), s.warnings());
        assertSame(s.sockets(), again.sockets(), "taken as it is");
        assertEquals(s, again);
    }
}
