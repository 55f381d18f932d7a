package io.tcplens.model;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * A read-only list over the first rows of an array its maker hands over and never writes again, which
 * a {@link Snapshot} takes as it is: the tracker's rows of a poll, the owner resolver's rows of a
 * poll, without the copies {@code List.of} and {@code List.copyOf} make (an unmodifiable list given
 * to {@code List.copyOf} was copied twice: an array of a reference per row, 0.4 MB at 100k, each).
 */
final class HandedRows extends AbstractList<SocketEntry> implements RandomAccess {
    private final SocketEntry[] rows;
    private final int size;

    /** @param rows no null element; the caller never changes it afterwards */
    HandedRows(SocketEntry[] rows) {
        this(rows, rows.length);
    }

    /** @param rows no null element among the first {@code size}; the caller never changes those afterwards */
    HandedRows(SocketEntry[] rows, int size) {
        Objects.checkFromToIndex(0, size, rows.length);
        for (int i = 0; i < size; i++) Objects.requireNonNull(rows[i]);
        this.rows = rows;
        this.size = size;
    }

    @Override
    public SocketEntry get(int index) {
        Objects.checkIndex(index, size);
        return rows[index];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Object[] toArray() {
        return Arrays.copyOf(rows, size, Object[].class);
    }
}
