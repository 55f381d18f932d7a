package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.testutil.RemakeTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The burst table's remake (28 % of the table gone and as many new 4-tuples in one poll; the new slots are taken
 * before the gone ones are freed): the tracker's per-slot columns are sized at the first table with room for it, so
 * the remake does not allocate and copy longer ones while the old ones are live (issue 11: the remake poll's heap).
 */
class RemakeColumnsTest {
    @Test
    void theTrackersColumnsAreNotRegrownAtTheRemake() {
        for (int n : new int[] {20_000, 100_000}) {
            List<SocketEntry> before = RemakeTable.before(n);
            List<SocketEntry> after = RemakeTable.after(before);
            ConnectionTracker t = new ConnectionTracker(60_000);
            t.update(TrackerRepublishTest.snap(1_000, before));
            int first = t.slotColumns();
            assertTrue(first >= n + n * 28 / 100, n + ": room for the remake at the first table: " + first);
            ConnectionTracker.Update u = t.update(TrackerRepublishTest.snap(2_000, after));
            assertEquals(n * 28 / 100, u.diff().opened().size());
            assertEquals(first, t.slotColumns(), n + ": not regrown at the remake");
            t.update(TrackerRepublishTest.snap(3_000, before));
            assertEquals(first, t.slotColumns(), n + ": nor at the remake back");
        }
    }

    @Test
    void columnsForATableBelowHumongousStayBelowIt() {
        assertEquals(BigMaps.SLOTS_BELOW_HUMONGOUS, BigMaps.columnsFor(100_000), "a 100k table: under half a 1 MB region");
        assertTrue(BigMaps.columnsFor(100_000) >= 128_000, "and room for its remake");
        assertTrue(BigMaps.columnsFor(20_000) >= 25_600);
        assertTrue(BigMaps.columnsFor(250_000) >= 320_000);
        assertTrue(BigMaps.columnsFor(0) > 0);
    }
}
