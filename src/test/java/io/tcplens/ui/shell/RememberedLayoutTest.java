package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.app.UiComposition;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.diagram.StateDiagramView;
import io.tcplens.ui.table.ConnectionsView;
import io.tcplens.ui.theme.Theme;
import java.util.List;
import java.util.prefs.Preferences;
import javafx.geometry.Dimension2D;
import javafx.geometry.Rectangle2D;
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 15: the window size, tab, table sort and diagram settings a user leaves are those the
 * next start opens with (UiPreferences, a test node so no user's settings are touched).
 */
class RememberedLayoutTest {
    @Test
    void sizeTabSortAndDiagramSettingsSurviveARestart() throws Exception {
        Preferences node = Preferences.userRoot().node("tcplens-test/remembered-layout");
        node.clear();
        UiPreferences prefs = new UiPreferences(node);
        prefs.setIntervalMillis(250);

        Stage[] stage = new Stage[1];
        MainWindow first = FxTestSupport.onFx(() -> {
            MainWindow w = UiComposition.window(prefs, new GeneratedTable(3_000, 60), Theme.LIGHT);
            stage[0] = new Stage();
            w.restoreLayout(stage[0]); // nothing saved yet: the defaults
            w.show(stage[0]);
            stage[0].setWidth(961); // within the headless screen (1000 wide): a larger size is cut to the screen
            stage[0].setHeight(653);
            return w;
        });
        FxTestSupport.waitUntil(() -> first.lastShown() != null, 30_000, "a poll shown");
        FxTestSupport.onFx(() -> {
            ConnectionsView cv = first.part(ConnectionsView.class);
            var remote = cv.table().getColumns().get(2);
            remote.setSortType(TableColumn.SortType.DESCENDING);
            cv.table().getSortOrder().setAll(List.of(remote));
            first.part(StateDiagramView.class).setColourBy("PROCESS");
            first.showView("charts");
        });
        FxTestSupport.settle();
        FxTestSupport.onFx(() -> stage[0].close());

        MainWindow second = FxTestSupport.onFx(() -> {
            MainWindow w = UiComposition.window(prefs, new GeneratedTable(3_000, 60), Theme.LIGHT);
            stage[0] = new Stage();
            w.restoreLayout(stage[0]);
            w.show(stage[0]);
            return w;
        });
        try {
            FxTestSupport.onFx(() -> {
                assertEquals(961, stage[0].getWidth(), 1);
                assertEquals(653, stage[0].getHeight(), 1);
                TabPane tabs = (TabPane) second.scene().lookup(".tab-pane");
                assertEquals("tab-charts", tabs.getSelectionModel().getSelectedItem().getId());
                ConnectionsView cv = second.part(ConnectionsView.class);
                assertEquals(1, cv.table().getSortOrder().size());
                assertSame(cv.table().getColumns().get(2), cv.table().getSortOrder().get(0));
                assertEquals(TableColumn.SortType.DESCENDING, cv.table().getSortOrder().get(0).getSortType());
                assertEquals("PROCESS", second.part(StateDiagramView.class).colourBy());
            });
        } finally {
            FxTestSupport.onFx(() -> stage[0].close());
            node.clear();
        }
    }

    @Test
    void aSizeLargerThanTheScreenIsCutToItsVisibleArea() {
        Rectangle2D small = new Rectangle2D(0, 0, 1024, 700);
        Dimension2D d = RememberedLayout.fitted(RememberedLayout.DEFAULT_WIDTH, RememberedLayout.DEFAULT_HEIGHT, small);
        assertEquals(1024, d.getWidth());
        assertEquals(700, d.getHeight());
        Dimension2D kept = RememberedLayout.fitted(1111, 733, new Rectangle2D(0, 0, 1920, 1080));
        assertEquals(1111, kept.getWidth());
        assertEquals(733, kept.getHeight());
    }

    /** A size and place left on a larger monitor open on this screen, all of the window on it. */
    @Test
    void aWindowLeftOnALargerMonitorOpensWhollyOnThisScreen() throws Exception {
        Preferences node = Preferences.userRoot().node("tcplens-test/remembered-layout-large");
        node.clear();
        UiPreferences prefs = new UiPreferences(node);
        prefs.setIntervalMillis(250);
        prefs.putDouble("window.width", 3800);
        prefs.putDouble("window.height", 2100);
        prefs.putDouble("window.x", 10);
        prefs.putDouble("window.y", 10);
        Stage[] stage = new Stage[1];
        try {
            FxTestSupport.onFx(() -> {
                MainWindow w = UiComposition.window(prefs, new GeneratedTable(2_000, 60), Theme.DARK);
                stage[0] = new Stage();
                w.restoreLayout(stage[0]);
                w.show(stage[0]);
                return w;
            });
            FxTestSupport.onFx(() -> {
                Rectangle2D screen = Screen.getPrimary().getVisualBounds();
                assertTrue(screen.getWidth() < 3800 && screen.getHeight() < 2100, "this test needs a screen below 3800x2100: " + screen);
                assertTrue(stage[0].getWidth() <= screen.getWidth() + 0.5, stage[0].getWidth() + " wide on " + screen);
                assertTrue(stage[0].getHeight() <= screen.getHeight() + 0.5, stage[0].getHeight() + " high on " + screen);
                assertTrue(stage[0].getX() >= screen.getMinX() && stage[0].getY() >= screen.getMinY(), "at " + stage[0].getX() + "," + stage[0].getY());
                assertTrue(stage[0].getX() + stage[0].getWidth() <= screen.getMaxX() + 0.5, "right edge on the screen");
                assertTrue(stage[0].getY() + stage[0].getHeight() <= screen.getMaxY() + 0.5, "bottom edge on the screen");
            });
        } finally {
            FxTestSupport.onFx(() -> {
                if (stage[0] != null) stage[0].close();
            });
            node.clear();
        }
    }
}
