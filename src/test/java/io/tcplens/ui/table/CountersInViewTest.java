package io.tcplens.ui.table;

import static io.tcplens.ui.table.ConnectionsActTest.column;
import static io.tcplens.ui.table.ConnectionsActTest.firstTransmissions;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.common.Units;
import io.tcplens.export.SocketCsv;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.source.TcpInfoDemand;
import io.tcplens.source.linux.NetlinkSource;
import io.tcplens.testutil.LoopbackSockets;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import io.tcplens.model.TcpState;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.TableColumn;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tcp_info for the rows a person can see (issue 11), in the real window on the live netlink source with
 * ~3,500 sockets of a child process (the crowd of {@link ConnectionsActTest}): the polls read the counters
 * of the rows in view only; a row scrolled into view shows "…", then its kernel counters within two polls;
 * sorting by Sent reads every row's; an export after scrolling writes every row's counters.
 */
class CountersInViewTest {
    static Process child;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")) && Files.isExecutable(Path.of("/usr/bin/python3")));
        child = new ProcessBuilder("/usr/bin/python3", "-c", ConnectionsActTest.CHILD).redirectErrorStream(true).start();
        port = Integer.parseInt(new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine().strip());
        FxTestSupport.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (child != null) child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** Rows of the whole table that carry counters, and rows that could (live full sockets). */
    private static long[] counters(ConnectionsView v) {
        List<ConnectionRow> rows = v.visibleRows();
        long with = rows.stream().filter(r -> r.entry().tcpInfo() != null).count();
        long possible = rows.stream().filter(ConnectionsView::countersPossible).count();
        return new long[] {with, possible};
    }

    @Test
    void countersForTheRowsInViewAllWhenSortedOrExported(@TempDir Path dir) throws Exception {
        lap("child and toolkit");
        try (WindowFixture fixture = ConnectionsActTest.open("netlink", "inview-netlink")) {
            lap("window open");
            MainWindow window = fixture.window();
            ConnectionsView v = window.part(ConnectionsView.class);

            // the polls read the rows in view (~20 in a 700 px window, and 10 each side): not the 3,000 others
            FxTestSupport.waitUntil(() -> {
                long[] c = counters(v);
                return c[1] > 2_500 && c[0] > 0 && c[0] <= 200;
            }, 60_000, "counters for the rows in view only");
            lap("rows in view");

            // scroll to one of the child's senders (250, 500 or 750 kB): "…" until a poll reads it, then the kernel's count
            ConnectionKey sender = v.visibleRows().stream()
                    .filter(r -> r.key().remote().port() == port && r.state() == TcpState.ESTABLISHED)
                    .map(ConnectionRow::key).findFirst().orElseThrow();
            TableColumn<ConnectionRow, String> sent = column(v, ConnectionColumn.BYTES_SENT);
            long seq0 = FxTestSupport.onFx(() -> {
                List<ConnectionRow> rows = v.visibleRows();
                int at = 0;
                while (!rows.get(at).key().equals(sender)) at++;
                v.table().scrollTo(at);
                return window.lastShown().sequence();
            });
            FxTestSupport.settle();
            String before = FxTestSupport.onFx(() -> {
                ConnectionRow r = row(v, sender);
                return r.entry().tcpInfo() == null ? sent.getCellData(r) : null;
            });
            if (before != null) assertEquals(TrafficColumns.PENDING, before, "a row whose counters the next poll reads: never 0 or blank");
            // (the poll shown then may not be the newest: a poll or two taken before the scroll may still be handed over)
            FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= seq0 + 2
                    && FxTestSupport.onFx(() -> row(v, sender).entry().tcpInfo() != null), 60_000, "counters after the scroll");
            long at = FxTestSupport.onFx(() -> window.lastShown().sequence());
            assertTrue(at <= seq0 + 4, "counters within a few polls of coming into view: at " + at + ", scrolled at " + seq0);
            ConnectionRow shown = FxTestSupport.onFx(() -> row(v, sender));
            assertNotNull(shown.entry().tcpInfo(), "counters within two polls of coming into view: " + shown.entry() + "; shown "
                    + FxTestSupport.onFx(() -> v.content().counters() + " of poll " + window.lastShown().sequence() + " (" + window.lastShown().counters()
                    + "), asked from " + seq0 + ", demand " + v.tcpInfoDemand(0) + " wants it: " + v.tcpInfoDemand(0).wants(shown.entry().cookie())));
            assertTrue(Set.of(250_000L, 500_000L, 750_000L).contains(firstTransmissions(shown)), shown.entry().tcpInfo().toString());
            assertEquals(0, shown.entry().tcpInfo().bytesReceived(), "the child's senders receive nothing");
            assertNotEquals(TrafficColumns.PENDING, FxTestSupport.onFx(() -> sent.getCellData(shown)));
            lap("scrolled into view");

            // export after scrolling: every row's counters, read by a poll that asked for all of them
            Path csv = dir.resolve("all.csv");
            int written = FxTestSupport.onFx(() -> v.exportCsvWithCounters(csv)).get(120, TimeUnit.SECONDS);
            List<CSVRecord> recs = read(csv);
            assertEquals(written, recs.size());
            List<CSVRecord> established = recs.stream().filter(r -> "ESTABLISHED".equals(r.get("kernelState"))).toList();
            assertTrue(established.size() > 2_500, "the whole table, not the rows in view: " + established.size());
            List<CSVRecord> blank = established.stream().filter(r -> r.get("bytesSent").isEmpty() || r.get("bytesReceived").isEmpty()).toList();
            assertEquals(List.of(), blank.stream().limit(3).map(CSVRecord::toString).toList(), blank.size() + " rows without counters");
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(v::exportStatusText).contains(csv.getFileName().toString()), 10_000, "the status line");
            lap("export");

            pausedCopyAndExport(window, v, dir);
            lap("paused copy and export");

            // a click on Sent: the rows keep their order (never sorted on blanks) and the status says why, until a
            // poll asked for at the click brings every row's counters; then the order is the kernel's bytes order
            TableColumn<ConnectionRow, String> sentCol = sent;
            ConnectionRows unsorted = FxTestSupport.onFx(() -> {
                ConnectionRows c = v.content();
                sentCol.setSortType(TableColumn.SortType.DESCENDING);
                v.table().getSortOrder().setAll(sentCol);
                return c;
            });
            String waiting = FxTestSupport.onFx(v::countersStatusText);
            FxTestSupport.screenshot(v.table().getScene(), "counters-sort-waiting"); // for a person: the status while it waits
            List<String> wrong = new ArrayList<>();
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> {
                ConnectionRows now = v.content();
                if (now != unsorted) {
                    long[] c = counters(v);
                    if (c[0] < c[1]) wrong.add(c[0] + " of " + c[1] + " rows with counters shown sorted by Sent");
                }
                return v.countersStatusText().isEmpty() && now != unsorted;
            }), 60_000, "sorted by Sent with every row's counters");
            assertEquals(List.of(), wrong);
            assertTrue(waiting.contains(sentCol.getText()), "the status said the sort waits for the counters: " + waiting);
            Map<ConnectionKey, Long> kernel = kernelBytesSent();
            List<Long> order = FxTestSupport.onFx(() -> v.visibleRows().stream().filter(r -> kernel.containsKey(r.key()))
                    .map(r -> kernel.get(r.key())).toList());
            assertTrue(order.size() > 2_500, "the child's connections: " + order.size());
            for (int i = 1; i < order.size(); i++)
                assertTrue(order.get(i - 1) >= order.get(i), "the kernel's bytes_sent in the table's order, at " + i + ": " + order.subList(Math.max(0, i - 3), i + 1));
            FxTestSupport.screenshot(v.table().getScene(), "counters-sorted-by-sent");
            lap("sort by Sent");

            FxTestSupport.onFx(() -> v.table().getSortOrder().clear());
            FxTestSupport.waitUntil(() -> {
                long[] c = counters(v);
                return c[1] > 2_500 && c[0] > 0 && c[0] <= 200;
            }, 60_000, "the rows in view only again");
            lap("rows in view again");

            pausedTrafficSort(window, v, sentCol);
            lap("sort by Sent while paused");
        }
    }

    /**
     * Paused, then a click on Sent: the status says the sort waits for the resume, and the paused rows stay as they
     * are (not sorted on the counters of the rows that were in view only) poll after poll, which do not read every
     * row's counters for a table that shows none of them. Resumed: a poll reads every row's counters, the rows are
     * shown in the kernel's bytes_sent order, and the status is cleared.
     */
    private void pausedTrafficSort(MainWindow window, ConnectionsView v, TableColumn<ConnectionRow, String> sentCol) throws Exception {
        ConnectionRows paused = FxTestSupport.onFx(() -> {
            v.setPaused(true);
            ConnectionRows c = v.content();
            sentCol.setSortType(TableColumn.SortType.DESCENDING);
            v.table().getSortOrder().setAll(sentCol);
            return c;
        });
        String waitsResume = FxTestSupport.onFx(() -> MessageFormat.format(v.message("connections.sortWaitsResume"), sentCol.getText()));
        assertEquals(waitsResume, FxTestSupport.onFx(v::countersStatusText), "the status says the sort waits for the resume");
        FxTestSupport.screenshot(v.table().getScene(), "counters-sort-waits-resume"); // for a person: the status while paused
        List<ConnectionKey> pausedKeys = FxTestSupport.onFx(() -> CarriedRowsTest.keys(paused));
        long seq = FxTestSupport.onFx(() -> window.lastShown().sequence());
        FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= seq + 2, 60_000, "two polls while paused");
        FxTestSupport.onFx(() -> {
            assertSame(paused, v.content(), "the paused rows stay on screen");
            assertEquals(pausedKeys, CarriedRowsTest.keys(paused), "in the order they had: not sorted on blanks");
            assertEquals(waitsResume, v.countersStatusText(), "the status still says it waits for the resume");
            assertNotSame(TcpInfoDemand.ALL, v.tcpInfoDemand(0), "the polls of a paused table read no counters of rows out of view");
            return null;
        });

        FxTestSupport.onFx(() -> v.setPaused(false));
        FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> v.content() != paused && v.countersStatusText().isEmpty()), 60_000,
                "sorted by Sent after the resume");
        assertSortedBySent(v);
        FxTestSupport.onFx(() -> v.table().getSortOrder().clear());
    }

    /** The table's rows of the child's connections are in the kernel's bytes_sent order, most first. */
    private static void assertSortedBySent(ConnectionsView v) throws Exception {
        Map<ConnectionKey, Long> kernel = kernelBytesSent();
        List<ConnectionRow> rows = FxTestSupport.onFx(() -> List.copyOf(v.visibleRows()));
        long with = rows.stream().filter(r -> r.entry().tcpInfo() != null).count();
        assertEquals(rows.stream().filter(ConnectionsView::countersPossible).count(), with, "every row that can have counters carries them");
        List<Long> order = rows.stream().filter(r -> kernel.containsKey(r.key())).map(r -> kernel.get(r.key())).toList();
        assertTrue(order.size() > 2_500, "the child's connections: " + order.size());
        for (int i = 1; i < order.size(); i++)
            assertTrue(order.get(i - 1) >= order.get(i), "the kernel's bytes_sent in the table's order, at " + i + ": " + order.subList(Math.max(0, i - 3), i + 1));
    }

    /**
     * Paused, with a connection of the test's own in the table: it closes (RST); "Copy row" of it, a sender out of
     * view and a row in view reads the counters of the rows out of view now ("closed" for the closed one); an
     * export writes the paused rows (the closed connection's row too), each row's counters said in countersRead.
     */
    private void pausedCopyAndExport(MainWindow window, ConnectionsView v, Path dir) throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets()) {
            Socket[] mine = lab.established();
            ConnectionKey mineKey = LoopbackSockets.key(mine[0]);
            FxTestSupport.waitUntil(() -> v.visibleRows().stream().anyMatch(r -> r.key().equals(mineKey)), 30_000, "the test's connection listed");
            // the view far from the test's connection, for two polls (its row then carries no counters), then paused
            long seq = FxTestSupport.onFx(() -> {
                // a connection of the child's crowd, ≥ 150 rows from the test's own and from each sender
                List<ConnectionRow> rows = v.visibleRows();
                List<Integer> avoid = new ArrayList<>();
                for (int i = 0; i < rows.size(); i++) {
                    ConnectionKey k = rows.get(i).key();
                    if (k.equals(mineKey) || k.remote().port() == port) avoid.add(i);
                }
                int target = -1;
                for (int i = 0; i < rows.size() && target < 0; i++) {
                    final int at = i;
                    ConnectionRow r = rows.get(i);
                    if (r.state() == TcpState.ESTABLISHED && r.entry().pid() != null && r.entry().pid() == child.pid()
                            && avoid.stream().allMatch(x -> Math.abs(x - at) >= 150)) target = i;
                }
                assertTrue(target >= 0, "a crowd row far from the test's and the senders'");
                v.table().scrollTo(target);
                return window.lastShown().sequence();
            });
            FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= seq + 2, 60_000, "two polls after the scroll");
            FxTestSupport.onFx(() -> v.setPaused(true));
            FxTestSupport.settle();
            assertTrue(FxTestSupport.onFx(() -> v.countersPending(row(v, mineKey))), "the test's row is out of view");
            mine[0].setSoLinger(true, 0);
            mine[0].close();
            mine[1].close();
            List<ConnectionRow> pick = FxTestSupport.onFx(() -> {
                List<ConnectionRow> rows = v.visibleRows();
                List<ConnectionRow> p = new ArrayList<>();
                p.add(row(v, mineKey));
                rows.stream().filter(r -> r.key().remote().port() == port && r.state() == TcpState.ESTABLISHED)
                        .filter(r -> v.countersPending(r)).limit(1).forEach(p::add);
                rows.stream().filter(r -> r.entry().tcpInfo() != null).limit(1).forEach(p::add);
                return p;
            });
            assertEquals(3, pick.size(), "the closed row, a sender out of view, a row in view: " + pick);
            String text = FxTestSupport.onFx(() -> v.copyRowsWithCounters(pick)).get(30, TimeUnit.SECONDS);
            List<String> lines = text.lines().toList();
            assertEquals(3, lines.size(), text);
            int sentAt = FxTestSupport.onFx(() -> v.table().getVisibleLeafColumns().indexOf(column(v, ConnectionColumn.BYTES_SENT)));
            assertEquals(FxTestSupport.onFx(() -> v.message("traffic.closed")), lines.get(0).split("\t")[sentAt], "a closed socket says so: " + lines.get(0));
            String senderSent = lines.get(1).split("\t")[sentAt];
            Long kernelSent = kernelBytesSent().get(pick.get(1).key()); // an idle connection: the same count now
            assertNotNull(kernelSent, pick.get(1).toString());
            assertEquals(Units.bytes(kernelSent), senderSent, "the sender out of view: the kernel's count read now, not '…': " + lines.get(1));
            assertFalse(text.contains(TrafficColumns.PENDING), text);
            String status = FxTestSupport.onFx(v::exportStatusText);
            assertTrue(status.contains("2 rows out of view") && status.contains("1 of them had closed"), status);

            Path csv = dir.resolve("paused.csv");
            int shown = FxTestSupport.onFx(() -> v.visibleRows().size());
            int written = FxTestSupport.onFx(() -> v.exportCsvWithCounters(csv)).get(60, TimeUnit.SECONDS);
            assertEquals(shown, written, "the paused rows, not a newer poll's");
            List<CSVRecord> recs = read(csv);
            assertEquals(written, recs.size());
            CSVRecord closed = recs.stream().filter(r -> r.get("localPort").equals(Integer.toString(mineKey.local().port()))
                    && r.get("remotePort").equals(Integer.toString(mineKey.remote().port()))).findFirst().orElseThrow();
            assertTrue(closed.get(SocketCsv.COUNTERS_READ).startsWith("closed before export"), closed.toString());
            assertEquals("", closed.get("bytesSent"));
            List<CSVRecord> est = recs.stream().filter(r -> "ESTABLISHED".equals(r.get("kernelState")) && r != closed).toList();
            long atPoll = est.stream().filter(r -> r.get(SocketCsv.COUNTERS_READ).startsWith("poll ")).count();
            long atExport = est.stream().filter(r -> r.get(SocketCsv.COUNTERS_READ).startsWith("export ")).count();
            assertTrue(atPoll > 0 && atPoll <= 200, "the rows in view as at the paused poll: " + atPoll);
            assertTrue(atExport > 2_000, "the others read at export: " + atExport);
            // a row without counters says why (another program's connection may close meanwhile too)
            assertEquals(List.of(), est.stream().filter(r -> r.get("bytesSent").isEmpty() && !r.get(SocketCsv.COUNTERS_READ).startsWith("closed before export"))
                    .limit(3).map(CSVRecord::toString).toList());
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(v::exportStatusText).contains("export"), 10_000, "the status line says how");
            FxTestSupport.screenshot(v.table().getScene(), "counters-paused-export");
            FxTestSupport.onFx(() -> v.setPaused(false));
        }
    }

    private static List<CSVRecord> read(Path csv) throws Exception {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(Files.newBufferedReader(csv)).getRecords();
    }

    /** bytes_sent of the child's connections (idle by now), read by the test's own full dump with tcp_info. */
    private static Map<ConnectionKey, Long> kernelBytesSent() throws Exception {
        try (NetlinkSource n = new NetlinkSource(Path.of("/proc"), true)) {
            n.setTcpInfoDemand(TcpInfoDemand.ALL);
            Map<ConnectionKey, Long> m = new HashMap<>();
            for (SocketEntry e : n.poll().sockets())
                if (e.pid() != null && e.pid() == child.pid() && e.tcpInfo() != null && e.kernelState() == KernelTcpState.ESTABLISHED)
                    m.put(e.key(), e.tcpInfo().bytesSent());
            return m;
        }
    }

    private static long t0 = System.nanoTime();

    private static void lap(String what) {
        long now = System.nanoTime();
        System.err.printf("CountersInViewTest: %s %.1f s%n", what, (now - t0) / 1e9);
        t0 = now;
    }

    private static ConnectionRow row(ConnectionsView v, ConnectionKey key) {
        return v.visibleRows().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }
}
