package io.tcplens.source.replay;

import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.IntObjectHashMap;
import io.tcplens.model.BigMaps;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.KeySlots;
import io.tcplens.model.RowAlignment;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.Snapshot;
import java.util.ArrayList;
import java.util.Arrays;
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

    /*
     * Per 4-tuple, kept from table to table and updated in place (one lookup per row, nothing allocated
     * for a 4-tuple already known), as a slot: an index into parallel arrays, not an object (at 100k
     * sockets a slot object and a HashMap node per socket were 7 MB and 200k objects for the GC to
     * trace). A slot holds its key, its rows in this table ({@code slotNow}: the row, or a
     * {@code List<SocketEntry>} where a racing dump listed the 4-tuple twice), its place in the table
     * that last listed it ({@link #previousIds}; whether this table listed it already: {@code listed}) and
     * in this diff's put list (-1: not put). A gone 4-tuple's slot goes back to the free list.
     */
    /** The slot by 4-tuple: new ones wait until the gone ones left (no doubling at a remake, {@link KeySlots}). */
    private final KeySlots ids = new KeySlots();
    private ConnectionKey[] slotKey = new ConnectionKey[16];
    private Object[] slotNow = new Object[16];
    private int[] slotPos = new int[16];
    private int[] slotPut = new int[16];
    /**
     * The slot's row, given again as the same object, is the same row ({@link #same}: no timer time, or a
     * due time rather than a time left): found by reference, it is unchanged without a field of it read.
     */
    private boolean[] slotSteady = new boolean[16];
    private int slotsMade;
    private final IntArrayList free = new IntArrayList();
    /**
     * The previous table's slots in its order: a row whose key object is given again (netlink keeps them
     * by cookie) is found there by position ({@link RowAlignment}, against its slot's key, the key object
     * the 4-tuple was last listed with: no array of the previous table's keys beside), without a map
     * lookup; and every slot kept is one of these, so gone 4-tuples are found by a walk over this array,
     * not the map.
     */
    private int[] previousIds = new int[0];
    private int previousCount;
    /**
     * The array of the table before the previous one, filled again by the next table (allocated per
     * table, the arrays were 1.2 MB of garbage a poll at 100k sockets, and at 250k each, 1 MB and a few
     * bytes, took two whole G1 regions of the old generation).
     */
    private int[] spareIds = new int[0];
    /**
     * The rows a 4-tuple had in the previous table where it had several (a racing dump listed it twice),
     * by slot, for the 4-tuples of this table: only those are compared row by row when this table lists
     * the 4-tuple several times too (against one row or none, several rows are a change). Empty but for
     * such races: not an array of every row's previous rows (0.4 MB at 100k, read only for them).
     */
    private final IntObjectHashMap<Object> severalBefore = new IntObjectHashMap<>();
    private final RowAlignment alignment = new RowAlignment();
    private boolean taken;
    private long previousMillis;
    private SocketHolders previousHolders = SocketHolders.NONE;

    /** The slots of the 4-tuple map's arrays (tests: no doubling at a remake). */
    int mapCapacity() {
        return ids.capacity();
    }

    /** True until the first table was taken. */
    boolean isEmpty() {
        return !taken;
    }

    /** Takes the next table; what changed since the previous one (everything is "put" the first time). */
    Changes next(Snapshot s) {
        long t = s.timestampMillis();
        List<SocketEntry> rows = s.sockets();
        int n = rows.size();
        // (a table that shrank to under a quarter of the spare's length gets a smaller one: no array sized to a
        // table long gone kept for good)
        int[] idsNow = BigMaps.placesFor(spareIds, n, n + (n >> 4));
        // a first table of 100k: its size and room for a remake at once, not grown by half 20 times and again at the remake
        if (slotKey.length < n) growSlots(BigMaps.columnsFor(n));
        int[] idsBefore = previousIds;
        ConnectionKey[] keyOf = slotKey;
        int count = 0;
        List<SocketEntry> put = new ArrayList<>();
        IntArrayList several = null;
        SocketHolders holders = s.holders();
        boolean someHolders = !holders.isEmpty() || !previousHolders.isEmpty();
        alignment.start(previousCount);
        for (int i = 0; i < n; i++) {
            SocketEntry e = rows.get(i);
            int x = -1;
            boolean sameRow = false;
            // the previous table's very row object at about the same place: nothing of it is read
            Object[] rowOf = slotNow;
            for (int j = alignment.cursor(), end = alignment.end(); j < end; j++) {
                if (rowOf[idsBefore[j]] == e) {
                    alignment.found(j);
                    x = idsBefore[j];
                    sameRow = true;
                    break;
                }
            }
            ConnectionKey k = null;
            if (x < 0) {
                k = e.key();
                for (int j = alignment.cursor(), end = alignment.end(); j < end; j++) {
                    if (keyOf[idsBefore[j]] == k) {
                        alignment.found(j);
                        x = idsBefore[j];
                        break;
                    }
                }
            }
            if (x < 0) {
                x = ids.get(k);
                if (x < 0) {
                    x = newSlot(k);
                    keyOf = slotKey; // grown
                    ids.add(k, x);
                } else {
                    if (!listed(x, idsNow, count)) alignment.resync(slotPos[x]);
                    if (keyOf[x] != k) keyOf[x] = k; // the key object to align the next table with (an equal one)
                }
            }
            if (listed(x, idsNow, count)) { // listed again in this table: decided at the end, with all its rows
                if (slotPut[x] >= 0) put.set(slotPut[x], null);
                if (!(slotNow[x] instanceof List<?>)) {
                    if (several == null) several = new IntArrayList();
                    several.add(x);
                }
                slotNow[x] = append(slotNow[x], e);
                slotSteady[x] = false;
                continue;
            }
            Object was = slotNow[x];
            slotNow[x] = e;
            slotPos[x] = count;
            idsNow[count] = x;
            if (was instanceof List<?>) severalBefore.put(x, was);
            count++;
            // the same row object with a due time (or no timer time) is unchanged: known without reading it
            boolean unchanged = sameRow && slotSteady[x] || was != null && same(was, previousMillis, e, t);
            if (!sameRow) slotSteady[x] = !e.hasTimerTime() || e.timerDueMillis() != SocketEntry.NO_DUE;
            if (!unchanged || (someHolders && holdersChanged(e, holders))) {
                slotPut[x] = put.size();
                put.add(e);
            } else {
                slotPut[x] = -1;
            }
        }
        if (several != null) {
            for (int k = 0; k < several.size(); k++) {
                int x = several.get(k);
                Object before = severalBefore.get(x); // null: none, or one row (several now are a change)
                if (before == null || !same(before, previousMillis, slotNow[x], t)
                        || (someHolders && holdersChanged(slotNow[x], holders))) addAll(put, slotNow[x]);
            }
            put.removeIf(Objects::isNull);
        }
        List<ConnectionKey> del = new ArrayList<>();
        if (ids.size() > count) { // some 4-tuple of the previous table is gone
            for (int i = 0; i < previousCount; i++) {
                int x = previousIds[i];
                if (!listed(x, idsNow, count)) {
                    del.add(slotKey[x]);
                    ids.remove(slotKey[x]);
                    slotKey[x] = null;
                    slotNow[x] = null;
                    free.add(x);
                }
            }
        }
        ids.settle(); // (the new 4-tuples go in now, after the gone ones left)
        if (!severalBefore.isEmpty()) severalBefore.clear();
        // the previous table's array is the spare now (a gone 4-tuple's key went with its slot above)
        spareIds = previousIds;
        previousIds = idsNow;
        previousCount = count;
        taken = true;
        previousMillis = t;
        previousHolders = holders;
        return new Changes(put, del);
    }

    /**
     * Whether this table listed slot {@code x} already: its place is among the {@code count} places given so far
     * in {@code idsNow} and holds it (places below {@code count} were all written by this table): no column of
     * generations beside (0.4 MB at 100k).
     */
    private boolean listed(int x, int[] idsNow, int count) {
        return BigMaps.listed(slotPos, x, idsNow, count);
    }

    /** A slot for a 4-tuple not known yet: a freed one, else the next, the arrays grown by half. */
    private int newSlot(ConnectionKey key) {
        int x;
        if (!free.isEmpty()) {
            x = free.removeLast();
        } else {
            x = slotsMade++;
            if (x == slotKey.length) growSlots(BigMaps.grownColumns(x)); // (not past G1's humongous size at once)
        }
        slotKey[x] = key;
        slotPos[x] = -1;
        slotSteady[x] = false;
        return x;
    }

    private void growSlots(int cap) {
        slotKey = Arrays.copyOf(slotKey, cap);
        slotNow = Arrays.copyOf(slotNow, cap);
        slotPos = Arrays.copyOf(slotPos, cap);
        slotPut = Arrays.copyOf(slotPut, cap);
        slotSteady = Arrays.copyOf(slotSteady, cap);
    }

    /** The length of the per-slot columns (tests: not regrown at a remake). */
    int slotColumns() {
        return slotKey.length;
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
        // the source gave the same row again (a row with a due time: the same due time)
        if (a == b && (ta == tb || !a.hasTimerTime() || a.timerDueMillis() != SocketEntry.NO_DUE)) return true;
        return a.state() == b.state() && a.kernelState() == b.kernelState() && a.sendQueue() == b.sendQueue()
                && a.receiveQueue() == b.receiveQueue() && a.timer() == b.timer()
                && (!a.hasTimerTime() ? !b.hasTimerTime()
                        : b.hasTimerTime() && Math.abs(a.timerDueAt(ta) - b.timerDueAt(tb)) < DUE_TOLERANCE_MILLIS)
                && a.retransmits() == b.retransmits() && a.uid() == b.uid() && a.inode() == b.inode()
                && Objects.equals(a.pid(), b.pid()) && Objects.equals(a.process(), b.process())
                && a.ownerLastKnown() == b.ownerLastKnown() && a.cookie() == b.cookie() && a.key().equals(b.key());
    }
}
