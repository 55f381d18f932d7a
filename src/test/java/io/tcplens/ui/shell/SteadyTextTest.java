package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.theme.Theme;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link SteadyText}: a label or table cell whose text changes keeps its text node in place (JavaFX's own
 * skin removes and adds it again at every change, which flips its structural pseudo-classes and redoes its
 * CSS at the next pulse), and still shows the new text; a graphic that comes or goes is shown as before.
 */
class SteadyTextTest {
    private Stage stage;

    @AfterEach
    void close() {
        if (stage != null) FxTestSupport.onFx(() -> stage.close());
    }

    private record Row(int n) {}

    @Test
    void aChangedTextKeepsItsNodeAndIsShown() {
        Label steady = FxTestSupport.onFx(() -> SteadyText.label("1"));
        Label plain = FxTestSupport.onFx(() -> new Label("1"));
        Scene scene = FxTestSupport.themedScene(new VBox(steady, plain), 400, 200, Theme.LIGHT);
        stage = FxTestSupport.show(scene);
        FxTestSupport.settle();
        List<String> steadyChanges = new ArrayList<>();
        List<String> plainChanges = new ArrayList<>();
        FxTestSupport.onFx(() -> {
            assertTrue(steady.getSkin() instanceof SteadyText.LabelText, "skin " + steady.getSkin());
            steady.getChildrenUnmodifiable().addListener((ListChangeListener<Node>) c -> steadyChanges.add(c.toString()));
            plain.getChildrenUnmodifiable().addListener((ListChangeListener<Node>) c -> plainChanges.add(c.toString()));
        });
        Text before = FxTestSupport.onFx(() -> (Text) steady.getChildrenUnmodifiable().getFirst());
        for (int i = 2; i <= 2_000; i++) {
            int n = i;
            FxTestSupport.onFx(() -> {
                steady.setText(String.format("%,d", n * 97));
                plain.setText(String.format("%,d", n * 97));
            });
        }
        String last = String.format("%,d", 2_000 * 97);
        FxTestSupport.waitUntil(() -> steady.getChildrenUnmodifiable().getFirst() instanceof Text x && last.equals(x.getText())
                && plain.getChildrenUnmodifiable().getFirst() instanceof Text y && last.equals(y.getText()), 10_000, "the last text drawn");
        FxTestSupport.onFx(() -> {
            assertSame(before, steady.getChildrenUnmodifiable().getFirst(), "the same text node");
            assertEquals(plain.getWidth(), steady.getWidth(), 0.01, "as wide as a plain label with that text");
        });
        assertEquals(List.of(), steadyChanges, "the steady label's children did not change");
        assertFalse(plainChanges.isEmpty(), "JavaFX's own skin re-adds the text node (what SteadyText avoids): " + plainChanges.size());

        // a graphic that comes and goes, and an empty text, are shown as JavaFX shows them
        Circle dot = new Circle(4);
        FxTestSupport.onFx(() -> steady.setGraphic(dot));
        FxTestSupport.settle();
        FxTestSupport.onFx(() -> assertEquals(List.of(dot, before), steady.getChildrenUnmodifiable(), "graphic and text"));
        FxTestSupport.onFx(() -> steady.setText("3"));
        FxTestSupport.onFx(() -> assertEquals(List.of(dot, before), steady.getChildrenUnmodifiable(), "text changed beside the graphic"));
        FxTestSupport.onFx(() -> steady.setText(""));
        FxTestSupport.onFx(() -> assertEquals(List.of(dot), steady.getChildrenUnmodifiable(), "an empty text leaves the graphic"));
        FxTestSupport.onFx(() -> {
            steady.setText("4");
            steady.setGraphic(null);
        });
        FxTestSupport.onFx(() -> assertEquals(List.of(before), steady.getChildrenUnmodifiable(), "the text alone again"));
    }

    @Test
    void aTableOfThousandsShowsEachPollsValuesInCellsThatKeepTheirTextNodes() {
        RowsInPlace<Row> items = new RowsInPlace<>(); // as the app's tables: a poll updates the rows in place
        TableView<Row> t = FxTestSupport.onFx(() -> {
            TableView<Row> table = new TableView<>(items);
            for (int k = 0; k < 6; k++) {
                int mul = k + 3;
                TableColumn<Row, String> c = new TableColumn<>("c" + k);
                c.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(String.format("%,d", x.getValue().n() * mul)));
                c.setCellFactory(SteadyText.cells());
                table.getColumns().add(c);
            }
            return table;
        });
        Scene scene = FxTestSupport.themedScene(new VBox(t), 800, 500, Theme.DARK);
        stage = FxTestSupport.show(scene);
        List<Text> texts = new ArrayList<>();
        for (int poll = 0; poll < 5; poll++) {
            int p = poll;
            FxTestSupport.onFx(() -> {
                List<Row> rows = new ArrayList<>();
                for (int i = 0; i < 5_000; i++) rows.add(new Row(i * 1000 + p));
                items.show(rows);
            });
            String want = String.format("%,d", (3 * 1000 + p) * 5);
            FxTestSupport.waitUntil(() -> cellAt3(t).stream().anyMatch(c -> want.equals(c.getText())
                    && c.getChildrenUnmodifiable().getFirst() instanceof Text x && want.equals(x.getText())), 10_000, "row 3 drawn, poll " + p);
            List<Text> now = FxTestSupport.onFx(() -> {
                List<Text> out = new ArrayList<>();
                for (TableCell<?, ?> c : cellAt3(t)) {
                    assertTrue(c.getSkin() instanceof SteadyText.CellText, "skin " + c.getSkin());
                    out.add((Text) c.getChildrenUnmodifiable().getFirst());
                }
                return out;
            });
            assertEquals(1, now.size(), "one cell at row 3, column 2");
            texts.addAll(now);
        }
        assertTrue(texts.stream().allMatch(x -> x == texts.getFirst()), "the cell kept its text node through the polls");
    }

    /** The cells on screen of row 3, column 2. */
    private static List<TableCell<?, ?>> cellAt3(TableView<Row> t) {
        List<TableCell<?, ?>> out = new ArrayList<>();
        for (Node n : t.lookupAll(".table-cell"))
            if (n instanceof TableCell<?, ?> c && !c.isEmpty() && c.isVisible() && c.getIndex() == 3 && c.getTableColumn() == t.getColumns().get(2)
                    && c.getParent() != null && c.getParent().isVisible()) out.add(c);
        return out;
    }
}
