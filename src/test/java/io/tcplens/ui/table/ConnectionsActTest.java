package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.analysis.remote.ReverseDns;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.theme.Theme;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Side;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connections table's issue-18 pieces in the real window on the live netlink source (the shared
 * machine's thousands of sockets): traffic columns from tcp_info for a child process that sent a
 * known number of bytes, search across columns, reverse DNS in the table, the close dialog and its
 * refusals; the proc source says once that it has no tcp_info. Screenshots in both themes.
 */
class ConnectionsActTest {
    /**
     * Three connections that moved 250, 500 and 750 kB on the port it prints, and a realistic crowd
     * beside them on other ports: 1,500 ESTABLISHED pairs with random traffic both ways, TIME_WAIT and
     * CLOSE_WAIT sockets (about 3,500 sockets in all).
     */
    static final String CHILD = String.join("\n",
            "import socket, sys, random, resource",
            "soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE); resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))",
            "random.seed(7)",
            "def pair(srv):",
            "    c = socket.create_connection(srv.getsockname()); a, _ = srv.accept(); return c, a",
            "def move(c, a, n):",
            "    c.sendall(b'x' * n); got = 0",
            "    while got < n: got += len(a.recv(1 << 20))",
            "srv = socket.socket(); srv.bind(('127.0.0.1', 0)); srv.listen(64)",
            "keep = []",
            "for i in range(3):",
            "    c, a = pair(srv); keep += [c, a]; move(c, a, 250000 * (i + 1))",
            "crowd = [socket.socket() for _ in range(4)]",
            "for j, s in enumerate(crowd): s.bind(('127.0.0.%d' % (j + 2), 0)); s.listen(1024)",
            "for i in range(1500):",
            "    c, a = pair(crowd[i % 4]); keep += [c, a]",
            "    if i % 3: move(c, a, random.randint(1, 200000))",
            "    if i % 5 == 0: move(a, c, random.randint(1, 2000000))",
            "for i in range(300):",
            "    c, a = pair(crowd[i % 4]); c.close(); a.recv(1); a.close()",
            "for i in range(120):",
            "    c, a = pair(crowd[i % 4]); c.close(); keep.append(a)",
            "print(srv.getsockname()[1], flush=True)",
            "sys.stdin.read()");
    static Process child;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")) && Files.isExecutable(Path.of("/usr/bin/python3")));
        child = new ProcessBuilder("/usr/bin/python3", "-c", CHILD).redirectErrorStream(true).start();
        port = Integer.parseInt(new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine().strip());
        FxTestSupport.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (child != null) child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** The window on {@code source} with the connections tab in front, once it shows the live table. */
    static WindowFixture open(String source, String prefsNode) {
        WindowFixture fixture = WindowFixture.open(TestPreferences.cleared("tcplens-test/" + prefsNode, 500), source, 1024, 700,
                Theme.LIGHT, w -> w.showView(ConnectionsView.ID));
        ConnectionsView v = fixture.window().part(ConnectionsView.class);
        try {
            FxTestSupport.waitUntil(() -> v.visibleRows().size() > 100, 60_000, "the live table shown");
        } catch (RuntimeException | Error e) {
            fixture.close();
            throw e;
        }
        return fixture;
    }

    private static boolean ours(SocketEntry e) {
        return e.local().address().isLoopbackAddress() && (e.local().port() == port || e.remote().port() == port)
                && e.pid() != null && e.pid() == child.pid();
    }

    @Test
    void trafficSearchDnsAndClose() throws Exception {
        try (WindowFixture fixture = open("netlink", "act-netlink")) {
            MainWindow window = fixture.window();
            Stage stage = fixture.stage();
            ConnectionsView v = window.part(ConnectionsView.class);

            // search: the child's process name and its port, across columns
            FxTestSupport.onFx(() -> v.setSearch("python3 :" + port));
            FxTestSupport.waitUntil(() -> {
                List<ConnectionRow> rows = v.visibleRows();
                return rows.size() >= 7 && rows.stream().filter(r -> r.status() != ConnectionRow.Status.CLOSED)
                        .allMatch(r -> r.entry().process() != null && r.entry().process().contains("python3")
                                && (r.key().local().port() == port || r.key().remote().port() == port))
                        // rows that came into view get their counters from the next poll on (tcp_info for the rows in view)
                        && rows.stream().anyMatch(r -> r.key().remote().port() == port && r.entry().tcpInfo() != null
                                && firstTransmissions(r) == 500_000);
            }, 30_000, "the search keeps the child's listener and 6 connections (and nothing else), with their counters");
            assertTrue(v.countText().contains("filters on"), v.countText());

            // traffic: the sender of 500,000 bytes shows exactly what the kernel counted: 500,000, plus what it sent
            // again (tcpi_bytes_sent counts retransmissions, and a loaded machine does retransmit on loopback)
            List<ConnectionRow> rows = v.visibleRows();
            ConnectionRow sender = rows.stream().filter(r -> r.key().remote().port() == port && r.entry().tcpInfo() != null
                    && firstTransmissions(r) == 500_000).findFirst().orElseThrow(() -> new AssertionError("no 500 kB sender: " + rows));
            TableColumn<ConnectionRow, String> sent = column(v, ConnectionColumn.BYTES_SENT);
            assertTrue(sent.isVisible(), "Sent shows by default");
            if (sender.entry().tcpInfo().bytesRetrans() == 0) assertEquals("488.3 KiB", FxTestSupport.onFx(() -> sent.getCellData(sender)));
            else assertTrue(sender.entry().tcpInfo().bytesSent() > 500_000, sender.entry().toString());
            assertFalse(column(v, ConnectionColumn.RTT).isVisible(), "RTT waits in the column menu");
            assertTrue(v.trafficNoteText().isEmpty(), "netlink has tcp_info: no note");

            // sorting by Sent, descending: the biggest sender first
            FxTestSupport.onFx(() -> {
                sent.setSortType(TableColumn.SortType.DESCENDING);
                v.table().getSortOrder().setAll(sent);
            });
            FxTestSupport.waitUntil(() -> {
                List<ConnectionRow> r = v.visibleRows();
                return !r.isEmpty() && r.get(0).entry().tcpInfo() != null && firstTransmissions(r.get(0)) == 750_000;
            }, 90_000, "sorted by bytes sent");

            WindowFixture.screenshots(window, stage, "connections-traffic-default");

            // more columns for the screenshots; reverse DNS of the loopback rows (off the FX thread)
            FxTestSupport.onFx(() -> {
                for (ConnectionColumn c : List.of(ConnectionColumn.SEND_RATE, ConnectionColumn.RTT, ConnectionColumn.RETRANSMITS,
                        ConnectionColumn.COOKIE)) column(v, c).setVisible(true);
                v.resolveNames(v.visibleRows());
            });
            TableColumn<ConnectionRow, String> host = column(v, ConnectionColumn.REMOTE_HOST);
            FxTestSupport.waitUntil(() -> host.isVisible() && v.visibleRows().stream()
                    .filter(r -> !r.key().remote().isWildcard())
                    .allMatch(r -> v.reverseDns().cached(r.key().remote().address()) != null), 30_000, "names resolved");
            String name = FxTestSupport.onFx(() -> host.getCellData(sender));
            assertFalse(name.isBlank(), "the host column shows the answer");
            var answer = v.reverseDns().cached(sender.key().remote().address());
            if (answer.status() == ReverseDns.Status.RESOLVED) {
                // the resolved name is searchable
                FxTestSupport.onFx(() -> v.setSearch(answer.name() + " :" + port + " python3"));
                FxTestSupport.waitUntil(() -> v.visibleRows().size() >= 6, 30_000, "search by host name");
                FxTestSupport.onFx(() -> v.setSearch("python3 :" + port));
            }
            FxTestSupport.waitUntil(() -> v.visibleRows().size() >= 7, 30_000, "search back");
            WindowFixture.screenshots(window, stage, "connections-traffic-all");

            // the row menu and the close dialog
            ContextMenu menu = FxTestSupport.onFx(() -> {
                TableRow<?> row = (TableRow<?>) v.table().lookupAll(".table-row-cell").stream()
                        .filter(n -> n instanceof TableRow<?> r && r.getItem() != null).findFirst().orElseThrow();
                ContextMenu m = row.getContextMenu();
                m.show(row, Side.BOTTOM, 200, 0);
                return m;
            });
            FxTestSupport.settle();
            assertTrue(FxTestSupport.onFx(() -> menu.getItems().stream().anyMatch(i -> "Close connection…".equals(i.getText()))));
            FxTestSupport.screenshot(menu.getScene(), "connections-row-menu");
            FxTestSupport.onFx(menu::hide);

            SocketEntry target = sender.entry();
            Alert dialog = FxTestSupport.onFx(() -> {
                Alert a = v.closeConfirmation(target);
                a.show();
                return a;
            });
            FxTestSupport.settle();
            String content = FxTestSupport.onFx(() -> ((TextArea) dialog.getDialogPane().lookup(".text-area")).getText());
            assertEquals("ss -K -t src 127.0.0.1 sport = :" + target.local().port() + " dst 127.0.0.1 dport = :" + port, content);
            assertTrue(dialog.getHeaderText().contains(target.local() + " \u2192 " + target.remote()), dialog.getHeaderText());
            assertTrue(FxTestSupport.onFx(() -> ((Button) dialog.getDialogPane().lookupButton(ButtonType.CANCEL)).isDefaultButton()),
                    "Enter cancels");
            for (Theme t : Theme.values()) {
                FxTestSupport.onFx(() -> window.setTheme(t));
                FxTestSupport.settle();
                FxTestSupport.screenshot(dialog.getDialogPane().getScene(), "connections-close-dialog-" + t.name().toLowerCase(Locale.ROOT));
            }
            FxTestSupport.onFx(() -> window.setTheme(Theme.LIGHT));
            FxTestSupport.onFx(dialog::close);

            // refusals: a listener is not a connection
            ConnectionRow listener = v.visibleRows().stream().filter(r -> r.state() == TcpState.LISTEN).findFirst().orElseThrow();
            assertTrue(FxTestSupport.onFx(() -> v.closeRefusal(listener.entry())).orElseThrow().contains("is a listener"));
            assertTrue(FxTestSupport.onFx(() -> v.closeRefusal(target)).isEmpty(), "a live connection may be closed");
        }
    }

    @Test
    void procSourceSaysOnceThatItHasNoTcpInfo() throws Exception {
        try (WindowFixture fixture = open("proc", "act-proc")) {
            MainWindow window = fixture.window();
            Stage stage = fixture.stage();
            ConnectionsView v = window.part(ConnectionsView.class);
            FxTestSupport.waitUntil(() -> v.trafficNoteText().contains("'proc'"), 10_000, "the note");
            assertTrue(v.visibleRows().stream().allMatch(r -> r.entry().tcpInfo() == null && !r.entry().hasCookie()));
            FxTestSupport.onFx(() -> v.setSearch("python3 :" + port));
            FxTestSupport.waitUntil(() -> v.visibleRows().size() >= 7, 30_000, "search on proc");
            WindowFixture.screenshots(window, stage, "connections-proc-note");
            // hiding the traffic columns hides the note at once, and showing one shows it again: not at the next
            // poll, which a backed-off refresh puts many seconds away on a busy machine (a 10 s wait for it timed out
            // at load 26). Checked over the whole table (the note follows the rows shown)
            FxTestSupport.onFx(() -> v.setSearch(""));
            FxTestSupport.waitUntil(() -> v.visibleRows().size() > 100 && v.trafficNoteText().contains("'proc'"), 120_000,
                    "the note over the whole table");
            String hidden = FxTestSupport.onFx(() -> {
                v.trafficColumns().forEach(c -> c.setVisible(false));
                return v.trafficNoteText();
            });
            assertEquals("", hidden, "no note without traffic columns");
            TableColumn<ConnectionRow, String> rtt = column(v, ConnectionColumn.RTT);
            String shown = FxTestSupport.onFx(() -> {
                rtt.setVisible(true);
                return v.trafficNoteText();
            });
            assertTrue(shown.contains("'proc'"), "the note back with a traffic column: " + shown);
            FxTestSupport.onFx(() -> rtt.setVisible(false));
        }
    }

    static TableColumn<ConnectionRow, String> column(ConnectionsView v, ConnectionColumn c) {
        return v.trafficColumns().stream().filter(x -> x.getUserData() == c).findFirst().orElseThrow();
    }

    /** Bytes the kernel sent once: {@code tcpi_bytes_sent} counts retransmitted bytes too. */
    static long firstTransmissions(ConnectionRow r) {
        return r.entry().tcpInfo().bytesSent() - r.entry().tcpInfo().bytesRetrans();
    }
}
