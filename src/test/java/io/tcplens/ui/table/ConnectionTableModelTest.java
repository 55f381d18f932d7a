package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.Rows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Highlight lifetimes, filtering and sorting of the connections table, without a toolkit. */
class ConnectionTableModelTest {
    static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "t", "test");
    final ConnectionTracker tracker = new ConnectionTracker();
    long seq;

    PollResult poll(long t, SocketEntry... rows) {
        var u = tracker.update(new Snapshot(t, List.of(rows), SRC, List.of()));
        return new PollResult(++seq, u.snapshot(), u.diff(), u.connections(), 0, null);
    }

    static SocketEntry row(int port, TcpState s) {
        return Rows.row(port, 80, s, 1, null);
    }

    @Test
    void newRowsAreHighlightedThenNormalAndClosedRowsLingerThenGo() {
        ConnectionTableModel m = new ConnectionTableModel(3000);
        PollResult p1 = poll(1000, row(1, TcpState.ESTABLISHED));
        m.accept(List.of(p1));
        assertEquals(ConnectionRow.Status.NORMAL, m.rows(p1, 1000, ConnectionFilter.NONE, null).get(0).status(),
                "rows present at start-up are not 'new'");

        PollResult p2 = poll(2000, row(1, TcpState.ESTABLISHED), row(2, TcpState.SYN_SENT));
        m.accept(List.of(p2));
        List<ConnectionRow> r = m.rows(p2, 2000, ConnectionFilter.NONE, ConnectionColumn.LOCAL.comparator(true));
        assertEquals(ConnectionRow.Status.NEW, r.get(1).status());

        PollResult p3 = poll(3000, row(2, TcpState.ESTABLISHED));
        m.accept(List.of(p3));
        r = m.rows(p3, 3000, ConnectionFilter.NONE, ConnectionColumn.LOCAL.comparator(true));
        assertEquals(2, r.size(), "the closed connection lingers");
        assertEquals(ConnectionRow.Status.NEW, r.get(0).status());
        assertEquals(ConnectionRow.Status.CLOSED, r.get(1).status(), "closed rows sort below live ones (issue 13)");

        r = m.rows(p3, 5500, ConnectionFilter.NONE, ConnectionColumn.LOCAL.comparator(true));
        assertEquals(ConnectionRow.Status.NORMAL, r.get(0).status(), "green ends after 3 s");
        r = m.rows(p3, 6100, ConnectionFilter.NONE, null);
        assertEquals(1, r.size(), "red row leaves after 3 s");
        assertEquals(0, m.recentlyClosed());
    }

    /**
     * Thousands of rows, thousands of them new (the marks' bits then share words and clash): every row
     * is NEW exactly while its opening is within the highlight, whatever the order, and only then.
     */
    @Test
    void newMarksAtThousandsOfRowsAreExactlyTheOpenedOnes() {
        ConnectionTableModel m = new ConnectionTableModel(3000);
        List<SocketEntry> rows = new ArrayList<>();
        for (int p = 1; p <= 5_000; p++) rows.add(row(p, TcpState.ESTABLISHED));
        PollResult p1 = poll(1000, rows.toArray(SocketEntry[]::new));
        rows.subList(0, 500).clear(); // ports 1..500 close
        for (int p = 5_001; p <= 7_000; p++) rows.add(row(p, TcpState.SYN_SENT)); // opened at 2000
        PollResult p2 = poll(2000, rows.toArray(SocketEntry[]::new));
        for (int p = 7_001; p <= 8_500; p++) rows.add(row(p, TcpState.ESTABLISHED)); // opened at 3000
        PollResult p3 = poll(3000, rows.toArray(SocketEntry[]::new));
        m.accept(List.of(p1, p2, p3));
        for (long now : new long[] {3000, 4500, 5100, 6100}) {
            for (var order : Arrays.asList(null, ConnectionColumn.STATE.comparator(true), ConnectionColumn.LOCAL.comparator(false))) {
                ConnectionRows r = m.rows(p3, now, ConnectionFilter.NONE, order);
                int news = 0, closed = 0;
                for (ConnectionRow row : r) {
                    int port = row.key().local().port();
                    ConnectionRow.Status want = port <= 500 ? ConnectionRow.Status.CLOSED
                            : port > 7_000 && now - 3000 <= 3000 || port > 5_000 && port <= 7_000 && now - 2000 <= 3000
                            ? ConnectionRow.Status.NEW : ConnectionRow.Status.NORMAL;
                    if (port <= 500 && now - 2000 > 3000) fail("closed row " + port + " lingers at " + now);
                    assertEquals(want, row.status(), "port " + port + " at " + now + " by " + order);
                    if (row.status() == ConnectionRow.Status.NEW) news++;
                    if (row.status() == ConnectionRow.Status.CLOSED) closed++;
                }
                assertEquals(now <= 5000 ? 3_500 : now <= 6000 ? 1_500 : 0, news, "new rows at " + now);
                assertEquals(now <= 5000 ? 500 : 0, closed, "closed rows at " + now);
            }
        }
    }

    @Test
    void batchedPollsLoseNoOpenOrClose() {
        ConnectionTableModel m = new ConnectionTableModel(3000);
        PollResult a = poll(1000);
        PollResult b = poll(1250, row(7, TcpState.ESTABLISHED));
        PollResult c = poll(1500);
        m.accept(List.of(a, b, c));
        List<ConnectionRow> r = m.rows(c, 1500, ConnectionFilter.NONE, null);
        assertEquals(1, r.size());
        assertEquals(ConnectionRow.Status.CLOSED, r.get(0).status(), "opened and closed between two frames still shows");
    }

    @Test
    void filtersCombineWithAnd() throws Exception {
        ConnectionTableModel m = new ConnectionTableModel(3000);
        PollResult p = poll(1000, row(1, TcpState.ESTABLISHED), row(2, TcpState.TIME_WAIT), row(3, TcpState.ESTABLISHED));
        m.accept(List.of(p));
        ConnectionFilter f = ConnectionFilter.parse(EnumSet.of(TcpState.ESTABLISHED), ":3", "127.0.0.0/8", "");
        assertEquals(List.of(3), m.rows(p, 1000, f, null).stream().map(r -> r.key().local().port()).toList());
        f = ConnectionFilter.parse(EnumSet.of(TcpState.ESTABLISHED), "", "10.0.0.0/8", "");
        assertTrue(m.rows(p, 1000, f, null).isEmpty());
        f = ConnectionFilter.parse(Set.of(), "", "", "proc1");
        assertEquals(3, m.rows(p, 1000, f, null).size());
        f = ConnectionFilter.parse(Set.of(), "", "", "nosuch");
        assertTrue(m.rows(p, 1000, f, null).isEmpty());
        var ex = assertThrows(ConnectionFilter.InvalidFilterException.class, () -> ConnectionFilter.parse(Set.of(), "99999", "", ""));
        assertTrue(ex.getMessage().contains("99999"));
        ex = assertThrows(ConnectionFilter.InvalidFilterException.class, () -> ConnectionFilter.parse(Set.of(), "", "10.0.0.0/33", ""));
        assertTrue(ex.getMessage().contains("10.0.0.0/33"));
        ex = assertThrows(ConnectionFilter.InvalidFilterException.class, () -> ConnectionFilter.parse(Set.of(), "", "example.com", ""));
        assertTrue(ex.getMessage().contains("example.com"), "no DNS: a name is not an address");
    }

    @Test
    void ssFilterSelectsExactlyTheConnection() {
        assertEquals("ss -tanp src 127.0.0.1:1 dst 127.0.0.1:80", ConnectionsView.ssFilter(row(1, TcpState.ESTABLISHED)));
    }

    @Test
    void closedRowsSortLastWhateverTheOrder() {
        ConnectionTableModel m = new ConnectionTableModel(3000);
        SocketEntry[] start = new SocketEntry[2_000];
        for (int i = 0; i < start.length; i++) start[i] = row(1_000 + i, TcpState.ESTABLISHED);
        PollResult p1 = poll(1000, start);
        SocketEntry[] later = Arrays.copyOfRange(start, 500, start.length);
        PollResult p2 = poll(2000, later);
        m.accept(List.of(p1, p2));
        for (ConnectionColumn c : ConnectionColumn.values()) {
            for (boolean asc : new boolean[] {true, false}) {
                List<ConnectionRow> r = m.rows(p2, 2000, ConnectionFilter.NONE, c.comparator(asc));
                assertEquals(2_000, r.size());
                for (int i = 0; i < 1_500; i++) assertNotEquals(ConnectionRow.Status.CLOSED, r.get(i).status(), c + " " + asc + " row " + i);
                for (int i = 1_500; i < 2_000; i++) assertEquals(ConnectionRow.Status.CLOSED, r.get(i).status());
            }
        }
    }

    @Test
    void addressFilterTakesTheFormTheTableShows() throws Exception {
        ConnectionFilter f = ConnectionFilter.parse(Set.of(), "", "127.0.0.1:20003", "");
        assertEquals(20003, f.port());
        assertTrue(f.network().toString().startsWith("127.0.0.1"));
        f = ConnectionFilter.parse(Set.of(), "", "[::1]:443", "");
        assertEquals(443, f.port());
        f = ConnectionFilter.parse(Set.of(), "20003", "127.0.0.1:20003", "");
        assertEquals(20003, f.port());
        var ex = assertThrows(ConnectionFilter.InvalidFilterException.class, () -> ConnectionFilter.parse(Set.of(), "80", "127.0.0.1:443", ""));
        assertTrue(ex.getMessage().contains("80") && ex.getMessage().contains("443"), ex.getMessage());
        assertThrows(ConnectionFilter.InvalidFilterException.class, () -> ConnectionFilter.parse(Set.of(), "", "127.0.0.1:99999", ""));
    }

    @Test
    void timeInStateOfSocketsOlderThanTheFirstPollIsAMinimum() {
        ConnectionTableModel m = new ConnectionTableModel(3000);
        PollResult p1 = poll(1000, row(1, TcpState.CLOSE_WAIT));
        PollResult p2 = poll(2000, row(1, TcpState.CLOSE_WAIT), row(2, TcpState.CLOSE_WAIT));
        PollResult p3 = poll(40_000, row(1, TcpState.CLOSE_WAIT), row(2, TcpState.CLOSE_WAIT));
        m.accept(List.of(p1, p2, p3));
        List<ConnectionRow> r = m.rows(p3, 40_000, ConnectionFilter.NONE, ConnectionColumn.LOCAL.comparator(true));
        assertTrue(r.get(0).timeInStateIsMinimum(), "in CLOSE_WAIT before TcpLens started: at least 39 s");
        assertEquals(39_000, r.get(0).timeInStateMs());
        assertFalse(r.get(1).timeInStateIsMinimum(), "seen entering: exact to a poll interval");
    }

    @Test
    void aTableThatOnlyTakesPollsForgetsOldMarks() {
        // a hidden or paused table takes every poll but builds no rows: its new and closed marks must still go
        ConnectionTableModel m = new ConnectionTableModel(3000);
        m.accept(List.of(poll(0, row(1, TcpState.ESTABLISHED))));
        for (int s = 1; s <= 60; s++) {
            // each second one connection opens and the one before closes (churn in the background)
            m.accept(List.of(poll(s * 1000L, row(1 + s, TcpState.ESTABLISHED))));
            assertTrue(m.highlightedNew() <= 4 && m.recentlyClosed() <= 4,
                    "second " + s + ": " + m.highlightedNew() + " new, " + m.recentlyClosed() + " closed marks");
        }
        assertEquals(1, m.highlightedNew(), "the connection opened last is still new");
        assertEquals(4, m.recentlyClosed(), "rows closed in the last 3 s linger");
    }

    /**
     * Issue 11: a refresh (another view's filter, a tab shown again) with the same poll, filter, order
     * and marks gives the rows made last time, without walking and sorting the table again; anything
     * the rows depend on makes them anew.
     */
    @Test
    void theSameInputsGiveTheRowsMadeLastTime() {
        ConnectionTableModel m = new ConnectionTableModel(3000);
        PollResult p1 = poll(1000, row(1, TcpState.ESTABLISHED), row(2, TcpState.ESTABLISHED));
        m.accept(List.of(p1));
        PollResult p2 = poll(2000, row(1, TcpState.ESTABLISHED), row(3, TcpState.ESTABLISHED));
        m.accept(List.of(p2));
        var order = ConnectionColumn.STATE.comparator(true);
        ConnectionRows a = m.rows(p2, 2100, ConnectionFilter.NONE, order);
        assertSame(a, m.rows(p2, 2200, ConnectionFilter.NONE, order), "nothing changed: the same rows");
        assertSame(a, m.rows(p2, 2300, ConnectionFilter.NONE, ConnectionColumn.STATE.comparator(true)), "an equal order");
        ConnectionRows b = m.rows(p2, 2300, ConnectionFilter.NONE, ConnectionColumn.LOCAL.comparator(false));
        assertNotSame(a, b, "another order");
        assertEquals(List.of(3, 1, 2), b.stream().map(r -> r.key().local().port()).toList(), "live rows, then the closed one");
        ConnectionFilter f = ConnectionFilter.NONE.withStates(EnumSet.of(TcpState.ESTABLISHED));
        assertNotSame(b, m.rows(p2, 2300, f, ConnectionColumn.LOCAL.comparator(false)), "another filter");
        ConnectionRows c = m.rows(p2, 2300, ConnectionFilter.NONE, order);
        // the closed row's and the new row's marks run out at 5 s: the same poll, other rows
        ConnectionRows d = m.rows(p2, 5100, ConnectionFilter.NONE, order);
        assertNotSame(c, d, "marks let go");
        assertEquals(2, d.size(), "the closed row is gone");
        assertEquals(ConnectionRow.Status.NORMAL, d.stream().filter(r -> r.key().local().port() == 3).findFirst().orElseThrow().status());
        assertSame(d, m.rows(p2, 5200, ConnectionFilter.NONE, order));
        PollResult p3 = poll(6000, row(1, TcpState.ESTABLISHED), row(3, TcpState.ESTABLISHED));
        m.accept(List.of(p3));
        assertNotSame(d, m.rows(p3, 6000, ConnectionFilter.NONE, order), "a new poll");
    }

    /**
     * The rows the model makes (their sort keys filled as the rows are) are in the order of the
     * columns' comparators, closed rows last, on a churning table of thousands, by every column both ways.
     */
    @Test
    void modelRowsAreInTheComparatorsOrder() {
        io.tcplens.testutil.GeneratedTable table = new io.tcplens.testutil.GeneratedTable(4_000, 400);
        ConnectionTableModel m = new ConnectionTableModel(3000);
        ConnectionFilter closeWait = ConnectionFilter.NONE.withStates(EnumSet.of(TcpState.CLOSE_WAIT));
        for (int i = 0; i < 4; i++) {
            var u = tracker.update(table.poll());
            PollResult p = new PollResult(++seq, u.snapshot(), u.diff(), u.connections(), 0, null);
            m.accept(List.of(p));
            if (i == 0) continue;
            for (ConnectionColumn col : ConnectionColumn.values()) {
                for (boolean asc : new boolean[] {true, false}) {
                    var order = col.comparator(asc);
                    ConnectionRows rows = m.rows(p, p.snapshot().timestampMillis(), ConnectionFilter.NONE, order);
                    assertTrue(rows.closedCount() > 0, "closed rows in the table");
                    ConnectionRows byComparison = ConnectionTableModel.sorted(rows, (x, y) -> order.compare(x, y));
                    assertEquals(byComparison.stream().map(ConnectionRow::key).toList(), rows.stream().map(ConnectionRow::key).toList(),
                            col + (asc ? " ascending" : " descending") + ", poll " + i);
                    // a filter that leaves a tenth of the rows (the sort's arrays far longer than the rows)
                    ConnectionRows few = m.rows(p, p.snapshot().timestampMillis(), closeWait, order);
                    assertTrue(few.size() > 50 && few.size() < rows.size() / 5, "CLOSE_WAIT rows: " + few.size());
                    assertEquals(ConnectionTableModel.sorted(few, (x, y) -> order.compare(x, y)).stream().map(ConnectionRow::key).toList(),
                            few.stream().map(ConnectionRow::key).toList(), col + (asc ? " ascending" : " descending") + ", filtered, poll " + i);
                }
            }
        }
    }

    /**
     * A connection that closes and comes back within the marks' time is one live row, marked new, and
     * not also a closed one (the model takes the closed rows out by the polls' opened rows, with no
     * lookup of each closed row in the poll); another source starts with no marks, its first poll new to none.
     */
    @Test
    void aConnectionBackWithinTheMarksIsOneLiveRowAndAnotherSourceStartsUnmarked() {
        ConnectionTableModel m = new ConnectionTableModel(3000);
        m.accept(List.of(poll(1000, row(1, TcpState.ESTABLISHED), row(2, TcpState.ESTABLISHED))));
        m.accept(List.of(poll(2000, row(1, TcpState.ESTABLISHED))));
        assertEquals(1, m.recentlyClosed());
        PollResult back = poll(3000, row(1, TcpState.ESTABLISHED), row(2, TcpState.SYN_SENT));
        m.accept(List.of(back));
        List<ConnectionRow> r = m.rows(back, 3000, ConnectionFilter.NONE, ConnectionColumn.LOCAL.comparator(true));
        assertEquals(List.of(1, 2), r.stream().map(x -> x.key().local().port()).toList(), "each connection once");
        assertEquals(ConnectionRow.Status.NEW, r.get(1).status());
        assertEquals(0, m.recentlyClosed());
        m.reset();
        assertEquals(0, m.highlightedNew());
        var u = new ConnectionTracker().update(new Snapshot(4000, List.of(row(5, TcpState.ESTABLISHED)), SRC, List.of()));
        PollResult other = new PollResult(1, u.snapshot(), u.diff(), u.connections(), 0, null); // its own engine and tracker
        m.accept(List.of(other));
        List<ConnectionRow> o = m.rows(other, 4000, ConnectionFilter.NONE, null);
        assertEquals(1, o.size(), "no closed row of the last source");
        assertEquals(ConnectionRow.Status.NORMAL, o.get(0).status(), "the new source's first poll marks nothing new");
    }
}
