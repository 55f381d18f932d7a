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
import javafx.scene.control.TabPane;
import javafx.scene.control.TableColumn;
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
            stage[0].setWidth(1111);
            stage[0].setHeight(733);
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
                assertEquals(1111, stage[0].getWidth(), 1);
                assertEquals(733, stage[0].getHeight(), 1);
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
}
