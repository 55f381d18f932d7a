package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.Rows;
import org.junit.jupiter.api.Test;

/** The TIME_WAIT time-left column sorts rows that carry a due time by it: a key that does not move while a sort runs. */
class TimeWaitLeftOrderTest {
    @Test
    void dueRowsOrderByTheirDueTimeAndStoredOnesByTheirTimeLeft() {
        ConnectionColumn.EntryKey key = ConnectionColumn.TIME_WAIT_LEFT.entryKey();
        long now = System.currentTimeMillis();
        SocketEntry later = Rows.row(1, 80, TcpState.TIME_WAIT, null, 0L).withTimerDue(now + 50_000);
        SocketEntry sooner = Rows.row(2, 80, TcpState.TIME_WAIT, null, 0L).withTimerDue(now + 10_000);
        assertTrue(key.of(sooner, 0) < key.of(later, 0));
        assertEquals(now + 50_000, key.of(later, 0), "the due time itself: the same at every call");
        SocketEntry stored = Rows.row(3, 80, TcpState.TIME_WAIT, null, 30_000L);
        assertEquals(30_000, key.of(stored, 0));
        assertEquals(-1, key.of(Rows.row(4, 80, TcpState.ESTABLISHED, 7, null), 0), "no TIME_WAIT timer");
        assertEquals(-1, key.of(Rows.row(5, 80, TcpState.TIME_WAIT, null, null), 0));
        assertEquals(SocketEntry.NO_DUE, stored.timerDueMillis());
    }
}
