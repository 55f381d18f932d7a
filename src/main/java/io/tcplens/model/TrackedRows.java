package io.tcplens.model;

import java.util.AbstractList;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The tracker's rows of a poll as a read-only list over its array of trackings (each row is its tracking's
 * {@link TrackedConnection#entry()}), which the tracker hands over and never writes again: a {@link Snapshot}
 * takes it as it is. The rows need no array of their own beside the trackings' (0.4 MB at 100k made at each
 * poll where a row changed, issue 11).
 */
final class TrackedRows extends AbstractList<SocketEntry> implements RandomAccess {
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
