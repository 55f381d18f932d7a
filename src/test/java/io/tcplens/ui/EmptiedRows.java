package io.tcplens.ui;

import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;

/**
 * A table's row factory that counts how often a row on screen went empty after it had shown an item:
 * what a list replaced instead of updated in place makes rows do (empty, then filled again).
 */
public final class EmptiedRows {
    private int count;

    /** Installs the counting rows on {@code table}; the count starts at 0. */
    public static <T> EmptiedRows on(TableView<T> table) {
        EmptiedRows counter = new EmptiedRows();
        table.setRowFactory(t -> new TableRow<>() {
            private boolean filled;

            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                // rows on screen only (the flow's "sheet"; it also fills and empties a row of its own to measure sizes)
                if (empty && filled && getParent() != null && getParent().getStyleClass().contains("sheet")) counter.count++;
                filled |= !empty;
            }
        });
        return counter;
    }

    /** Rows on screen emptied so far (read it on the FX thread). */
    public int count() {
        return count;
    }
}
