package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.testutil.TestNetns;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.theme.Theme;
import java.util.Locale;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The merged window, every tab, both themes, 1024x700 and 1600x1000, on a real table of ~15k
 * sockets held in a network namespace of the test's own (netns source): for a person to look at.
 * Also the status bar at the first poll (owners next poll), and the keyboard shortcut sheet.
 * `mvn -B test -Pscreenshots -Dtest=WindowTourTest`.
 */
@Tag("screenshots")
class WindowTourTest {
    @Test
    void everyTabBothThemesBothSizes() throws Exception {
        assumeTrue(TestNetns.usable(), "needs root, ip netns and python3");
        try (TestNetns ns = new TestNetns(6000, 2500, 300)) {
            for (Theme theme : Theme.values()) {
                WindowFixture fx = WindowFixture.open("tcplens-test/tour", 1000, "netns:" + ns.name(), 1024, 700, theme);
                MainWindow w = fx.window();
                String t = theme.name().toLowerCase(Locale.ROOT);
                try {
                    Scene scene = w.scene();
                    FxTestSupport.waitUntil(() -> w.lastShown() != null && w.lastShown().error() == null, 120_000, "first poll");
                    Node bar = scene.lookup(".status-bar");
                    FxTestSupport.screenshot(bar, "tour-status-first-poll-1024-" + t);
                    System.out.println("first poll status: " + FxTestSupport.onFx(w::statusText));
                    for (int[] size : new int[][] {{1024, 700}, {1600, 1000}}) {
                        resize(fx.stage(), scene, size[0], size[1]);
                        for (ShellTab v : w.views()) {
                            FxTestSupport.onFx(() -> w.showView(v.id()));
                            awaitTwoPolls(w);
                            FxTestSupport.screenshot(scene, "tour-" + size[0] + "-" + t + "-" + v.id());
                        }
                    }
                    FxTestSupport.onFx(() -> w.showView("connections"));
                    FxTestSupport.onFx(w::showShortcuts);
                    FxTestSupport.settle();
                    FxTestSupport.screenshot(w.shortcutSheet().stage().getScene(), "tour-shortcuts-" + t);
                    FxTestSupport.onFx(() -> w.shortcutSheet().stage().hide());
                } finally {
                    fx.close();
                }
            }
        }
    }

    /**
     * The first poll on this machine's own table (netlink) comes without owners and says so in the
     * status bar: the warning is shown whole at 1024 px, and gone at the next poll.
     */
    @Test
    void firstPollWarningInTheStatusBar() {
        for (Theme theme : Theme.values()) {
            // the first poll's warning stays until the next poll
            WindowFixture fx = WindowFixture.open("tcplens-test/tour-first", 5000, "netlink", 1024, 700, theme);
            MainWindow w = fx.window();
            String t = theme.name().toLowerCase(Locale.ROOT);
            try {
                FxTestSupport.waitUntil(() -> w.lastShown() != null, 120_000, "first poll");
                FxTestSupport.settle();
                Node bar = w.scene().lookup(".status-bar");
                FxTestSupport.screenshot(bar, "tour-status-first-poll-netlink-1024-" + t);
                FxTestSupport.screenshot(w.scene(), "tour-first-poll-netlink-1024-" + t);
                System.out.println("first poll status (netlink): " + FxTestSupport.onFx(w::statusText));
            } finally {
                fx.close();
            }
        }
    }

    static void awaitTwoPolls(MainWindow w) {
        long seq = FxTestSupport.onFx(() -> w.lastShown().sequence());
        FxTestSupport.waitUntil(() -> w.lastShown().sequence() >= seq + 2, 60_000, "two polls shown");
        FxTestSupport.settle();
    }

    static void resize(Stage stage, Scene scene, double wd, double h) {
        FxTestSupport.onFx(() -> {
            stage.setWidth(wd);
            stage.setHeight(h);
        });
        FxTestSupport.waitUntil(() -> Math.abs(scene.getWidth() - wd) < 40, 10_000, "the window at " + wd + " px");
        FxTestSupport.settle();
        FxTestSupport.settle();
    }
}
