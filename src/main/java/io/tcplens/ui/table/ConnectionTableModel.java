package io.tcplens.ui.table;

import com.carrotsearch.hppc.ObjectLongHashMap;
import com.carrotsearch.hppc.cursors.ObjectCursor;
import com.carrotsearch.hppc.sorting.IndirectSort;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import io.tcplens.model.TrackedRows;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntBinaryOperator;
import java.util.function.IntConsumer;

/**
 * The connections table's view-model, plain Java (no toolkit), run off the FX thread: marks new
 * connections for {@code highlightMillis}, keeps closed ones as CLOSED rows for the same time, then
 * drops them; filters and sorts. Not thread-safe: one background thread owns it.
 */
public final class ConnectionTableModel {
    private final long highlightMillis;
    private final ObjectLongHashMap<ConnectionKey> openedAt = new ObjectLongHashMap<>(); // no node and boxed time per mark
    private final Map<ConnectionKey, Closed> closed = new HashMap<>();
    private boolean first = true;

    private record Closed(SocketEntry entry, long at, long stateSince) {}

    public ConnectionTableModel(long highlightMillis) {
        this.highlightMillis = highlightMillis;
    }

    /**
     * Takes every poll since the last call (oldest first) so no open/close is missed, and lets go of
     * marks older than {@code highlightMillis} before the newest poll: a table in the background (or
     * paused) takes polls without building rows, and under churn its marks held every connection
     * closed since it was hidden.
     */
    public void accept(List<PollResult> batch) {
        long newest = Long.MIN_VALUE;
        for (PollResult r : batch) {
            long now = r.snapshot().timestampMillis();
            if (r.error() != null) continue;
            if (!first) {
                for (SocketEntry e : r.diff().opened()) {
                    openedAt.put(e.key(), now);
                    closed.remove(e.key());
                    markEdits++;
                }
            }
            for (SocketEntry e : r.diff().closed()) {
                openedAt.remove(e.key());
                closed.put(e.key(), new Closed(e, now, now));
                markEdits++;
            }
            first = false;
            newest = Math.max(newest, now);
            marks++;
        }
        if (newest != Long.MIN_VALUE) expire(newest);
        if (!batch.isEmpty()) { // a new poll: the rows made from the last one are not kept (nor is that poll, in the background)
            rowsOf = null;
            lastRows = null;
        }
    }

    /** Another source: its first poll is a first poll (nothing marked new), and no row of the last source stays marked. */
    public void reset() {
        openedAt.clear();
        closed.clear();
        sets.clear(); // (rows of the old source handed over and never shown would hold theirs for good)
        first = true;
        marks++;
        markEdits++;
        forgetRows();
    }

    /**
     * The next {@link #rows} makes its rows anew even from the same inputs: something the filter or the
     * order reads besides the poll changed (a reverse-DNS name a search matches came in).
     */
    public void forgetRows() {
        rowsOf = null;
        lastRows = null;
        dropCarry();
    }

    /** Bumped by every change of the new and closed marks (a poll taken, a mark let go). */
    private long marks;
    /** Bumped by every mark set or let go (not by a poll that set none): the rows' marks are the same while it is. */
    private long markEdits;
    /** What the last {@link #rows} was made from, and what it gave (the same inputs give the same rows). */
    private PollResult rowsOf;
    private ConnectionFilter rowsFilter;
    private Comparator<ConnectionRow> rowsOrder;
    private long rowsMarks = -1;
    private ConnectionRows lastRows;

    /**
     * Rows for the latest poll at wall time {@code now}: live rows plus recently closed ones, filtered
     * and sorted, as arrays over the poll's own sockets ({@link ConnectionRows}: no row object per socket).
     * The same poll, filter, order and marks give the rows made last time, not sorted again (a refresh:
     * another view's filter, a tab shown again, a hand-over with nothing new for this table).
     */
    public ConnectionRows rows(PollResult latest, long now, ConnectionFilter filter, Comparator<ConnectionRow> order) {
        expire(now);
        // (an order by a comparator of its own, such as the remote host's name, may read what changes
        // between polls: only a column's order by the poll's own values is kept)
        if (lastRows != null && latest == rowsOf && filter == rowsFilter && Objects.equals(order, rowsOrder) && marks == rowsMarks
                && (order == null || order instanceof ConnectionColumn.Order o && (o.column().entryKey() != null || o.column() == ConnectionColumn.PROCESS)))
            return lastRows;
        Map<ConnectionKey, TrackedConnection> conns = latest.connections();
        long pollTime = latest.snapshot().timestampMillis();
        ConnectionColumn.Order by = order instanceof ConnectionColumn.Order o && o.column().entryKey() != null ? o : null;
        ConnectionColumn.EntryKey byKey = by != null ? by.column().entryKey() : null;
        // the last rows made with this filter and order: a live row whose tracking is the same object as there
        // (found by position, as the tracker publishes in the dump's order) takes its socket, time, marks and
        // place in the order from them, without reading its tracking, socket or key (at 100k rows, each a
        // cache miss: most of this walk's time). Not for a sort by time in state (its longs move with the clock)
        boolean carryable = by != null && by.column() != ConnectionColumn.TIME_IN_STATE;
        boolean carry = carryable && carry0 != null && filter == carryFilter && by.equals(carryOrder);
        if (carry && conns == carryMap && markEdits == carryMarkEdits) {
            // the tracker published the same connections again (nothing in the table changed) and no mark was set
            // or let go: the last rows at this poll's time, the same arrays (no row read, nothing sorted)
            ConnectionRows made = carry0.atPoll(pollTime, latest.snapshot().holders());
            carry0 = made;
            lastMerged = true;
            return remember(latest, filter, order, made);
        }
        // the poll's trackings by position (the tracker's rows are over them; typed reads: a walk through the map's
        // iterator casts each tracking it gets back, which reads the object, a cache miss per row at 100k rows)
        TrackedRows walk = latest.snapshot().sockets() instanceof TrackedRows t && t.size() == conns.size() ? t : TrackedRows.copyOf(conns.values());
        int total = walk.size();
        int cap = total + closed.size();
        // the arrays of rows taken off the screen (not the carried rows', read below): no 1.7 MB per poll at 100k rows
        RowArrays set = arraysFor(cap);
        SocketEntry[] entries = set.entries;
        long[] since = set.since;
        byte[] flags = set.flags;
        // a sort by a column's long: its longs and the keys' filled here, while each row's socket and key
        // are in the cache (a second walk for the sort, and a third for the rows' counts, read each again
        // from memory: at 100k rows most of the table's time was those reads, issue 11)
        if (byKey != null) scratch.ensure(cap);
        long[] k = byKey != null ? scratch.k : null, lo = byKey != null ? scratch.lo : null, ro = byKey != null ? scratch.ro : null;
        boolean anyNew = !openedAt.isEmpty(), info = false;
        long[] maybeNew = anyNew ? newHashes() : null;
        TrackedConnection[] prevConns = carry ? carryConns : null;
        SocketEntry[] prevEntries = carry ? carry0.entries() : null;
        long[] prevSince = carry ? carry0.stateSinceArray() : null;
        byte[] prevFlags = carry ? carry0.flagsArray() : null;
        int prevLive = carry ? carryLive : 0;
        if (carry) {
            if (prevToNew.length < prevLive) prevToNew = new int[prevLive + (prevLive >>> 3)];
            Arrays.fill(prevToNew, 0, prevLive, -1);
        }
        // this walk's live trackings by row (the spare array, mostly the same objects at the same places: stored only where not)
        TrackedConnection[] rowConns = carryable ? spareConns(total) : null;
        int[] dirty = carry ? dirtyRows(total) : null;
        int dirtyCount = 0, carried = 0, cursor = 0, misses = 0;
        int n = 0;
        // a table where many rows changed (more than a quarter so far) carries no more: the whole sort will read them
        int carryLimit = total / 4;
        boolean carrying = carry;
        for (int i = 0; i < total; i++) {
            if (carrying && dirtyCount > carryLimit) carrying = false;
            TrackedConnection c = null;
            if (carrying) {
                // the rows from here whose trackings are the last walk's from the cursor on, in order (references
                // compared, nothing read): most of a steady table, in runs between the rows that changed
                int run = walk.sameRun(i, prevConns, cursor, Math.min(total - i, prevLive - cursor));
                if (run == 0) {
                    // after a run of rows not found (changed, new), the 8th, 16th, 32nd… of the run is looked for
                    // further ahead: past a block of changed rows the cursor would stay behind for good
                    int reach = misses >= LOOKAHEAD && (misses & (misses - 1)) == 0 ? FAR : LOOKAHEAD;
                    c = walk.tracking(i);
                    for (int x = cursor + 1, end = Math.min(prevLive, cursor + reach); x < end; x++) {
                        if (prevConns[x] == c) {
                            cursor = x;
                            run = walk.sameRun(i, prevConns, cursor, Math.min(total - i, prevLive - cursor));
                            break;
                        }
                    }
                }
                misses = run == 0 ? misses + 1 : 0;
                if (run > 0) {
                    // carried up to the first that may tie with another on the longs (such a row is read again)
                    int m = 0;
                    while (m < run && (prevFlags[cursor + m] & ConnectionRows.TIE) == 0) m++;
                    if (m > 0) {
                        System.arraycopy(prevEntries, cursor, entries, n, m);
                        System.arraycopy(prevSince, cursor, since, n, m);
                        walk.copyTo(i, rowConns, n, m);
                        for (int q = 0; q < m; q++) {
                            byte pf = prevFlags[cursor + q];
                            // still new only while its mark lasts (a connection opened since is a new tracking)
                            byte f = (byte) (pf & (ConnectionRows.MINIMUM | ConnectionRows.INFO));
                            if ((pf & ConnectionRows.NEW) != 0 && openedAt.containsKey(prevEntries[cursor + q].key())) f |= ConnectionRows.NEW;
                            if ((f & ConnectionRows.INFO) != 0) info = true;
                            flags[n + q] = f;
                            prevToNew[cursor + q] = n + q;
                        }
                        n += m;
                        carried += m;
                        cursor += m;
                        i += m - 1;
                        if (m == run) continue;
                        i++;
                    }
                    cursor++; // (a row that may tie: found, read again below)
                    c = walk.tracking(i);
                }
            }
            if (c == null) c = walk.tracking(i);
            SocketEntry e = c.entry();
            if (!filter.test(e)) continue;
            // the key's cached hash against the new keys' bits first: a lookup in the map only for the few rows
            // whose bit is set (at 100k rows a lookup for each was a hash mix and a probe per row per poll)
            ConnectionKey key = e.key();
            int h = key.hashCode();
            byte f = anyNew && (maybeNew[(h >>> 6) & (NEW_HASH_WORDS - 1)] & (1L << h)) != 0 && openedAt.containsKey(key)
                    ? ConnectionRows.NEW : 0;
            // in this state since before the first poll (not a TIME_WAIT dated by its kernel timer): a minimum
            if (!c.stateSinceObserved() && !(e.state() == TcpState.TIME_WAIT && e.hasTimerTime())) f |= ConnectionRows.MINIMUM;
            long st = c.stateSinceMillis();
            if (byKey != null) {
                k[n] = byKey.of(e, Math.max(0, pollTime - st));
                long l = key.localOrder(), r = key.remoteOrder();
                lo[n] = l;
                ro[n] = r;
                // rows the longs may not order apart (an IPv6 endpoint, a socket tied to an interface): never carried
                if (l == Long.MAX_VALUE || r == Long.MAX_VALUE || key.local().ifIndex() != 0 || key.remote().ifIndex() != 0)
                    f |= ConnectionRows.TIE;
            }
            if (e.tcpInfo() != null) {
                info = true;
                f |= ConnectionRows.INFO;
            }
            if (carryable && rowConns[n] != c) rowConns[n] = c;
            if (carry) dirty[dirtyCount++] = n;
            entries[n] = e;
            since[n] = st;
            flags[n++] = f;
        }
        int live = n;
        int closedRows = 0;
        // a closed row's key is not among the live ones: a connection that comes back is in its poll's
        // opened rows, which take it out of the closed ones (accept). No lookup in the poll's map per
        // closed row: the first one built the map's index, a hash of every key of the table, each poll
        for (Closed c : closed.values()) {
            if (!filter.test(c.entry())) continue;
            SocketEntry e = c.entry();
            if (byKey != null) {
                k[n] = byKey.of(e, -1);
                lo[n] = e.key().localOrder();
                ro[n] = e.key().remoteOrder();
            }
            if (!info && e.tcpInfo() != null) info = true;
            entries[n] = e;
            since[n] = c.stateSince();
            flags[n++] = ConnectionRows.CLOSED;
            closedRows++;
        }
        set.filled(n);
        lastCarried = carried;
        ConnectionRows rows = new ConnectionRows(set, n, pollTime, latest.snapshot().holders(), closedRows, info);
        // the carried rows in the last order, the others sorted and merged in: while few changed (a carried row's
        // longs are read only where a changed row is placed among them); else the whole sort, every row read
        boolean merge = carry && carried > 0 && n >= RADIX_FROM && dirtyCount <= live / 8 && carry0.orderArray() != null;
        int[] placed = merge ? merged(rows, live, carry0.orderArray(), prevLive, prevToNew, dirty, dirtyCount, by, k, lo, ro,
                set.order, scratch) : null;
        merge = placed != null;
        if (!merge && carried > 0) {
            // the whole sort: the carried rows' longs are not in the arrays yet (the others' are)
            for (int i = 0, d = 0; i < live; i++) {
                if (d < dirtyCount && dirty[d] == i) {
                    d++;
                    continue;
                }
                SocketEntry e = entries[i];
                k[i] = byKey.of(e, Math.max(0, pollTime - since[i]));
                lo[i] = e.key().localOrder();
                ro[i] = e.key().remoteOrder();
            }
        }
        ConnectionRows made = rows.reordered(merge ? placed : order(rows, order, scratch, byKey != null, set.order));
        if (carryable) {
            // the spare held the rows of two walks ago: what lies past this walk's is let go
            if (spareFilled > live) Arrays.fill(rowConns, live, Math.min(spareFilled, rowConns.length), null);
            TrackedConnection[] last = carryConns;
            int lastCount = carryLive;
            carryConns = rowConns;
            carryLive = live;
            spareConns = last;
            spareFilled = lastCount;
            carry0 = made;
            carryFilter = filter;
            carryOrder = by;
            carryMap = conns;
            carryMarkEdits = markEdits;
            lastMerged = merge;
        } else {
            dropCarry();
        }
        return remember(latest, filter, order, made);
    }

    /** {@code made} as the rows of this poll, filter, order and marks (what a refresh gives again); returns it. */
    private ConnectionRows remember(PollResult latest, ConnectionFilter filter, Comparator<ConnectionRow> order, ConnectionRows made) {
        // the counters this poll read beside its table (the rows in view): shown from there, no row copied for them
        made = made.withCounters(latest.counters());
        rowsOf = latest;
        rowsFilter = filter;
        rowsOrder = order;
        rowsMarks = marks;
        lastRows = made;
        return made;
    }

    /** How far past the last carried row a row is looked for among the last walk's (rows gone or changed before it). */
    private static final int LOOKAHEAD = 8;
    /** How far a row is looked for now and then in a run of rows not found (see {@link #rows}). */
    private static final int FAR = 4096;
    /** The last rows made by a column's long (not time in state), what the next walk carries rows from; null: none. */
    private ConnectionRows carry0;
    /** Its live rows' trackings (the first {@link #carryLive}), by array index. */
    private TrackedConnection[] carryConns = new TrackedConnection[0];
    private int carryLive;
    private ConnectionFilter carryFilter;
    private ConnectionColumn.Order carryOrder;
    /** The connections they were made from, and {@link #markEdits} then. */
    private Map<ConnectionKey, TrackedConnection> carryMap;
    private long carryMarkEdits;
    /** The trackings' array of the walk before (filled again by the next; its first {@link #spareFilled} are set). */
    private TrackedConnection[] spareConns = new TrackedConnection[0];
    private int spareFilled;
    /** The last walk's row (array index) → this walk's (-1: not carried). */
    private int[] prevToNew = new int[0];
    /** This walk's rows not carried (array indices). */
    private int[] dirty = new int[0];
    /** The last {@link #rows} placed carried rows in their last order (for tests). */
    boolean lastMerged;
    /** Live rows the last {@link #rows} carried from the rows before, not read (for tests). */
    int lastCarried;

    private TrackedConnection[] spareConns(int size) {
        if (spareConns.length < size) {
            spareConns = new TrackedConnection[size + (size >>> 6) + 16];
            spareFilled = 0;
        }
        return spareConns;
    }

    private int[] dirtyRows(int size) {
        if (dirty.length < size || dirty.length > 2 * size + 1024) dirty = new int[size + (size >>> 6) + 16];
        return dirty;
    }

    /** Nothing is carried into the next walk (another filter, order or source; names a search matches came in). */
    private void dropCarry() {
        carry0 = null;
        carryConns = new TrackedConnection[0];
        carryLive = 0;
        spareConns = new TrackedConnection[0];
        spareFilled = 0;
        carryFilter = null;
        carryOrder = null;
        carryMap = null;
        lastMerged = false;
    }

    /**
     * The display order of {@code rows} as {@link #order} gives it for a sort by {@code by} (live rows, then
     * closed ones), from the last rows' order: their live rows carried into these ({@code prevToNew}) keep
     * their order (their longs are the same, and no two of them tie on the longs: a row that may was not
     * carried), the {@code dirty} ones are sorted and each placed among them by a binary search, and the
     * closed ones (after the live ones in the arrays) are sorted apart. The order is the comparison sort's
     * over the longs, ties (IPv6 endpoints) by the keys, then by array index (from the last if descending),
     * which is what the radix sort gives.
     */
    private static int[] merged(ConnectionRows rows, int live, int[] prevOrder, int prevLive, int[] prevToNew, int[] dirty,
                                int dirtyCount, ConnectionColumn.Order by, long[] k, long[] lo, long[] ro, int[] into,
                                SortScratch scratch) {
        int n = rows.size();
        SocketEntry[] entries = rows.entries();
        ConnectionColumn.EntryKey key = by.column().entryKey();
        boolean remote = by.column() == ConnectionColumn.REMOTE;
        int sign = by.ascending() ? 1 : -1;
        // a carried row's longs are not in the arrays: read from its socket when a changed row is compared with it
        boolean[] filled = scratch.flags(n);
        for (int i = 0; i < dirtyCount; i++) filled[dirty[i]] = true;
        for (int i = live; i < n; i++) filled[i] = true;
        IntConsumer read = r -> {
            if (filled[r]) return;
            SocketEntry e = entries[r];
            k[r] = key.of(e, rows.timeInState(r));
            lo[r] = e.key().localOrder();
            ro[r] = e.key().remoteOrder();
            filled[r] = true;
        };
        IntBinaryOperator cmp = (a, b) -> {
            read.accept(a);
            read.accept(b);
            int c = Long.compare(k[a], k[b]);
            if (c == 0 && remote && k[a] == Long.MAX_VALUE) c = entries[a].key().remote().compareTo(entries[b].key().remote());
            if (c == 0) {
                if (lo[a] != lo[b]) c = Long.compare(lo[a], lo[b]);
                else if (lo[a] == Long.MAX_VALUE || ro[a] == Long.MAX_VALUE) c = entries[a].key().compareTo(entries[b].key());
                else c = Long.compare(ro[a], ro[b]);
            }
            return sign * (c != 0 ? c : Integer.compare(a, b));
        };
        int[] carried = scratch.ints(live);
        int s = 0;
        for (int p = 0; p < prevLive; p++) {
            int i = prevToNew[prevOrder[p]];
            if (i >= 0) carried[s++] = i;
        }
        if (s != live - dirtyCount) return null; // (never: the last order's first rows are its live ones) the whole sort
        int[] changed = IndirectSort.mergesort(Arrays.copyOf(dirty, dirtyCount), cmp);
        int[] out = into;
        int o = 0, from = 0;
        for (int d : changed) {
            // the first carried row after d
            int a = from, b = s;
            while (a < b) {
                int mid = (a + b) >>> 1;
                if (cmp.applyAsInt(carried[mid], d) < 0) a = mid + 1;
                else b = mid;
            }
            System.arraycopy(carried, from, out, o, a - from);
            o += a - from;
            from = a;
            out[o++] = d;
        }
        System.arraycopy(carried, from, out, o, s - from);
        o += s - from;
        if (n > live) {
            int[] closedOrder = new int[n - live];
            for (int i = live; i < n; i++) closedOrder[i - live] = i;
            closedOrder = IndirectSort.mergesort(closedOrder, cmp);
            System.arraycopy(closedOrder, 0, out, o, closedOrder.length);
        }
        return out;
    }

    /** The most sets of arrays kept for the rows ({@link RowArrays}): on screen, carried, and one being made. */
    private static final int SETS = 3;
    /** The sets of arrays rows are made into, made again once their rows were taken off the screen. */
    private final List<RowArrays> sets = new ArrayList<>(SETS);
    /** The rows on screen (the FX thread writes, {@link #shown}); null: none told. */
    private volatile ConnectionRows onScreen;

    /**
     * FX thread: {@code rows} are on screen now (the rows they replace, if of another set of arrays, are not: a
     * later poll's rows may be made into that set). A view that never tells leaves every set to its rows (a new
     * set per poll, as before). Never blocks.
     */
    public void shown(ConnectionRows rows) {
        ConnectionRows now = rows == null ? ConnectionRows.EMPTY : rows;
        ConnectionRows before = onScreen;
        onScreen = now;
        if (before != null && before != now) before.tookOffScreenFor(now);
    }

    /**
     * FX thread: {@code rows} were handed over and not shown (the table was paused, or sorted by another order
     * meanwhile): their set may be made into again, unless the rows on screen read it.
     */
    public void notShown(ConnectionRows rows) {
        ConnectionRows s = onScreen;
        if (rows != null && (s == null || s.pooled() != rows.pooled())) rows.tookOffScreenFor(s == null ? ConnectionRows.EMPTY : s);
    }

    /**
     * Off the prepare thread (a sort of the rows on screen): holds {@code rows}' set of arrays from being made
     * into again until {@link #unpin}; false when it was already (newer rows are on screen: the sort is moot).
     */
    public synchronized boolean pin(ConnectionRows rows) {
        if (!rows.current()) return false;
        if (rows.pooled() != null) rows.pooled().pins++;
        return true;
    }

    public synchronized void unpin(ConnectionRows rows) {
        if (rows.pooled() != null) rows.pooled().pins--;
    }

    /**
     * A set of arrays for {@code n} rows: one whose rows were taken off the screen and that nothing reads,
     * else a new one (kept, up to {@link #SETS}; past that a set held by rows never shown nor told is let go).
     */
    private RowArrays arraysFor(int n) {
        RowArrays carried = carry0 == null ? null : carry0.pooled(), again = lastRows == null ? null : lastRows.pooled();
        ConnectionRows s = onScreen;
        RowArrays shown = s == null ? null : s.pooled();
        for (RowArrays a : sets) if (a != carried && a != again && a != shown && a.free()) return a.ready(n);
        if (sets.size() >= SETS) {
            for (int i = 0; i < sets.size(); i++) {
                RowArrays a = sets.get(i);
                if (a != carried && a != again && a != shown && a.pins == 0) {
                    sets.remove(i); // (its rows, if anything holds them, keep their arrays: never written again)
                    break;
                }
            }
        }
        RowArrays made = new RowArrays().ready(n);
        if (sets.size() < SETS) sets.add(made);
        return made;
    }

    /** The sets kept (tests). */
    int arraySets() {
        return sets.size();
    }

    /** Words of {@link #newHashes}: 2^16 bits, 8 KB. */
    private static final int NEW_HASH_WORDS = 1 << 10;
    /** A bit set for the low 16 bits of the hash of every key marked new (a key whose bit is clear is not). */
    private final long[] newHashBits = new long[NEW_HASH_WORDS];
    /** The {@link #marks} the bits were set for. */
    private long newHashMarks = -1;

    /** The bits of the keys marked new now, set again when the marks changed. */
    private long[] newHashes() {
        if (newHashMarks != marks) {
            Arrays.fill(newHashBits, 0);
            for (ObjectCursor<ConnectionKey> c : openedAt.keys()) {
                int h = c.value.hashCode();
                newHashBits[(h >>> 6) & (NEW_HASH_WORDS - 1)] |= 1L << h;
            }
            newHashMarks = marks;
        }
        return newHashBits;
    }

    /**
     * The sort's per-row longs, kept from poll to poll for {@link #rows} (its callers hold the model's
     * lock): at 100k rows each is an 800 KB array, a humongous G1 allocation (over half a 1 MB region),
     * three of them made anew every poll. Only what the sort reads while it runs; nothing of it is handed out.
     */
    private final SortScratch scratch = new SortScratch();

    /**
     * Arrays of at least {@code n} longs, grown by an eighth and cut back when far larger than needed; and the
     * sort's other per-row arrays, kept the same way (the radix sort's other buffer and digit counts, the rows'
     * closed marks, the merge's carried rows and marks): each made anew every poll before, 1.4 MB at 100k rows.
     */
    static final class SortScratch {
        private long[] k = new long[0], lo = new long[0], ro = new long[0];
        private int[] ints = new int[0];
        private boolean[] bools = new boolean[0], closedRow = new boolean[0];
        final KeySort.Scratch keySort = new KeySort.Scratch();

        /** An int per row, at least {@code n}, its values left as they were. */
        int[] ints(int n) {
            if (ints.length < n || ints.length > 2 * n + 1024) ints = new int[RowArrays.lengthFor(n)];
            return ints;
        }

        /** A mark per row, at least {@code n}, the first {@code n} clear. */
        boolean[] flags(int n) {
            if (bools.length < n || bools.length > 2 * n + 1024) bools = new boolean[n + (n >>> 3)];
            else Arrays.fill(bools, 0, n, false);
            return bools;
        }

        /** The closed mark of each row for {@link #order}, at least {@code n} (every one of the first {@code n} written there). */
        boolean[] closedRow(int n) {
            if (closedRow.length < n || closedRow.length > 2 * n + 1024) closedRow = new boolean[n + (n >>> 3)];
            return closedRow;
        }

        void ensure(int n) {
            if (k.length >= n && k.length <= 2 * n + 1024) return;
            int cap = RowArrays.lengthFor(n); // (at a remake's 128k rows one 1 MB region each, not two)
            k = new long[cap];
            lo = new long[cap];
            ro = new long[cap];
        }

        int capacity() {
            return k.length;
        }
    }

    /** Told the thread of every sort (tests check it is never the FX thread). */
    static volatile Consumer<Thread> sortWatch = t -> {};

    /** The same rows in another order (closed rows last); any thread, the rows are not changed. */
    static ConnectionRows sorted(ConnectionRows rows, Comparator<ConnectionRow> order) {
        return rows.reordered(order(rows, order, null));
    }

    /**
     * The display order of {@code rows} (positions into its arrays): closed rows last, then {@code order}.
     * A sort by one of the table's columns reads a long per row (the text for the process column) and
     * the connection keys' packed endpoints from the sockets themselves, with an index merge sort (HPPC,
     * stable): no row objects and no comparator chain. Any other comparator sorts rows made for the sort.
     */
    static int[] order(ConnectionRows rows, Comparator<ConnectionRow> order) {
        return order(rows, order, null);
    }

    /** {@link #order(ConnectionRows, Comparator)} with the per-row longs in {@code scratch} (null: arrays of its own). */
    static int[] order(ConnectionRows rows, Comparator<ConnectionRow> order, SortScratch scratch) {
        return order(rows, order, scratch, false, null);
    }

    /**
     * @param filled the column's and the keys' longs of every row are in {@code scratch} already (the
     *               model's {@link #rows} fills them as it makes the rows)
     * @param into   where the radix sort writes the order (at least {@code rows.size()} ints; null: an array of its own);
     *               the order returned is this array when it was written there
     */
    static int[] order(ConnectionRows rows, Comparator<ConnectionRow> order, SortScratch scratch, boolean filled, int[] into) {
        sortWatch.accept(Thread.currentThread());
        int n = rows.size();
        boolean[] closedRow = scratch != null ? scratch.closedRow(n) : new boolean[n];
        for (int i = 0; i < n; i++) closedRow[i] = rows.closed(i);
        boolean text = order instanceof ConnectionColumn.Order o && o.column() == ConnectionColumn.PROCESS;
        if (!(order instanceof ConnectionColumn.Order o) || (o.column().entryKey() == null && !text)) {
            if (order == null) return IndirectSort.mergesort(0, n,
                    (a, b) -> Boolean.compare(closedRow[a], closedRow[b]));
            ConnectionRow[] made = new ConnectionRow[n];
            for (int i = 0; i < n; i++) made[i] = rows.make(i);
            return IndirectSort.mergesort(0, n, (a, b) -> {
                if (closedRow[a] != closedRow[b]) return closedRow[a] ? 1 : -1;
                return order.compare(made[a], made[b]);
            });
        }
        // (filled: the arrays the rows were made into; ensure would make new ones when a filter left far fewer rows)
        if (scratch != null && !filled) scratch.ensure(n);
        // (the scratch arrays may be longer than n: the sorts below read only the first n of each)
        long[] k = scratch != null ? scratch.k : new long[n];
        String[] s = text ? new String[n] : null;
        // the tie-break (the connection key's order) from two longs per row, read once: most rows tie on
        // a column like State, and a comparison then touched two keys in memory far apart
        long[] lo = scratch != null ? scratch.lo : new long[n], ro = scratch != null ? scratch.ro : new long[n];
        ConnectionColumn.EntryKey key = o.column().entryKey();
        if (!filled || text) {
            for (int i = 0; i < n; i++) {
                SocketEntry e = rows.entry(i);
                if (text) s[i] = ConnectionRow.processText(e, rows.holders(i));
                else k[i] = key.of(e, rows.timeInState(i));
                lo[i] = e.key().localOrder();
                ro[i] = e.key().remoteOrder();
            }
        }
        boolean remote = o.column() == ConnectionColumn.REMOTE;
        int sign = o.ascending() ? 1 : -1;
        IntBinaryOperator cmp = (a, b) -> {
            if (closedRow[a] != closedRow[b]) return closedRow[a] ? 1 : -1;
            int c = text ? s[a].compareTo(s[b]) : Long.compare(k[a], k[b]);
            if (c == 0 && remote && k[a] == Long.MAX_VALUE) c = rows.entry(a).key().remote().compareTo(rows.entry(b).key().remote());
            if (c == 0) {
                // ConnectionKey.compareTo's order; an IPv6 endpoint (V6 = Long.MAX_VALUE) needs the keys themselves
                if (lo[a] != lo[b]) c = Long.compare(lo[a], lo[b]);
                else if (lo[a] == Long.MAX_VALUE || ro[a] == Long.MAX_VALUE) c = rows.entry(a).key().compareTo(rows.entry(b).key());
                else c = Long.compare(ro[a], ro[b]);
            }
            return sign * c;
        };
        if (text || n < RADIX_FROM) return IndirectSort.mergesort(0, n, cmp);
        return byKeys(n, closedRow, k, lo, ro, remote, o.ascending(), cmp, into, scratch != null ? scratch.keySort : null);
    }

    /** From this many rows the sort by a column's long runs as a radix sort on the longs ({@link KeySort}). */
    static final int RADIX_FROM = 2_048;

    /**
     * The order of {@link #order} from the rows' longs by a radix sort: closed rows last, then the column's
     * value, then the key's two longs, ascending (a descending order is each part reversed: no two rows tie
     * on all of them but where the longs cannot tell them apart). Where they cannot (an IPv6 endpoint: its
     * long is {@link Long#MAX_VALUE} for every address; the remote column's IPv6 remotes), the run of rows
     * that tie on the longs is sorted by {@code cmp}, the comparison sort's own comparator.
     */
    private static int[] byKeys(int n, boolean[] closedRow, long[] k, long[] lo, long[] ro, boolean remote, boolean ascending,
                                IntBinaryOperator cmp, int[] into, KeySort.Scratch sortScratch) {
        int open = 0;
        for (int i = 0; i < n; i++) if (!closedRow[i]) open++;
        boolean closedLast = true; // the model puts the closed rows after the live ones in its arrays
        for (int i = 0; i < open && closedLast; i++) closedLast = !closedRow[i];
        int[] order;
        if (open == n) {
            order = KeySort.ascending(n, n, into, sortScratch, k, lo, ro); // no closed row: no key to put them last (another 800 KB at 100k)
        } else if (closedLast) {
            // the live rows sorted apart from the few closed ones after them: no "closed" key for every row
            // (an 800 KB array and a pass of the sort over every row at 100k, each poll under churn)
            order = KeySort.ascending(n, open, into, sortScratch, k, lo, ro);
        } else {
            long[] closed = new long[n];
            for (int i = 0; i < n; i++) if (closedRow[i]) closed[i] = 1;
            order = KeySort.ascending(n, closed, k, lo, ro);
        }
        if (!ascending) {
            reverse(order, 0, open);
            reverse(order, open, n);
        }
        // runs the longs do not order: equal column value (and closed or not), and either an IPv6 remote in
        // the remote column, or an IPv6 local endpoint, or equal local longs with an IPv6 remote (or a duplicate)
        int from = 0;
        for (int i = 1; i <= n; i++) {
            if (i < n) {
                int a = order[i - 1], b = order[i];
                boolean tie = closedRow[a] == closedRow[b] && k[a] == k[b]
                        && ((remote && k[a] == Long.MAX_VALUE) || (lo[a] == lo[b] && (lo[a] == Long.MAX_VALUE || ro[a] == ro[b])));
                if (tie) continue;
            }
            if (i - from > 1) {
                int[] run = IndirectSort.mergesort(Arrays.copyOfRange(order, from, i), cmp);
                System.arraycopy(run, 0, order, from, run.length);
            }
            from = i;
        }
        return order;
    }

    private static void reverse(int[] a, int from, int to) {
        for (int i = from, j = to - 1; i < j; i++, j--) {
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private void expire(long now) {
        if (openedAt.removeAll((k, t) -> now - t > highlightMillis) > 0) {
            marks++;
            markEdits++;
        }
        for (Iterator<Closed> it = closed.values().iterator(); it.hasNext(); ) {
            if (now - it.next().at() > highlightMillis) {
                it.remove();
                marks++;
                markEdits++;
            }
        }
    }

    public int highlightedNew() {
        return openedAt.size();
    }

    public int recentlyClosed() {
        return closed.size();
    }
}
