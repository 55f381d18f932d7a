package io.tcplens.model;

import static io.tcplens.model.KernelTcpState.CLOSE;
import static io.tcplens.model.KernelTcpState.ESTABLISHED;
import static io.tcplens.model.KernelTcpState.FIN_WAIT1;
import static io.tcplens.model.KernelTcpState.FIN_WAIT2;
import static io.tcplens.model.KernelTcpState.SYN_SENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.testutil.Rows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tracker with kernel events (crafted batches; the real tracepoint is exercised by
 * KernelEventsTest), and the polling-only TIME_WAIT takeover: a new connection on a TIME_WAIT
 * 4-tuple starts again (first seen, in state since, history).
 */
class TrackerWithEventsTest {
    private static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "crafted");

    private static KernelTransition ev(SocketEntry row, long sk, KernelTcpState from, KernelTcpState to, long at) {
        return new KernelTransition(row.key(), sk, from, to, at, at * 1_000_000L, null, null, 0, 0);
    }

    private static List<KernelTransition> life(SocketEntry row, long sk, long start) {
        List<KernelTransition> l = new ArrayList<>();
        l.add(ev(row, sk, CLOSE, SYN_SENT, start));
        l.add(ev(row, sk, SYN_SENT, ESTABLISHED, start + 1));
        l.add(ev(row, sk, ESTABLISHED, FIN_WAIT1, start + 10));
        l.add(ev(row, sk, FIN_WAIT1, FIN_WAIT2, start + 11));
        l.add(ev(row, sk, FIN_WAIT2, CLOSE, start + 12));
        return l;
    }

    @Test
    void aTakeoverBetweenTwoPollsIsANewConnectionWithItsOwnTimes() {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        SocketEntry tw = Rows.row(40000, 9000, TcpState.TIME_WAIT, null, 50_000L);
        tr.update(new Snapshot(100_000, List.of(tw), SRC, List.of()), EventBatch.empty(true));
        long firstSince = tr.connections().get(tw.key()).stateSinceMillis();
        assertEquals(90_000, firstSince, "dated from its timer");
        // between the polls: a new socket takes the 4-tuple over and closes first again
        List<KernelTransition> batch = life(tw, 0xBEEF, 100_500);
        SocketEntry again = Rows.row(40000, 9000, TcpState.TIME_WAIT, null, 59_400L);
        ConnectionTracker.Update u = tr.update(new Snapshot(101_000, List.of(again), SRC, List.of()),
                new EventBatch(batch, 0, true));
        TrackedConnection c = u.connections().get(again.key());
        assertEquals(100_500, c.firstSeenMillis(), "first seen: the new socket's connect()");
        assertEquals(100_512, c.stateSinceMillis(), "in TIME_WAIT since its own close");
        assertTrue(c.stateSinceObserved());
        assertEquals(5, c.history().size(), "the new connection's own steps only");
        assertEquals(List.of(again.key()), u.diff().events().takenOver());
        List<String> steps = new ArrayList<>();
        for (StateChange s : u.diff().events().transitions()) steps.add(s.from() + ">" + s.to());
        assertEquals(List.of("TIME_WAIT>CLOSED", "CLOSED>SYN_SENT", "SYN_SENT>ESTABLISHED", "ESTABLISHED>FIN_WAIT1",
                "FIN_WAIT1>FIN_WAIT2", "FIN_WAIT2>TIME_WAIT"), steps);
    }

    @Test
    void aRowGivenAgainWithEventsForItsOwnTupleIsANewLifeWhileTheRestKeepTheirTracking() {
        // a steadily churning table: every batch holds some events, most rows none of them. The rows given again
        // without an event keep their tracking as it was; the one whose 4-tuple has events is aligned with them,
        // even though the source gave its very row object again
        ConnectionTracker tr = new ConnectionTracker(60_000);
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) rows.add(Rows.row(20_000 + i, 9000, TcpState.ESTABLISHED, null, null));
        tr.update(new Snapshot(10_000, rows, SRC, List.of()), EventBatch.empty(true));
        List<TrackedConnection> before = new ArrayList<>();
        for (SocketEntry r : rows) before.add(tr.connections().get(r.key()));
        SocketEntry reopened = rows.get(1_500);
        List<KernelTransition> batch = new ArrayList<>();
        batch.add(ev(reopened, 7, ESTABLISHED, FIN_WAIT1, 10_100));
        batch.add(ev(reopened, 7, FIN_WAIT1, FIN_WAIT2, 10_101));
        batch.add(ev(reopened, 7, FIN_WAIT2, CLOSE, 10_102));
        batch.add(ev(reopened, 8, CLOSE, SYN_SENT, 10_400));
        batch.add(ev(reopened, 8, SYN_SENT, ESTABLISHED, 10_401));
        ConnectionTracker.Update u = tr.update(new Snapshot(11_000, rows, SRC, List.of()), new EventBatch(batch, 0, true));
        TrackedConnection c = u.connections().get(reopened.key());
        assertEquals(10_400, c.firstSeenMillis(), "first seen: the new socket's connect()");
        assertEquals(10_401, c.stateSinceMillis(), "established since the new socket's handshake");
        assertTrue(c.stateSinceObserved());
        List<String> steps = new ArrayList<>();
        for (StateChange s : u.diff().events().transitions()) steps.add(s.from() + ">" + s.to());
        assertEquals(List.of("ESTABLISHED>FIN_WAIT1", "FIN_WAIT1>FIN_WAIT2", "FIN_WAIT2>TIME_WAIT", "TIME_WAIT>CLOSED",
                "CLOSED>SYN_SENT", "SYN_SENT>ESTABLISHED"), steps, "the old life's close and the new one's start");
        for (int i = 0; i < rows.size(); i++) {
            if (i == 1_500) continue;
            assertTrue(before.get(i) == u.connections().get(rows.get(i).key()), "row " + i + ": its tracking as it was");
        }
    }

    @Test
    void aConnectionThatOpenedAndClosedBetweenPollsIsListedAndStepsAfterTheReadWait() {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        tr.update(new Snapshot(1_000, List.of(), SRC, List.of()), EventBatch.empty(true));
        SocketEntry gone = Rows.row(40001, 9000, TcpState.CLOSED, null, null);
        List<KernelTransition> batch = new ArrayList<>();
        batch.add(ev(gone, 1, CLOSE, SYN_SENT, 1_100));
        batch.add(ev(gone, 1, SYN_SENT, CLOSE, 1_200)); // refused
        SocketEntry est = Rows.row(40002, 9000, TcpState.ESTABLISHED, null, null);
        batch.add(ev(est, 2, CLOSE, SYN_SENT, 1_300));
        batch.add(ev(est, 2, SYN_SENT, ESTABLISHED, 1_301));
        batch.add(ev(est, 2, ESTABLISHED, FIN_WAIT1, 1_990)); // after the table was read: next poll
        ConnectionTracker.Update u = tr.update(new Snapshot(2_000, List.of(est), SRC, List.of()),
                new EventBatch(batch, 0, true));
        assertEquals(4, u.diff().events().transitions().size(), "refused connect (2) + the new one's 2; FIN_WAIT1 waits");
        assertEquals(1_301, u.connections().get(est.key()).stateSinceMillis());
        SocketEntry fw1 = Rows.row(40002, 9000, TcpState.FIN_WAIT1, null, null);
        ConnectionTracker.Update v = tr.update(new Snapshot(3_000, List.of(fw1), SRC, List.of()), EventBatch.empty(true));
        assertEquals(1_990, v.connections().get(fw1.key()).stateSinceMillis(), "the deferred step, at the kernel's time");
    }

    /**
     * A connection whose whole life fell between the dump and the end of a table read waits one poll to learn
     * whether it entered TIME_WAIT, also when the kernel gave its socket the address of the socket that waited
     * at the poll before (the kernel reuses a freed socket's memory at once). The tracker knew waits by socket
     * address, and under load (slow reads miss more short connections) KernelEventsTest saw FIN_WAIT2 → CLOSED
     * for the second of two such connections in a row, then in TIME_WAIT in every later poll.
     */
    @Test
    void aCloseMissedByTheReadWaitsOnceEvenOnAReusedSocketAddress() {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        tr.update(new Snapshot(1_000, List.of(), SRC, List.of()), EventBatch.empty(true));
        long sk = 0xFFFF8882_D561C0C0L;
        SocketEntry first = Rows.row(41000, 9000, TcpState.TIME_WAIT, null, 60_000L - 900);
        SocketEntry second = Rows.row(41001, 9000, TcpState.TIME_WAIT, null, 60_000L - 900);
        // each one's whole life after the dump passed: its events, no row
        ConnectionTracker.Update u1 = tr.update(new Snapshot(2_000, List.of(), SRC, List.of()),
                new EventBatch(life(first, sk, 1_100), 0, true));
        assertEquals(List.of(), steps(u1), "the first waits one poll");
        ConnectionTracker.Update u2 = tr.update(new Snapshot(3_000, List.of(first), SRC, List.of()),
                new EventBatch(life(second, sk, 2_100), 0, true));
        assertEquals(List.of("41000 CLOSED>SYN_SENT", "41000 SYN_SENT>ESTABLISHED", "41000 ESTABLISHED>FIN_WAIT1",
                "41000 FIN_WAIT1>FIN_WAIT2", "41000 FIN_WAIT2>TIME_WAIT"), steps(u2), "the first in TIME_WAIT; the second waits");
        SocketEntry firstLater = Rows.row(41000, 9000, TcpState.TIME_WAIT, null, 60_000L - 1_900);
        ConnectionTracker.Update u3 = tr.update(new Snapshot(4_000, List.of(firstLater, second), SRC, List.of()),
                EventBatch.empty(true));
        assertEquals(List.of("41001 CLOSED>SYN_SENT", "41001 SYN_SENT>ESTABLISHED", "41001 ESTABLISHED>FIN_WAIT1",
                "41001 FIN_WAIT1>FIN_WAIT2", "41001 FIN_WAIT2>TIME_WAIT"), steps(u3), "the second (same socket address) in TIME_WAIT");
    }

    /**
     * Two lives of one 4-tuple in one interval on the same socket address (the kernel hands a freed socket's
     * memory to the next connect() at once): the first life's FIN_WAIT2 → CLOSE entered TIME_WAIT, as the
     * second one's connect() took that TIME_WAIT 4-tuple over. The rule asked for a different socket address,
     * and CloseRateWithEventsTest (60 ports at 50 connections per s, polls 1.1–1.5 s apart at load 20)
     * counted 975 entries into TIME_WAIT of 1,001.
     */
    @Test
    void twoLivesOnOneSocketAddressInOneIntervalEnterTimeWaitTwice() {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        SocketEntry tw = Rows.row(40000, 9000, TcpState.TIME_WAIT, null, 59_000L);
        tr.update(new Snapshot(100_000, List.of(tw), SRC, List.of()), EventBatch.empty(true));
        long sk = 0xFFFF8882_B3BC1BC0L;
        List<KernelTransition> batch = new ArrayList<>(life(tw, sk, 100_100));
        batch.addAll(life(tw, sk, 100_600));
        SocketEntry again = Rows.row(40000, 9000, TcpState.TIME_WAIT, null, 59_612L);
        ConnectionTracker.Update u = tr.update(new Snapshot(101_000, List.of(again), SRC, List.of()),
                new EventBatch(batch, 0, true));
        assertEquals(List.of("40000 TIME_WAIT>CLOSED", "40000 CLOSED>SYN_SENT", "40000 SYN_SENT>ESTABLISHED",
                "40000 ESTABLISHED>FIN_WAIT1", "40000 FIN_WAIT1>FIN_WAIT2", "40000 FIN_WAIT2>TIME_WAIT",
                "40000 TIME_WAIT>CLOSED", "40000 CLOSED>SYN_SENT", "40000 SYN_SENT>ESTABLISHED",
                "40000 ESTABLISHED>FIN_WAIT1", "40000 FIN_WAIT1>FIN_WAIT2", "40000 FIN_WAIT2>TIME_WAIT"), steps(u));
        assertEquals(100_612, u.connections().get(again.key()).stateSinceMillis(), "in TIME_WAIT since the second close");
    }

    private static List<String> steps(ConnectionTracker.Update u) {
        List<String> out = new ArrayList<>();
        for (StateChange c : u.diff().events().transitions()) out.add(c.key().local().port() + " " + c.from() + ">" + c.to());
        return out;
    }

    /**
     * On a loaded machine bpftrace's output can reach the reader after the poll stopped waiting for it: the
     * table shows a new client in TIME_WAIT, and its events (all, or the last few) come with the next poll.
     * They are its steps, not steps "shown already" (KernelEventsTest at load 25: a client with no transitions).
     */
    @Test
    void eventsThatComeAPollLateStillExplainANewRow() {
        for (int split : new int[] {0, 3}) { // none of its events with the first poll, or the first three
            ConnectionTracker tr = new ConnectionTracker(60_000);
            tr.update(new Snapshot(1_000, List.of(), SRC, List.of()), EventBatch.empty(true));
            // in TIME_WAIT since 1,412 (its timer, read at 2,000 and at 3,000, says so too): not taken over
            SocketEntry tw = Rows.row(42000 + split, 9000, TcpState.TIME_WAIT, null, 60_000L - 588);
            SocketEntry later = Rows.row(42000 + split, 9000, TcpState.TIME_WAIT, null, 60_000L - 1_588);
            List<KernelTransition> life = life(tw, 0xABC, 1_400);
            ConnectionTracker.Update u = tr.update(new Snapshot(2_000, List.of(tw), SRC, List.of()),
                    new EventBatch(life.subList(0, split), 0, true));
            List<String> steps = new ArrayList<>();
            for (StateChange c : u.diff().events().transitions()) steps.add(c.from() + ">" + c.to());
            ConnectionTracker.Update v = tr.update(new Snapshot(3_000, List.of(later), SRC, List.of()),
                    new EventBatch(life.subList(split, life.size()), 0, true));
            for (StateChange c : v.diff().events().transitions()) steps.add(c.from() + ">" + c.to());
            assertEquals(List.of("CLOSED>SYN_SENT", "SYN_SENT>ESTABLISHED", "ESTABLISHED>FIN_WAIT1",
                    "FIN_WAIT1>FIN_WAIT2", "FIN_WAIT2>TIME_WAIT"), steps, split + " events with the first poll");
            TrackedConnection c = v.connections().get(tw.key());
            assertTrue(c.stateSinceObserved());
            assertEquals(1_400, c.firstSeenMillis(), "first seen: its connect()");
            assertEquals(1_412, c.stateSinceMillis(), "in TIME_WAIT since its close");
            assertTrue(v.diff().events().takenOver().isEmpty(), "not a takeover");
        }
    }

    @Test
    void anIncompleteIntervalFallsBackToThePolls() {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        SocketEntry est = Rows.row(40003, 9000, TcpState.ESTABLISHED, null, null);
        tr.update(new Snapshot(1_000, List.of(est), SRC, List.of()), EventBatch.empty(true));
        SocketEntry fw2 = Rows.row(40003, 9000, TcpState.FIN_WAIT2, null, null);
        ConnectionTracker.Update u = tr.update(new Snapshot(2_000, List.of(fw2), SRC, List.of()),
                new EventBatch(List.of(ev(est, 3, ESTABLISHED, FIN_WAIT1, 1_500)), 7, true));
        assertFalse(u.diff().events().complete());
        assertEquals(7, u.diff().events().lost());
        assertTrue(u.diff().events().transitions().isEmpty());
        assertEquals(2_000, u.connections().get(fw2.key()).stateSinceMillis(), "the poll's time, as without events");
    }

    @Test
    void pollingOnlyATimeWaitTimerThatJumpedBackUpStartsTheAgeAgain() {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        SocketEntry tw = Rows.row(40004, 9000, TcpState.TIME_WAIT, null, 20_000L);
        tr.update(new Snapshot(100_000, List.of(tw), SRC, List.of()));
        assertEquals(60_000, tr.connections().get(tw.key()).stateSinceMillis());
        SocketEntry same = Rows.row(40004, 9000, TcpState.TIME_WAIT, null, 19_000L);
        tr.update(new Snapshot(101_000, List.of(same), SRC, List.of()));
        assertEquals(60_000, tr.connections().get(tw.key()).stateSinceMillis(), "the same TIME_WAIT: age goes on");
        SocketEntry taken = Rows.row(40004, 9000, TcpState.TIME_WAIT, null, 59_000L);
        tr.update(new Snapshot(102_000, List.of(taken), SRC, List.of()));
        TrackedConnection c = tr.connections().get(tw.key());
        assertEquals(101_000, c.stateSinceMillis(), "entered TIME_WAIT again 1 s ago, by its timer");
        assertEquals(102_000, c.firstSeenMillis(), "a new connection, first seen now");
        assertTrue(c.timeInStateMillis(102_000) <= 60_000, "never longer in TIME_WAIT than TIME_WAIT lasts");
    }
}
