package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.testutil.Rows;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The engine's tracker (one pass, map updated in place, a published view per poll) against the
 * simple reference tracker (maps rebuilt every poll): on random sequences of snapshots both give
 * the same rows, the same diff and the same tracking for every connection.
 */
class TrackerAgreesWithReferenceTest {
    private static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "property test");
    private static final TcpState[] STATES = TcpState.values();

    @Property(tries = 300)
    void sameRowsDiffAndTrackingAsTheReference(@ForAll long seed, @ForAll @IntRange(min = 1, max = 60) int universe,
                                               @ForAll @IntRange(min = 1, max = 25) int polls) {
        Random rnd = new Random(seed);
        ConnectionTracker real = new ConnectionTracker(60_000);
        ReferenceTracker ref = new ReferenceTracker(60_000);
        long t = 1_000;
        Map<Integer, TcpState> states = new HashMap<>();
        for (int p = 0; p < polls; p++) {
            t += 1 + rnd.nextInt(2_000);
            List<SocketEntry> rows = new ArrayList<>();
            for (int k = 0; k < universe; k++) {
                if (rnd.nextInt(4) == 0) { // absent this poll (closed, or not yet opened)
                    states.remove(k);
                    continue;
                }
                TcpState s = states.get(k);
                if (s == null || rnd.nextInt(3) == 0) s = STATES[rnd.nextInt(STATES.length)];
                states.put(k, s);
                Integer pid = rnd.nextBoolean() ? 100 + rnd.nextInt(3) : null;
                Long timer = s == TcpState.TIME_WAIT && rnd.nextBoolean() ? (long) rnd.nextInt(60_000) : null;
                rows.add(Rows.row(10_000 + k, 80 + k % 3, s, pid, timer));
            }
            Collections.shuffle(rows, rnd);
            Snapshot raw = new Snapshot(t, rows, SRC, List.of());
            agree(raw, real, ref);
        }
    }

    /**
     * As a cookie-keeping source gives them (netlink): an unchanged socket is the same row object as at
     * the previous poll, and rows come mostly in the previous poll's order (some moved). The tracker
     * then finds rows by position and reuses their tracking; it must still agree with the reference.
     * (A 4-tuple listed twice is where the two differ by design: the tracker keeps one row.)
     */
    @Property(tries = 300)
    void sameAsTheReferenceWhenUnchangedRowsAreTheSameObjects(@ForAll long seed, @ForAll @IntRange(min = 1, max = 80) int universe,
                                                             @ForAll @IntRange(min = 1, max = 25) int polls) {
        Random rnd = new Random(seed);
        ConnectionTracker real = new ConnectionTracker(60_000);
        ReferenceTracker ref = new ReferenceTracker(60_000);
        long t = 1_000;
        Map<Integer, SocketEntry> last = new HashMap<>();
        for (int p = 0; p < polls; p++) {
            t += 1 + rnd.nextInt(2_000);
            List<SocketEntry> rows = new ArrayList<>();
            for (int k = 0; k < universe; k++) {
                if (rnd.nextInt(6) == 0) { // absent this poll
                    last.remove(k);
                    continue;
                }
                SocketEntry was = last.get(k);
                SocketEntry row;
                if (was != null && rnd.nextInt(4) != 0) {
                    row = was; // unchanged: the same object
                } else {
                    TcpState s = was != null && rnd.nextBoolean() ? was.state() : STATES[rnd.nextInt(STATES.length)];
                    Integer pid = rnd.nextBoolean() ? 100 + rnd.nextInt(3) : null;
                    Long timer = s == TcpState.TIME_WAIT && rnd.nextBoolean() ? (long) rnd.nextInt(60_000) : null;
                    row = Rows.row(10_000 + k, 80 + k % 3, s, pid, timer);
                }
                last.put(k, row);
                rows.add(row);
            }
            for (int swaps = rnd.nextInt(3); swaps > 0 && rows.size() > 1; swaps--) // a few rows out of place
                Collections.swap(rows, rnd.nextInt(rows.size()), rnd.nextInt(rows.size()));
            Snapshot raw = new Snapshot(t, rows, SRC, List.of());
            agree(raw, real, ref);
        }
    }

    /** Both trackers take the next snapshot and must give the same rows, diff and tracking. */
    private static void agree(Snapshot raw, ConnectionTracker real, ReferenceTracker ref) {
        ConnectionTracker.Update a = real.update(raw);
        ReferenceTracker.Update b = ref.update(raw);
        assertEquals(b.snapshot().sockets(), a.snapshot().sockets(), "rows, with last-known owners");
        assertEquals(sorted(b.diff().opened()), sorted(a.diff().opened()), "opened");
        assertEquals(sorted(b.diff().closed()), sorted(a.diff().closed()), "closed");
        assertEquals(sortedChanges(b.diff().transitions()), sortedChanges(a.diff().transitions()), "transitions");
        assertEquals(b.diff().fromMillis(), a.diff().fromMillis());
        assertEquals(b.diff().toMillis(), a.diff().toMillis());
        assertEquals(b.connections(), a.connections(), "tracking per connection");
        assertEquals(b.connections().size(), a.connections().size());
        assertEquals(b.connections().keySet(), a.connections().keySet());
        for (SocketEntry e : raw.sockets()) assertEquals(b.connections().get(e.key()), a.connections().get(e.key()));
    }

    @Test
    void aPublishedViewDoesNotChangeWhenTheTrackerMovesOn() {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        SocketEntry est = Rows.row(1, 80, TcpState.ESTABLISHED, 7, null);
        Map<ConnectionKey, TrackedConnection> first = tr.update(new Snapshot(1_000, List.of(est), SRC, List.of())).connections();
        tr.update(new Snapshot(2_000, List.of(Rows.row(1, 80, TcpState.TIME_WAIT, null, 59_000L)), SRC, List.of()));
        tr.update(new Snapshot(3_000, List.of(), SRC, List.of()));
        assertEquals(TcpState.ESTABLISHED, first.get(est.key()).entry().state());
        assertEquals(1, first.size());
        assertTrue(tr.connections().isEmpty());
        assertNull(tr.connections().get(est.key()));
    }

    @Test
    void aFourTupleListedTwiceIsOneSocket() {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        SocketEntry a = Rows.row(1, 80, TcpState.ESTABLISHED, 7, null);
        SocketEntry b = Rows.row(1, 80, TcpState.FIN_WAIT1, 7, null);
        tr.update(new Snapshot(1_000, List.of(Rows.row(2, 80, TcpState.ESTABLISHED, 7, null)), SRC, List.of()));
        ConnectionTracker.Update u = tr.update(new Snapshot(2_000, List.of(a, b), SRC, List.of()));
        assertEquals(List.of(b), u.snapshot().sockets(), "one row, the later one");
        assertEquals(1, u.connections().size());
        assertEquals(TcpState.FIN_WAIT1, u.connections().get(a.key()).entry().state(), "the later row wins");
        assertEquals(1, u.diff().closed().size(), "the other connection closed");
        ConnectionTracker.Update next = tr.update(new Snapshot(3_000, List.of(b), SRC, List.of()));
        assertTrue(next.diff().closed().isEmpty());
        assertEquals(1, next.connections().size());
    }

    /** The same row object listed twice (a racing dump, from a source that reuses unchanged rows) is one socket too. */
    @Test
    void theSameRowObjectListedTwiceIsOneSocket() {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        SocketEntry a = Rows.row(1, 80, TcpState.ESTABLISHED, 7, null);
        SocketEntry b = Rows.row(2, 80, TcpState.ESTABLISHED, 7, null);
        ConnectionTracker.Update first = tr.update(new Snapshot(1_000, List.of(a, b), SRC, List.of()));
        ConnectionTracker.Update u = tr.update(new Snapshot(2_000, List.of(a, b, a), SRC, List.of()));
        assertEquals(List.of(a, b), u.snapshot().sockets());
        assertEquals(2, u.connections().size());
        assertTrue(u.diff().isEmpty(), "nothing opened, closed or changed");
        assertSame(first.connections().get(a.key()), u.connections().get(a.key()), "unchanged: the same tracking");
        ConnectionTracker.Update next = tr.update(new Snapshot(3_000, List.of(b), SRC, List.of()));
        assertEquals(List.of(a), next.diff().closed());
        assertEquals(1, next.connections().size());
    }

    private static List<String> sorted(List<SocketEntry> rows) {
        return rows.stream().map(SocketEntry::toString).sorted().toList();
    }

    private static List<StateChange> sortedChanges(List<StateChange> c) {
        List<StateChange> l = new ArrayList<>(c);
        l.sort(Comparator.comparing((StateChange x) -> x.key()));
        return l;
    }
}
