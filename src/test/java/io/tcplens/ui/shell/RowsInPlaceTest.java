package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.ui.EmptiedRows;
import io.tcplens.ui.FxTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.scene.Scene;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.layout.StackPane;
import org.junit.jupiter.api.Test;

/**
 * {@link RowsInPlace}: a new content keeps the rows on screen (no reset to empty and back, which made
 * JavaFX work out the CSS of every visible row and cell again at each hand-over), shows the new values,
 * and tells listeners what changed; a reordering of the same rows is a permutation the selection follows.
 */
class RowsInPlaceTest {
    /** A row of the test table (a new object at every "poll", as the views' prepared rows are). */
    record Row(String name, int count) {}

    private static List<Row> rows(String prefix, int n, int bump) {
        return IntStream.range(0, n).mapToObj(i -> new Row(prefix + i, i + bump)).toList();
    }

    /** A 400x300 table (about ten rows on screen) counting how often a row on screen went empty after its first item. */
    private static final class Harness {
        final TableView<Row> table;
        final EmptiedRows emptied;

        Harness(ObservableList<Row> items) {
            table = new TableView<>(items);
            TableColumn<Row, String> name = new TableColumn<>("name");
            name.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().name()));
            TableColumn<Row, Integer> count = new TableColumn<>("count");
            count.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().count()));
            table.getColumns().add(name);
            table.getColumns().add(count);
            emptied = EmptiedRows.on(table);
            root = new StackPane(table);
            new Scene(root, 400, 300);
            layout();
        }

        private final StackPane root;

        void layout() {
            root.applyCss();
            root.resize(400, 300);
            root.layout();
        }

        /** The texts of the rows on screen, top first. */
        List<String> shownNames() {
            List<String> out = new ArrayList<>();
            for (var n : table.lookupAll(".table-row-cell"))
                if (n instanceof TableRow<?> r && r.isVisible() && !r.isEmpty() && r.getItem() instanceof Row row) out.add(r.getIndex() + ":" + row.name());
            out.sort((a, b) -> Integer.compare(Integer.parseInt(a.split(":")[0]), Integer.parseInt(b.split(":")[0])));
            return out;
        }
    }

    @Test
    void aNewContentKeepsTheRowsOnScreenAndShowsTheNewValues() {
        FxTestSupport.onFx(() -> {
            RowsInPlace<Row> items = new RowsInPlace<>();
            Harness h = new Harness(items);
            items.show(rows("a", 50, 0));
            h.layout();
            assertTrue(h.shownNames().contains("0:a0"), h.shownNames().toString());
            int before = h.emptied.count();
            for (int poll = 1; poll <= 5; poll++) {
                items.show(rows("p" + poll + "-", 50, poll));
                h.layout();
                assertTrue(h.shownNames().contains("0:p" + poll + "-0"), h.shownNames().toString());
                assertFalse(h.shownNames().stream().anyMatch(s -> s.contains(":a")), "old rows still shown: " + h.shownNames());
            }
            assertEquals(before, h.emptied.count(), "rows on screen went empty and back");
            // fewer and more rows: the rows that stay on screen stay filled too
            items.show(rows("s", 3, 0));
            h.layout();
            assertEquals(List.of("0:s0", "1:s1", "2:s2"), h.shownNames());
            items.show(rows("g", 40, 0));
            h.layout();
            assertTrue(h.shownNames().containsAll(List.of("0:g0", "1:g1", "2:g2", "3:g3")), h.shownNames().toString());
        });
    }

    /** What the class is for: JavaFX's own list, replaced whole, empties every row on screen and fills it again. */
    @Test
    void setAllOnAnObservableArrayListEmptiesTheRowsOnScreen() {
        FxTestSupport.onFx(() -> {
            ObservableList<Row> items = FXCollections.observableArrayList(rows("a", 50, 0));
            Harness h = new Harness(items);
            int before = h.emptied.count();
            items.setAll(rows("b", 50, 1));
            h.layout();
            assertTrue(h.emptied.count() - before >= 5, "rows emptied: " + (h.emptied.count() - before));
        });
    }

    @Test
    void listenersHearTheTailThenTheUpdate() {
        FxTestSupport.onFx(() -> {
            RowsInPlace<Row> items = new RowsInPlace<>();
            List<String> heard = new ArrayList<>();
            items.addListener((ListChangeListener<Row>) c -> {
                while (c.next()) {
                    heard.add((c.wasUpdated() ? "updated" : c.wasAdded() ? "added" : c.wasRemoved() ? "removed" : "?")
                            + " " + c.getFrom() + ".." + c.getTo() + " removed " + c.getRemovedSize());
                }
            });
            items.show(rows("a", 4, 0));
            List<Row> b = rows("b", 4, 0);
            items.show(b);
            items.show(b); // the same list again: nothing to tell
            items.show(rows("c", 6, 0));
            items.show(rows("d", 2, 0));
            items.show(List.of());
            assertEquals(List.of("added 0..4 removed 0", "updated 0..4 removed 0", "added 4..6 removed 0", "updated 0..4 removed 0",
                    "removed 2..2 removed 4", "updated 0..2 removed 0", "removed 0..0 removed 2"), heard);
        });
    }

    @Test
    void aSortByTheDefaultPolicyIsAPermutationTheSelectionFollows() {
        FxTestSupport.onFx(() -> {
            RowsInPlace<Row> items = new RowsInPlace<>();
            Harness h = new Harness(items);
            List<Row> a = rows("a", 20, 0);
            items.show(a);
            h.layout();
            h.table.getSelectionModel().select(3);
            Row picked = a.get(3);
            boolean[] permuted = {false};
            Consumer<ListChangeListener.Change<? extends Row>> check = c -> {
                while (c.next()) permuted[0] |= c.wasPermutated();
            };
            items.addListener((ListChangeListener<Row>) check::accept);
            TableColumn<Row, ?> count = h.table.getColumns().get(1);
            count.setSortType(TableColumn.SortType.DESCENDING);
            h.table.getSortOrder().setAll(List.of(count));
            h.layout();
            assertTrue(permuted[0], "a sort is a permutation");
            assertSame(a.get(19), items.get(0));
            assertSame(picked, h.table.getSelectionModel().getSelectedItem());
            assertEquals(16, h.table.getSelectionModel().getSelectedIndex());
        });
    }
}
