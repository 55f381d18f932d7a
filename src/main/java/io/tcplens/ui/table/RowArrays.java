package io.tcplens.ui.table;

import io.tcplens.model.BigMaps;
import io.tcplens.model.SocketEntry;
import java.util.Arrays;

/**
 * One set of the arrays the connections table's rows of a poll are made into ({@link ConnectionRows}): the
 * sockets, when each entered its state, their marks, and the display order the sort wrote. At 100k rows a set
 * is 1.7 MB (the times alone 800 KB, a humongous G1 allocation: over half a 1 MB region). Made anew every
 * poll, each set lived while its rows were on screen, so the young pauses copied it to the old generation, where
 * it died a poll later: old garbage that only a marking cycle and a mixed pause take back (issue 11). The model
 * ({@link ConnectionTableModel}) makes the next poll's rows into a set again once the FX thread took its rows
 * off the screen ({@link #released}), no later rows read it (the carried rows' set, the rows a refresh gives
 * again) and no sort off the prepare thread reads it ({@link #pins}): with the table on screen, two sets.
 * <p>
 * The model's thread writes the arrays and {@link #generation} (under the model's lock); the FX thread only
 * writes {@link #released}.
 */
final class RowArrays {
    SocketEntry[] entries = new SocketEntry[0];
    long[] since = new long[0];
    byte[] flags = new byte[0];
    /** Display position → array index, as the model's sort wrote it (its first {@code size} places). */
    int[] order = new int[0];
    /** How many sockets the last rows made into this set hold (past them: null, no socket kept alive). */
    private int filled;
    /** Bumped each time the set is made into again: rows of an older generation read other rows' values. */
    volatile long generation;
    /** The generation whose rows the FX thread took off the screen (and showed none of since): -1, none. */
    volatile long released = -1;
    /** Sorts off the prepare thread that read rows of this set now (the model's lock). */
    int pins;

    /** Whether the model may make new rows into this set: its rows were taken off the screen and nothing reads them. */
    boolean free() {
        return released == generation && pins == 0;
    }

    /**
     * Ready for {@code n} rows (a new generation): the arrays grown by an eighth when too short (but first only up to
     * G1's humongous size, {@link BigMaps#belowHumongous}: the burst table's remake, 100k rows and 28k closed ones,
     * made 132k-row sets whose times took two 1 MB regions each and the rest one each, where 131k take one and
     * none), made again when far longer than needed (a filter left few rows), and the sockets past {@code n} let go.
     */
    RowArrays ready(int n) {
        generation++;
        if (entries.length < n || entries.length > 2 * n + 1024) {
            int cap = lengthFor(n);
            entries = new SocketEntry[cap];
            since = new long[cap];
            flags = new byte[cap];
            order = new int[cap];
        } else if (filled > n) {
            Arrays.fill(entries, n, filled, null);
        }
        filled = n;
        return this;
    }

    /**
     * The length of the table's per-row arrays for {@code n} rows (these sets, the sort's scratch): an eighth more, but
     * first only up to G1's humongous size while {@code n} fits there ({@link BigMaps#belowHumongous}).
     */
    static int lengthFor(int n) {
        return BigMaps.belowHumongous(n, n + (n >>> 3));
    }

    /** The rows made into the set hold {@code n} sockets (fewer than {@link #ready} was told: a filter). */
    void filled(int n) {
        if (filled > n) Arrays.fill(entries, n, filled, null);
        filled = n;
    }
}
