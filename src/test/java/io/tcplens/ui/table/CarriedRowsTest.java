package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.source.linux.NetlinkSource;
import io.tcplens.testutil.ChurningLoopback;
import io.tcplens.testutil.SteadyTable;
import io.tcplens.source.linux.NetlinkSourceProvider;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The connections table's model carries a live row whose tracking did not change from its last rows (its
 * socket, time, marks and place in the order) instead of reading it again: what it shows must be what a
 * model that reads every row gives ({@link ConnectionTableModel#forgetRows} before each call), row for row
 * (key, status, time in state, a minimum or not), in the same order, poll after poll through churn, with
 * new and closed marks coming and going. On a generated table by every column the carry applies to, both
 * ways, and on the kernel's real table (this machine's and thousands of this test's loopback connections,
 * some closing, opening and sending between polls, read over netlink with tcp_info).
 */
class CarriedRowsTest {
    static final List<ConnectionColumn> CARRIED = List.of(ConnectionColumn.values()).stream()
            .filter(c -> c.entryKey() != null && c != ConnectionColumn.TIME_IN_STATE).toList();

    @Test
    void carriedRowsAreTheRowsReadAfreshThroughChurnByEveryColumn() throws Exception {
        Churning table = new Churning(12_000);
        ConnectionTracker tracker = new ConnectionTracker(60_000);
        List<PollResult> polls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            var u = tracker.update(table.poll(1_000L * (i + 1), 300, 150, 150));
            polls.add(new PollResult(i + 1, u.snapshot(), u.diff(), u.connections(), 0, null));
        }
        ConnectionFilter some = ConnectionFilter.NONE.withStates(EnumSet.of(TcpState.ESTABLISHED, TcpState.TIME_WAIT, TcpState.CLOSE_WAIT));
        for (ConnectionColumn col : CARRIED) {
            for (boolean asc : new boolean[] {true, false}) {
                for (ConnectionFilter filter : List.of(ConnectionFilter.NONE, some)) {
                    int merged = compare(polls, col.comparator(asc), filter, col + (asc ? " ascending" : " descending")
                            + (filter == ConnectionFilter.NONE ? "" : ", filtered"));
                    assertTrue(merged >= polls.size() - 2, col + ": rows carried in " + merged + " of " + polls.size() + " polls");
                }
            }
        }
    }

    /**
     * A table that changes between polls as a real one does (netlink's rows): each socket's row object given
     * again while nothing in it changed, some rows changed (state, queues, counters), some sockets opened at
     * random places and some closed. Keys over a few IPv4 and IPv6 addresses, a few tied to an interface;
     * TIME_WAIT rows with a due time, established ones with tcp_info. Seeded.
     */
    static final class Churning {
        private final Random rnd = new Random(11);
        private final List<SocketEntry> rows = new ArrayList<>();
        private final Set<ConnectionKey> keys = new HashSet<>();
        private final InetAddress[] addrs;
        private final TcpState[] states = TcpState.values();

        Churning(int n) throws Exception {
            addrs = new InetAddress[] {InetAddress.getByName("10.0.0.1"), InetAddress.getByName("10.0.0.2"),
                    InetAddress.getByName("192.0.2.7"), InetAddress.getByName("198.51.100.3"), InetAddress.getByName("::1"),
                    InetAddress.getByName("2001:db8::5")};
            for (int i = 0; i < n; i++) rows.add(row(newKey(), 0));
        }

        private ConnectionKey newKey() {
            ConnectionKey k;
            do {
                int ifIndex = rnd.nextInt(200) == 0 ? 1 + rnd.nextInt(3) : 0;
                Endpoint local = new Endpoint(address(), rnd.nextInt(65_536), ifIndex, ifIndex == 0 ? null : "eth" + ifIndex);
                Endpoint remote = new Endpoint(address(), rnd.nextInt(6) == 0 ? rnd.nextInt(65_536) : 443);
                k = new ConnectionKey(local, remote);
            } while (!keys.add(k));
            return k;
        }

        /** One of the IPv4 addresses; one time in 60, one of the IPv6 ones (rows the sort's longs do not order apart). */
        private InetAddress address() {
            return rnd.nextInt(60) == 0 ? addrs[4 + rnd.nextInt(2)] : addrs[rnd.nextInt(4)];
        }

        private SocketEntry row(ConnectionKey k, long now) {
            TcpState s = states[rnd.nextInt(states.length)];
            boolean tw = s == TcpState.TIME_WAIT;
            TcpInfo info = s == TcpState.ESTABLISHED ? new TcpInfo(rnd.nextInt(1 << 20), 0, rnd.nextInt(1 << 20), rnd.nextInt(1 << 20),
                    rnd.nextInt(1000), rnd.nextInt(1000), rnd.nextInt(5), rnd.nextInt(50_000), 100, rnd.nextInt(100), 0) : null;
            return new SocketEntry(k, s, null, rnd.nextInt(4) == 0 ? rnd.nextInt(5000) : 0, rnd.nextInt(4) == 0 ? rnd.nextInt(5000) : 0,
                    tw ? TimerKind.TIME_WAIT : null, null, 0, rnd.nextInt(3), tw ? 0 : 10_000 + rnd.nextInt(1 << 20), null, null,
                    false, false, rnd.nextLong(), info, tw ? now + 30_000 + rnd.nextInt(30_000) : SocketEntry.NO_DUE);
        }

        /** The next table: {@code changed} rows made anew (same socket), {@code opened} new ones, {@code closed} gone. */
        Snapshot poll(long now, int changed, int opened, int closed) {
            for (int i = 0; i < changed; i++) {
                int at = rnd.nextInt(rows.size());
                rows.set(at, row(rows.get(at).key(), now));
            }
            for (int i = 0; i < closed; i++) keys.remove(rows.remove(rnd.nextInt(rows.size())).key());
            for (int i = 0; i < opened; i++) rows.add(rnd.nextInt(rows.size() + 1), row(newKey(), now));
            return new Snapshot(now, List.copyOf(rows), ConnectionTableModelTest.SRC, List.of());
        }
    }

    /**
     * A table where nothing changed between polls (the tracker publishes the same connections again): the
     * last rows at the new poll's time (times in state move on, the marks run out when their time is up),
     * the rows of a model that reads every row.
     */
    @Test
    void aTableThatDidNotChangeGivesTheLastRowsAtTheNewTime() {
        ConnectionTracker tracker = new ConnectionTracker(60_000);
        List<SocketEntry> rows = new ArrayList<>();
        for (int p = 1; p <= 3_000; p++) rows.add(io.tcplens.testutil.Rows.row(p, 80, p % 3 == 0 ? TcpState.CLOSE_WAIT : TcpState.ESTABLISHED, 1, null));
        List<PollResult> polls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            if (i == 2) rows.add(io.tcplens.testutil.Rows.row(9_999, 80, TcpState.SYN_SENT, 1, null)); // new, marked 2.5 s
            if (i == 3) rows.remove(0); // closed, shown 2.5 s
            var u = tracker.update(new Snapshot(1_000L * (i + 1), List.copyOf(rows), ConnectionTableModelTest.SRC, List.of()));
            polls.add(new PollResult(i + 1, u.snapshot(), u.diff(), u.connections(), 0, null));
        }
        assertTrue(polls.get(5).connections() == polls.get(6).connections(), "the tracker published the same connections again");
        for (ConnectionColumn col : List.of(ConnectionColumn.STATE, ConnectionColumn.LOCAL)) {
            for (boolean asc : new boolean[] {true, false}) {
                ConnectionTableModel carrying = new ConnectionTableModel(2_500), fresh = new ConnectionTableModel(2_500);
                long[] timeOfFirst = new long[polls.size()];
                int i = 0;
                for (PollResult p : polls) {
                    carrying.accept(List.of(p));
                    fresh.accept(List.of(p));
                    long now = p.snapshot().timestampMillis() + 100;
                    ConnectionRows a = carrying.rows(p, now, ConnectionFilter.NONE, col.comparator(asc));
                    fresh.forgetRows();
                    assertSameRows(fresh.rows(p, now, ConnectionFilter.NONE, col.comparator(asc)), a, col + ", poll " + p.sequence());
                    timeOfFirst[i++] = a.get(0).timeInStateMs();
                }
                assertTrue(timeOfFirst[7] > timeOfFirst[6] && timeOfFirst[6] > timeOfFirst[5], "times in state move on: " + java.util.Arrays.toString(timeOfFirst));
            }
        }
    }

    /**
     * A steady table through the tracker (its rows walked by their trackings, in runs): the carrying model's rows
     * are the rows read afresh, and all but the rows near the changed ones are carried (the walk finds the last
     * rows' trackings again past each row opened or closed).
     */
    @Test
    void aSteadyTableCarriesAllButItsChangedRows() {
        SteadyTable table = new SteadyTable(30_000, 30);
        ConnectionTracker tracker = new ConnectionTracker(60_000);
        List<PollResult> polls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            var u = tracker.update(table.poll());
            polls.add(new PollResult(i + 1, u.snapshot(), u.diff(), u.connections(), 0, null));
        }
        for (ConnectionColumn col : List.of(ConnectionColumn.STATE, ConnectionColumn.REMOTE)) {
            ConnectionTableModel carrying = new ConnectionTableModel(2_500), fresh = new ConnectionTableModel(2_500);
            int polled = 0;
            for (PollResult p : polls) {
                carrying.accept(List.of(p));
                fresh.accept(List.of(p));
                long now = p.snapshot().timestampMillis() + 100;
                ConnectionRows a = carrying.rows(p, now, ConnectionFilter.NONE, col.comparator(true));
                carrying.shown(a);
                fresh.forgetRows();
                assertSameRows(fresh.rows(p, now, ConnectionFilter.NONE, col.comparator(true)), a, col + ", poll " + p.sequence());
                if (polled++ == 0) continue;
                int changed = p.diff().opened().size() + p.diff().closed().size() + p.diff().transitions().size();
                int live = p.connections().size();
                assertTrue(carrying.lastCarried >= live - 2 * changed - 100,
                        col + ", poll " + p.sequence() + ": carried " + carrying.lastCarried + " of " + live + " rows, " + changed + " changed");
                assertTrue(carrying.lastMerged, col + ", poll " + p.sequence() + ": the changed rows merged among the carried ones");
            }
        }
    }

    /**
     * Both models take every poll; the carrying one makes rows at each, the other reads every row anew.
     * Returns in how many polls the carrying model placed carried rows in their last order.
     */
    private static int compare(List<PollResult> polls, Comparator<ConnectionRow> order, ConnectionFilter filter, String what) {
        ConnectionTableModel carrying = new ConnectionTableModel(2_500), fresh = new ConnectionTableModel(2_500);
        int merged = 0, marked = 0;
        ConnectionRows onScreen = null;
        List<ConnectionKey> onScreenKeys = null;
        for (PollResult p : polls) {
            carrying.accept(List.of(p));
            fresh.accept(List.of(p));
            long now = p.snapshot().timestampMillis() + 100;
            ConnectionRows a = carrying.rows(p, now, filter, order);
            // the carrying model is told what is on screen (as the view does), so its rows are made into the
            // arrays of rows taken off the screen: the rows on screen while these were made are unchanged
            if (onScreen != null) assertEquals(onScreenKeys, keys(onScreen), what + ": the rows on screen while poll " + p.sequence() + " was made");
            carrying.shown(a);
            onScreen = a;
            onScreenKeys = keys(a);
            if (carrying.lastMerged) merged++;
            fresh.forgetRows();
            ConnectionRows b = fresh.rows(p, now, filter, order);
            assertTrue(!fresh.lastMerged, "the fresh model carries nothing");
            marked += assertSameRows(b, a, what + ", poll " + p.sequence());
            assertEquals(ConnectionTableModel.sorted(a, order).stream().map(ConnectionRow::key).toList(),
                    a.stream().map(ConnectionRow::key).toList(), what + ": the comparator's order, poll " + p.sequence());
        }
        assertTrue(marked > 0, what + ": rows marked new or closed among them");
        return merged;
    }

    /** The keys of the rows in display order, read from their arrays (not the rows made and kept). */
    static List<ConnectionKey> keys(ConnectionRows rows) {
        List<ConnectionKey> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) out.add(rows.keyAt(i));
        return out;
    }

    /** Returns how many of the rows were marked new or closed. */
    private static int assertSameRows(ConnectionRows expected, ConnectionRows actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": rows");
        assertEquals(expected.closedCount(), actual.closedCount(), what + ": closed rows");
        assertEquals(expected.anyTcpInfo(), actual.anyTcpInfo(), what + ": tcp_info");
        int marked = 0;
        for (int i = 0; i < expected.size(); i++) {
            ConnectionRow x = expected.get(i), y = actual.get(i);
            String at = what + ", row " + i + " " + x.key();
            assertEquals(x.key(), y.key(), at);
            assertSame(x.entry(), y.entry(), at);
            assertEquals(x.status(), y.status(), at);
            assertEquals(x.timeInStateMs(), y.timeInStateMs(), at);
            assertEquals(x.stateSinceMillis(), y.stateSinceMillis(), at);
            assertEquals(x.timeInStateIsMinimum(), y.timeInStateIsMinimum(), at);
            if (x.status() != ConnectionRow.Status.NORMAL) marked++;
        }
        return marked;
    }

    /** The real table, read as the window reads it (netlink with tcp_info, the tracker), with this test's churn. */
    @Test
    void carriedRowsAreTheRowsReadAfreshOnTheRealTable() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        assumeTrue(new NetlinkSourceProvider().unavailableReason().equals(Optional.empty()), "needs netlink sock_diag");
        List<PollResult> polls = new ArrayList<>();
        try (ChurningLoopback conns = new ChurningLoopback(2_000); NetlinkSource netlink = new NetlinkSource()) {
            ConnectionTracker tracker = new ConnectionTracker(60_000);
            for (int poll = 0; poll < 8; poll++) {
                var u = tracker.update(netlink.poll());
                polls.add(new PollResult(poll + 1, u.snapshot(), u.diff(), u.connections(), 0, null));
                // churn: 50 of this test's connections close, the client first (its socket stays in TIME_WAIT),
                // 50 new ones open, and 10 send a few bytes (their counters move: new rows)
                conns.closeOldest(50);
                conns.open(50);
                for (int k = 0; k < 10; k++) conns.client(k * 100).getOutputStream().write(new byte[] {1, 2, 3});
                Thread.sleep(250); // the marks (2.5 s) run out for some rows within the polls
            }
        }
        assertTrue(polls.stream().allMatch(p -> p.snapshot().sockets().size() >= 4_000), "thousands of rows");
        for (ConnectionColumn col : List.of(ConnectionColumn.STATE, ConnectionColumn.LOCAL, ConnectionColumn.BYTES_SENT)) {
            for (boolean asc : new boolean[] {true, false}) {
                int merged = compare(polls, col.comparator(asc), ConnectionFilter.NONE, "real table, " + col + (asc ? " ascending" : " descending"));
                // (the machine's own churn, other programs' loopback sockets, may change more than an eighth of the
                // table between two polls: then that poll sorts every row)
                assertTrue(merged >= 1, col + ": rows carried in " + merged + " of " + polls.size() + " polls");
            }
        }
    }
}
