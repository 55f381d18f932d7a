package io.tcplens.analysis.alerts;

import com.carrotsearch.hppc.IntArrayList;
import io.tcplens.analysis.ports.Destination;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.Listeners;
import io.tcplens.model.BigMaps;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KeySlots;
import io.tcplens.model.RowAlignment;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the alert rules read of a poll's table, kept from poll to poll and updated by what changed: the
 * sockets per state, the listening ports, the ephemeral ports each destination holds (outbound sockets
 * on an ephemeral local port, per local address and remote endpoint: {@code DestinationUsage.inUse}) and
 * the CLOSE_WAIT sockets per owning process.
 * <p>
 * Each row of the table has a slot (an index into parallel arrays) holding the row object it was counted
 * from and what it added (its state, its destination, its process). A source gives an unchanged socket's
 * row object again (netlink; the tracker keeps it), so a row is found among the previous poll's slots by
 * position and reference ({@link RowAlignment}'s walk): an unchanged row costs a few
 * array reads, no field of it read (at 100k sockets the walk of every row through
 * {@code Listeners.isOutbound} and {@code Endpoint.isWildcard} was most of the incident thread's time:
 * four dependent loads per row). A row object not found so is found by its key object in the same few places
 * (a changed row of the same socket), else looked up by its key; its old counts are
 * taken back and its new ones added; a slot not listed again is taken back and freed. Only where the
 * listening ports or the port range change is every row's destination worked out again. A table that
 * lists a 4-tuple twice (a racing dump) gives the second row a slot of its own (not in the map): every row
 * counts once, as a walk over the table counts it. Not thread-safe.
 */
final class AlertTally {
    private static final TcpState[] STATES = TcpState.values();
    private static final int LISTEN = TcpState.LISTEN.ordinal(), CLOSE_WAIT = TcpState.CLOSE_WAIT.ordinal();

    /** The slot by 4-tuple: new ones wait until the gone ones left (no doubling at a remake, {@link KeySlots}). */
    private final KeySlots slotOf = new KeySlots();
    /** The walk beside the previous table's places (its cursor and look-ahead: the tracker's and TableDiff's). */
    private final RowAlignment alignment = new RowAlignment();
    private SocketEntry[] slotRow = new SocketEntry[16];
    private int[] slotPos = new int[16];
    private int[] slotDest = new int[16];
    private int[] slotProc = new int[16];
    private byte[] slotState = new byte[16];
    private int slotsMade;
    private final IntArrayList freeSlots = new IntArrayList();
    private int[] previous = new int[0];
    private int previousCount;
    private int[] spare = new int[0];
    private final IntArrayList dirty = new IntArrayList();
    /** The rows of the last table taken. */
    private List<SocketEntry> lastRows;

    private final int[] states = new int[STATES.length];
    /** LISTEN sockets per local port. */
    private final int[] listening = new int[65_536];
    private boolean listenersChanged;

    private EphemeralPortRange range;
    private int boundInRange;
    private int usable = -1;

    /** Ports held per destination. */
    private final CountedIds<Destination> destinations = new CountedIds<>();
    /** CLOSE_WAIT sockets per owning process. */
    private final CountedIds<AlertMonitor.ProcessKey> closeWait = new CountedIds<>();

    /**
     * Takes the next table. {@code portRange}: the ephemeral range the destinations are counted against
     * (null: none counted, as when no headroom rule is checked).
     */
    void update(Snapshot s, EphemeralPortRange portRange) {
        var rows = s.sockets();
        if (rows == lastRows && Objects.equals(portRange, range)) {
            // the last table's list again (a snapshot's list is immutable: the tracker publishes it again when no
            // row changed), against the same range: every figure as it is
            listenersChanged = false;
            dirty.clear();
            return;
        }
        lastRows = rows;
        int n = rows.size();
        // (a table that shrank to under a quarter of the spare's length gets a smaller one: no array sized to a
        // table long gone kept for good)
        int[] now = BigMaps.placesFor(spare, n, n + (n >> 4));
        // a first table of 100k: its size and room for a remake at once, not grown by half 20 times and again at the remake
        if (slotRow.length < n) growSlots(BigMaps.columnsFor(n));
        int[] before = previous;
        SocketEntry[] rowOf = slotRow;
        int count = 0;
        int prevCount = previousCount;
        alignment.start(prevCount);
        listenersChanged = false;
        dirty.clear();
        for (int i = 0; i < n; i++) {
            SocketEntry e = rows.get(i);
            int x = -1;
            // the previous poll's row object at about the same place: unchanged, nothing read of it
            for (int j = alignment.cursor(), end = alignment.end(); j < end; j++) {
                int y = before[j];
                if (rowOf[y] == e) {
                    if (!listed(y, now, count)) {
                        x = y;
                        alignment.found(j);
                    }
                    break;
                }
            }
            ConnectionKey k = null;
            if (x < 0) {
                // a new row object of the same socket (its key object: netlink keeps it by cookie) at about the same
                // place: found without hashing the key (a TIME_WAIT row whose timer moved, a row with new queues)
                k = e.key();
                for (int j = alignment.cursor(), end = alignment.end(); j < end; j++) {
                    int y = before[j];
                    if (rowOf[y].key() == k) {
                        if (!listed(y, now, count)) {
                            x = y;
                            alignment.found(j);
                            if (rowOf[x] != e) change(x, e);
                        }
                        break;
                    }
                }
            }
            if (x < 0) {
                int y = slotOf.get(k);
                if (y >= 0 && !listed(y, now, count)) {
                    x = y;
                    if (slotPos[x] >= 0 && slotPos[x] < prevCount && before[slotPos[x]] == x) alignment.resync(slotPos[x]);
                    if (rowOf[x] != e) change(x, e);
                } else {
                    x = newSlot();
                    rowOf = slotRow; // grown
                    if (y < 0) slotOf.add(k, x); // else listed twice in this table: a slot of its own
                    rowOf[x] = e;
                    add(x, e);
                }
            }
            slotPos[x] = count;
            now[count++] = x;
        }
        // the previous table's rows not listed again are gone
        for (int j = 0; j < prevCount; j++) {
            int x = before[j];
            if (listed(x, now, count)) continue;
            take(x);
            slotOf.remove(slotRow[x].key(), x);
            slotRow[x] = null;
            freeSlots.add(x);
        }
        slotOf.settle(); // (the new 4-tuples go in now, after the gone ones left)
        spare = previous;
        previous = now;
        previousCount = count;
        // the destinations of the rows that changed; of every row where the listeners or the range did
        boolean rangeChanged = !Objects.equals(portRange, range);
        range = portRange;
        if (rangeChanged || listenersChanged) {
            boundInRange = 0;
            if (portRange != null && portRange.known()) {
                for (int p = 0; p < listening.length; p++) if (listening[p] > 0 && portRange.isEphemeral(p)) boundInRange++;
            }
            usable = portRange == null || !portRange.known() ? -1 : Math.max(0, portRange.usable() - boundInRange);
            for (int j = 0; j < count; j++) {
                int x = now[j];
                untallyDestination(x);
                slotDest[x] = destination(slotRow[x]);
            }
        } else {
            for (int k = 0; k < dirty.size(); k++) {
                int x = dirty.get(k);
                if (slotRow[x] != null) slotDest[x] = destination(slotRow[x]);
            }
        }
    }

    /** Adds what row {@code e} of slot {@code x} counts (its destination is worked out after the walk). */
    private void add(int x, SocketEntry e) {
        int st = e.state().ordinal();
        slotState[x] = (byte) st;
        states[st]++;
        if (st == LISTEN && listening[e.local().port()]++ == 0) listenersChanged = true;
        slotProc[x] = st == CLOSE_WAIT && e.pid() != null ? closeWait.acquire(new AlertMonitor.ProcessKey(e.pid(), e.process())) : -1;
        slotDest[x] = -1;
        dirty.add(x);
    }

    /**
     * Slot {@code x}'s socket has a new row object (the same 4-tuple): what changed with it. Its destination
     * is its 4-tuple's, so it stays unless the state moved into or out of LISTEN or CLOSED (no port held).
     */
    private void change(int x, SocketEntry e) {
        int was = slotState[x], st = e.state().ordinal();
        if (was != st) {
            states[was]--;
            states[st]++;
            slotState[x] = (byte) st;
            if (was == LISTEN && --listening[slotRow[x].local().port()] == 0) listenersChanged = true;
            if (st == LISTEN && listening[e.local().port()]++ == 0) listenersChanged = true;
            if (holdsNoPort(was) != holdsNoPort(st)) {
                untallyDestination(x);
                dirty.add(x);
            }
        }
        if (was == CLOSE_WAIT || st == CLOSE_WAIT) {
            untallyProcess(x);
            if (st == CLOSE_WAIT && e.pid() != null) slotProc[x] = closeWait.acquire(new AlertMonitor.ProcessKey(e.pid(), e.process()));
        }
        slotRow[x] = e;
    }

    private static boolean holdsNoPort(int state) {
        return state == LISTEN || state == TcpState.CLOSED.ordinal();
    }

    private void untallyProcess(int x) {
        closeWait.release(slotProc[x]);
        slotProc[x] = -1;
    }

    /** Takes back what slot {@code x} counted. */
    private void take(int x) {
        int st = slotState[x];
        states[st]--;
        if (st == LISTEN && --listening[slotRow[x].local().port()] == 0) listenersChanged = true;
        untallyProcess(x);
        untallyDestination(x);
    }

    private void untallyDestination(int x) {
        destinations.release(slotDest[x]);
        slotDest[x] = -1;
    }

    /** The destination a row holds a port of (counted), or -1: as {@link Listeners#isOutbound} and the range say. */
    private int destination(SocketEntry e) {
        EphemeralPortRange r = range;
        if (r == null || !r.known()) return -1;
        TcpState st = e.state();
        if (st == TcpState.LISTEN || st == TcpState.CLOSED) return -1;
        Endpoint remote = e.remote();
        if (remote.port() == 0) return -1;
        Endpoint local = e.local();
        int lp = local.port();
        if (listening[lp] > 0 || remote.isWildcard() || !r.isEphemeral(lp)) return -1;
        return destinations.acquire(new Destination(local.address(), remote));
    }

    /**
     * Whether this table listed slot {@code x} already: its place is among the {@code count} places given so far
     * in {@code now} and holds it (places below {@code count} were all written by this table): no column of
     * generations beside (0.4 MB at 100k).
     */
    private boolean listed(int x, int[] now, int count) {
        return BigMaps.listed(slotPos, x, now, count);
    }

    private int newSlot() {
        int x;
        if (!freeSlots.isEmpty()) {
            x = freeSlots.removeLast();
        } else {
            x = slotsMade++;
            if (x == slotRow.length) growSlots(BigMaps.grownColumns(x)); // (not past G1's humongous size at once)
        }
        slotPos[x] = -1;
        slotDest[x] = -1;
        slotProc[x] = -1;
        return x;
    }

    private void growSlots(int cap) {
        slotRow = Arrays.copyOf(slotRow, cap);
        slotPos = Arrays.copyOf(slotPos, cap);
        slotDest = Arrays.copyOf(slotDest, cap);
        slotProc = Arrays.copyOf(slotProc, cap);
        slotState = Arrays.copyOf(slotState, cap);
    }

    /** The length of the per-slot columns (tests: not regrown at a remake). */
    int slotColumns() {
        return slotRow.length;
    }

    /** The slots of the 4-tuple map's arrays (tests: no doubling at a remake). */
    int mapCapacity() {
        return slotOf.capacity();
    }

    /** Sockets in state {@code s}. */
    int count(TcpState s) {
        return states[s.ordinal()];
    }

    /** Ports the OS can pick for a destination (the range less the listeners' ports inside it); -1 when the range is unknown or none given. */
    int usable() {
        return usable;
    }

    /** Past the highest destination id; ids below with {@link #inUse(int)} 0 are free. */
    int destinationIds() {
        return destinations.ids();
    }

    /** Ports destination {@code id} holds (0: no such destination now). */
    int inUse(int id) {
        return destinations.count(id);
    }

    Destination destination(int id) {
        return destinations.key(id);
    }

    /** The id of a destination that holds ports now, or -1. */
    int idOf(Destination d) {
        return destinations.idOf(d);
    }

    /** CLOSE_WAIT sockets per owning process (those with at least one). */
    Map<AlertMonitor.ProcessKey, Integer> closeWaitByProcess() {
        return closeWait.counts();
    }

    /** The ports held per destination now (tests). */
    Map<Destination, Integer> heldByDestination() {
        return destinations.counts();
    }

    /** Sockets per state, every state (tests). */
    Map<TcpState, Integer> countByState() {
        Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
        for (TcpState t : STATES) m.put(t, states[t.ordinal()]);
        return m;
    }

    /** What the tally counts, worked out from scratch by a walk over the whole table (the tests' reference). */
    record FromScratch(Map<TcpState, Integer> states, int usable, Map<Destination, Integer> held,
                       Map<AlertMonitor.ProcessKey, Integer> closeWait) {
        static FromScratch of(Snapshot s, EphemeralPortRange range) {
            Listeners listeners = Listeners.of(s.sockets());
            Map<Destination, Integer> held = new HashMap<>();
            int usable = -1;
            if (range != null && range.known()) {
                int bound = 0;
                for (int p : listeners.ports()) if (range.isEphemeral(p)) bound++;
                usable = Math.max(0, range.usable() - bound);
                for (SocketEntry e : s.sockets()) {
                    if (listeners.isOutbound(e) && range.isEphemeral(e.local().port())) held.merge(Destination.of(e), 1, Integer::sum);
                }
            }
            Map<AlertMonitor.ProcessKey, Integer> cw = new HashMap<>();
            for (SocketEntry e : s.sockets()) {
                if (e.state() == TcpState.CLOSE_WAIT && e.pid() != null) cw.merge(new AlertMonitor.ProcessKey(e.pid(), e.process()), 1, Integer::sum);
            }
            return new FromScratch(s.countByState(), usable, held, cw);
        }
    }

    /** The tally now in the reference's form (tests). */
    FromScratch asFromScratch() {
        return new FromScratch(countByState(), usable, heldByDestination(), closeWaitByProcess());
    }
}
