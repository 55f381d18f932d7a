package io.tcplens.source.replay;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.RowAlignment;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.Snapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;

/**
 * What changed between one table and the next, as a recording stores it: the rows to put (new, or
 * different in a recorded field) and the 4-tuples to delete. Timers are compared as due times (the
 * poll's time plus the time left), so a timer that only counts down is no change; due times within
 * {@link #DUE_TOLERANCE_MILLIS} are the same timer (the kernel works out each row's time left while
 * the dump runs, hundreds of ms after the poll's time at 100k sockets, so every TIME_WAIT row's due
 * time wobbled by a few ms and every diff held all of them; a restarted timer moves by a second or
 * more). One pass: each row's state is found by position when its key object is the previous
 * table's at about the same place ({@link RowAlignment}), else by one map lookup; a row object given
 * again is unchanged without a field compared; nothing allocated per unchanged row (at 100k sockets
 * the diff was 89 % of a poll's cost when it grouped rows in lists and copied every timed row). Fields
 * a recording does not keep (the lab tag, tcp_info) are not compared. The per-4-tuple state is kept
 * and updated in place rather than a map of the whole table built per table. Not thread-safe.
 */
final class TableDiff {
    /** Due times closer than this are one timer: a replay's time left is then off by less than this. */
    static final long DUE_TOLERANCE_MILLIS = 500;

    /** The rows to put and the 4-tuples to delete. */
    record Changes(List<SocketEntry> put, List<ConnectionKey> del) {}

    /**
     * Per 4-tuple, kept from table to table and updated in place (one lookup per row, nothing
     * allocated for a 4-tuple already known): its rows in the previous table and in this one, each the
     * row or a {@code List<SocketEntry>} where a racing dump listed the 4-tuple twice.
     */
    private static final class Slot {
        final ConnectionKey key;
        Object now;
        long generation;
        /** Its place in the last table that listed it ({@link #previousSlots}), and in this diff's put list (-1: not put). */
        int position, putIndex;

        Slot(ConnectionKey key) {
            this.key = key;
        }
    }

    private final HashMap<ConnectionKey, Slot> slots = new HashMap<>();
    /**
     * The previous table's slots in its order, and the key each had there: a row whose key object is
     * given again (netlink keeps them by cookie) is found there by position ({@link RowAlignment}),
     * without a map lookup; and every slot kept is one of these, so gone 4-tuples are found by a walk
     * over this array, not the map.
     */
    private Slot[] previousSlots = new Slot[0];
    private ConnectionKey[] previousKeys = new ConnectionKey[0];
    private int previousCount;
    private final RowAlignment alignment = new RowAlignment();
    private long generation;
    private boolean taken;
    private long previousMillis;
    private SocketHolders previousHolders = SocketHolders.NONE;

    /** True until the first table was taken. */
    boolean isEmpty() {
        return !taken;
    }

    /** Takes the next table; what changed since the previous one (everything is "put" the first time). */
    Changes next(Snapshot s) {
        long t = s.timestampMillis();
        long gen = ++generation;
        List<SocketEntry> rows = s.sockets();
        int n = rows.size();
        Slot[] slotsNow = new Slot[n];
        ConnectionKey[] keysNow = new ConnectionKey[n];
        Object[] before = new Object[n]; // each slot's rows in the previous table, for a 4-tuple this table lists again
        int count = 0;
        List<SocketEntry> put = new ArrayList<>();
        List<Slot> several = null;
        SocketHolders holders = s.holders();
        boolean someHolders = !holders.isEmpty() || !previousHolders.isEmpty();
        alignment.start(previousKeys, previousCount);
        for (int i = 0; i < n; i++) {
            SocketEntry e = rows.get(i);
            int p = alignment.find(e.key());
            Slot x;
            if (p >= 0) {
                x = previousSlots[p];
            } else {
                x = slots.get(e.key());
                if (x == null) {
                    x = new Slot(e.key());
                    slots.put(e.key(), x);
                } else if (x.generation != gen) {
                    alignment.resync(x.position);
                }
            }
            if (x.generation == gen) { // listed again in this table: decided at the end, with all its rows
                if (x.putIndex >= 0) put.set(x.putIndex, null);
                if (!(x.now instanceof List<?>)) {
                    if (several == null) several = new ArrayList<>();
                    several.add(x);
                }
                x.now = append(x.now, e);
                continue;
            }
            Object was = x.now;
            x.now = e;
            x.generation = gen;
            x.position = count;
            slotsNow[count] = x;
            keysNow[count] = e.key();
            before[count] = was;
            count++;
            if (was == null || !same(was, previousMillis, e, t) || (someHolders && holdersChanged(e, holders))) {
                x.putIndex = put.size();
                put.add(e);
            } else {
                x.putIndex = -1;
            }
        }
        if (several != null) {
            for (Slot x : several)
                if (before[x.position] == null || !same(before[x.position], previousMillis, x.now, t)
                        || (someHolders && holdersChanged(x.now, holders))) addAll(put, x.now);
            put.removeIf(Objects::isNull);
        }
        List<ConnectionKey> del = new ArrayList<>();
        if (slots.size() > count) { // some 4-tuple of the previous table is gone
            for (int i = 0; i < previousCount; i++) {
                Slot x = previousSlots[i];
                if (x.generation != gen) {
                    del.add(x.key);
                    slots.remove(x.key);
                }
            }
        }
        previousSlots = slotsNow;
        previousKeys = keysNow;
        previousCount = count;
        taken = true;
        previousMillis = t;
        previousHolders = holders;
        return new Changes(put, del);
    }

    /** Whether the processes holding these rows' sockets changed (a recording keeps every holder of a shared socket). */
    @SuppressWarnings("unchecked")
    private boolean holdersChanged(Object rows, SocketHolders now) {
        if (rows instanceof SocketEntry e) return !now.of(e.inode()).equals(previousHolders.of(e.inode()));
        for (SocketEntry e : (List<SocketEntry>) rows) if (!now.of(e.inode()).equals(previousHolders.of(e.inode()))) return true;
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Object append(Object had, SocketEntry e) {
        List<SocketEntry> l;
        if (had instanceof SocketEntry one) {
            l = new ArrayList<>(2);
            l.add(one);
        } else {
            l = (List<SocketEntry>) had;
        }
        l.add(e);
        return l;
    }

    @SuppressWarnings("unchecked")
    private static void addAll(List<SocketEntry> out, Object rows) {
        if (rows instanceof SocketEntry e) out.add(e);
        else out.addAll((List<SocketEntry>) rows);
    }

    @SuppressWarnings("unchecked")
    private static boolean same(Object a, long ta, Object b, long tb) {
        if (a instanceof SocketEntry x) return b instanceof SocketEntry y && same(x, ta, y, tb);
        if (!(b instanceof List<?>)) return false;
        List<SocketEntry> la = (List<SocketEntry>) a, lb = (List<SocketEntry>) b;
        if (la.size() != lb.size()) return false;
        for (int i = 0; i < la.size(); i++) if (!same(la.get(i), ta, lb.get(i), tb)) return false;
        return true;
    }

    /** Equal in every field a recording keeps, timers as due times. */
    static boolean same(SocketEntry a, long ta, SocketEntry b, long tb) {
        if (a == b && (ta == tb || a.timerRemainingMs() == null)) return true; // the source gave the same row again
        return a.state() == b.state() && a.kernelState() == b.kernelState() && a.sendQueue() == b.sendQueue()
                && a.receiveQueue() == b.receiveQueue() && a.timer() == b.timer()
                && (a.timerRemainingMs() == null ? b.timerRemainingMs() == null
                        : b.timerRemainingMs() != null
                                && Math.abs(ta + a.timerRemainingMs() - (tb + b.timerRemainingMs())) < DUE_TOLERANCE_MILLIS)
                && a.retransmits() == b.retransmits() && a.uid() == b.uid() && a.inode() == b.inode()
                && Objects.equals(a.pid(), b.pid()) && Objects.equals(a.process(), b.process())
                && a.ownerLastKnown() == b.ownerLastKnown() && a.cookie() == b.cookie() && a.key().equals(b.key());
    }
}
