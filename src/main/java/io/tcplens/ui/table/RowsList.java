package io.tcplens.ui.table;

import io.tcplens.ui.shell.RowsInPlace;
import javafx.collections.ObservableListBase;

/**
 * The table's items: a read-only observable view of one {@link ConnectionRows}, replaced whole at
 * each hand-over. It copies nothing: the table asks it for the rows on screen, and those are the only
 * rows made. A new content is told as the rows on screen updated in place (plus rows added or removed
 * at the end), not as the whole list replaced ({@link RowsInPlace#inPlace}): on a "replaced" change the
 * TableView skin resets every visible row and cell to empty and back, so the CSS of each is worked out
 * again in the next layout pass (issue 11). The change names the old content as the removed rows
 * without copying it. The selection is kept by key by the view ({@code ConnectionsView.showRows}).
 * Changed on the FX thread only.
 */
final class RowsList extends ObservableListBase<ConnectionRow> {
    private volatile ConnectionRows content = ConnectionRows.EMPTY;

    /** FX thread: shows {@code rows} instead of the current content. */
    void show(ConnectionRows rows) {
        ConnectionRows old = content;
        content = rows == null ? ConnectionRows.EMPTY : rows;
        if (old == content || old.isEmpty() && content.isEmpty()) return;
        fireChange(RowsInPlace.inPlace(this, old, content.size()));
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
}
