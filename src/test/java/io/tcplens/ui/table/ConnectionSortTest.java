package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The table's sort on primitive arrays gives exactly the order of the columns' comparators (closed
 * rows last), for every column both ways, on rows that tie a lot (few states, few addresses, IPv4
 * and IPv6 with equal and unequal endpoints, unknown queues and uids, owners or none); the
 * table's rows are arrays whose row objects are made only when asked for.
 */
class ConnectionSortTest {
    @Test
    void primitiveSortEqualsTheComparatorsOrder() throws UnknownHostException {
        Random rnd = new Random(11);
        InetAddress[] addrs = {
            InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.1.2.3"), InetAddress.getByName("255.255.255.254"),
            InetAddress.getByName("::1"), InetAddress.getByName("2001:db8::5"), InetAddress.getByName("fe80::77")};
        TcpState[] states = TcpState.values();
        int n = 4_000;
        long pollTime = 100_000;
        SocketEntry[] entries = new SocketEntry[n];
        long[] since = new long[n];
        byte[] flags = new byte[n];
        for (int i = 0; i < n; i++) {
            Endpoint l = new Endpoint(addrs[rnd.nextInt(addrs.length)], rnd.nextInt(4) * 1000 + rnd.nextInt(3));
            Endpoint r = new Endpoint(addrs[rnd.nextInt(addrs.length)], 80 + rnd.nextInt(3));
            TcpState s = states[rnd.nextInt(states.length)];
            boolean tw = s == TcpState.TIME_WAIT && rnd.nextBoolean();
            entries[i] = new SocketEntry(new ConnectionKey(l, r), s, null, rnd.nextInt(5) - 1, rnd.nextInt(5) - 1,
                    tw ? TimerKind.TIME_WAIT : null, tw ? (long) rnd.nextInt(3) * 1000 : null, 0, rnd.nextInt(3) - 1,
                    i, rnd.nextBoolean() ? null : 100 + rnd.nextInt(3), rnd.nextBoolean() ? null : "p" + rnd.nextInt(3), false);
            since[i] = pollTime - rnd.nextInt(4) * 500L;
            flags[i] = new byte[] {0, ConnectionRows.NEW, ConnectionRows.CLOSED, ConnectionRows.MINIMUM}[rnd.nextInt(4)];
        }
        ConnectionRows rows = new ConnectionRows(entries, since, flags, null, n, pollTime, SocketHolders.NONE);
        List<ConnectionRow> made = new ArrayList<>(rows);
        Comparator<ConnectionRow> closedLast = Comparator.comparing(r -> r.status() == ConnectionRow.Status.CLOSED);
        for (ConnectionColumn c : ConnectionColumn.values()) {
            for (boolean asc : new boolean[] {true, false}) {
                Comparator<ConnectionRow> order = c.comparator(asc);
                List<ConnectionRow> expected = new ArrayList<>(made);
                expected.sort(closedLast.thenComparing(order));
                List<ConnectionRow> actual = rows.reordered(ConnectionTableModel.order(rows, order));
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    // rows equal under the order may come either way: compare what the order sees
                    assertEquals(0, closedLast.thenComparing(order).compare(expected.get(i), actual.get(i)),
                            c + (asc ? " ascending" : " descending") + ", row " + i + ": " + expected.get(i) + " vs " + actual.get(i));
                }
                // a column's own ties go by the connection key, in the column's direction (a stable order from poll to poll)
                if (c.entryKey() != null) {
                    for (int i = 1; i < actual.size(); i++) {
                        ConnectionRow x = actual.get(i - 1), y = actual.get(i);
                        if (closedLast.thenComparing(order).compare(x, y) != 0 || (c == ConnectionColumn.REMOTE && !x.key().remote().equals(y.key().remote())))
                            continue;
                        int byKey = x.key().compareTo(y.key());
                        if (asc ? byKey > 0 : byKey < 0)
                            throw new AssertionError(c + (asc ? " ascending" : " descending") + ", rows " + (i - 1) + " and " + i
                                    + " tie but are not in key order: " + x.key() + " then " + y.key());
                    }
                }
            }
        }
    }

    /**
     * From {@link ConnectionTableModel#RADIX_FROM} rows the sort by a column runs as a radix sort on the
     * rows' longs: on 20,000 rows with unique 4-tuples (IPv4 and IPv6 locals and remotes, closed rows), its
     * order must be exactly the comparison sort's, for every column both ways.
     */
    @Test
    void radixSortEqualsTheComparisonSortExactly() throws UnknownHostException {
        Random rnd = new Random(5);
        InetAddress[] addrs = {
            InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.1.2.3"), InetAddress.getByName("255.255.255.254"),
            InetAddress.getByName("0.0.0.0"), InetAddress.getByName("::1"), InetAddress.getByName("2001:db8::5"),
            InetAddress.getByName("fe80::77")};
        ConnectionRows rows = RandomConnectionRows.of(rnd, 20_000, addrs,
                new byte[] {0, 0, 0, ConnectionRows.NEW, ConnectionRows.CLOSED, ConnectionRows.MINIMUM});
        radixEqualsComparisonSort(rows);
    }

    /**
     * The model's own rows: the closed ones after the live ones in its arrays, which the radix sort then
     * sorts apart (no "closed" key for every row). Same order as the comparison sort, every column both ways.
     */
    @Test
    void radixSortOfClosedRowsLastEqualsTheComparisonSortExactly() throws UnknownHostException {
        Random rnd = new Random(6);
        InetAddress[] addrs = {
            InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.1.2.3"), InetAddress.getByName("::1"),
            InetAddress.getByName("2001:db8::5")};
        ConnectionRows rows = RandomConnectionRows.closedLast(rnd, 20_000, addrs,
                new byte[] {0, 0, 0, 0, 0, 0, ConnectionRows.CLOSED});
        assertTrue(rows.closedCount() > 1_000 && rows.closedCount() < 10_000, "closed rows: " + rows.closedCount());
        radixEqualsComparisonSort(rows);
    }

    /** Every column with a sort key, both ways: the radix sort gives exactly the comparison sort's order. */
    private static void radixEqualsComparisonSort(ConnectionRows rows) {
        for (ConnectionColumn c : ConnectionColumn.values()) {
            if (c.entryKey() == null) continue;
            for (boolean asc : new boolean[] {true, false}) {
                Comparator<ConnectionRow> order = c.comparator(asc);
                // any comparator but a column's Order sorts rows made for it, with the same closed-last rule
                int[] byComparison = ConnectionTableModel.order(rows, (a, b) -> order.compare(a, b));
                int[] byRadix = ConnectionTableModel.order(rows, order);
                assertArrayEquals(byComparison, byRadix, c + (asc ? " ascending" : " descending"));
            }
        }
    }

    @Test
    void rowsAreMadeOnlyWhenAskedAndStayTheSame() throws UnknownHostException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        SocketEntry[] entries = new SocketEntry[3];
        for (int i = 0; i < 3; i++)
            entries[i] = new SocketEntry(new ConnectionKey(new Endpoint(lo, 1000 + i), new Endpoint(lo, 80)), TcpState.ESTABLISHED, null,
                    0, 0, null, null, 0, 0, i + 1, null, null, false);
        ConnectionRows rows = new ConnectionRows(entries, new long[] {900, 500, 0}, new byte[] {0, ConnectionRows.NEW, ConnectionRows.CLOSED},
                new int[] {2, 0, 1}, 3, 1000, SocketHolders.NONE);
        assertEquals(1002, rows.keyAt(0).local().port());
        assertEquals(ConnectionRow.Status.CLOSED, rows.get(0).status());
        assertEquals(-1, rows.get(0).timeInStateMs(), "a closed row has no time in state");
        assertEquals(100, rows.get(1).timeInStateMs());
        assertEquals(ConnectionRow.Status.NEW, rows.get(2).status());
        assertEquals(500, rows.get(2).timeInStateMs());
        assertSame(rows.get(1), rows.get(1), "the same position gives the same row while this content is shown");
        assertEquals(1, rows.closedCount());
    }
}
