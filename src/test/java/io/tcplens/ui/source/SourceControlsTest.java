package io.tcplens.ui.source;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.source.netns.NamespaceList;
import io.tcplens.testutil.TestNetns;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.LazyTooltip;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.UUID;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/**
 * The namespace picker and "Connect to server…": the picker lists a real namespace with its process
 * and socket count, the window on that namespace names it in the header, and the dialog remembers
 * servers and refuses a malformed address with one line. Screenshots in both themes.
 */
class SourceControlsTest {
    static final ResourceBundle BUNDLE = ResourceBundle.getBundle("io.tcplens.ui.messages", Locale.getDefault());

    @Test
    void connectDialogRemembersServersAndSaysWhatIsWrong() {
        Preferences node = Preferences.userRoot().node("tcplens-test/connect-" + UUID.randomUUID());
        try {
            RecentHosts recent = new RecentHosts(node);
            recent.add("ssh://ops@db1.example.com");
            recent.add("ssh://root@10.0.4.17:2222");
            recent.add("ssh://ops@db1.example.com");
            assertEquals(List.of("ssh://ops@db1.example.com", "ssh://root@10.0.4.17:2222"), recent.list(), "newest first, once");
            assertTrue(ConnectDialog.check("ops@db1.example.com").isEmpty());
            assertEquals("'ops@[::1' : unclosed [ in the address".replace(" :", ":"), ConnectDialog.check("ops@[::1").orElseThrow());
            for (Theme theme : Theme.values()) {
                ConnectDialog d = FxTestSupport.onFx(() -> {
                    ThemeStyles.applyUserAgent(theme);
                    ConnectDialog dialog = new ConnectDialog(null, BUNDLE, recent);
                    dialog.show();
                    ThemeStyles.apply(dialog.getDialogPane().getScene(), theme);
                    return dialog;
                });
                FxTestSupport.settle();
                assertEquals("ssh://ops@db1.example.com", FxTestSupport.onFx(() -> d.addressField().getEditor().getText()));
                FxTestSupport.screenshot(d.getDialogPane().getScene(), "connect-dialog-" + theme.name().toLowerCase(Locale.ROOT));
                FxTestSupport.onFx(() -> {
                    d.addressField().getEditor().setText("ops@[::1");
                    ((Button) d.getDialogPane().lookupButton(d.getDialogPane().getButtonTypes().get(0))).fire();
                });
                FxTestSupport.settle();
                assertTrue(FxTestSupport.onFx(d::isShowing), "a malformed address keeps the dialog open");
                assertTrue(FxTestSupport.onFx(() -> d.problemLine().getText()).contains("unclosed ["));
                FxTestSupport.screenshot(d.getDialogPane().getScene(), "connect-dialog-error-" + theme.name().toLowerCase(Locale.ROOT));
                FxTestSupport.onFx(d::close);
            }
        } finally {
            try {
                node.removeNode();
            } catch (BackingStoreException ignored) {
                // test node
            }
        }
    }

    @Test
    void theWindowWatchesANamespaceAndSaysWhichOne() throws Exception {
        assumeTrue(TestNetns.usable(), "needs root, ip netns and python3");
        try (TestNetns ns = new TestNetns(1200, 400, 100)) {
            NamespaceList.Namespace mine = NamespaceList.scan().stream().filter(n -> ns.name().equals(n.name())).findFirst().orElseThrow();
            assertTrue(mine.pids().contains(ns.pid()), mine.toString());
            assertEquals(List.of("python3"), mine.processes());
            assertEquals(TestNetns.count(ns.ss()).values().stream().mapToInt(Integer::intValue).sum(), mine.tcpSockets());
            assertTrue(NamespaceList.scan().stream().anyMatch(NamespaceList.Namespace::current));

            for (Theme theme : Theme.values()) {
                UiPreferences prefs = TestPreferences.cleared("tcplens-test/netns-window-" + UUID.randomUUID(), 500);
                FxTestSupport.onFx(() -> ThemeStyles.applyUserAgent(theme));
                try (WindowFixture fixture = WindowFixture.open(prefs, "netns:" + ns.name(), 1024, 700, theme)) {
                    MainWindow w = fixture.window();
                    Stage stage = fixture.stage();
                    Scene scene = w.scene();
                    FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> LazyTooltip.of(scene.lookup(".source-badge")).getText())
                            .contains("network namespace '" + ns.name() + "'"), 20_000, "the badge names the namespace");
                    NamespacePicker picker = (NamespacePicker) scene.lookup("#namespace-picker");
                    FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> picker.getValue() != null
                            && ns.name().equals(picker.getValue().name())), 20_000, "the picker shows the namespace");
                    FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> scene.lookup(".status-error") instanceof Label l
                            && l.getText().isEmpty()), 10_000, "no source problem");
                    FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> scene.getRoot().lookupAll(".label").stream()
                            .anyMatch(n -> ((Label) n).getText() != null && ((Label) n).getText().matches("[1-9][\\d,]* sockets"))),
                            30_000, "a poll arrived");
                    Thread.sleep(2000); // let the charts take a few polls for the picture
                    String t = theme.name().toLowerCase(Locale.ROOT);
                    FxTestSupport.screenshot(scene, "netns-window-1024-" + t);
                    FxTestSupport.onFx(() -> {
                        stage.setWidth(1600);
                        stage.setHeight(1000);
                    });
                    FxTestSupport.settle();
                    FxTestSupport.screenshot(scene, "netns-window-full-" + t);
                    String described = FxTestSupport.onFx(() -> picker.describe(picker.getValue(), false));
                    assertTrue(described.startsWith(ns.name() + " — python3 · "), described);
                } finally {
                    prefs.node().removeNode();
                }
            }
        }
    }
}
