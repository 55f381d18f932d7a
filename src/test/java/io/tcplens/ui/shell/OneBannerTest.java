package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.theme.Theme;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.Test;

/**
 * When the data is stale and the refresh has backed off, the window says so in ONE statement: one box,
 * how old the data is, the interval in effect and why, and what happens next; never a stale box saying
 * "refresh every 1 s" stacked on a back-off box saying "every 3 s" (seen in the seventeenth round).
 */
class OneBannerTest {
    private static final ResourceBundle B = ResourceBundle.getBundle("io.tcplens.ui.messages", Locale.ROOT);

    /** The banner boxes drawn now (visible, with text) anywhere under {@code root}. */
    static List<Label> shownLines(Node root) {
        return root.lookupAll(".banner-line").stream().filter(n -> n instanceof Label l && l.isVisible()
                && isTreeVisible(l) && l.getText() != null && !l.getText().isEmpty()).map(n -> (Label) n).toList();
    }

    private static boolean isTreeVisible(Node n) {
        for (Node p = n; p != null; p = p.getParent()) if (!p.isVisible()) return false;
        return true;
    }

    /** Every "every N" in the text names {@code inEffect}, or follows "not " (the interval chosen, said not to be in effect). */
    static void namesOnlyTheIntervalInEffect(String text, String inEffect) {
        assertTrue(text.contains("every " + inEffect), "the interval in effect (" + inEffect + "): " + text);
        Matcher m = Pattern.compile("(not )?every (\\d+(\\.\\d)? (ms|s|min))").matcher(text);
        while (m.find())
            assertTrue(m.group(2).equals(inEffect) || m.group(1) != null, "\"" + m.group() + "\" beside the " + inEffect + " in effect: " + text);
    }

    @Test
    void staleAndBackedOffIsOneStatementThatNamesTheIntervalInEffect() {
        FxTestSupport.start();
        for (Theme theme : Theme.values()) {
            FxTestSupport.onFx(() -> {
                StaleBanner banner = new StaleBanner(B);
                Scene scene = new Scene(new VBox(banner), 1024, 200);
                io.tcplens.ui.theme.ThemeStyles.apply(scene, theme);
                // polls that cost 1.4 s of CPU against the 1 s chosen: past the cold start the refresh backs off to 3 s
                RefreshBackoff backoff = new RefreshBackoff(1_000);
                for (int k = 0; k < 5; k++) assertEquals(-1, backoff.onPoll(1_400));
                assertEquals(3_000, backoff.onPoll(1_400));

                // stale (7 s old, more than twice 3 s) and backed off: one red box
                banner.update(7_000, 0, 3_000, null, backoff);
                scene.getRoot().applyCss();
                scene.getRoot().layout();
                List<Label> lines = shownLines(scene.getRoot());
                assertEquals(1, lines.size(), theme + ": one box, not " + lines.stream().map(Label::getText).toList());
                String text = lines.get(0).getText();
                assertTrue(banner.staleShown() && banner.backoffShown(), text);
                assertTrue(text.contains("7.0 s old"), text);
                assertTrue(text.contains("1,400 ms") && text.contains("1 s refresh you chose"), "why: " + text);
                namesOnlyTheIntervalInEffect(text, "3 s");
                assertTrue(lines.get(0).getPseudoClassStates().stream().anyMatch(p -> p.getPseudoClassName().equals("stale")), "red while stale");

                // backed off, data not stale: one amber box with the age, the interval in effect and what happens next
                banner.update(2_500, 0, 3_000, null, backoff);
                scene.getRoot().layout();
                lines = shownLines(scene.getRoot());
                assertEquals(1, lines.size(), lines.stream().map(Label::getText).toList().toString());
                text = lines.get(0).getText();
                assertTrue(!banner.staleShown() && banner.backoffShown(), text);
                assertTrue(text.startsWith("Refreshing every 3 s, not every 1 s") && text.contains("2 s old")
                        && text.contains("back to 1 s once polls are quick"), text);
                namesOnlyTheIntervalInEffect(text, "3 s");
                assertTrue(lines.get(0).getPseudoClassStates().stream().anyMatch(p -> p.getPseudoClassName().equals("backoff")), "amber");

                // stale, no back-off: the interval in effect is the chosen one
                RefreshBackoff none = new RefreshBackoff(1_000);
                banner.update(2_500, 0, 1_000, null, none);
                scene.getRoot().layout();
                lines = shownLines(scene.getRoot());
                assertEquals(1, lines.size());
                assertTrue(banner.staleShown() && !banner.backoffShown());
                text = lines.get(0).getText();
                assertTrue(text.startsWith("Data is 2.5 s old"), text);
                namesOnlyTheIntervalInEffect(text, "1 s");

                // all well: nothing shown, no space taken
                banner.update(400, 0, 1_000, null, none);
                scene.getRoot().layout();
                assertTrue(shownLines(scene.getRoot()).isEmpty());
                assertFalse(banner.isManaged());
            });
        }
    }

    /**
     * The window on a generated table of 21,000 sockets whose polls are slowed (700 ms of wall time, little
     * CPU: the window refreshes about every 1 s, not 250 ms) and then held (the data goes stale): one box,
     * naming how often the window really refreshes. Screenshots at 1024 × 700 and 1600 × 1000, light and dark: target/screenshots/banner-*.png.
     */
    @Test
    void aSlowMachineShowsOneBannerInTheWindow() {
        TrustAtAGlanceTest.ControlledSource src = new TrustAtAGlanceTest.ControlledSource(21_000);
        src.gate.countDown();
        try (WindowFixture fixture = WindowFixture.open(TestPreferences.cleared("tcplens-test/one-banner", 250), src, 1024, 700, Theme.LIGHT)) {
            MainWindow window = fixture.window();
            FxTestSupport.waitUntil(() -> window.lastShown() != null && window.lastShown().sequence() >= 2, 60_000, "two polls");
            src.delayMillis = 700;
            FxTestSupport.waitUntil(() -> window.refreshBackoff().backedOff() && window.staleBanner().backoffShown(), 60_000, "the refresh backs off");
            shots(fixture, "banner-backoff");
            String chosen = RefreshBackoff.format(250);
            FxTestSupport.onFx(() -> {
                // how often the window really refreshes: polls of 700 ms wall 250 ms apart (the engine's interval
                // stays 250 ms: they cost little CPU)
                String inEffect = RefreshBackoff.format(window.refreshBackoff().refreshMillis());
                List<Label> lines = shownLines(window.scene().getRoot());
                assertEquals(1, lines.size(), lines.stream().map(Label::getText).toList().toString());
                namesOnlyTheIntervalInEffect(lines.get(0).getText(), inEffect);
                assertTrue(lines.get(0).getText().contains("not every " + chosen), lines.get(0).getText());
            });

            // a poll that hangs while backed off: the data goes stale
            CountDownLatch hold = new CountDownLatch(1);
            src.hold = hold;
            try {
                FxTestSupport.waitUntil(() -> window.staleBanner().staleShown(), 60_000, "stale while backed off");
                shots(fixture, "banner-stale-backoff");
                FxTestSupport.onFx(() -> {
                    List<Label> lines = shownLines(window.scene().getRoot());
                    assertEquals(1, lines.size(), "one box: " + lines.stream().map(Label::getText).toList());
                    String text = lines.get(0).getText();
                    assertTrue(text.startsWith("Data is ") && text.contains(" s old"), text);
                    namesOnlyTheIntervalInEffect(text, RefreshBackoff.format(window.refreshBackoff().refreshMillis()));
                });
            } finally {
                src.hold = null;
                hold.countDown();
            }
        }
    }

    /** The window as it is now at 1024 × 700 and 1600 × 1000, light and dark; back to 1024 × 700 light. */
    private static void shots(WindowFixture fixture, String name) {
        MainWindow window = fixture.window();
        for (Theme theme : Theme.values()) {
            FxTestSupport.onFx(() -> window.setTheme(theme));
            for (int[] size : new int[][] {{1024, 700}, {1600, 1000}}) {
                FxTestSupport.onFx(() -> {
                    fixture.stage().setWidth(size[0]);
                    fixture.stage().setHeight(size[1]);
                });
                FxTestSupport.waitUntil(() -> window.scene().getWidth() == size[0], 10_000, "the window resized");
                FxTestSupport.settle();
                FxTestSupport.screenshot(window.scene(), name + "-" + theme.name().toLowerCase(Locale.ROOT) + "-" + size[0] + "x" + size[1]);
            }
        }
        FxTestSupport.onFx(() -> {
            window.setTheme(Theme.LIGHT);
            fixture.stage().setWidth(1024);
            fixture.stage().setHeight(700);
        });
    }
}
