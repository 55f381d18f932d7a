package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tcplens.testutil.Rows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TrackedRows}' reads by position: a tracking and its row, runs of the very same trackings in another
 * poll's rows or array (stopping at the first other one, at the end of either, or at the limit), copies.
 */
class TrackedRowsTest {
    private static TrackedConnection conn(int port) {
        return new TrackedConnection(Rows.row(port, 80, TcpState.ESTABLISHED, 1, null), 0, 0, true, List.of());
    }

    @Test
    void runsOfTheSameTrackingsAndCopies() {
        List<TrackedConnection> made = new ArrayList<>();
        for (int i = 0; i < 10; i++) made.add(conn(1_000 + i));
        TrackedRows a = new TrackedRows(made.toArray(new TrackedConnection[0]));
        TrackedConnection[] other = made.toArray(new TrackedConnection[0]);
        other[6] = conn(1_006); // the same row's socket, another tracking
        assertEquals(10, a.size());
        assertSame(made.get(3), a.tracking(3));
        assertSame(made.get(3).entry(), a.get(3));
        assertEquals(6, a.sameRun(0, other, 0, 10), "up to the other tracking");
        assertEquals(4, a.sameRun(0, other, 0, 4), "up to the limit");
        assertEquals(3, a.sameRun(7, other, 7, 3), "to the end");
        assertEquals(0, a.sameRun(1, other, 0, 5), "shifted by one: none");
        TrackedRows b = TrackedRows.copyOf(made.subList(2, 10));
        assertEquals(8, a.sameRun(2, b, 0, 8), "against another poll's rows");
        assertEquals(0, b.sameRun(0, a, 0, 8));
        TrackedConnection[] into = new TrackedConnection[12];
        a.copyTo(3, into, 5, 4);
        assertEquals(Arrays.asList(null, null, null, null, null, made.get(3), made.get(4), made.get(5), made.get(6), null, null, null), Arrays.asList(into));
    }
}
