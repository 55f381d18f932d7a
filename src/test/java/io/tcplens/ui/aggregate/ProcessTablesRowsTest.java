package io.tcplens.ui.aggregate;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.analysis.aggregate.StateAggregates;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.table.ConnectionsView;
import io.tcplens.ui.theme.StatePalette;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.tiles.StateGroup;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.ToggleButton;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 (second half), the Processes &amp; ports tab on a generated table of 21,000 sockets: its rows
 * are as high as the connections table's (they were 39 px against 26: the tables lacked the dense
 * style the connections and remote-IP tables have), and its two tables list the states in the app's one
 * order — the tiles', the connections filter chips' — where the chips had LISTEN second and the process
 * tables CLOSE-W before TIME-W and FIN-W2 before FIN-W1.
 */
class ProcessTablesRowsTest {
    @Test
    void rowsAsHighAsTheConnectionsTableAndStatesInTheAppsOrder() {
        GeneratedTable table = new GeneratedTable(21_000, 420);
        try (WindowFixture fixture = WindowFixture.open(TestPreferences.cleared("tcplens-test/process-rows", 1000), table, 1024, 700, Theme.LIGHT)) {
            MainWindow window = fixture.window();
            FxTestSupport.waitUntil(() -> window.lastShown() != null && window.lastShown().sequence() >= 2, 60_000, "two polls");
            FxTestSupport.settle();
            ConnectionsView connections = window.part(ConnectionsView.class);
            double connectionRow = FxTestSupport.onFx(() -> rowHeight(connections.table()));
            List<TcpState> chips = FxTestSupport.onFx(() -> {
                List<TcpState> out = new ArrayList<>();
                for (Node n : connections.node().lookupAll(".state-chip"))
                    if (n instanceof ToggleButton t && t.getUserData() instanceof TcpState s) out.add(s);
                return out;
            });

            FxTestSupport.onFx(() -> window.showView(AggregatesView.ID));
            long seq = FxTestSupport.onFx(() -> window.lastShown().sequence());
            FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= seq + 2, 60_000, "two polls on the processes tab");
            FxTestSupport.settle();
            AggregatesView v = window.part(AggregatesView.class);
            FxTestSupport.onFx(() -> {
                assertTrue(v.processTable().getItems().size() > 10, "owners: " + v.processTable().getItems().size());
                double processRow = rowHeight(v.processTable()), portRow = rowHeight(v.portTable());
                assertTrue(connectionRow > 10, "connections row " + connectionRow);
                assertEquals(connectionRow, processRow, 1.0, "per-process row against the connections table's");
                assertEquals(connectionRow, portRow, 1.0, "per-port row against the connections table's");

                List<TcpState> processColumns = stateColumns(v.processTable()), portColumns = stateColumns(v.portTable());
                assertEquals(9, processColumns.size(), processColumns.toString());
                assertEquals(processColumns, portColumns, "the two tables of the tab");
                assertEquals(StatePalette.ORDER, chips, "the connections filter chips");
                assertEquals(StatePalette.ORDER.stream().filter(processColumns::contains).toList(), processColumns, "the app's order");
            });
        }
        // the tiles are the order's source: their states, flattened, are the order
        List<TcpState> tiles = new ArrayList<>();
        for (StateGroup g : StateGroup.values()) if (g.colourState() != null)
            tiles.addAll(StatePalette.ORDER.stream().filter(g.states()::contains).toList());
        assertEquals(StatePalette.ORDER, tiles);
        // the remote-IP table's own state columns too
        assertEquals(StatePalette.ORDER.stream().filter(io.tcplens.ui.remote.RemoteColumn.OWN_COLUMNS::contains).toList(),
                io.tcplens.ui.remote.RemoteColumn.OWN_COLUMNS);
    }

    private static double rowHeight(TableView<?> t) {
        for (Node n : t.lookupAll(".table-row-cell"))
            if (n instanceof TableRow<?> r && !r.isEmpty() && r.getHeight() > 0) return r.getHeight();
        fail("no row laid out in " + t.getStyleClass());
        return 0;
    }

    /** The states of the state columns, left to right (the header's graphic carries the state's style class). */
    private static List<TcpState> stateColumns(TableView<StateAggregates.Row> t) {
        List<TcpState> out = new ArrayList<>();
        for (TableColumn<StateAggregates.Row, ?> c : t.getColumns()) {
            if (!c.getStyleClass().contains("state-column") || c.getGraphic() == null) continue;
            for (TcpState s : TcpState.values())
                if (c.getGraphic().getStyleClass().contains(StatePalette.styleClass(s))) out.add(s);
        }
        return out;
    }
}
