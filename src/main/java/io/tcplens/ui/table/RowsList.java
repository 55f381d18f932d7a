package io.tcplens.ui.table;

import java.util.List;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableListBase;

/**
 * The table's items: a read-only observable view of one {@link ConnectionRows}, replaced whole at
 * each hand-over (one "replaced" change, as {@code setAll} gave). It copies nothing: the table asks it
 * for the rows on screen, and those are the only rows made. The change names the old content as the
 * removed rows without copying it (the JavaFX change builder would copy, and so make, every old row).
 * Changed on the FX thread only.
 */
final class RowsList extends ObservableListBase<ConnectionRow> {
    private volatile ConnectionRows content = ConnectionRows.EMPTY;

    /** FX thread: shows {@code rows} instead of the current content. */
    void show(ConnectionRows rows) {
        ConnectionRows old = content;
        content = rows == null ? ConnectionRows.EMPTY : rows;
        if (old.isEmpty() && content.isEmpty()) return;
        fireChange(new Replaced(this, old, content.size()));
    }

    ConnectionRows content() {
        return content;
    }

    @Override
    public ConnectionRow get(int index) {
        return content.get(index);
    }

    @Override
    public int size() {
        return content.size();
    }

    /** The whole list replaced: rows 0 to {@code to} are new, {@code removed} were there before. */
    private static final class Replaced extends ListChangeListener.Change<ConnectionRow> {
        private final List<ConnectionRow> removed;
        private final int to;
        private int cursor = -1;

        Replaced(RowsList list, List<ConnectionRow> removed, int to) {
            super(list);
            this.removed = removed;
            this.to = to;
        }

        @Override
        public boolean next() {
            if (cursor >= 0) return false;
            cursor = 0;
            return true;
        }

        @Override
        public void reset() {
            cursor = -1;
        }

        @Override
        public int getFrom() {
            check();
            return 0;
        }

        @Override
        public int getTo() {
            check();
            return to;
        }

        @Override
        public List<ConnectionRow> getRemoved() {
            check();
            return removed;
        }

        @Override
        protected int[] getPermutation() {
            check();
            return new int[0];
        }

        private void check() {
            if (cursor < 0) throw new IllegalStateException("Invalid Change state: next() must be called before inspecting the Change.");
        }
    }
}
