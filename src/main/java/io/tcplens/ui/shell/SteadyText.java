package io.tcplens.ui.shell;

import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.Skin;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.skin.LabelSkin;
import javafx.scene.control.skin.TableCellSkin;
import javafx.scene.text.Text;
import javafx.util.Callback;

/**
 * Skins for labels and table cells whose text changes at every poll (counts, ages, queues), which keep
 * their text node in place when only the text changes (issue 11: the FX thread's CSS work on a churning
 * table).
 * <p>
 * JavaFX 26's {@code LabeledSkinBase} answers every change of a label's text with {@code updateChildren()},
 * which puts the text node back among the label's children ({@code getChildren().setAll(text)}) although
 * it is already the only one: the node is removed and added again, its structural pseudo-classes
 * ({@code :first-child}, {@code :last-child}, {@code :only-child}, {@code :nth-child(odd)}) go off and on,
 * and the next pulse works out its CSS again ({@code CssStyleHelper.transitionToState}, a
 * {@code PseudoClassState} and {@code BitSet}s per node) — for every cell and tile whose text changed:
 * about 70 a poll on the connections tab, most of the FX thread's CSS samples in the lead's profile. These
 * skins skip that call when it would change nothing (no graphic before or now, the text node the only
 * child); a change of graphic or content display goes through as before.
 */
public final class SteadyText {
    private SteadyText() {}

    /** Whether the skins skip the re-adding ({@code -Dtcplens.steadyText=false}: JavaFX's own behaviour, for A/B runs). */
    static final boolean ON = !"false".equals(System.getProperty("tcplens.steadyText"));

    /**
     * Whether {@code updateChildren()} would leave the children as they are: the same graphic as at the last
     * update, and either no graphic, content not graphic-only, and the children already just the text node;
     * or a managed graphic beside a text that is not empty, and the children already that graphic and the
     * text node (a state cell's dot and name).
     */
    static boolean nothingToDo(Labeled l, Node lastGraphic, boolean updated, List<Node> children) {
        if (!ON || !updated) return false;
        Node g = l.getGraphic();
        ContentDisplay cd = l.getContentDisplay();
        if (g != lastGraphic || cd == ContentDisplay.GRAPHIC_ONLY) return false;
        if (g == null) return children.size() == 1 && children.getFirst() instanceof Text;
        String text = l.getText();
        return cd != ContentDisplay.TEXT_ONLY && g.isManaged() && text != null && !text.isEmpty()
                && children.size() == 2 && children.get(0) == g && children.get(1) instanceof Text;
    }

    /** A label's skin that keeps its text node in place when only the text changes. */
    public static final class LabelText extends LabelSkin {
        // no initialisers: the super constructor calls updateChildren() before they would run
        private boolean updated;
        private Node lastGraphic;

        public LabelText(Label label) {
            super(label);
        }

        @Override
        protected void updateChildren() {
            if (nothingToDo(getSkinnable(), lastGraphic, updated, getChildren())) return;
            updated = true;
            lastGraphic = getSkinnable().getGraphic();
            super.updateChildren();
        }
    }

    /** A table cell's skin that keeps its text node in place when only the text changes. */
    public static final class CellText<S, T> extends TableCellSkin<S, T> {
        private boolean updated;
        private Node lastGraphic;

        public CellText(TableCell<S, T> cell) {
            super(cell);
        }

        @Override
        protected void updateChildren() {
            if (nothingToDo(getSkinnable(), lastGraphic, updated, getChildren())) return;
            updated = true;
            lastGraphic = getSkinnable().getGraphic();
            super.updateChildren();
        }
    }

    /** A table cell with {@link CellText}'s skin: extend it as {@code TableCell}. */
    public static class Cell<S, T> extends TableCell<S, T> {
        @Override
        protected Skin<?> createDefaultSkin() {
            return new CellText<>(this);
        }
    }

    /** A label with {@link LabelText}'s skin. */
    public static Label label(String text) {
        return new Label(text) {
            @Override
            protected Skin<?> createDefaultSkin() {
                return new LabelText(this);
            }
        };
    }

    /**
     * A table cell as {@link TableColumn#DEFAULT_CELL_FACTORY}'s (the item's {@code toString()}, or the item
     * itself when it is a node), with {@link CellText}'s skin.
     */
    public static <S, T> TableCell<S, T> cell() {
        return new Cell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                if (item == getItem()) return;
                super.updateItem(item, empty);
                if (item == null) {
                    setText(null);
                    setGraphic(null);
                } else if (item instanceof Node n) {
                    setText(null);
                    setGraphic(n);
                } else {
                    setText(item.toString());
                    setGraphic(null);
                }
            }
        };
    }

    /** {@link #cell()} as a column's cell factory. */
    public static <S, T> Callback<TableColumn<S, T>, TableCell<S, T>> cells() {
        return c -> cell();
    }
}
