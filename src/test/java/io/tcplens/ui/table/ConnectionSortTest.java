package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
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
 * and IPv6 with equal and unequal endpoints, unknown queues and uids, owners or none).
 */
class ConnectionSortTest {
    @Test
    void primitiveSortEqualsTheComparatorsOrder() throws UnknownHostException {
        Random rnd = new Random(11);
        List<ConnectionRow> rows = new ArrayList<>();
        InetAddress[] addrs = {
            InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.1.2.3"), InetAddress.getByName("255.255.255.254"),
            InetAddress.getByName("::1"), InetAddress.getByName("2001:db8::5"), InetAddress.getByName("fe80::77")};
        TcpState[] states = TcpState.values();
        for (int i = 0; i < 4_000; i++) {
            Endpoint l = new Endpoint(addrs[rnd.nextInt(addrs.length)], rnd.nextInt(4) * 1000 + rnd.nextInt(3));
            Endpoint r = new Endpoint(addrs[rnd.nextInt(addrs.length)], 80 + rnd.nextInt(3));
            TcpState s = states[rnd.nextInt(states.length)];
            boolean tw = s == TcpState.TIME_WAIT && rnd.nextBoolean();
            SocketEntry e = new SocketEntry(new ConnectionKey(l, r), s, null, rnd.nextInt(5) - 1, rnd.nextInt(5) - 1,
                    tw ? TimerKind.TIME_WAIT : null, tw ? (long) rnd.nextInt(3) * 1000 : null, 0, rnd.nextInt(3) - 1,
                    i, rnd.nextBoolean() ? null : 100 + rnd.nextInt(3), rnd.nextBoolean() ? null : "p" + rnd.nextInt(3), false);
            ConnectionRow.Status st = ConnectionRow.Status.values()[rnd.nextInt(3)];
            rows.add(new ConnectionRow(e, st, rnd.nextInt(4) * 500L - 1, 0));
        }
        Comparator<ConnectionRow> closedLast = Comparator.comparing(r -> r.status() == ConnectionRow.Status.CLOSED);
        for (ConnectionColumn c : ConnectionColumn.values()) {
            for (boolean asc : new boolean[] {true, false}) {
                Comparator<ConnectionRow> order = c.comparator(asc);
                List<ConnectionRow> expected = new ArrayList<>(rows);
                expected.sort(closedLast.thenComparing(order));
                List<ConnectionRow> actual = ConnectionTableModel.sort(new ArrayList<>(rows), order);
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    // rows equal under the order may come either way: compare what the order sees
                    assertEquals(0, closedLast.thenComparing(order).compare(expected.get(i), actual.get(i)),
                            c + (asc ? " ascending" : " descending") + ", row " + i + ": " + expected.get(i) + " vs " + actual.get(i));
                }
            }
        }
    }
}
