package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The table's sort keeps its per-row longs from poll to poll ({@link ConnectionTableModel.SortScratch}):
 * reused arrays, longer than the table and holding an earlier, larger table's values past its end, give
 * exactly the order fresh arrays give, for every column both ways, with and without closed rows (a table
 * without closed rows is sorted without the closed-last key).
 */
class SortScratchTest {
    @Test
    void reusedLongsGiveTheOrderOfFreshOnes() throws UnknownHostException {
        ConnectionTableModel.SortScratch scratch = new ConnectionTableModel.SortScratch();
        Random rnd = new Random(14);
        // larger, then smaller (the arrays kept, longer than needed, an older table's values past n), then larger again
        int[] sizes = {20_000, 12_000, 3_000, 25_000};
        for (int round = 0; round < sizes.length; round++) {
            int n = sizes[round];
            for (boolean withClosed : new boolean[] {false, true}) {
                ConnectionRows rows = table(rnd, n, withClosed);
                for (ConnectionColumn c : ConnectionColumn.values()) {
                    for (boolean asc : new boolean[] {true, false}) {
                        Comparator<ConnectionRow> order = c.comparator(asc);
                        int[] fresh = ConnectionTableModel.order(rows, order);
                        int[] reused = ConnectionTableModel.order(rows, order, scratch);
                        String what = n + " rows" + (withClosed ? " with closed ones, " : ", ") + c + (asc ? " ascending" : " descending");
                        assertArrayEquals(fresh, reused, what);
                        // and the radix sort without the closed-last key is still the comparison sort's order
                        if (c.entryKey() != null && !withClosed)
                            assertArrayEquals(ConnectionTableModel.order(rows, (a, b) -> order.compare(a, b)), reused, what);
                    }
                }
                assertTrue(scratch.capacity() >= n, "the scratch holds a long per row");
            }
            if (round == 1) assertEquals(22_500, scratch.capacity(), "12,000 rows reuse the 20,000 rows' arrays");
        }
        assertTrue(scratch.capacity() < 2 * 25_000 + 1024, "arrays far larger than the table are made again");
    }

    private static ConnectionRows table(Random rnd, int n, boolean withClosed) throws UnknownHostException {
        InetAddress[] addrs = {
            InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.1.2.3"), InetAddress.getByName("255.255.255.254"),
            InetAddress.getByName("0.0.0.0"), InetAddress.getByName("::1"), InetAddress.getByName("2001:db8::5")};
        byte[] kinds = withClosed ? new byte[] {0, 0, ConnectionRows.NEW, ConnectionRows.CLOSED, ConnectionRows.MINIMUM}
                : new byte[] {0, 0, ConnectionRows.NEW, ConnectionRows.MINIMUM};
        return RandomConnectionRows.of(rnd, n, addrs, kinds);
    }
}
