package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.theme.Theme;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.text.Text;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 (second half): the header's Refresh box while the refresh is backed off. It read the chosen
 * interval ("250 ms") while the engine polled every 2 s and the banner under the tiles said so; now it
 * reads "250 ms → 2 s" (amber), drawn whole at 1024 px, and the chosen interval alone once the refresh
 * has come back. A generated table of 21,000 sockets whose polls the test slows down.
 */
class HeaderRefreshTest {
    @Test
    void theRefreshBoxShowsTheIntervalInEffectWhileBackedOffAndComesBack() {
        TrustAtAGlanceTest.ControlledSource src = new TrustAtAGlanceTest.ControlledSource(21_000);
        src.gate.countDown();
        try (WindowFixture fixture = WindowFixture.open(TestPreferences.cleared("tcplens-test/header-refresh", 250), src, 1024, 700, Theme.LIGHT)) {
            MainWindow window = fixture.window();
            @SuppressWarnings("unchecked")
            ComboBox<Long> box = (ComboBox<Long>) FxTestSupport.onFx(() -> window.scene().lookup("#interval-box"));
            FxTestSupport.waitUntil(() -> window.lastShown() != null && window.lastShown().sequence() >= 2, 60_000, "two polls");
            FxTestSupport.waitUntil(() -> !window.refreshBackoff().backedOff(), 60_000, "the chosen refresh");
            FxTestSupport.settle();
            assertEquals("250 ms", FxTestSupport.onFx(() -> cell(box).getText()));
            assertFalse(FxTestSupport.onFx(() -> slowed(box)));

            src.delayMillis = 700;
            FxTestSupport.waitUntil(() -> window.refreshBackoff().backedOff() && window.staleBanner().backoffShown(), 60_000, "the refresh backs off");
            FxTestSupport.settle();
            FxTestSupport.onFx(() -> {
                window.scene().getRoot().applyCss();
                window.scene().getRoot().layout();
                String inEffect = RefreshBackoff.format(window.refreshBackoff().refreshMillis());
                assertNotEquals("250 ms", inEffect);
                String text = cell(box).getText();
                assertEquals("250 ms \u2192 " + inEffect, text, "the header says what the banner says");
                assertTrue(window.staleBanner().backoffText().contains(inEffect), window.staleBanner().backoffText());
                assertEquals(text, drawn(cell(box)), "drawn whole at 1024 px");
                assertTrue(slowed(box), "amber while slowed");
                assertTrue(box.getLayoutX() + box.getWidth() <= window.scene().getWidth(), "the box stays in the window");
            });
            FxTestSupport.screenshot(window.scene(), "header-refresh-backoff-light-1024x700");

            src.delayMillis = 0;
            FxTestSupport.waitUntil(() -> !window.refreshBackoff().backedOff(), 90_000, "the refresh returns");
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> cell(box).getText()).equals("250 ms"), 10_000,
                    "the box reads the chosen interval again");
            assertFalse(FxTestSupport.onFx(() -> slowed(box)));
        }
    }

    /** The closed box's cell (the skin's own where the box sets none). */
    @SuppressWarnings("unchecked")
    private static ListCell<Long> cell(ComboBox<Long> box) {
        return box.getButtonCell() != null ? box.getButtonCell() : (ListCell<Long>) box.lookup(".list-cell");
    }

    private static boolean slowed(ComboBox<Long> box) {
        return box.getPseudoClassStates().stream().anyMatch(p -> p.getPseudoClassName().equals("slowed"));
    }

    private static String drawn(ListCell<Long> cell) {
        Text t = (Text) cell.lookup(".text");
        return t == null ? cell.getText() : t.getText();
    }
}
