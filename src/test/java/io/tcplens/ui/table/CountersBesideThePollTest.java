package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpInfo;
import io.tcplens.model.TcpInfoReadings;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The counters a poll reads for the rows in view travel beside its table ({@link PollResult#counters()}): the
 * table's rows show them, the poll's own sockets are the same objects as without them (nothing copied), and
 * the next poll's readings replace them (a row out of view shows none). Without a toolkit; 5,000 rows.
 */
class CountersBesideThePollTest {
    static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.LIVE, "netlink", "test");
    final ConnectionTracker tracker = new ConnectionTracker();
    long seq;

    static SocketEntry row(int i) {
        InetAddress lo = InetAddress.getLoopbackAddress();
        return new SocketEntry(new ConnectionKey(new Endpoint(lo, 10_000 + i), new Endpoint(lo, 80)), TcpState.ESTABLISHED,
                KernelTcpState.ESTABLISHED, 0, 0, null, null, 0, 0, 1000 + i, null, null, false, false, 500_000L + i, null);
    }

    PollResult poll(long t, List<SocketEntry> rows, TcpInfoReadings counters) {
        var u = tracker.update(new Snapshot(t, rows, SRC, List.of()));
        return new PollResult(++seq, u.snapshot(), u.diff(), u.connections(), 0, null, counters);
    }

    static TcpInfo sent(long bytes) {
        return new TcpInfo(bytes, 0, bytes + 1, 0, 10, 10, 0, 50, 20);
    }

    @Test
    void theRowsShowTheCountersReadBesideThePollWithoutACopyOfTheirSockets() {
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) rows.add(row(i));
        ConnectionTableModel m = new ConnectionTableModel(3000);
        PollResult p1 = poll(1000, rows, TcpInfoReadings.NONE);
        m.accept(List.of(p1));
        m.rows(p1, 1000, ConnectionFilter.NONE, ConnectionColumn.LOCAL.comparator(true));

        // rows 10..12 in view: their counters beside the next poll (of the same sockets)
        TcpInfoReadings r2 = TcpInfoReadings.of(2000, new long[] {500_012L, 500_010L, 500_011L},
                new TcpInfo[] {sent(1200), sent(1000), sent(1100)}, 3, new long[] {500_013L});
        PollResult p2 = poll(2000, rows, r2);
        m.accept(List.of(p2));
        ConnectionRows shown = m.rows(p2, 2000, ConnectionFilter.NONE, ConnectionColumn.LOCAL.comparator(true));
        assertEquals(5_000, shown.size());
        assertTrue(shown.anyTcpInfo());
        for (int i = 0; i < 5_000; i++) {
            ConnectionRow r = shown.get(i);
            int port = r.key().local().port() - 10_000;
            if (port >= 10 && port <= 12) assertEquals(1000 + 100 * (port - 10), r.entry().tcpInfo().bytesSent(), r.toString());
            else assertNull(r.entry().tcpInfo(), r.toString());
        }
        for (int i = 0; i < 5_000; i++) assertSame(rows.get(i), p2.snapshot().sockets().get(i), "the poll's sockets are not copied");
        assertTrue(r2.gone(500_013L));
        assertNull(r2.get(500_013L));

        // the next poll reads another row: the first three show none again
        PollResult p3 = poll(3000, rows, TcpInfoReadings.of(3000, new long[] {500_100L}, new TcpInfo[] {sent(7)}, 1, null));
        m.accept(List.of(p3));
        ConnectionRows next = m.rows(p3, 3000, ConnectionFilter.NONE, ConnectionColumn.LOCAL.comparator(true));
        long with = next.stream().filter(r -> r.entry().tcpInfo() != null).count();
        assertEquals(1, with);
        assertEquals(7, next.stream().filter(r -> r.key().local().port() == 10_100).findFirst().orElseThrow().entry().tcpInfo().bytesSent());
        // a re-sort (the sort thread's, after a click) keeps the counters of the rows it shows
        ConnectionRows resorted = ConnectionTableModel.sorted(next, ConnectionColumn.LOCAL.comparator(false));
        assertEquals(7, resorted.stream().filter(r -> r.key().local().port() == 10_100).findFirst().orElseThrow().entry().tcpInfo().bytesSent());
    }
}
