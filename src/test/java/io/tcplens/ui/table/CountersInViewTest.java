package io.tcplens.ui.table;

import static io.tcplens.ui.table.ConnectionsActTest.column;
import static io.tcplens.ui.table.ConnectionsActTest.firstTransmissions;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.TcpState;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
        try (WindowFixture fixture = ConnectionsActTest.open("netlink", "inview-netlink")) {
            MainWindow window = fixture.window();
            ConnectionsView v = window.part(ConnectionsView.class);

            // the polls read the rows in view (~20 in a 700 px window, and 10 each side): not the 3,000 others
            FxTestSupport.waitUntil(() -> {
                long[] c = counters(v);
                return c[1] > 2_500 && c[0] > 0 && c[0] <= 200;
            }, 60_000, "counters for the rows in view only");

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
            FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= seq0 + 2, 60_000, "two polls after the scroll");
            ConnectionRow shown = FxTestSupport.onFx(() -> row(v, sender));
            assertNotNull(shown.entry().tcpInfo(), "counters within two polls of coming into view: " + shown.entry());
            assertTrue(Set.of(250_000L, 500_000L, 750_000L).contains(firstTransmissions(shown)), shown.entry().tcpInfo().toString());
            assertEquals(0, shown.entry().tcpInfo().bytesReceived(), "the child's senders receive nothing");
            assertNotEquals(TrafficColumns.PENDING, FxTestSupport.onFx(() -> sent.getCellData(shown)));

            // export after scrolling: every row's counters, read by a poll that asked for all of them
            Path csv = dir.resolve("all.csv");
            int written = FxTestSupport.onFx(() -> v.exportCsvWithCounters(csv)).get(120, TimeUnit.SECONDS);
            List<CSVRecord> recs = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                    .parse(Files.newBufferedReader(csv)).getRecords();
            assertEquals(written, recs.size());
            List<CSVRecord> established = recs.stream().filter(r -> "ESTABLISHED".equals(r.get("kernelState"))).toList();
            assertTrue(established.size() > 2_500, "the whole table, not the rows in view: " + established.size());
            List<CSVRecord> blank = established.stream().filter(r -> r.get("bytesSent").isEmpty() || r.get("bytesReceived").isEmpty()).toList();
            assertEquals(List.of(), blank.stream().limit(3).map(CSVRecord::toString).toList(), blank.size() + " rows without counters");
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(v::exportStatusText).contains(csv.getFileName().toString()), 10_000, "the status line");

            // sorted by Sent: every row's counters (full dumps); back to the default order: the rows in view again
            FxTestSupport.onFx(() -> {
                sent.setSortType(TableColumn.SortType.DESCENDING);
                v.table().getSortOrder().setAll(sent);
            });
            FxTestSupport.waitUntil(() -> {
                long[] c = counters(v);
                return c[1] > 2_500 && c[0] >= c[1];
            }, 60_000, "every row's counters while sorted by Sent");
            FxTestSupport.onFx(() -> v.table().getSortOrder().clear());
            FxTestSupport.waitUntil(() -> {
                long[] c = counters(v);
                return c[1] > 2_500 && c[0] > 0 && c[0] <= 200;
            }, 60_000, "the rows in view only again");
        }
    }

    private static ConnectionRow row(ConnectionsView v, ConnectionKey key) {
        return v.visibleRows().stream().filter(r -> r.key().equals(key)).findFirst().orElseThrow();
    }
}
