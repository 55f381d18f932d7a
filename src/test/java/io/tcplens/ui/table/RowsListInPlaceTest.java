package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.Rows;
import io.tcplens.ui.EmptiedRows;
import io.tcplens.ui.FxTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.Scene;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.StackPane;
import org.junit.jupiter.api.Test;

/**
 * The connections table's items ({@link RowsList}) tell each poll as the rows on screen updated in
 * place: no row on screen goes empty and back between polls (on a "replaced" change the TableView skin
 * resets every visible row and cell, and their CSS is worked out again in the next layout pass — issue
 * 11), and the rows on screen show the new poll's values.
 */
class RowsListInPlaceTest {
    static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "t", "test");

    @Test
    void aPollUpdatesTheRowsOnScreenWithoutEmptyingThem() {
        ConnectionTracker tracker = new ConnectionTracker();
        ConnectionTableModel model = new ConnectionTableModel(3000);
        long[] seq = {0};
        // 2,000 connections; each poll moves a few hundred of them to another state
        IntFunction<ConnectionRows> poll = p -> {
            List<SocketEntry> rows = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                TcpState s = (i + p) % 7 == 0 ? TcpState.CLOSE_WAIT : TcpState.ESTABLISHED;
                rows.add(Rows.row(10_000 + i, 80, s, 1, null));
            }
            long t = 1000L * (p + 1);
            var u = tracker.update(new Snapshot(t, rows, SRC, List.of()));
            PollResult r = new PollResult(++seq[0], u.snapshot(), u.diff(), u.connections(), 0, null);
            model.accept(List.of(r));
            return model.rows(r, t, ConnectionFilter.NONE, ConnectionColumn.LOCAL.comparator(true));
        };
        FxTestSupport.onFx(() -> {
            RowsList items = new RowsList();
            TableView<ConnectionRow> table = new TableView<>(items);
            TableColumn<ConnectionRow, String> state = new TableColumn<>("state");
            state.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().entry().state().name()));
            table.getColumns().add(state);
            EmptiedRows emptied = EmptiedRows.on(table);
            StackPane root = new StackPane(table);
            new Scene(root, 400, 300);
            Runnable layout = () -> {
                root.applyCss();
                root.resize(400, 300);
                root.layout();
            };
            items.show(poll.apply(0));
            layout.run();
            for (int p = 1; p <= 6; p++) {
                ConnectionRows rows = poll.apply(p);
                items.show(rows);
                layout.run();
                int checked = 0;
                for (var n : table.lookupAll(".table-row-cell")) {
                    if (n instanceof TableRow<?> r && r.isVisible() && !r.isEmpty() && r.getItem() instanceof ConnectionRow row) {
                        assertEquals(rows.get(r.getIndex()).entry().state(), row.entry().state(),
                                "row " + r.getIndex() + " shows the previous poll's state");
                        checked++;
                    }
                }
                assertTrue(checked >= 5, "rows on screen: " + checked);
            }
            assertEquals(0, emptied.count(), "rows on screen went empty and back between polls");
        });
    }
}
