package io.tcplens.model;

import static io.tcplens.model.KernelTcpState.CLOSE;
import static io.tcplens.model.KernelTcpState.ESTABLISHED;
import static io.tcplens.model.KernelTcpState.SYN_SENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.testutil.Rows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the tracker holds back for the next poll is bounded by count ({@link ConnectionTracker#DEFER_LIMIT_EVENTS}),
 * not only by {@link ConnectionTracker#DEFER_LIMIT_MILLIS} of the kernel's time: connections opened after each table
 * read (their events wait for a table that shows them) at 80,000 events a poll held 160,000 after two polls and
 * 400,000 after five. Past the bound they are dropped, counted lost, and the next interval is inferred from the polls
 * (its diff incomplete, as after lost events: the views walk the table); the one after it is complete again.
 */
class DeferredEventsBoundTest {
    private static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "crafted");
    private static final int CONNECTS = 40_000;

    private static KernelTransition ev(ConnectionKey k, KernelTcpState from, KernelTcpState to, long at) {
        return new KernelTransition(k, 0, from, to, at, at * 1_000_000L, null, null, 0, 0);
    }

    /** Connects of 4-tuples no table read shows (opened after it): each waits for a table that has it. */
    private static EventBatch connects(int poll, long at) {
        List<KernelTransition> b = new ArrayList<>(2 * CONNECTS);
        for (int i = 0; i < CONNECTS; i++) {
            ConnectionKey k = Rows.row(10_000 + i % 50_000, 20_000 + poll, TcpState.SYN_SENT, null, null).key();
            b.add(ev(k, CLOSE, SYN_SENT, at + i % 500));
            b.add(ev(k, SYN_SENT, ESTABLISHED, at + i % 500 + 1));
        }
        return new EventBatch(b, 0, true);
    }

    @Test
    void eventsHeldBackAreBoundedAndTheNextIntervalIsInferredPastTheBound() {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) rows.add(Rows.row(40_000 + i, 9000, TcpState.ESTABLISHED, null, null));
        tr.update(new Snapshot(100_000, rows, SRC, List.of()), EventBatch.empty(true));
        long now = 100_000;
        boolean dropped = false;
        for (int poll = 1; poll <= 5; poll++) {
            now += 1_000;
            ConnectionTracker.Update u = tr.update(new Snapshot(now, rows, SRC, List.of()), connects(poll, now - 900));
            assertTrue(tr.deferredEvents() <= ConnectionTracker.DEFER_LIMIT_EVENTS,
                    "poll " + poll + ": " + tr.deferredEvents() + " events held back");
            if (!u.diff().eventsComplete()) {
                // the interval after the drop: inferred, its lost events counted (those dropped and none of its own kept)
                assertTrue(dropped, "poll " + poll + ": incomplete only after a drop");
                assertTrue(u.diff().events().lost() > ConnectionTracker.DEFER_LIMIT_EVENTS, "lost " + u.diff().events().lost());
                assertEquals(0, tr.deferredEvents(), "nothing held back from an inferred interval");
                ConnectionTracker.Update next = tr.update(new Snapshot(now + 1_000, rows, SRC, List.of()), EventBatch.empty(true));
                assertTrue(next.diff().eventsComplete(), "the interval after it is complete again");
                assertEquals(0, next.diff().events().lost());
                return;
            }
            if (tr.deferredEvents() == 0) dropped = true; // held back past the bound: dropped
            else assertEquals(2L * CONNECTS * poll, tr.deferredEvents(), "every connect waits (none older than the limit)");
        }
        throw new AssertionError("the events held back were never bounded: " + tr.deferredEvents() + " after five polls");
    }
}
