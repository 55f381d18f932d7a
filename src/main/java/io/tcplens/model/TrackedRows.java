package io.tcplens.model;

import java.util.AbstractList;
import java.util.Collection;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The tracker's rows of a poll as a read-only list over its array of trackings (each row is its tracking's
 * {@link TrackedConnection#entry()}), which the tracker hands over and never writes again: a {@link Snapshot}
 * takes it as it is. The rows need no array of their own beside the trackings' (0.4 MB at 100k made at each
 * poll where a row changed, issue 11).
 *
 * <p>A consumer that walks every row can read the trackings by position ({@link #tracking}, {@link #sameRun},
 * {@link #copyTo}): typed reads of the array, where a walk through the {@code List}'s or a map's iterator casts
 * each element it gets back, which reads the object's header (at 100k rows, a cache miss per row for a walk that
 * otherwise only compares references).
 */
public final class TrackedRows extends AbstractList<SocketEntry> implements RandomAccess {
    private final TrackedConnection[] conns;

    /**
     * @param conns no null element (checked only with assertions on: a walk over the whole array at every
     *              publication, O(n) at 100k rows, for what the tracker's one pass already ensures); the caller
     *              never changes it afterwards
     */
    TrackedRows(TrackedConnection[] conns) {
        assert noNull(conns);
        this.conns = conns;
    }

    private static boolean noNull(TrackedConnection[] conns) {
        for (TrackedConnection c : conns) Objects.requireNonNull(c);
        return true;
    }

    /**
     * Trackings of a poll given otherwise (a map's values, in their order): rows over a copy of them, for a
     * consumer that walks {@link TrackedRows} whatever made its poll.
     */
    public static TrackedRows copyOf(Collection<TrackedConnection> trackings) {
        return new TrackedRows(trackings.toArray(new TrackedConnection[0]));
    }

    /** The tracking of row {@code index} (its {@link TrackedConnection#entry()} is {@link #get}'s row). */
    public TrackedConnection tracking(int index) {
        return conns[index];
    }

    /**
     * How many rows from {@code from} on have, in order, the very trackings of {@code other} from {@code otherFrom}
     * on (compared by reference; none of them read), at most {@code max}.
     */
    public int sameRun(int from, TrackedConnection[] other, int otherFrom, int max) {
        int k = 0;
        while (k < max && conns[from + k] == other[otherFrom + k]) k++;
        return k;
    }

    /** {@link #sameRun(int, TrackedConnection[], int, int)} against another poll's rows. */
    public int sameRun(int from, TrackedRows other, int otherFrom, int max) {
        return sameRun(from, other.conns, otherFrom, max);
    }

    /** The trackings of rows {@code from} to {@code from + length} into {@code dst} at {@code dstFrom} (one array copy). */
    public void copyTo(int from, TrackedConnection[] dst, int dstFrom, int length) {
        System.arraycopy(conns, from, dst, dstFrom, length);
    }

    @Override
    public SocketEntry get(int index) {
        return conns[index].entry(); // (an index out of range throws as the array does)
    }

    @Override
    public int size() {
        return conns.length;
    }

    @Override
    public Object[] toArray() {
        Object[] out = new Object[conns.length];
        for (int i = 0; i < out.length; i++) out[i] = conns[i].entry();
        return out;
    }
}
