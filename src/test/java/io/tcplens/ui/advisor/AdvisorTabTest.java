package io.tcplens.ui.advisor;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.LoopbackSockets;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.table.ConnectionRow;
import io.tcplens.ui.table.ConnectionsView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.BooleanSupplier;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The advisor tab in the real window on the live proc source: a CLOSE_WAIT leak the test makes on
 * loopback (its own sockets, known by full 4-tuple) raises a finding and the tab's badge while the
 * connections tab is at the front, and the finding's button shows exactly those rows in the table.
 */
class AdvisorTabTest {
    static final int LEAK = 8;
    static LoopbackSockets lab;
    static WindowFixture fixture;
    static MainWindow window;
    static final Set<ConnectionKey> leaked = new HashSet<>();
    static final String PID = "(pid " + ProcessHandle.current().pid() + ")";

    @BeforeAll
    static void open() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        lab = new LoopbackSockets();
        fixture = WindowFixture.open("tcplens-test/advisortab", 250, "proc", 1024, 700);
        window = fixture.window();
        FxTestSupport.waitUntil(() -> window.lastShown() != null, 60_000, "first poll shown");
        // the leak grows after the advisor's first sample, so growth (not age) triggers the finding
        List<Integer> clientPorts = new ArrayList<>();
        for (int i = 0; i < LEAK; i++) clientPorts.add(lab.closeWait());
        for (int p : clientPorts)
            leaked.add(new ConnectionKey(new Endpoint(lab.address, lab.port()), new Endpoint(lab.address, p)));
    }

    @AfterAll
    static void close() {
        if (fixture != null) fixture.close();
        if (lab != null) lab.close();
    }

    private static AdvisorView.Item ourFinding() {
        AdvisorView v = window.part(AdvisorView.class);
        AdvisorView.Prepared p = v.shown();
        if (p == null) return null;
        return p.items().stream().filter(i -> i.finding().rule().equals("close-wait") && i.finding().id().endsWith(PID))
                .findFirst().orElse(null);
    }

    /** Polls the window may show before a step must have happened (owners come with the second poll at the latest). */
    static final int POLLS = 5;

    /**
     * Waits until {@code condition} holds on the FX thread, and fails when it does not within {@link #POLLS}
     * polls shown from now: a bound in polls, not seconds, because under load the window's refresh backs off
     * to several seconds between polls (60 s waits timed out at load 25-34). Ten minutes at most in all.
     */
    static void withinPolls(BooleanSupplier condition, String what) {
        long from = FxTestSupport.onFx(() -> window.lastShown().sequence());
        long[] shown = new long[1];
        FxTestSupport.waitUntil(() -> {
            shown[0] = window.lastShown().sequence() - from;
            return condition.getAsBoolean() || shown[0] > POLLS;
        }, 600_000, what + " (or " + POLLS + " more polls shown)");
        assertTrue(FxTestSupport.onFx(condition::getAsBoolean), what + ": not within " + shown[0] + " polls shown");
    }

    @Test
    void aLeakRaisesTheBadgeInTheBackgroundAndItsButtonShowsItsRows() {
        // the connections tab is at the front; the badge still counts
        withinPolls(() -> {
            AdvisorView v = window.part(AdvisorView.class);
            return v.badge().isVisible() && !v.badge().getText().isEmpty();
        }, "the advisor tab's badge while it is in the background");
        FxTestSupport.onFx(() -> {
            TabPane tabs = (TabPane) window.scene().lookup(".tab-pane");
            Tab t = tabs.getTabs().stream().filter(x -> "tab-advisor".equals(x.getId())).findFirst().orElseThrow();
            assertSame(window.part(AdvisorView.class).badge(), t.getGraphic());
            assertNotEquals(t, tabs.getSelectionModel().getSelectedItem());
            window.showView(AdvisorView.ID);
        });
        withinPolls(() -> ourFinding() != null && ourFinding().keys().containsAll(leaked),
                "a CLOSE_WAIT finding for this JVM with the test's " + LEAK + " sockets");
        AdvisorView.Item it = FxTestSupport.onFx(AdvisorTabTest::ourFinding);
        assertTrue(it.title().contains("CLOSE_WAIT") || it.title().contains("CLOSE-WAIT") || it.title().toLowerCase(Locale.ROOT).contains("close"), it.title());
        assertEquals(TcpState.CLOSE_WAIT, it.rows().state());
        // issue 14: the fix that speaks of tcp_fin_timeout cites ip-sysctl.rst on the card; observations cite nothing
        assertTrue(it.fixSources().stream().anyMatch(x -> x != null && x.contains("ip-sysctl.rst § tcp_fin_timeout")), it.fixSources().toString());
        assertTrue(FxTestSupport.onFx(() -> window.scene().getRoot().lookupAll(".advisor-source").stream()
                .anyMatch(n -> ((Label) n).getText().startsWith("Source: ip-sysctl.rst"))), "the source shown on the card");
        assertEquals(Integer.parseInt(window.part(AdvisorView.class).badge().getText().replace(",", "")),
                FxTestSupport.onFx(() -> window.part(AdvisorView.class).shown().count()));
        fixture.screenshots("advisor-closewait");

        FxTestSupport.onFx(() -> window.part(AdvisorView.class).showRows(it));
        withinPolls(() -> {
            ConnectionsView c = window.part(ConnectionsView.class);
            List<ConnectionRow> rows = c.visibleRows();
            Set<ConnectionKey> selected = new HashSet<>();
            for (ConnectionRow r : c.table().getSelectionModel().getSelectedItems()) selected.add(r.key());
            return !rows.isEmpty() && rows.stream().allMatch(r -> r.state() == TcpState.CLOSE_WAIT) && selected.containsAll(leaked)
                    && selected.stream().allMatch(k -> it.keys().contains(k));
        }, "the table filtered to CLOSE_WAIT with the finding's rows selected");
        FxTestSupport.onFx(() -> {
            TabPane tabs = (TabPane) window.scene().lookup(".tab-pane");
            assertEquals("tab-connections", tabs.getSelectionModel().getSelectedItem().getId());
        });
        FxTestSupport.onFx(() -> window.filterConnectionsByState(null));
    }
}
