package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.diagram.StateDiagramView;
import io.tcplens.ui.table.ConnectionsView;
import io.tcplens.ui.theme.Theme;
import java.util.List;
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
        UiPreferences prefs = TestPreferences.cleared("tcplens-test/remembered-layout", 250);
        WindowFixture firstRun = WindowFixture.restored(prefs, new GeneratedTable(3_000, 60), Theme.LIGHT); // nothing saved yet: the defaults
        MainWindow first = firstRun.window();
        FxTestSupport.onFx(() -> {
            firstRun.stage().setWidth(961); // within the headless screen (1000 wide): a larger size is cut to the screen
            firstRun.stage().setHeight(653);
        });
        firstRun.awaitFirstPoll(30_000);
        FxTestSupport.onFx(() -> {
            ConnectionsView cv = first.part(ConnectionsView.class);
            var remote = cv.table().getColumns().get(2);
            remote.setSortType(TableColumn.SortType.DESCENDING);
            cv.table().getSortOrder().setAll(List.of(remote));
            first.part(StateDiagramView.class).setColourBy("PROCESS");
            first.showView("charts");
        });
        FxTestSupport.settle();
        firstRun.close();

        try (WindowFixture secondRun = WindowFixture.restored(prefs, new GeneratedTable(3_000, 60), Theme.LIGHT)) {
            MainWindow second = secondRun.window();
            Stage stage = secondRun.stage();
            FxTestSupport.onFx(() -> {
                assertEquals(961, stage.getWidth(), 1);
                assertEquals(653, stage.getHeight(), 1);
                TabPane tabs = (TabPane) second.scene().lookup(".tab-pane");
                assertEquals("tab-charts", tabs.getSelectionModel().getSelectedItem().getId());
                ConnectionsView cv = second.part(ConnectionsView.class);
                assertEquals(1, cv.table().getSortOrder().size());
                assertSame(cv.table().getColumns().get(2), cv.table().getSortOrder().get(0));
                assertEquals(TableColumn.SortType.DESCENDING, cv.table().getSortOrder().get(0).getSortType());
                assertEquals("PROCESS", second.part(StateDiagramView.class).colourBy());
            });
        } finally {
            prefs.node().clear();
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
        UiPreferences prefs = TestPreferences.cleared("tcplens-test/remembered-layout-large", 250);
        prefs.putDouble("window.width", 3800);
        prefs.putDouble("window.height", 2100);
        prefs.putDouble("window.x", 10);
        prefs.putDouble("window.y", 10);
        try (WindowFixture fixture = WindowFixture.restored(prefs, new GeneratedTable(2_000, 60), Theme.DARK)) {
            Stage stage = fixture.stage();
            FxTestSupport.onFx(() -> {
                Rectangle2D screen = Screen.getPrimary().getVisualBounds();
                assertTrue(screen.getWidth() < 3800 && screen.getHeight() < 2100, "this test needs a screen below 3800x2100: " + screen);
                assertTrue(stage.getWidth() <= screen.getWidth() + 0.5, stage.getWidth() + " wide on " + screen);
                assertTrue(stage.getHeight() <= screen.getHeight() + 0.5, stage.getHeight() + " high on " + screen);
                assertTrue(stage.getX() >= screen.getMinX() && stage.getY() >= screen.getMinY(), "at " + stage.getX() + "," + stage.getY());
                assertTrue(stage.getX() + stage.getWidth() <= screen.getMaxX() + 0.5, "right edge on the screen");
                assertTrue(stage.getY() + stage.getHeight() <= screen.getMaxY() + 0.5, "bottom edge on the screen");
            });
        } finally {
            prefs.node().clear();
        }
    }
}
