package io.tcplens.model;

/**
 * Finds a row (or its key) of this poll among the previous poll's by position. The kernel dumps its
 * table in hash-bucket order, which a poll later is the same order with some sockets gone and some
 * new, and a source that gives an unchanged socket's row object again, and a socket's key object for
 * its whole life (netlink, by cookie), makes "the same row" or "the same socket" a reference
 * comparison. So each stage after the parser (owners by row; tracker and recorder by key, as a
 * TIME_WAIT row changes every poll but keeps its key) keeps the previous poll's rows or keys in an
 * array beside its own per-row state and finds a row's state by walking both lists together: no hash
 * lookup, only arrays read in order. A miss (a new row, or one too far from where it was; every row
 * of a source that makes new objects each poll, as /proc) is only a miss: the stage then looks the
 * row up as it would without this.
 */
public final class RowAlignment {
    /** How far ahead of the cursor a row is looked for: the rows gone or changed just before it. */
    static final int LOOKAHEAD = 8;

    private Object[] previous = new Object[0];
    private int previousCount;
    private int cursor;

    /** Starts a pass over a new poll's rows against {@code rows} (the previous poll's, as positioned in the stage's arrays). */
    public void start(Object[] rows, int count) {
        previous = rows;
        previousCount = count;
        cursor = 0;
    }

    /** The previous poll's position of this very row object, or -1. Call in this poll's row order. */
    public int find(Object row) {
        Object[] p = previous;
        int end = Math.min(previousCount, cursor + LOOKAHEAD);
        for (int j = cursor; j < end; j++) {
            if (p[j] == row) {
                cursor = j + 1;
                return j;
            }
        }
        return -1;
    }

    /**
     * Starts a pass where the caller compares the candidates itself ({@link #cursor()} up to {@link #end()},
     * then {@link #found}): a stage that can read a previous row's key from what it keeps per row anyway
     * (its row, its track, its slot) keeps no array of the previous poll's keys for this (one reference a
     * socket, 0.4 MB at 100k, and a spare for the poll after).
     */
    public void start(int count) {
        previous = NONE;
        previousCount = count;
        cursor = 0;
    }

    private static final Object[] NONE = new Object[0];

    /** The first of the previous poll's positions to compare this poll's next row with. */
    public int cursor() {
        return cursor;
    }

    /** Past the last position to compare (at most {@link #LOOKAHEAD} after the cursor). */
    public int end() {
        return Math.min(previousCount, cursor + LOOKAHEAD);
    }

    /** The caller found this poll's row at the previous poll's position {@code at} (between the cursor and the end). */
    public void found(int at) {
        cursor = at + 1;
    }

    /** Moves the cursor to just after the previous poll's position {@code at} (a row found another way). */
    public void resync(int at) {
        if (at >= 0 && at < previousCount) cursor = at + 1;
    }
}
