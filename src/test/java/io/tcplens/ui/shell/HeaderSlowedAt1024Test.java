package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.theme.Theme;
import javafx.scene.Parent;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ListCell;
import javafx.scene.text.Text;
import org.junit.jupiter.api.Test;

/**
 * The window on the live netlink source at 1024 px while the refresh is backed off: the header (with the
 * namespace picker beside the source box) has no room left once the badge has given way, and the Refresh box
 * that grew to "500 ms → 20 s" made the window's content 17–30 px wider than the window (`LayoutAt1024Test`
 * under load). There the box reads "→ 20 s" in its normal width; in a wide window the whole "500 ms → 20 s".
 * The header is told the refresh is slowed and laid out (and photographed) within one FX runnable, so no poll's own
 * backoff state comes between.
 */
class HeaderSlowedAt1024Test {
    @Test
    void aSlowedRefreshNeverMakesTheWindowWiderThanItIs() {
        try (WindowFixture fx = WindowFixture.open("tcplens-test/header-slowed-1024", 1000, "netlink", 1024, 700, Theme.LIGHT)) {
            MainWindow w = fx.window();
            FxTestSupport.waitUntil(() -> w.lastShown() != null, 120_000, "first poll");
            FxTestSupport.settle();
            @SuppressWarnings("unchecked")
            ComboBox<Long> box = (ComboBox<Long>) FxTestSupport.onFx(() -> w.scene().lookup("#interval-box"));
            FxTestSupport.onFx(() -> box.setValue(500L));
            FxTestSupport.settle();
            String[] narrow = FxTestSupport.onFx(() -> slowedAndLaidOut(w, box, "header-slowed-netlink-light-1024x700"));
            assertTrue(Double.parseDouble(narrow[1]) <= w.scene().getWidth() + 0.5,
                    "the content is " + narrow[1] + " px wide in a " + w.scene().getWidth() + " px window, box '" + narrow[0] + "'");
            assertEquals("\u2192 20 s", narrow[0], "at 1024 px the box reads the interval in effect");
            assertEquals(narrow[0], narrow[2], "drawn whole");

            FxTestSupport.onFx(() -> fx.stage().setWidth(1600));
            // (the stage's new width reaches the scene a pulse or more later: a busy CI machine read 1024 still)
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> w.scene().getWidth()) > 1599, 20_000, "the window at 1600 px");
            FxTestSupport.settle();
            String[] wide = FxTestSupport.onFx(() -> slowedAndLaidOut(w, box, "header-slowed-netlink-light-1600"));
            assertEquals("500 ms \u2192 20 s", wide[0], "a wide window has room for the chosen interval beside it");
            assertEquals(wide[0], wide[2], "drawn whole");
            assertTrue(Double.parseDouble(wide[1]) <= w.scene().getWidth() + 0.5, wide[1]);
        }
    }

    /** Tells the header the refresh is slowed from 500 ms to 20 s, lays the scene out: the box's text, the content's least width, the text drawn. */
    private static String[] slowedAndLaidOut(MainWindow w, ComboBox<Long> box, String shot) {
        w.headerBar().showRefresh(500, 500); // not slowed first: the next call is a change
        w.headerBar().showRefresh(500, 20_000);
        Parent root = w.scene().getRoot();
        root.applyCss();
        root.layout();
        ListCell<Long> cell = box.getButtonCell();
        Text t = (Text) cell.lookup(".text");
        String drawn = t == null ? cell.getText() : t.getText();
        FxTestSupport.screenshot(w.scene(), shot); // (in the same runnable: the next age tick shows the real refresh again)
        return new String[] {cell.getText(), Double.toString(Math.max(root.minWidth(-1), root.getLayoutBounds().getWidth())), drawn};
    }
}
