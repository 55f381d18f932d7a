package io.tcplens.ui.tiles;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.shell.UiPreferences;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.prefs.Preferences;
import javafx.geometry.Point2D;
import javafx.scene.Scene;
import javafx.scene.control.ContextMenu;
import javafx.scene.input.ContextMenuEvent;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: a tile's right-click menu is made when first asked for, not with the tile (each menu is a
 * popup window with a scene of its own, built before the first frame until then): the first right-click
 * still shows it, offering the threshold, and a second right-click shows the same menu.
 */
class TileMenuTest {
    private static final ResourceBundle B = ResourceBundle.getBundle("io.tcplens.ui.messages", Locale.getDefault());
    private static Stage stage;
    private static StateTilesBar bar;

    @BeforeAll
    static void show() {
        FxTestSupport.start();
        bar = FxTestSupport.onFx(() -> new StateTilesBar(B, new UiPreferences(Preferences.userRoot().node("tcplens-test/tile-menu")), g -> {}));
        stage = FxTestSupport.show(FxTestSupport.onFx(() -> new Scene(bar, 1200, 120)));
        FxTestSupport.settle();
    }

    @AfterAll
    static void close() {
        FxTestSupport.onFx(() -> {
            for (Window w : List.copyOf(Window.getWindows())) if (w instanceof ContextMenu m) m.hide();
            stage.close();
        });
    }

    private static List<ContextMenu> menusShowing() {
        return FxTestSupport.onFx(() -> Window.getWindows().stream().filter(w -> w instanceof ContextMenu && w.isShowing())
                .map(w -> (ContextMenu) w).toList());
    }

    private static void rightClick(StateGroup g) {
        FxTestSupport.onFx(() -> {
            CountTile t = bar.tile(g);
            Point2D at = t.localToScreen(10, 10);
            t.fireEvent(new ContextMenuEvent(ContextMenuEvent.CONTEXT_MENU_REQUESTED, 10, 10, at.getX(), at.getY(), false, null));
        });
    }

    @Test
    void theThresholdMenuIsMadeOnTheFirstRightClick() {
        rightClick(StateGroup.values()[0]);
        FxTestSupport.waitUntil(() -> !menusShowing().isEmpty(), 5000, "the tile's menu showing");
        ContextMenu first = menusShowing().getFirst();
        assertEquals(B.getString("tile.setThreshold"), FxTestSupport.onFx(() -> first.getItems().getFirst().getText()));
        FxTestSupport.onFx(first::hide);
        rightClick(StateGroup.values()[0]);
        FxTestSupport.waitUntil(() -> !menusShowing().isEmpty(), 5000, "the tile's menu showing again");
        assertSame(first, menusShowing().getFirst(), "the same menu the second time");
    }
}
