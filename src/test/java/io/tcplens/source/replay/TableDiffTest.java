package io.tcplens.source.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.testutil.RemakeTable;
import io.tcplens.testutil.Rows;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The recording's diff: applying "del" then "put" to the previous table gives the next one (rows
 * compared with timers as due times), on random table sequences with churn, field changes, counting-
 * down timers and 4-tuples listed twice; a timer that only counts down is no change.
 */
class TableDiffTest {
    static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "t", "test");

    @Test
    void applyingTheDiffGivesTheNextTable() {
        Random rnd = new Random(5);
        TableDiff d = new TableDiff();
        Map<ConnectionKey, List<List<Long>>> replayed = new HashMap<>();
        List<SocketEntry> table = new ArrayList<>();
        long t = 1_000_000;
        for (int i = 0; i < 300; i++) table.add(row(rnd, 1000 + i, t));
        for (int poll = 0; poll < 60; poll++, t += 1000) {
            List<SocketEntry> next = new ArrayList<>();
            for (SocketEntry e : table) {
                int r = rnd.nextInt(20);
                if (r == 0) continue; // closed
                if (r == 1) next.add(new SocketEntry(e.key(), TcpState.CLOSE_WAIT, null, 1, 2, null, null, 0, 1, e.inode(), 7, "x", false));
                else if (r == 2 && e.timerRemainingMs() != null) next.add(withRemaining(e, e.timerRemainingMs() + 5_000)); // timer restarted
                else if (e.timerRemainingMs() != null) next.add(withRemaining(e, Math.max(0, e.timerRemainingMs() - 1000))); // counts down
                else next.add(e);
                if (r == 3) next.add(e); // listed twice by a racing dump
            }
            for (int k = 0; k < 10; k++) next.add(row(rnd, 5000 + poll * 10 + k, t));
            TableDiff.Changes c = d.next(new Snapshot(t, next, SRC, List.of()));
            c.del().forEach(replayed::remove);
            Map<ConnectionKey, List<List<Long>>> putNow = new HashMap<>();
            for (SocketEntry e : c.put()) putNow.computeIfAbsent(e.key(), x -> new ArrayList<>()).add(recorded(e, t));
            replayed.putAll(putNow);
            Map<ConnectionKey, List<List<Long>>> expected = new HashMap<>();
            for (SocketEntry e : next) expected.computeIfAbsent(e.key(), x -> new ArrayList<>()).add(recorded(e, t));
            assertEquals(expected, replayed, "poll " + poll);
            assertTrue(c.put().size() < next.size() / 2 || poll == 0, "only what changed is put: " + c.put().size());
            table = next;
        }
    }

    /**
     * The burst table's remake (100k sockets, 28k TIME_WAIT gone and 28k new at their places in one table): the diff
     * puts the new and deletes the gone, and its 4-tuple map stays at 2^17 slots (put before the gone left, it held
     * 128k for a moment and doubled to 2^18 for good).
     */
    @Test
    void theRemakeIsDiffedWithoutDoublingTheMap() {
        List<SocketEntry> before = RemakeTable.before(100_000);
        List<SocketEntry> after = RemakeTable.after(before);
        TableDiff d = new TableDiff();
        d.next(new Snapshot(1_000, before, SRC, List.of()));
        int columns = d.slotColumns();
        assertTrue(columns >= 128_000, "room for the remake at the first table: " + columns);
        TableDiff.Changes c = d.next(new Snapshot(1_000, after, SRC, List.of()));
        assertEquals(28_000, c.put().size());
        assertEquals(28_000, c.del().size());
        for (SocketEntry e : c.put()) assertEquals(TcpState.TIME_WAIT, e.state());
        assertEquals(1 << 17, d.mapCapacity(), "not doubled at the remake");
        assertEquals(columns, d.slotColumns(), "the per-slot columns not regrown at the remake");
        c = d.next(new Snapshot(1_000, after, SRC, List.of()));
        assertEquals(List.of(), c.put(), "the new rows are known after it");
        assertEquals(List.of(), c.del());
        c = d.next(new Snapshot(1_000, before, SRC, List.of()));
        assertEquals(28_000, c.put().size(), "and the remake back");
        assertEquals(28_000, c.del().size());
        assertEquals(columns, d.slotColumns(), "nor at the remake back");
    }

    @Test
    void aTimerThatOnlyCountsDownIsNoChange() {
        TableDiff d = new TableDiff();
        SocketEntry tw = Rows.row(1, 80, TcpState.TIME_WAIT, null, 60_000L);
        d.next(new Snapshot(1_000, List.of(tw), SRC, List.of()));
        TableDiff.Changes c = d.next(new Snapshot(2_000, List.of(withRemaining(tw, 59_000L)), SRC, List.of()));
        assertEquals(List.of(), c.put());
        assertEquals(List.of(), c.del());
        c = d.next(new Snapshot(3_000, List.of(withRemaining(tw, 58_004L)), SRC, List.of()));
        assertEquals(List.of(), c.put(), "read 4 ms later in a long dump: the same timer");
        c = d.next(new Snapshot(4_000, List.of(withRemaining(tw, 58_004L)), SRC, List.of()));
        assertEquals(1, c.put().size(), "the same time left a second later is a restarted timer");
    }

    /**
     * A 4-tuple a racing dump listed twice in two tables in a row is put only when its rows differ (the
     * previous table's rows are kept for such 4-tuples only); twice after once, or once after twice, is a
     * change. Rows given with new (equal) key objects, as /proc gives them, are found by the map and
     * compared as well.
     */
    @Test
    void aFourTupleListedTwiceIsComparedWithItsRowsOfThePreviousTable() {
        TableDiff d = new TableDiff();
        SocketEntry a = Rows.row(1, 80, TcpState.ESTABLISHED, 10, null);
        SocketEntry b = Rows.row(2, 80, TcpState.ESTABLISHED, 10, null);
        SocketEntry c = Rows.row(3, 80, TcpState.ESTABLISHED, 10, null);
        SocketEntry b2 = new SocketEntry(b.key(), TcpState.CLOSE_WAIT, null, 1, 2, null, null, 0, 1, b.inode(), 7, "x", false);
        d.next(new Snapshot(1_000, List.of(a, b, b2, c), SRC, List.of()));
        TableDiff.Changes ch = d.next(new Snapshot(2_000, List.of(a, b, b2, c), SRC, List.of()));
        assertEquals(List.of(), ch.put(), "the same two rows again");
        assertEquals(List.of(), ch.del());
        SocketEntry b3 = new SocketEntry(b.key(), TcpState.LAST_ACK, null, 1, 2, null, null, 0, 1, b.inode(), 7, "x", false);
        ch = d.next(new Snapshot(3_000, List.of(a, b, b3, c), SRC, List.of()));
        assertEquals(List.of(b, b3), ch.put(), "one of its two rows changed: both are put");
        ch = d.next(new Snapshot(4_000, List.of(a, b3, c), SRC, List.of()));
        assertEquals(List.of(b3), ch.put(), "once after twice");
        ch = d.next(new Snapshot(5_000, List.of(a, b3, b3, c), SRC, List.of()));
        assertEquals(List.of(b3, b3), ch.put(), "twice after once");
        // the same rows with new key objects (equal): found by the map, unchanged; then by position again
        SocketEntry a2 = copyWithNewKey(a), c2 = copyWithNewKey(c);
        ch = d.next(new Snapshot(6_000, List.of(a2, b3, b3, c2), SRC, List.of()));
        assertEquals(List.of(), ch.put());
        ch = d.next(new Snapshot(7_000, List.of(a2, c2), SRC, List.of()));
        assertEquals(List.of(), ch.put());
        assertEquals(List.of(b.key()), ch.del());
    }

    private static SocketEntry copyWithNewKey(SocketEntry e) {
        ConnectionKey k = new ConnectionKey(e.key().local(), e.key().remote());
        assertTrue(k.equals(e.key()) && k != e.key());
        return new SocketEntry(k, e.state(), e.kernelState(), e.sendQueue(), e.receiveQueue(), e.timer(), e.timerRemainingMs(),
                e.retransmits(), e.uid(), e.inode(), e.pid(), e.process(), e.ownerLastKnown());
    }

    private static SocketEntry row(Random rnd, int port, long t) {
        boolean tw = rnd.nextBoolean();
        return Rows.row(port, 80, tw ? TcpState.TIME_WAIT : TcpState.ESTABLISHED, tw ? null : 10 + rnd.nextInt(3), tw ? 60_000L : null);
    }

    private static SocketEntry withRemaining(SocketEntry e, long ms) {
        return new SocketEntry(e.key(), e.state(), e.kernelState(), e.sendQueue(), e.receiveQueue(), TimerKind.TIME_WAIT, ms,
                e.retransmits(), e.uid(), e.inode(), e.pid(), e.process(), e.ownerLastKnown());
    }

    /** What a recording keeps of a row, its timer as a due time. */
    private static List<Long> recorded(SocketEntry e, long t) {
        return List.of((long) e.state().ordinal(), e.timerRemainingMs() == null ? -1 : t + e.timerRemainingMs(), e.sendQueue(),
                e.receiveQueue(), e.pid() == null ? -1L : e.pid(), e.inode());
    }
}
