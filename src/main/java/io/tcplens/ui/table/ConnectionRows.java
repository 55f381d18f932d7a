package io.tcplens.ui.table;

import com.carrotsearch.hppc.IntObjectHashMap;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.TcpInfoReadings;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The connections table's rows for one poll, in display order, as arrays: the sockets the poll
 * already holds, each one's state-since time and flags (new, closed, time in state a minimum), and an
 * index array the sort filled. No object per row per poll: a {@link ConnectionRow} is made when a row
 * is asked for (the table asks only for the rows on screen) and kept for as long as this content is
 * shown, so the same index gives the same object. Unchanged while they may be read: the model makes a later
 * poll's rows into the same arrays ({@link RowArrays}) only after the FX thread took these off the screen, and
 * no later rows or sort read them; {@link #get} may be called from any thread that holds rows on screen.
 */
public final class ConnectionRows extends AbstractList<ConnectionRow> implements RandomAccess {
    static final byte NEW = 1;
    static final byte CLOSED = 2;
    static final byte MINIMUM = 4;
    /**
     * The model's own marks, not shown: the row's socket carries tcp_info, and its order in the table may tie
     * with another row's on the sort's longs (an IPv6 endpoint, an interface): see {@link ConnectionTableModel}.
     */
    static final byte INFO = 8;
    static final byte TIE = 16;

    public static final ConnectionRows EMPTY = new ConnectionRows(new SocketEntry[0], new long[0], new byte[0], null, 0, 0,
            SocketHolders.NONE);

    private final SocketEntry[] entries;
    private final long[] stateSince;
    private final byte[] flags;
    /** Display position → index into the arrays; null: the arrays' own order. */
    private final int[] order;
    private final int size;
    private final long pollTime;
    private final SocketHolders holders;
    private final int closedCount;
    private final boolean anyTcpInfo;
    /** Counters read beside the poll, by cookie: a row whose socket carries none takes them from here. */
    private final TcpInfoReadings counters;
    /** The model's set the arrays belong to, and its generation when these rows were made (null: arrays of their own). */
    private final RowArrays pooled;
    private final long generation;
    private IntObjectHashMap<ConnectionRow> made;

    /**
     * @param entries    the sockets (the first {@code size} are rows)
     * @param stateSince when each entered its state (epoch ms)
     * @param flags      {@link #NEW}, {@link #CLOSED}, {@link #MINIMUM} per row
     * @param order      display position → array index, or null for the arrays' order
     * @param pollTime   the poll's time, which times in state count to
     * @param holders    the poll's processes per shared socket
     */
    ConnectionRows(SocketEntry[] entries, long[] stateSince, byte[] flags, int[] order, int size, long pollTime,
                   SocketHolders holders) {
        int c = 0;
        boolean info = false;
        for (int i = 0; i < size; i++) {
            if ((flags[i] & CLOSED) != 0) c++;
            if (!info && entries[i].tcpInfo() != null) info = true;
        }
        this(entries, stateSince, flags, order, size, pollTime, holders, c, info);
    }

    /** As the constructor above, with the closed rows and whether any row has tcp_info counted by the caller as it filled the arrays. */
    ConnectionRows(SocketEntry[] entries, long[] stateSince, byte[] flags, int[] order, int size, long pollTime,
                   SocketHolders holders, int closedCount, boolean anyTcpInfo) {
        this(entries, stateSince, flags, order, size, pollTime, holders, closedCount, anyTcpInfo, TcpInfoReadings.NONE, null, 0);
    }

    /** Rows made into one of the model's sets of arrays (its arrays, at its generation now). */
    ConnectionRows(RowArrays set, int size, long pollTime, SocketHolders holders, int closedCount, boolean anyTcpInfo) {
        this(set.entries, set.since, set.flags, null, size, pollTime, holders, closedCount, anyTcpInfo, TcpInfoReadings.NONE,
                set, set.generation);
    }

    private ConnectionRows(ConnectionRows of, int[] order, long pollTime, SocketHolders holders, TcpInfoReadings counters) {
        this(of.entries, of.stateSince, of.flags, order, of.size, pollTime, holders, of.closedCount, of.anyTcpInfo, counters,
                of.pooled, of.generation);
    }

    /** Every field: the constructors above pick their values. */
    private ConnectionRows(SocketEntry[] entries, long[] stateSince, byte[] flags, int[] order, int size, long pollTime,
                           SocketHolders holders, int closedCount, boolean anyTcpInfo, TcpInfoReadings counters,
                           RowArrays pooled, long generation) {
        this.entries = entries;
        this.stateSince = stateSince;
        this.flags = flags;
        this.order = order;
        this.size = size;
        this.pollTime = pollTime;
        this.holders = holders == null ? SocketHolders.NONE : holders;
        this.closedCount = closedCount;
        this.anyTcpInfo = anyTcpInfo;
        this.counters = counters;
        this.pooled = pooled;
        this.generation = generation;
    }

    /** The same sockets, times, marks and order at another poll's time, with its holders (sharing the arrays). */
    ConnectionRows atPoll(long pollTime, SocketHolders holders) {
        return new ConnectionRows(this, order, pollTime, holders, counters);
    }

    /** These rows shown in another order (positions into the arrays), sharing the arrays. */
    ConnectionRows reordered(int[] newOrder) {
        return new ConnectionRows(this, newOrder, pollTime, holders, counters);
    }

    /**
     * These rows with the counters read beside their poll for a few connections (the rows in view): a row
     * whose socket carries none shows them ({@link #get}), sharing the arrays. No row is copied for them.
     */
    ConnectionRows withCounters(TcpInfoReadings readings) {
        TcpInfoReadings r = readings == null ? TcpInfoReadings.NONE : readings;
        return r == counters ? this : new ConnectionRows(this, order, pollTime, holders, r);
    }

    /** The model's set of arrays these rows read (null: arrays of their own, never made into again). */
    RowArrays pooled() {
        return pooled;
    }

    /** Whether these rows still read their own values: their set of arrays was not made into again since. */
    boolean current() {
        return pooled == null || pooled.generation == generation;
    }

    /** FX thread: these rows were taken off the screen, and {@code now} shown: their set may be made into again. */
    void tookOffScreenFor(ConnectionRows now) {
        if (pooled != null && pooled != now.pooled && current()) pooled.released = generation;
    }

    /** The counters read beside the poll for the rows in view ({@link TcpInfoReadings#NONE}: none). */
    public TcpInfoReadings counters() {
        return counters;
    }

    private int at(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException(i);
        return order == null ? i : order[i];
    }

    @Override
    public synchronized ConnectionRow get(int i) {
        int k = at(i);
        if (made == null) made = new IntObjectHashMap<>();
        ConnectionRow r = made.get(k);
        if (r == null) {
            r = make(k);
            made.put(k, r);
        }
        return r;
    }

    /** The row at array index {@code k} (not a display position), made afresh. */
    ConnectionRow make(int k) {
        SocketEntry e = entries[k];
        byte f = flags[k];
        // a live row of a poll that read its counters beside the table (the rows in view): they go into this row
        // alone, made for the screen; the arrays keep the poll's own sockets
        if ((f & CLOSED) == 0 && !counters.isEmpty()) e = counters.applyTo(e);
        if ((f & CLOSED) != 0) return new ConnectionRow(e, ConnectionRow.Status.CLOSED, -1, stateSince[k]);
        return new ConnectionRow(e, (f & NEW) != 0 ? ConnectionRow.Status.NEW : ConnectionRow.Status.NORMAL,
                timeInState(k), stateSince[k], (f & MINIMUM) != 0, holders.of(e.inode()));
    }

    @Override
    public int size() {
        return size;
    }

    /** The connection's key at a display position, without making its row. */
    public ConnectionKey keyAt(int i) {
        return entries[at(i)].key();
    }

    /** The time of the poll these rows are of (epoch ms). */
    public long pollTime() {
        return pollTime;
    }

    /** Rows that just closed (shown red below the live ones). */
    public int closedCount() {
        return closedCount;
    }

    /** Whether any row carries the kernel's tcp_info (its socket's, or read beside the poll). */
    public boolean anyTcpInfo() {
        return anyTcpInfo || !counters.isEmpty();
    }

    // --- by array index, for the sort (ConnectionColumn.RowKey) and the model's next rows ---

    /** The arrays as the model filled them, for the next poll's rows to carry what did not change (never written). */
    SocketEntry[] entries() {
        return entries;
    }

    long[] stateSinceArray() {
        return stateSince;
    }

    byte[] flagsArray() {
        return flags;
    }

    /** Display position → array index (null: the arrays' order). */
    int[] orderArray() {
        return order;
    }

    SocketEntry entry(int k) {
        return entries[k];
    }

    boolean closed(int k) {
        return (flags[k] & CLOSED) != 0;
    }

    long timeInState(int k) {
        return (flags[k] & CLOSED) != 0 ? -1 : Math.max(0, pollTime - stateSince[k]);
    }

    List<SocketHolders.Holder> holders(int k) {
        return (flags[k] & CLOSED) != 0 ? List.of() : holders.of(entries[k].inode());
    }
}
