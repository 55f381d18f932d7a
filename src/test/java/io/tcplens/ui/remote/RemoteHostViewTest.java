package io.tcplens.ui.remote;

import io.tcplens.ui.TestShellContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.analysis.remote.RemoteHostRow;
import io.tcplens.engine.PollResult;
import io.tcplens.export.firewall.Allowlist;
import io.tcplens.export.firewall.Exclusion;
import io.tcplens.export.firewall.FirewallFormat;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.theme.Theme;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.function.Predicate;
import javafx.scene.layout.StackPane;

/**
 * The remote-IP view on the headless platform, fed with a scripted SYN flood on port 80 (labelled
 * simulated), then screenshots in both themes. Also: filters, sorting, threshold highlight,
 * selection sync, reverse DNS on loopback, and the export dialog.
 */
class RemoteHostViewTest {
    static final SourceInfo SIM = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "scripted SYN flood on :80 (test data)");

    @TempDir Path dir;

    @BeforeAll
    static void fx() {
        FxTestSupport.start();
    }

    static InetAddress a(String s) {
        try {
            return InetAddress.getByName(s); // numeric only: no lookup
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static SocketEntry sock(String remote, int rport, int lport, TcpState st, Integer pid, String proc) {
        boolean v6 = remote.contains(":");
        ConnectionKey k = new ConnectionKey(new Endpoint(a(v6 ? "2001:db8:ffff::10" : "192.0.2.10"), lport), new Endpoint(a(remote), rport));
        return new SocketEntry(k, st, null, 0, 0, null, null, 0, 33, st == TcpState.SYN_RECV ? 0 : 1000 + rport, pid, proc, false);
    }

    /** A SYN flood from a few hosts, ordinary web clients, an SSH session, a CLOSE_WAIT leak. */
    static List<SocketEntry> table(int wave) {
        List<SocketEntry> l = new ArrayList<>();
        int[] flood = {64, 41, 23, 9};
        for (int h = 0; h < flood.length; h++)
            for (int i = 0; i < flood[h] + wave * (h + 2); i++)
                l.add(sock("203.0.113." + (17 + h * 30), 20000 + i, 80, TcpState.SYN_RECV, null, null));
        for (int c = 0; c < 6; c++) {
            for (int i = 0; i < 2 + c; i++) l.add(sock("198.51.100." + (20 + c), 40000 + i, 443, TcpState.ESTABLISHED, 812, "nginx"));
            l.add(sock("198.51.100." + (20 + c), 41000, 80, TcpState.TIME_WAIT, null, null));
        }
        for (int i = 0; i < 4; i++) l.add(sock("198.51.100.77", 42000 + i, 8080, TcpState.CLOSE_WAIT, 1450, "java"));
        l.add(sock("198.51.100.77", 42100, 8080, TcpState.FIN_WAIT2, 1450, "java"));
        l.add(sock("192.0.2.1", 51515, 22, TcpState.ESTABLISHED, 640, "sshd"));
        for (int i = 0; i < 3; i++) l.add(sock("2001:db8:4:2::" + (10 + i), 50000 + i, 443, TcpState.ESTABLISHED, 812, "nginx"));
        l.add(sock("2001:db8:4:2::99", 50100, 80, TcpState.SYN_RECV, null, null));
        l.add(sock("2001:db8:77::5", 50200, 443, TcpState.LAST_ACK, 812, "nginx"));
        return l;
    }

    static void feed(RemoteHostView v) {
        ConnectionTracker t = new ConnectionTracker();
        List<PollResult> batch = new ArrayList<>();
        long now = System.currentTimeMillis() - 2000;
        for (int wave = 0; wave < 2; wave++) {
            ConnectionTracker.Update u = t.update(new Snapshot(now + wave * 2000L, table(wave), SIM, List.of()));
            batch.add(new PollResult(wave + 1, u.snapshot(), u.diff(), u.connections(), 0, null));
        }
        RemoteHostView.Prepared p = v.prepare(batch.get(1), batch);
        FxTestSupport.onFx(() -> v.show(p));
    }

    static RemoteHostView view(TestShellContext ctx) {
        Preferences node = Preferences.userRoot().node("tcplens-test/remote-view");
        node.remove("allowlist");
        Allowlist allow = new Allowlist(node);
        RemoteHostView v = FxTestSupport.onFx(() -> new RemoteHostView(ctx, allow));
        // the shell's refresh: re-prepare the latest poll and show it (here on the FX thread, which is fine for a test)
        ctx.onRefresh = () -> v.show(v.prepare(null, List.of()));
        return v;
    }

    static Scene scene(RemoteHostView v, Theme theme, double w, double h) {
        return FxTestSupport.themedScene(FxTestSupport.onFx(() -> new StackPane(v.node())), w, h, theme);
    }

    static void awaitRows(RemoteHostView v, Predicate<List<RemoteHostRow>> ok, String what) {
        FxTestSupport.waitUntil(() -> ok.test(v.visibleRows()), 30_000, what);
    }

    @Test
    void synFloodScenarioInBothThemes() throws Exception {
        for (Theme theme : Theme.values()) {
            TestShellContext ctx = new TestShellContext();
            RemoteHostView v = view(ctx);
            Scene s = scene(v, theme, 1360, 560);
            feed(v);
            FxTestSupport.onFx(() -> {
                v.setPortFilter("80");
                v.setStateFilter(TcpState.SYN_RECV);
                v.setThreshold("20");
            });
            awaitRows(v, r -> r.size() == 5 && r.get(0).overThreshold(), "port 80 SYN_RECV rows");
            FxTestSupport.onFx(() -> v.sortBy(RemoteColumn.SYN_RECV, false));
            awaitRows(v, r -> r.get(0).label().equals("203.0.113.17"), "sorted by SYN_RECV");
            FxTestSupport.onFx(() -> v.table().getSelectionModel().selectRange(0, 2));
            FxTestSupport.settle();
            Path png = FxTestSupport.screenshot(s, "remote-ips-synflood-" + theme.name().toLowerCase());
            assertTrue(Files.size(png) > 10_000, png.toString());
            // the export dialog for the three selected offenders
            ExportRulesPane pane = FxTestSupport.onFx(v::createExportPane);
            Scene es = FxTestSupport.themedScene(pane, 1000, 720, theme);
            FxTestSupport.onFx(() -> es.getStylesheets().add(RemoteHostView.class.getResource("/io/tcplens/ui/remote/remote.css").toExternalForm()));
            FxTestSupport.waitUntil(() -> pane.previewText().contains("203.0.113.47"), 10_000, "preview");
            if (theme == Theme.DARK) {
                FxTestSupport.onFx(() -> {
                    pane.addAllow("203.0.113.47");
                    pane.setExpiry("1h");
                });
                FxTestSupport.waitUntil(() -> !pane.excludedItems().isEmpty(), 10_000, "allowlisted");
            }
            FxTestSupport.settle();
            FxTestSupport.screenshot(es, "remote-ips-export-" + theme.name().toLowerCase());
        }
    }

    @Test
    void filtersThresholdAndGrouping() {
        TestShellContext ctx = new TestShellContext();
        RemoteHostView v = view(ctx);
        feed(v);
        awaitRows(v, r -> r.size() == 17, "all remotes");
        assertEquals("203.0.113.17", v.visibleRows().get(0).label());
        assertEquals(66, v.visibleRows().get(0).total());
        assertEquals(1.0, v.visibleRows().get(0).newPerSecond(), 1e-9); // 2 new in 2 s

        FxTestSupport.onFx(() -> v.setPerNetwork(true));
        awaitRows(v, r -> r.size() == 5, "per network");
        assertEquals("203.0.113.0/24", v.visibleRows().get(0).label());
        assertTrue(v.visibleRows().stream().anyMatch(r -> r.label().equals("2001:db8:4:2::/64") && r.total() == 4));

        FxTestSupport.onFx(() -> {
            v.setPerNetwork(false);
            v.setPortFilter("80");
            v.setStateFilter(TcpState.SYN_RECV);
            v.setThreshold("25");
            v.setOnlyOverThreshold(true);
        });
        awaitRows(v, r -> r.size() == 3, "only over threshold");
        assertTrue(v.visibleRows().stream().allMatch(RemoteHostRow::overThreshold));

        FxTestSupport.onFx(() -> v.setPortFilter("http"));
        assertEquals("Not a port: http", FxTestSupport.onFx(v::filterError));
        FxTestSupport.onFx(() -> v.setPortFilter(":80"));
        assertEquals("", FxTestSupport.onFx(v::filterError));
        FxTestSupport.onFx(() -> v.setThreshold("-3"));
        assertEquals("Not a threshold: -3", FxTestSupport.onFx(v::filterError));
    }

    @Test
    void selectionIsSharedBothWays() {
        TestShellContext ctx = new TestShellContext();
        RemoteHostView v = view(ctx);
        feed(v);
        awaitRows(v, r -> r.size() == 17, "rows");
        FxTestSupport.onFx(() -> v.table().getSelectionModel().select(0));
        Set<ConnectionKey> sel = FxTestSupport.onFx(() -> ctx.selected.get());
        assertEquals(66, sel.size());
        assertTrue(sel.stream().allMatch(k -> k.remote().host().equals("203.0.113.17")));

        // another view selects one connection of 198.51.100.77: its row becomes selected here
        SocketEntry e = sock("198.51.100.77", 42001, 8080, TcpState.CLOSE_WAIT, 1450, "java");
        FxTestSupport.onFx(() -> ctx.selected.set(Set.of(e.key())));
        List<String> selected = FxTestSupport.onFx(() -> v.table().getSelectionModel().getSelectedItems().stream()
                .map(RemoteHostRow::label).toList());
        assertEquals(List.of("198.51.100.77"), selected);
        assertEquals(Set.of(e.key()), FxTestSupport.onFx(() -> ctx.selected.get()), "not echoed back");
    }

    @Test
    void exportPaneExcludesGatewayLikeAddressesAndSavesSafely() throws Exception {
        TestShellContext ctx = new TestShellContext();
        RemoteHostView v = view(ctx);
        feed(v);
        awaitRows(v, r -> r.size() == 17, "rows");
        FxTestSupport.onFx(() -> {
            v.table().getSelectionModel().clearSelection();
            for (int i = 0; i < v.visibleRows().size(); i++) {
                String l = v.visibleRows().get(i).label();
                if (l.equals("203.0.113.17") || l.equals("198.51.100.77") || l.equals("2001:db8:4:2::10"))
                    v.table().getSelectionModel().select(i);
            }
        });
        ExportRulesPane pane = FxTestSupport.onFx(v::createExportPane);
        FxTestSupport.waitUntil(() -> pane.previewText().contains("203.0.113.17"), 10_000, "preview");
        String nft = pane.previewText();
        assertTrue(nft.contains("198.51.100.77") && nft.contains("2001:db8:4:2::10"), nft);
        assertTrue(nft.contains("# Source: simulated · scripted SYN flood on :80 (test data)"), nft);

        // allowlisting one of them removes it from the rules and lists it with the reason
        assertEquals("", FxTestSupport.onFx(() -> pane.addAllow("198.51.100.0/24")));
        FxTestSupport.waitUntil(() -> !pane.previewText().contains("\t198.51.100.77"), 10_000, "allowlisted");
        List<String> why = pane.excludedItems().stream().map(Exclusion::explanation).toList();
        assertEquals(List.of("198.51.100.77 is on the allowlist (allowlist entry 198.51.100.0/24)"), why);
        assertTrue(FxTestSupport.onFx(() -> pane.addAllow("10.0.0.0/33")).startsWith("not an IP address or CIDR: '10.0.0.0/33'"));

        FxTestSupport.onFx(() -> pane.setExpiry("1h"));
        FxTestSupport.waitUntil(() -> pane.previewText().contains("\t\ttimeout 3600s"), 10_000, "expiring nft set");
        FxTestSupport.onFx(() -> pane.setFormat(FirewallFormat.IPTABLES));
        FxTestSupport.waitUntil(() -> pane.previewText().contains("-A TCPLENS-BLOCK -s 203.0.113.17/32 -j DROP"), 10_000, "iptables");

        Path f = dir.resolve("block.sh");
        Files.writeString(f, "mine");
        FxTestSupport.onFx(() -> pane.save(f, false)).handle((x, e) -> null).get();
        FxTestSupport.waitUntil(() -> pane.statusText().contains("already exists"), 30_000, "refused");
        assertEquals("mine", Files.readString(f));
        FxTestSupport.onFx(() -> pane.save(f, true)).get();
        assertTrue(Files.readString(f).contains("-A TCPLENS-BLOCK -s 203.0.113.17/32 -j DROP"));
    }

    @Test
    void reverseDnsOnDemandForLoopback() {
        TestShellContext ctx = new TestShellContext();
        RemoteHostView v = view(ctx);
        ConnectionTracker t = new ConnectionTracker();
        ConnectionTracker.Update u = t.update(new Snapshot(System.currentTimeMillis(),
                List.of(sock("127.0.0.1", 5555, 80, TcpState.ESTABLISHED, null, null)), SIM, List.of()));
        PollResult r = new PollResult(1, u.snapshot(), u.diff(), u.connections(), 0, null);
        RemoteHostView.Prepared p = v.prepare(r, List.of(r));
        FxTestSupport.onFx(() -> v.show(p));
        FxTestSupport.onFx(() -> v.resolveNames(v.visibleRows()));
        FxTestSupport.waitUntil(() -> v.reverseDns().cached(a("127.0.0.1")) != null, 30_000, "reverse DNS answer");
        assertFalse(v.reverseDns().pending(a("127.0.0.1")));
    }
}
