package io.tcplens.ui.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.theme.Theme;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.control.TableColumn;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: a sort click on a table of thousands of rows is sorted off the FX thread and shown without
 * waiting for the next poll. The poll interval is 10 s, so the new order can only come from the re-sort
 * of the rows on screen: the table then holds the same rows, in the order of a reference sort (closed
 * rows last, then the column's comparator), and no sort of the table's model ran on the FX thread.
 */
class SortOffFxThreadTest {
    @Test
    void aSortClickIsSortedOffTheFxThreadAndShownBeforeTheNextPoll() throws Exception {
        UiPreferences prefs = TestPreferences.cleared("tcplens-test/sort-off-fx", 10_000);
        Thread fx = FxTestSupport.onFx(Thread::currentThread);
        List<Thread> sorters = new CopyOnWriteArrayList<>();
        ConnectionTableModel.sortWatch = sorters::add;
        int withoutAPoll = 0;
        try (WindowFixture fixture = WindowFixture.open(prefs, new GeneratedTable(8_000, 200), 1400, 900, Theme.LIGHT,
                mw -> mw.showView(ConnectionsView.ID))) {
            MainWindow w = fixture.window();
            ConnectionsView cv = FxTestSupport.onFx(() -> w.part(ConnectionsView.class));
            FxTestSupport.waitUntil(() -> cv.table().getItems().size() > 5_000, 60_000, "the first poll's rows in the table");
            for (String[] sort : new String[][] {{"REMOTE", "DESCENDING"}, {"PROCESS", "ASCENDING"}, {"TIME_IN_STATE", "DESCENDING"}}) {
                ConnectionColumn column = ConnectionColumn.valueOf(sort[0]);
                boolean ascending = sort[1].equals("ASCENDING");
                Comparator<ConnectionRow> want = Comparator.<ConnectionRow, Boolean>comparing(r -> r.status() == ConnectionRow.Status.CLOSED)
                        .thenComparing(column.comparator(ascending));
                long handOvers = w.dispatcher().stats().count();
                List<ConnectionRow> before = FxTestSupport.onFx(() -> {
                    List<ConnectionRow> shown = new ArrayList<>(cv.table().getItems());
                    TableColumn<ConnectionRow, ?> col = cv.table().getColumns().stream()
                            .filter(c -> c.getUserData() == column).findFirst().orElseThrow();
                    col.setSortType(TableColumn.SortType.valueOf(sort[1]));
                    cv.table().getSortOrder().setAll(List.of(col));
                    return shown;
                });
                FxTestSupport.waitUntil(() -> sorted(cv.table().getItems(), want) && cv.table().getItems().getFirst() != before.getFirst(),
                        30_000, "the table in the order " + sort[0] + " " + sort[1]);
                List<ConnectionRow> after = FxTestSupport.onFx(() -> new ArrayList<>(cv.table().getItems()));
                if (withoutAPoll == 0 && sort[0].equals("REMOTE")) FxTestSupport.screenshot(w.scene(), "sort-off-fx-remote-descending");
                if (w.dispatcher().stats().count() == handOvers) {
                    withoutAPoll++;
                    // no poll came meanwhile: the same rows re-sorted, equal to a reference sort of them
                    List<ConnectionRow> reference = new ArrayList<>(before);
                    reference.sort(want);
                    assertEquals(reference.size(), after.size());
                    for (int i = 0; i < reference.size(); i++)
                        assertEquals(0, want.compare(reference.get(i), after.get(i)), sort[0] + " " + sort[1] + ", row " + i);
                    assertEquals(reference.stream().map(ConnectionRow::key).sorted().toList(),
                            after.stream().map(ConnectionRow::key).sorted().toList(), "the same connections");
                }
                assertNotSame(before, after);
            }
            // a poll every 10 s may land in one sort's wait, hardly in all three: the re-sort is shown without one
            assertTrue(withoutAPoll > 0, "every sort waited for a poll's hand-over");
            assertTrue(sorters.size() >= 3, "the model sorted (" + sorters.size() + " sorts)");
            assertTrue(sorters.stream().noneMatch(t -> t == fx), "a sort ran on the FX thread: " + sorters);
        } finally {
            ConnectionTableModel.sortWatch = t -> {};
            prefs.node().clear();
        }
    }

    private static boolean sorted(List<ConnectionRow> rows, Comparator<ConnectionRow> order) {
        for (int i = 1; i < rows.size(); i++) if (order.compare(rows.get(i - 1), rows.get(i)) > 0) return false;
        return !rows.isEmpty();
    }
}
