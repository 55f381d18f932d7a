package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.TcpState;
import io.tcplens.testutil.LoopbackSockets;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.table.ConnectionRow;
import io.tcplens.ui.table.ConnectionsView;
import io.tcplens.ui.tiles.StateTilesPanel;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.tiles.StateGroup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.prefs.Preferences;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;

/** The real window on the headless platform, on the live /proc source, with sockets the test opens. */
class MainWindowTest {
    static LoopbackSockets lab;
    static WindowFixture fixture;
    static MainWindow window;
    static int timeWaitPort;

    @BeforeAll
    static void open() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        lab = new LoopbackSockets();
        lab.established();
        lab.established();
        timeWaitPort = lab.timeWait();
        lab.closeWait();
        // its own cleared preferences: start from defaults, no remembered filters
        fixture = WindowFixture.open("tcplens-test/mainwindow", 250, "proc", 1400, 900);
        window = fixture.window();
        FxTestSupport.waitUntil(() -> window.lastShown() != null && !window.part(ConnectionsView.class).visibleRows().isEmpty(), 60_000, "first poll shown");
    }

    @AfterAll
    static void close() {
        if (fixture != null) fixture.close();
        if (lab != null) lab.close();
    }

    /** The table's rows of the test's own sockets, by full 4-tuple. */
    private static List<ConnectionRow> ownRows() {
        return FxTestSupport.onFx(() -> window.part(ConnectionsView.class).visibleRows().stream()
                .filter(r -> lab.owned().owns(r.key())).toList());
    }

    @Test
    void tableAndTilesShowTheSocketsTheTestOpened() {
        FxTestSupport.waitUntil(() -> ownRows().size() >= 7, 60_000, "test sockets in the table");
        List<ConnectionRow> rows = ownRows();
        assertEquals(1, rows.stream().filter(r -> r.state() == TcpState.LISTEN).count());
        // a listener has no peer: the remote column says "*" (issue 13), and Copy row carries it
        ConnectionRow listen = rows.stream().filter(r -> r.state() == TcpState.LISTEN).findFirst().orElseThrow();
        String copied = FxTestSupport.onFx(() -> window.part(ConnectionsView.class).rowsAsText(List.of(listen)));
        assertEquals("*", copied.split("\t")[2], copied);
        assertEquals(4, rows.stream().filter(r -> r.state() == TcpState.ESTABLISHED).count());
        assertTrue(rows.stream().anyMatch(r -> r.state() == TcpState.TIME_WAIT && r.key().local().port() == timeWaitPort
                && r.entry().timeWaitRemainingMs() != null));
        assertTrue(rows.stream().anyMatch(r -> r.state() == TcpState.CLOSE_WAIT));
        assertTrue(rows.stream().anyMatch(r -> r.state() == TcpState.FIN_WAIT2));
        // the first poll comes without owners (it says so); the next names them
        long me = ProcessHandle.current().pid();
        FxTestSupport.waitUntil(() -> ownRows().stream().filter(r -> r.state() == TcpState.LISTEN)
                .allMatch(r -> r.entry().pid() != null && r.entry().pid() == me), 60_000, "the listener's owner named");
        rows = ownRows();

        // tiles show what the engine reported in the same poll
        FxTestSupport.onFx(() -> {
            var counts = window.lastShown().snapshot().countByState();
            for (StateGroup g : StateGroup.values())
                assertEquals(g.count(counts), window.part(StateTilesPanel.class).bar().lastCount(g), g.name());
            assertEquals(window.lastShown().snapshot().sockets().size(), window.part(StateTilesPanel.class).bar().lastCount(StateGroup.TOTAL));
            assertTrue(window.part(StateTilesPanel.class).bar().tile(StateGroup.ESTABLISHED).count() >= 4);
            return null;
        });
        String status = FxTestSupport.onFx(window::statusText);
        assertTrue(status.contains("live · Linux /proc/net/tcp"), status);
    }

    @Test
    void filtersCombineAndPauseFreezesTheTable(@TempDir Path dir) throws Exception {
        int port = lab.port(); // exclusive while the test runs (ExclusiveServerSocket): the port filter shows only ours
        FxTestSupport.onFx(() -> {
            window.part(ConnectionsView.class).setPortFilter(Integer.toString(port));
            window.part(ConnectionsView.class).setStateFilter(TcpState.ESTABLISHED);
        });
        FxTestSupport.waitUntil(() -> {
            List<ConnectionRow> v = window.part(ConnectionsView.class).visibleRows();
            return v.size() == 4 && v.stream().allMatch(r -> r.state() == TcpState.ESTABLISHED);
        }, 60_000, "port AND state filter");
        FxTestSupport.onFx(() -> window.part(ConnectionsView.class).setRemoteFilter("10.0.0.0/8"));
        FxTestSupport.waitUntil(() -> window.part(ConnectionsView.class).visibleRows().isEmpty(), 60_000, "CIDR filter excludes loopback");
        FxTestSupport.onFx(() -> window.part(ConnectionsView.class).setRemoteFilter("127.0.0.0/8"));
        FxTestSupport.waitUntil(() -> window.part(ConnectionsView.class).visibleRows().size() == 4, 60_000, "CIDR filter includes loopback");
        FxTestSupport.onFx(() -> window.part(ConnectionsView.class).setRemoteFilter("300.1.1.1"));
        assertTrue(FxTestSupport.onFx(() -> window.part(ConnectionsView.class).filterError()).contains("300.1.1.1"));
        FxTestSupport.onFx(() -> window.part(ConnectionsView.class).setRemoteFilter(""));

        // CSV export of the visible rows round-trips
        Path csv = dir.resolve("rows.csv");
        FxTestSupport.onFx(() -> {
            try {
                window.part(ConnectionsView.class).exportCsv(csv);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        List<ConnectionRow> visible = FxTestSupport.onFx(() -> window.part(ConnectionsView.class).visibleRows());
        List<CSVRecord> recs = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(csv)).getRecords();
        assertEquals(visible.size(), recs.size());
        for (int i = 0; i < recs.size(); i++) {
            assertEquals(visible.get(i).state().name(), recs.get(i).get("state"));
            assertEquals(visible.get(i).key().local().port(), Integer.parseInt(recs.get(i).get("localPort")));
            assertEquals(visible.get(i).key().remote().host(), recs.get(i).get("remoteAddress"));
        }

        // pause: a new connection does not appear until resume
        FxTestSupport.onFx(() -> window.part(ConnectionsView.class).setPaused(true));
        List<ConnectionRow> frozen = FxTestSupport.onFx(() -> window.part(ConnectionsView.class).visibleRows());
        lab.established();
        long seq = window.lastShown().sequence();
        FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= seq + 3, 120_000, "polls continue while paused");
        assertEquals(frozen, FxTestSupport.onFx(() -> window.part(ConnectionsView.class).visibleRows()), "table frozen while paused");
        FxTestSupport.onFx(() -> window.part(ConnectionsView.class).setPaused(false));
        FxTestSupport.waitUntil(() -> window.part(ConnectionsView.class).visibleRows().size() == 6, 120_000, "resumed table shows the new connection");
        FxTestSupport.onFx(() -> {
            window.part(ConnectionsView.class).setStateFilter(null);
            window.part(ConnectionsView.class).setPortFilter("");
        });
    }

    @Test
    void ctrlFFromAnotherTabOpensTheTablesSearch() {
        var ctrlF = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
        FxTestSupport.onFx(() -> {
            window.showView("diagram");
            window.scene().getAccelerators().get(ctrlF).run();
            return null;
        });
        FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> window.scene().getFocusOwner() == window.part(ConnectionsView.class).searchField()),
                30_000, "the search field has the keyboard");
    }

    @Test
    void filtersAreRememberedBetweenRuns() {
        FxTestSupport.onFx(() -> {
            window.part(ConnectionsView.class).setPortFilter("8443");
            window.part(ConnectionsView.class).setStateFilter(TcpState.CLOSE_WAIT);
        });
        UiPreferences same = new UiPreferences(Preferences.userRoot().node("tcplens-test/mainwindow"));
        assertEquals("8443", same.get("filter.port", ""));
        assertEquals("CLOSE_WAIT", same.get("filter.states", ""));
        // a filter (remembered or not) is said beside the count, so it is not taken for the whole table
        FxTestSupport.waitUntil(() -> window.part(ConnectionsView.class).countText().contains("filters on"), 10_000, "active filter shown");
        FxTestSupport.onFx(() -> {
            window.part(ConnectionsView.class).setPortFilter("");
            window.part(ConnectionsView.class).setStateFilter(null);
        });
        FxTestSupport.waitUntil(() -> !window.part(ConnectionsView.class).countText().contains("filters on"), 10_000, "no filter, no mark");
        assertEquals("", same.get("filter.states", "x"));
    }

    /** Waits until the window has shown two more polls (so the view just switched to has drawn live data). */
    private static void awaitTwoPolls(String what) {
        long seq = FxTestSupport.onFx(() -> window.lastShown().sequence());
        FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= seq + 2, 30_000, "two polls shown: " + what);
        FxTestSupport.settle();
    }

    /** A screenshot tour for a person to look at, not a check: `mvn -B test -Pscreenshots`. */
    @Test
    @Tag("screenshots")
    void screenshotsInBothThemes() throws Exception {
        FxTestSupport.onFx(() -> window.setTheme(Theme.LIGHT));
        awaitTwoPolls("light dashboard");
        Path light = FxTestSupport.screenshot(window.scene(), "dashboard-light");
        FxTestSupport.onFx(() -> window.showView("charts"));
        awaitTwoPolls("light charts");
        FxTestSupport.screenshot(window.scene(), "charts-light");
        FxTestSupport.onFx(() -> {
            window.setTheme(Theme.DARK);
            window.showView("connections");
        });
        awaitTwoPolls("dark dashboard");
        Path dark = FxTestSupport.screenshot(window.scene(), "dashboard-dark");
        FxTestSupport.onFx(() -> window.showView("charts"));
        awaitTwoPolls("dark charts");
        FxTestSupport.screenshot(window.scene(), "charts-dark");
        FxTestSupport.onFx(() -> {
            window.setTheme(Theme.LIGHT);
            window.showView("connections");
        });
        assertTrue(Files.size(light) > 10_000);
        assertTrue(Files.size(dark) > 10_000);
    }
}
