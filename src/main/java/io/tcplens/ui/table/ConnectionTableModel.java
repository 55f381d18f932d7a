package io.tcplens.ui.table;

import com.carrotsearch.hppc.ObjectLongHashMap;
import com.carrotsearch.hppc.cursors.ObjectCursor;
import com.carrotsearch.hppc.sorting.IndirectSort;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntBinaryOperator;

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
                }
            }
            for (SocketEntry e : r.diff().closed()) {
                openedAt.remove(e.key());
                closed.put(e.key(), new Closed(e, now, now));
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
        first = true;
        marks++;
        forgetRows();
    }

    /**
     * The next {@link #rows} makes its rows anew even from the same inputs: something the filter or the
     * order reads besides the poll changed (a reverse-DNS name a search matches came in).
     */
    public void forgetRows() {
        rowsOf = null;
        lastRows = null;
    }

    /** Bumped by every change of the new and closed marks (a poll taken, a mark let go). */
    private long marks;
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
        int cap = conns.size() + closed.size();
        SocketEntry[] entries = new SocketEntry[cap];
        long[] since = new long[cap];
        byte[] flags = new byte[cap];
        long pollTime = latest.snapshot().timestampMillis();
        // a sort by a column's long: its longs and the keys' filled here, while each row's socket and key
        // are in the cache (a second walk for the sort, and a third for the rows' counts, read each again
        // from memory: at 100k rows most of the table's time was those reads, issue 11)
        ConnectionColumn.EntryKey byKey = order instanceof ConnectionColumn.Order o ? o.column().entryKey() : null;
        if (byKey != null) scratch.ensure(cap);
        long[] k = byKey != null ? scratch.k : null, lo = byKey != null ? scratch.lo : null, ro = byKey != null ? scratch.ro : null;
        boolean anyNew = !openedAt.isEmpty(), info = false;
        long[] maybeNew = anyNew ? newHashes() : null;
        int n = 0;
        for (TrackedConnection c : conns.values()) {
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
                lo[n] = key.localOrder();
                ro[n] = key.remoteOrder();
            }
            if (!info && e.tcpInfo() != null) info = true;
            entries[n] = e;
            since[n] = st;
            flags[n++] = f;
        }
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
        ConnectionRows rows = new ConnectionRows(entries, since, flags, null, n, pollTime, latest.snapshot().holders(), closedRows, info);
        ConnectionRows made = rows.reordered(order(rows, order, scratch, byKey != null));
        rowsOf = latest;
        rowsFilter = filter;
        rowsOrder = order;
        rowsMarks = marks;
        lastRows = made;
        return made;
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

    /** Arrays of at least {@code n} longs, grown by an eighth and cut back when far larger than needed. */
    static final class SortScratch {
        private long[] k = new long[0], lo = new long[0], ro = new long[0];

        void ensure(int n) {
            if (k.length >= n && k.length <= 2 * n + 1024) return;
            int cap = n + (n >>> 3);
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
        return order(rows, order, scratch, false);
    }

    /**
     * @param filled the column's and the keys' longs of every row are in {@code scratch} already (the
     *               model's {@link #rows} fills them as it makes the rows)
     */
    static int[] order(ConnectionRows rows, Comparator<ConnectionRow> order, SortScratch scratch, boolean filled) {
        sortWatch.accept(Thread.currentThread());
        int n = rows.size();
        boolean[] closedRow = new boolean[n];
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
        return byKeys(n, closedRow, k, lo, ro, remote, o.ascending(), cmp);
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
                                IntBinaryOperator cmp) {
        int open = 0;
        for (int i = 0; i < n; i++) if (!closedRow[i]) open++;
        boolean closedLast = true; // the model puts the closed rows after the live ones in its arrays
        for (int i = 0; i < open && closedLast; i++) closedLast = !closedRow[i];
        int[] order;
        if (open == n) {
            order = KeySort.ascending(n, k, lo, ro); // no closed row: no key to put them last (another 800 KB at 100k)
        } else if (closedLast) {
            // the live rows sorted apart from the few closed ones after them: no "closed" key for every row
            // (an 800 KB array and a pass of the sort over every row at 100k, each poll under churn)
            order = KeySort.ascending(n, open, k, lo, ro);
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
        if (openedAt.removeAll((k, t) -> now - t > highlightMillis) > 0) marks++;
        for (Iterator<Closed> it = closed.values().iterator(); it.hasNext(); ) {
            if (now - it.next().at() > highlightMillis) {
                it.remove();
                marks++;
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
