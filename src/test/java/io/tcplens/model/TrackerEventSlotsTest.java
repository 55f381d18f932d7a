package io.tcplens.model;

import static io.tcplens.model.KernelTcpState.CLOSE;
import static io.tcplens.model.KernelTcpState.ESTABLISHED;
import static io.tcplens.model.KernelTcpState.FIN_WAIT1;
import static io.tcplens.model.KernelTcpState.FIN_WAIT2;
import static io.tcplens.model.KernelTcpState.SYN_SENT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.testutil.Rows;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tracker tells which rows given again have events from the batch's 4-tuples (their slots marked before the
 * walk), not by asking each row: a row whose key is tied to an interface (a link-local socket; events' keys name
 * no interface) and a plain row, both the source's very row objects again, each with a reopen in the batch, are
 * each aligned with their events (a new life), and every other row keeps its tracking as it was.
 */
class TrackerEventSlotsTest {
    private static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "crafted");

    private static KernelTransition ev(ConnectionKey key, long sk, KernelTcpState from, KernelTcpState to, long at) {
        return new KernelTransition(key, sk, from, to, at, at * 1_000_000L, null, null, 0, 0);
    }

    /** fe80::1%ifIndex:localPort → fe80::2%ifIndex:80, ESTABLISHED. */
    private static SocketEntry tied(int localPort, int ifIndex) throws Exception {
        InetAddress a = InetAddress.getByName("fe80::1"), b = InetAddress.getByName("fe80::2");
        ConnectionKey key = new ConnectionKey(new Endpoint(a, localPort, ifIndex, "veth" + ifIndex),
                new Endpoint(b, 80, ifIndex, "veth" + ifIndex));
        return new SocketEntry(key, TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 0, 0, null, null, false);
    }

    private static void reopen(List<KernelTransition> batch, ConnectionKey eventKey, long at) {
        batch.add(ev(eventKey, 7, ESTABLISHED, FIN_WAIT1, at));
        batch.add(ev(eventKey, 7, FIN_WAIT1, FIN_WAIT2, at + 1));
        batch.add(ev(eventKey, 7, FIN_WAIT2, CLOSE, at + 2));
        batch.add(ev(eventKey, 8, CLOSE, SYN_SENT, at + 300));
        batch.add(ev(eventKey, 8, SYN_SENT, ESTABLISHED, at + 301));
    }

    @Test
    void rowsGivenAgainWithEventsAreFoundByTheirSlotsTiedToAnInterfaceOrNot() throws Exception {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) rows.add(Rows.row(20_000 + i, 9000, TcpState.ESTABLISHED, null, null));
        for (int i = 0; i < 200; i++) rows.add(tied(30_000 + i, 3));
        tr.update(new Snapshot(10_000, rows, SRC, List.of()), EventBatch.empty(true));
        List<TrackedConnection> before = new ArrayList<>();
        for (SocketEntry r : rows) before.add(tr.connections().get(r.key()));

        SocketEntry plainRow = rows.get(700);
        SocketEntry tiedRow = rows.get(2_150);
        ConnectionKey tiedPlain = KernelTransition.plainKey(tiedRow.key());
        assertTrue(!tiedPlain.equals(tiedRow.key()), "the events' key of the tied row is not the row's own key");
        List<KernelTransition> batch = new ArrayList<>();
        reopen(batch, plainRow.key(), 10_100);
        reopen(batch, tiedPlain, 10_120);
        // and a connection no row holds (opened and closed between the polls): listed, no row taken for it
        ConnectionKey gone = Rows.row(40_001, 9000, TcpState.CLOSED, null, null).key();
        batch.add(ev(gone, 9, CLOSE, SYN_SENT, 10_200));
        batch.add(ev(gone, 9, SYN_SENT, CLOSE, 10_201));
        batch.sort((x, y) -> Long.compare(x.monoNanos(), y.monoNanos()));

        ConnectionTracker.Update u = tr.update(new Snapshot(11_000, rows, SRC, List.of()), new EventBatch(batch, 0, true));
        TrackedConnection p = u.connections().get(plainRow.key());
        assertEquals(10_400, p.firstSeenMillis(), "plain row: first seen at the new socket's connect()");
        assertEquals(10_401, p.stateSinceMillis());
        assertEquals(2, p.history().size(), "plain row: the new life's steps");
        TrackedConnection t = u.connections().get(tiedRow.key());
        assertEquals(10_420, t.firstSeenMillis(), "tied row: its events found by its plain key");
        assertEquals(10_421, t.stateSinceMillis());
        assertEquals(2, t.history().size(), "tied row: the new life's steps");
        assertEquals(12 + 2, u.diff().events().transitions().size(),
                "both reopens (6 steps each, with the TIME_WAIT → CLOSED of the takeover) and the refused connect");
        for (int i = 0; i < rows.size(); i++) {
            if (i == 700 || i == 2_150) continue;
            assertSame(before.get(i), u.connections().get(rows.get(i).key()), "row " + i + ": its tracking as it was");
        }

        // the next interval: events for the tied row again, none for the plain one (its slot no longer marked)
        List<KernelTransition> next = new ArrayList<>();
        next.add(ev(tiedPlain, 8, ESTABLISHED, FIN_WAIT1, 11_500));
        SocketEntry closing = new SocketEntry(tiedRow.key(), TcpState.FIN_WAIT1, null, 0, 0, null, null, 0, 0, 0, null,
                null, false);
        List<SocketEntry> rows2 = new ArrayList<>(rows);
        rows2.set(2_150, closing);
        ConnectionTracker.Update u2 = tr.update(new Snapshot(12_000, rows2, SRC, List.of()), new EventBatch(next, 0, true));
        assertSame(p, u2.connections().get(plainRow.key()), "plain row: no events this time, its tracking as it was");
        TrackedConnection t2 = u2.connections().get(tiedRow.key());
        assertEquals(11_500, t2.stateSinceMillis(), "tied row: FIN_WAIT1 since its event, not the poll");
        assertEquals(1, u2.diff().events().transitions().size());
    }
}
