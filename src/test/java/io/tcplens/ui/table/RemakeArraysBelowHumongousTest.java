package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.BigMaps;
import org.junit.jupiter.api.Test;

/**
 * The connections table's per-row arrays at the burst table's remake (issue 11, round 28): a 100k table's rows and
 * the 28k rows it just closed, 128k rows, fit in arrays of {@link BigMaps#SLOTS_BELOW_HUMONGOUS} places: the times
 * one 1 MB G1 region, the rest below half a region. Grown by an eighth as before (144k places) the times took two
 * regions and every other array one, and the sets kept them after the remake. Past that length they grow as before.
 */
class RemakeArraysBelowHumongousTest {
    private static final int REGION = 1 << 20;

    @Test
    void aRemakesRowsFitTheLengthBelowHumongous() {
        RowArrays a = new RowArrays().ready(100_000);
        assertEquals(112_500, a.entries.length, "a 100k table: by an eighth");
        a.ready(128_000);
        assertEquals(BigMaps.SLOTS_BELOW_HUMONGOUS, a.entries.length, "the remake's 128k rows");
        assertEquals(a.entries.length, a.since.length);
        assertEquals(a.entries.length, a.order.length);
        assertTrue(16L + 8L * a.since.length <= REGION, "the times in one region: " + a.since.length);
        assertTrue(16L + 4L * a.order.length <= REGION / 2, "the display order below half a region");
        a.ready(100_000);
        assertEquals(BigMaps.SLOTS_BELOW_HUMONGOUS, a.entries.length, "kept after the remake");
        a.ready(140_000);
        assertEquals(157_500, a.entries.length, "past it: by an eighth");
    }

    @Test
    void theSortsScratchToo() {
        ConnectionTableModel.SortScratch s = new ConnectionTableModel.SortScratch();
        s.ensure(100_000);
        assertEquals(112_500, s.capacity());
        s.ensure(128_000);
        assertEquals(BigMaps.SLOTS_BELOW_HUMONGOUS, s.capacity(), "three longs a row, one region each");
        assertEquals(BigMaps.SLOTS_BELOW_HUMONGOUS, s.ints(128_000).length);
        s.ensure(140_000);
        assertEquals(157_500, s.capacity());
    }

    @Test
    void belowHumongousOnlyWhenWhatIsNeededFits() {
        int max = BigMaps.SLOTS_BELOW_HUMONGOUS;
        assertEquals(max, BigMaps.belowHumongous(128_000, 144_000));
        assertEquals(max, BigMaps.belowHumongous(max, max + 1));
        assertEquals(max + 2, BigMaps.belowHumongous(max + 1, max + 2), "what is needed does not fit: as wanted");
        assertEquals(1_000, BigMaps.belowHumongous(900, 1_000));
        assertEquals(((512 << 10) - 16) / 4, max);
    }
}
