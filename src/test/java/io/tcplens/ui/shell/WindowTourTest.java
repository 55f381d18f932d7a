package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.testutil.TestNetns;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.Truncation;
import io.tcplens.ui.lab.ScenarioPlayerView;
import io.tcplens.ui.remote.RemoteHostView;
import java.nio.file.Files;
import java.nio.file.Path;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.theme.Theme;
import java.util.Locale;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The merged window, every tab, both themes, 1024x700 and 1600x1000, on a real table of ~19k
 * sockets (11k TIME_WAIT) held in a network namespace of the test's own (netns source): for a person to look at.
 * Also the status bar at the first poll (owners next poll), and the keyboard shortcut sheet.
 * `mvn -B test -Pscreenshots -Dtest=WindowTourTest`.
 */
@Tag("screenshots")
class WindowTourTest {
    @Test
    void everyTabBothThemesBothSizes() throws Exception {
        assumeTrue(TestNetns.usable(), "needs root, ip netns and python3");
        for (Theme theme : Theme.values()) {
            for (int[] size : new int[][] {{1024, 700}, {1600, 1000}}) {
                // a fresh table for each picture set: its ~11,000 TIME_WAIT (issue 13 item 7's case) last 60 s
                try (TestNetns ns = new TestNetns(4000, 11_000, 300)) {
                    tour(ns, theme, size[0], size[1]);
                }
            }
        }
    }

    private static void tour(TestNetns ns, Theme theme, int width, int height) throws Exception {
        WindowFixture fx = WindowFixture.open("tcplens-test/tour", 1000, "netns:" + ns.name(), width, height, theme);
        MainWindow w = fx.window();
        String t = theme.name().toLowerCase(Locale.ROOT);
        String prefix = "tour-" + width + "-" + t + "-";
        try {
            Scene scene = w.scene();
            FxTestSupport.waitUntil(() -> w.lastShown() != null && w.lastShown().error() == null, 120_000, "first poll");
            if (width == 1024) {
                Node bar = scene.lookup(".status-bar");
                FxTestSupport.screenshot(bar, "tour-status-first-poll-1024-" + t);
                System.out.println("first poll status: " + FxTestSupport.onFx(w::statusText));
            }
            resize(fx.stage(), scene, width, height);
            // the step-through at the step whose labels used to print over each other (issue 13)
            FxTestSupport.onFx(() -> {
                ScenarioPlayerView sp = w.part(ScenarioPlayerView.class);
                sp.select("stray-segment");
                for (int i = 0; i < 8; i++) sp.step();
            });
            for (ShellTab v : w.views()) {
                FxTestSupport.onFx(() -> w.showView(v.id()));
                awaitTwoPolls(w);
                FxTestSupport.screenshot(scene, prefix + v.id());
                print(w, width + " " + t + " " + v.id());
                if (v.id().equals("scenario") || v.id().equals("diagram") || v.id().equals("lab")) { // present mode
                    FxTestSupport.onFx(() -> Presentation.of(scene).set(true));
                    FxTestSupport.settle();
                    FxTestSupport.screenshot(scene, prefix + v.id() + "-present");
                    print(w, width + " " + t + " " + v.id() + " presenting");
                    FxTestSupport.onFx(() -> Presentation.of(scene).set(false));
                    FxTestSupport.settle();
                }
            }
            // after presenting, the window is as it was (the header once stayed wider than the window)
            FxTestSupport.onFx(() -> w.showView("connections"));
            awaitTwoPolls(w);
            FxTestSupport.screenshot(scene, prefix + "connections-after-present");
            print(w, width + " " + t + " connections after presenting");
            // the export-rules dialog, opened from Remote IPs with nothing chosen (it says what to do)
            FxTestSupport.onFx(() -> w.showView("remotes"));
            Stage export = FxTestSupport.onFx(() -> w.part(RemoteHostView.class).openExportDialog());
            FxTestSupport.settle();
            FxTestSupport.screenshot(export.getScene(), prefix + "dialog-export");
            FxTestSupport.onFx(export::close);
            // the error dialog for a file that is not a recording (the window keeps its source)
            Path notes = Files.createTempFile("tour-notes", ".tcplens");
            Files.writeString(notes, "these are my notes, not a recording\n");
            FxTestSupport.onFx(() -> w.switchSource("replay:" + notes));
            FxTestSupport.waitUntil(() -> w.sourceErrorDialog() != null && w.sourceErrorDialog().isShowing(), 15_000, "error dialog");
            FxTestSupport.settle();
            FxTestSupport.screenshot(w.sourceErrorDialog().getDialogPane().getScene(), prefix + "dialog-error");
            FxTestSupport.onFx(() -> w.sourceErrorDialog().close());
            Files.deleteIfExists(notes);
            if (width == 1024) {
                FxTestSupport.onFx(() -> w.showView("connections"));
                FxTestSupport.onFx(w::showShortcuts);
                FxTestSupport.settle();
                FxTestSupport.screenshot(w.shortcutSheet().stage().getScene(), "tour-shortcuts-" + t);
                FxTestSupport.onFx(() -> w.shortcutSheet().stage().hide());
            }
        } finally {
            fx.close();
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

    /** What is cut on screen (a person reads the list beside the screenshots). */
    static void print(MainWindow w, String where) {
        for (Truncation.Cut c : FxTestSupport.onFx(() -> Truncation.in(w.scene()))) System.out.println("cut " + where + ": " + c);
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
