package io.tcplens.ui.shell;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.ObservableListBase;

/**
 * A table's items, replaced at each hand-over without making the table rebuild its rows. Each new
 * content is told as the rows on screen <em>updated in place</em> (plus rows added or removed at the end
 * when the count changes), not as the whole list replaced: on a "replaced" change the TableView skin
 * resets every row and cell to index −1 (empty) and back, so their {@code :empty}/{@code :filled}
 * pseudo-classes flip twice and the CSS of every visible row and cell is worked out again in the
 * next layout pass (issue 11: most of the CSS + layout pass after a hand-over). With an update the rows
 * keep their index and only the cells whose value changed are updated.
 * <p>
 * {@link #setAll(Collection)} with the same rows in another order (a sort by the table's default sort
 * policy) is told as a permutation, so the selection follows the rows. Selection after an update stays
 * on the same index: a view that keeps its selection by key must select again (as after {@code setAll}).
 * FX thread only. The content is not copied: give it a list that will not change.
 */
public final class RowsInPlace<T> extends ObservableListBase<T> {
    private List<T> content = List.of();

    /** The rows now shown. */
    public List<T> content() {
        return content;
    }

    /** FX thread: shows {@code rows} (not copied) instead of the current content. */
    public void show(List<T> rows) {
        List<T> old = content;
        List<T> now = rows == null ? List.of() : rows;
        if (now == old) return;
        content = now;
        if (old.isEmpty() && now.isEmpty()) return;
        fireChange(new InPlace<>(this, old, now.size()));
    }

    /**
     * The change {@link #show} fires, for another list that keeps its own content (the connections
     * table's rows, made on demand): {@code old} was the content, {@code list} now holds {@code newSize} rows.
     */
    public static <T> ListChangeListener.Change<T> inPlace(ObservableList<T> list, List<T> old, int newSize) {
        return new InPlace<>(list, old, newSize);
    }

    /**
     * Replaces the content: as a permutation when {@code rows} are the same objects in another order
     * (a sort), else as {@link #show}. Copies {@code rows}.
     */
    @Override
    public boolean setAll(Collection<? extends T> rows) {
        List<T> now = List.copyOf(rows);
        int[] perm = permutation(content, now);
        if (perm == null) {
            show(now);
        } else {
            content = now;
            beginChange();
            nextPermutation(0, perm.length, perm);
            endChange();
        }
        return true;
    }

    @SafeVarargs
    @Override
    public final boolean setAll(T... rows) {
        return setAll(Arrays.asList(rows));
    }

    /** For each old index, the new index of the same object; null when {@code now} is not a reordering of {@code old}. */
    static <T> int[] permutation(List<T> old, List<T> now) {
        int n = old.size();
        if (n != now.size() || n == 0) return null;
        Map<T, Integer> at = new IdentityHashMap<>(n * 2);
        for (int i = 0; i < n; i++) if (at.put(old.get(i), i) != null) return null; // the same object twice
        int[] perm = new int[n];
        for (int j = 0; j < n; j++) {
            Integer i = at.remove(now.get(j));
            if (i == null) return null;
            perm[i] = j;
        }
        return perm;
    }

    @Override
    public T get(int index) {
        return content.get(index);
    }

    @Override
    public int size() {
        return content.size();
    }

    /**
     * Rows added or removed at the end (when the count changed), then rows 0 to the shorter count
     * updated (the order the change contract asks for: add/remove changes before update changes).
     */
    private static final class InPlace<T> extends ListChangeListener.Change<T> {
        private final List<T> old;
        private final int oldSize;
        private final int newSize;
        private final int common;
        /** The sub-changes: the tail (if the count changed), then the update (if any row is common). */
        private final List<int[]> parts = new ArrayList<>(2);
        private int cursor = -1;

        InPlace(ObservableList<T> list, List<T> old, int newSize) {
            super(list);
            this.old = old;
            this.oldSize = old.size();
            this.newSize = newSize;
            this.common = Math.min(oldSize, newSize);
            if (oldSize != newSize) parts.add(new int[] {0});
            if (common > 0) parts.add(new int[] {1});
        }

        private int kind() {
            if (cursor < 0 || cursor >= parts.size()) throw new IllegalStateException("call next() first");
            return parts.get(cursor)[0];
        }

        @Override
        public boolean next() {
            cursor++;
            return cursor < parts.size();
        }

        @Override
        public void reset() {
            cursor = -1;
        }

        @Override
        public int getFrom() {
            return kind() == 0 ? common : 0;
        }

        @Override
        public int getTo() {
            return kind() == 0 ? (newSize > oldSize ? newSize : common) : common;
        }

        @Override
        public List<T> getRemoved() {
            return kind() == 0 && oldSize > newSize ? old.subList(common, oldSize) : List.of();
        }

        @Override
        protected int[] getPermutation() {
            kind();
            return new int[0];
        }

        @Override
        public boolean wasUpdated() {
            return kind() == 1;
        }
    }
}
