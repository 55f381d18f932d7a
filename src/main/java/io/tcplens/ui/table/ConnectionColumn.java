package io.tcplens.ui.table;

import java.util.Comparator;
import java.util.function.ToLongFunction;

/**
 * The table's columns and how each sorts (used off the FX thread; the table's own sort is disabled).
 * A column that sorts by a number also gives it as a {@code long}, so {@link ConnectionTableModel}
 * sorts 100k rows on primitive arrays instead of calling comparators that walk objects.
 */
public enum ConnectionColumn {
    STATE(Comparator.comparing(ConnectionRow::state), r -> r.state().ordinal()),
    LOCAL(Comparator.comparing(r -> r.key().local()), r -> r.key().localOrder()),
    REMOTE(Comparator.comparing(r -> r.key().remote()), r -> r.key().remoteOrder()),
    PROCESS(Comparator.comparing(ConnectionRow::processText), null),
    TIME_IN_STATE(Comparator.comparingLong(ConnectionRow::timeInStateMs), ConnectionRow::timeInStateMs),
    TIME_WAIT_LEFT(Comparator.comparingLong(ConnectionColumn::timeWaitLeft), ConnectionColumn::timeWaitLeft),
    SEND_Q(Comparator.comparingLong(r -> r.entry().sendQueue()), r -> r.entry().sendQueue()),
    RECV_Q(Comparator.comparingLong(r -> r.entry().receiveQueue()), r -> r.entry().receiveQueue()),
    UID(Comparator.comparingInt(r -> r.entry().uid()), r -> r.entry().uid());

    private final Comparator<ConnectionRow> comparator;
    private final ToLongFunction<ConnectionRow> key;

    /**
     * @param c   the order of the column's values
     * @param key the same order as a long, or null when the values are not numbers; ties are broken by
     *            the connection's key either way
     */
    ConnectionColumn(Comparator<ConnectionRow> c, ToLongFunction<ConnectionRow> key) {
        this.comparator = c.thenComparing(ConnectionRow::key);
        this.key = key;
    }

    ConnectionColumn(Comparator<ConnectionRow> c) {
        this(c, null);
    }

    public Comparator<ConnectionRow> comparator(boolean ascending) {
        return new Order(this, ascending);
    }

    /** The column's value as a long that sorts as the column does, or null when it has none. */
    ToLongFunction<ConnectionRow> key() {
        return key;
    }

    private static long timeWaitLeft(ConnectionRow r) {
        return r.entry().timeWaitRemainingMs() == null ? -1 : r.entry().timeWaitRemainingMs();
    }

    /** A sort by one column; a {@link Comparator} for anyone, and read by the model to sort on primitives. */
    public record Order(ConnectionColumn column, boolean ascending) implements Comparator<ConnectionRow> {
        @Override
        public int compare(ConnectionRow a, ConnectionRow b) {
            int c = column.comparator.compare(a, b);
            return ascending ? c : -c;
        }
    }
}
