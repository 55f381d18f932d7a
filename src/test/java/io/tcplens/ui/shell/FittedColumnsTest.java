package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.theme.Theme;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link FittedColumns} on a table shaped like the processes tab's port table (a port column, a total,
 * nine counts, growth and the oldest CLOSE_WAIT, 1024 px wide), with thousands of rows: the columns are
 * never wider than the table at any layout pulse — when the rows that show the vertical scroll bar
 * arrive and when a column's floor rises above its width; each header whole once measured.
 */
class FittedColumnsTest {
    private Stage stage;

    @AfterEach
    void close() {
        if (stage != null) FxTestSupport.onFx(() -> stage.close());
    }

    private record Port(int port, int count) {}

    private static TableView<Port> portTable() {
        TableView<Port> t = new TableView<>();
        TableColumn<Port, String> port = column("Local port", p -> Integer.toString(p.port()), 84, 110);
        port.setMaxWidth(FittedColumns.WIDE);
        t.getColumns().add(port);
        t.getColumns().add(column("Total", p -> String.format("%,d", p.count()), 62, 72));
        for (int i = 0; i < 9; i++) t.getColumns().add(column("S" + i, p -> String.format("%,d", p.count() / 3), 62, 72));
        t.getColumns().add(column("Growth", p -> "+" + p.count() % 100, 56, 80));
        TableColumn<Port, String> oldest = column("Oldest\nCLOSE_WAIT", p -> "1 h 2 min", 90, 120);
        oldest.setMaxWidth(180);
        t.getColumns().add(oldest);
        FittedColumns.install(t);
        return t;
    }

    private static TableColumn<Port, String> column(String title, java.util.function.Function<Port, String> f, double floor, double w) {
        TableColumn<Port, String> c = new TableColumn<>();
        c.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(f.apply(x.getValue())));
        c.setPrefWidth(w);
        c.setMaxWidth(w + 40);
        FittedColumns.headerFloor(c, new Label(title), floor);
        return c;
    }

    /** Shows the table in a 1024 × 700 window and looks at it after every pulse; returns what did not fit. */
    private List<String> showAndWatch(TableView<Port> t, Theme theme, List<String> bad, int[] pulses) {
        Scene scene = FxTestSupport.themedScene(new BorderPane(t), 1024, 700, theme);
        FxTestSupport.onFx(() -> scene.addPostLayoutPulseListener(() -> {
            pulses[0]++;
            bad.addAll(WindowAt1024Test.fits("pulse " + pulses[0], t, pulses[0] > 2)); // headers once measured (after the first layout)
        }));
        stage = FxTestSupport.show(scene);
        FxTestSupport.waitUntil(() -> pulses[0] >= 2, 10_000, "two pulses");
        return bad;
    }

    private static List<Port> rows(int n, int seed) {
        List<Port> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new Port(32768 + i, 100_000 + (i * 7919 + seed) % 900_000));
        return out;
    }

    @Test
    void theColumnsNeverOverflowWhenTheRowsThatShowTheScrollBarArrive() {
        for (Theme theme : Theme.values()) {
            TableView<Port> t = FxTestSupport.onFx(FittedColumnsTest::portTable);
            List<String> bad = new ArrayList<>();
            int[] pulses = {0};
            showAndWatch(t, theme, bad, pulses); // empty: the placeholder, no scroll bar
            for (int poll = 0; poll < 4; poll++) {
                int p = poll;
                int seen = FxTestSupport.onFx(() -> pulses[0]);
                // thousands of rows, then a handful (the bar goes), then thousands again
                FxTestSupport.onFx(() -> t.getItems().setAll(rows(p % 2 == 0 ? 5_000 : 5, p)));
                FxTestSupport.waitUntil(() -> pulses[0] >= seen + 3, 10_000, "pulses after the rows");
            }
            double[] sumRoom = FxTestSupport.onFx(() -> {
                double sum = t.getVisibleLeafColumns().stream().mapToDouble(TableColumn::getWidth).sum();
                return new double[] {sum, t.getWidth()};
            });
            FxTestSupport.onFx(() -> stage.close());
            stage = null;
            assertTrue(sumRoom[0] > 900, theme + ": the columns take the table's width: " + sumRoom[0] + " of " + sumRoom[1]);
            assertTrue(bad.isEmpty(), theme + ", at some pulse:\n" + String.join("\n", bad.stream().distinct().limit(20).toList()));
        }
    }

    @Test
    void aRisingFloorDoesNotPushTheColumnsPastTheTable() {
        TableView<Port> t = FxTestSupport.onFx(FittedColumnsTest::portTable);
        List<String> bad = new ArrayList<>();
        int[] pulses = {0};
        showAndWatch(t, Theme.LIGHT, bad, pulses);
        FxTestSupport.onFx(() -> t.getItems().setAll(rows(3_000, 1)));
        FxTestSupport.waitUntil(() -> pulses[0] >= 4, 10_000, "pulses after the rows");
        int seen = FxTestSupport.onFx(() -> pulses[0]);
        // the growth column's floor rises past its width (a header measured wider, a larger type when presenting)
        FxTestSupport.onFx(() -> {
            TableColumn<Port, ?> growth = t.getColumns().get(11);
            assertTrue(growth.getWidth() < 100, "growth " + growth.getWidth());
            growth.setMinWidth(100);
            double sum = t.getVisibleLeafColumns().stream().mapToDouble(TableColumn::getWidth).sum();
            assertEquals(100, growth.getWidth(), 0.5);
            assertTrue(sum <= t.getWidth(), "columns " + sum + " px in a table " + t.getWidth() + " px wide, at once");
        });
        FxTestSupport.waitUntil(() -> pulses[0] >= seen + 2, 10_000, "pulses after the floor");
        assertTrue(bad.isEmpty(), "at some pulse:\n" + String.join("\n", bad.stream().distinct().limit(20).toList()));
    }
}
