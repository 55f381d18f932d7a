package io.tcplens.model;

import com.carrotsearch.hppc.BitSet;
import com.carrotsearch.hppc.IntIntHashMap;
import com.carrotsearch.hppc.ObjectIntHashMap;
import com.carrotsearch.hppc.sorting.IndirectSort;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * Follows connections across snapshots: when each was first seen, when it entered its current
 * state, its last few transitions and its last known owner. Connections that close are forgotten at
 * once, so memory is bounded by the size of the current table. Not thread-safe: one poller owns it.
 *
 * <p>One pass per poll: each row's track is found by position when its key object is the previous
 * poll's at about the same place ({@link RowAlignment}: netlink keeps a socket's key for its life and
 * dumps in a stable order), else looked up once in a map the tracker keeps and updates in place (keys
 * hash once, see {@link ConnectionKey}); a row object given again keeps its tracking object. Opened
 * connections and transitions fall out of that, and closed ones are the previous poll's tracks the
 * pass did not touch (a walk over its array). A connection's track is no object but a slot in parallel
 * arrays (its row, its tracking and its place in the update that last listed it), freed when it closes and
 * given to the next connection opened: nothing per socket beyond what views are handed. What is published
 * per poll is a read-only view over two
 * arrays (row and tracking per position) whose index for lookups by key is built by the first lookup,
 * so no map of every connection is rebuilt and nothing a view holds is changed afterwards.
 */
public final class ConnectionTracker {
    /** Transitions kept per connection. */
    public static final int HISTORY_LIMIT = 16;

    private final long timeWaitDurationMs;
    /**
     * Each live 4-tuple's track's slot: an open-addressing map of keys to ints (no node object, and no track object, per
     * connection: a {@code Track} of 32 bytes a socket, 3.7 MB and 114k objects to mark at 100k, issue 11).
     */
    private final KeySlots live = new KeySlots(); // (new keys wait until the closed ones left: no doubling at a remake)
    private Map<ConnectionKey, TrackedConnection> published = Map.of();
    private int generation;

    // A track, by slot. raw: the source's row it was made from (given again, as a TIME_WAIT row that inherited
    // its owner every poll: the same published row and tracking). index: its place in the update that last
    // listed it, which says whether this update listed it already ({@link #listed}: no column of generations)
    // and where its tracking is: the last publication's array at that place ({@link #conn}; its entry() is the
    // row published, the source's row or a copy of it with the last known owner), not a column of trackings
    // beside (0.4 MB at 100k, and a store into an old array, a card for the next young pause to scan, per
    // changed row). A slot not in use has no row (nothing kept alive).
    private SocketEntry[] slotRaw = new SocketEntry[0];
    private int[] slotIndex = new int[0];
    /** Slots never used yet start here; freed ones wait in {@link #freeSlots}. */
    private int slotTop;
    private int[] freeSlots = new int[0];
    private int freeCount;
    /**
     * The update that first listed a slot's row without (all of) its events (see {@code update}); a slot not
     * here: none. Few at any time (new rows whose events came late), so a small map, not a column.
     */
    private final IntIntHashMap eventsLateAt = new IntIntHashMap();
    /**
     * The slots whose 4-tuple has events in this update's batch, marked from the batch's 4-tuples before the rows are
     * walked (a lookup per 4-tuple with events, a few thousand a poll of the steady table), and the slots whose key is
     * tied to an interface (events' keys name none: such a row is asked by its {@link KernelTransition#plainKey}).
     * A row whose slot is in neither has no events, told without reading its key or endpoints (asked per row, the
     * plain key and the batch's filter were a third of the tracker's update at 100k rows, issue 11). Both grown with
     * the slot columns ({@link #allocSlot}, {@link #reserveSlots}), not bit by bit while marking.
     */
    private final BitSet eventSlots = new BitSet();
    private final BitSet tiedSlots = new BitSet();

    /**
     * The slots of the previous update, by row position (every live slot is one of them). A row's key is its
     * slot's row's ({@link #slotRaw}): no array of keys beside (with its spare, 0.8 MB at 100k).
     */
    private int[] previousSlots = new int[0];
    private int previousCount;
    /** The array of the update before the previous one, to be filled again. */
    private int[] spareSlots = new int[0];
    private final RowAlignment alignment = new RowAlignment();
    private boolean polled;
    private long previousMillis;

    /**
     * Whether this update listed slot {@code t} already: its place is among the {@code m} places given so far and
     * holds it ({@code slots} is this update's array; a place below {@code m} was written by this update, so a
     * place kept from an earlier update does not count).
     */
    private boolean listed(int t, int[] slots, int m) {
        return BigMaps.listed(slotIndex, t, slots, m);
    }

    /**
     * Slot {@code t}'s tracking: this update's at its place if this update listed it already (a 4-tuple listed
     * twice), else the last publication's at its place there (every live slot was listed by the last update).
     */
    private TrackedConnection conn(int t, int[] slots, int m) {
        int p = slotIndex[t];
        return p < m && slots[p] == t ? outConns[p] : lastConns[p];
    }

    /** A free slot (its columns grown when none is left). */
    private int allocSlot() {
        if (freeCount > 0) return freeSlots[--freeCount];
        if (slotTop == slotRaw.length) {
            int cap = BigMaps.grownColumns(slotTop); // (not past G1's humongous size at once)
            slotRaw = Arrays.copyOf(slotRaw, cap);
            slotIndex = Arrays.copyOf(slotIndex, cap);
            eventSlots.ensureCapacity(cap);
            tiedSlots.ensureCapacity(cap);
        }
        return slotTop++;
    }

    /** The length of the per-slot columns (tests: not regrown at a remake). */
    int slotColumns() {
        return slotRaw.length;
    }

    /** Lets a closed connection's slot go: its row and tracking are no longer kept. */
    private void freeSlot(int s) {
        slotRaw[s] = null;
        if (!eventsLateAt.isEmpty()) eventsLateAt.remove(s);
        if (freeCount == freeSlots.length) freeSlots = Arrays.copyOf(freeSlots, Math.max(16, freeCount + (freeCount >> 1)));
        freeSlots[freeCount++] = s;
    }

    /**
     * Room for a table of {@code n} rows at once, and for a remake of it ({@link BigMaps#columnsFor}): no growing by
     * halves through the first poll, nor at the first remake.
     */
    private void reserveSlots(int n) {
        if (slotRaw.length >= n) return;
        int cap = BigMaps.columnsFor(n);
        slotRaw = Arrays.copyOf(slotRaw, cap);
        slotIndex = Arrays.copyOf(slotIndex, cap);
        eventSlots.ensureCapacity(cap);
        tiedSlots.ensureCapacity(cap);
    }

    /** Marks {@link #eventSlots}: the live slot of each 4-tuple with events (an event's key is a plain one). */
    private void markEventSlots(EventsByTuple events) {
        eventSlots.clear();
        for (int g = 0; g < events.tuples(); g++) {
            int s = live.get(events.key(g));
            if (s >= 0) eventSlots.set(s);
        }
    }

    /** Whether slot {@code t}'s row (key {@code k}) has events not taken yet. */
    private boolean hasEvents(int t, ConnectionKey k, EventsByTuple events) {
        if (eventSlots.get(t)) return events.contains(k); // (k equals an event's key: it is plain)
        return tiedSlots.get(t) && events.contains(KernelTransition.plainKey(k));
    }

    /** Slot {@code t}'s row's (key {@code k}) events, oldest first, or null when it has none: they are taken. */
    private List<KernelTransition> takeEvents(int t, ConnectionKey k, EventsByTuple events) {
        if (eventSlots.get(t)) return events.remove(k);
        return tiedSlots.get(t) ? events.remove(KernelTransition.plainKey(k)) : null;
    }

    /** @param timeWaitDurationMs the platform's TIME_WAIT length, used to derive entry times */
    public ConnectionTracker(long timeWaitDurationMs) {
        this(timeWaitDurationMs, DEFER_LIMIT_EVENTS);
    }

    /** As {@link #ConnectionTracker(long)}, holding back at most {@code deferLimit} events for the next poll. */
    ConnectionTracker(long timeWaitDurationMs, int deferLimit) {
        this.timeWaitDurationMs = timeWaitDurationMs;
        this.deferLimit = deferLimit;
    }

    public ConnectionTracker() {
        this(60_000);
    }

    /** The result of one update. */
    public record Update(Snapshot snapshot, SnapshotDiff diff, Map<ConnectionKey, TrackedConnection> connections) {}

    /**
     * Takes the next snapshot. Owners: a row with no PID inherits the last known PID/process of the
     * same 4-tuple (marked {@code ownerLastKnown}); the returned snapshot carries those owners. A
     * 4-tuple listed twice (the kernel's table changed while it was read: /proc and sock_diag dumps
     * are not atomic) is one socket: the later row replaces the earlier one in the snapshot, so no
     * count ever includes a socket twice.
     */
    public Update update(Snapshot raw) {
        return update(raw, null);
    }

    /**
     * As {@link #update(Snapshot)}, with the kernel's state changes since the previous poll (null:
     * polling only). When the batch is complete, every transition of the interval is observed: a
     * connection's history, "in state since" and first-seen times come from the kernel's timestamps,
     * a TIME_WAIT 4-tuple taken over by a new connection starts again as that connection, and the
     * diff's {@link SnapshotDiff#events()} lists every step (also of connections that opened and
     * closed between the polls). When it is not complete (events lost, or the source attached within
     * the interval), tracking falls back to the polls and the diff says so.
     */
    public Update update(Snapshot raw, EventBatch batch) {
        long now = raw.timestampMillis();
        // events held back by the last update and dropped there (more than deferLimit): this interval misses them
        long droppedEarlier = deferredDropped;
        deferredDropped = 0;
        boolean complete = batch != null && batch.complete() && droppedEarlier == 0;
        EventsByTuple events = complete ? groupEvents(batch) : null;
        if (batch != null && !complete) { // the views infer for this interval: nothing carries over
            deferred = List.of();
            waitedFrom = Map.of();
        }
        // (room for a step an event and a few made without one: no column grown by doubling through a poll)
        ObservedSteps observedSteps = events == null ? null : new ObservedSteps(events.size() + 16);
        List<ConnectionKey> takenOver = new ArrayList<>();
        List<KernelTransition> nextDeferred = new ArrayList<>();
        int gen = ++generation;
        boolean firstPoll = !polled;
        List<SocketEntry> in = raw.sockets();
        int n = in.size();
        // what is published is the last poll's array again as long as every place gets the same tracking
        // (a table where nothing changed: no array of a reference per row made, kept past the next young
        // collection and copied by it, at every poll); the first place that differs copies it
        outConns = lastConns;
        outShared = true;
        outLength = n;
        // the arrays of two updates ago, which no one reads any more: reused (at 250k each is a humongous object to G1),
        // made with room to grow: one of exactly n was too short again whenever the table grew by a socket past it
        // (a churning table does now and then), and each new one lived two polls, was copied out of eden and died in old
        // (a table that shrank to under a quarter of the spare's length gets a smaller one: no array sized to a
        // table long gone kept for good)
        int[] slots = BigMaps.placesFor(spareSlots, n, n + (n >> 6) + 16);
        reserveSlots(n);
        SocketEntry[] raws = slotRaw; // (the columns are grown only by a new slot: read again after one)
        List<SocketEntry> opened = new ArrayList<>();
        List<StateChange> changes = new ArrayList<>();
        int duplicates = 0;
        int m = 0; // rows kept (a repeated 4-tuple takes the place of its earlier row)
        alignment.start(previousCount);
        int[] lastSlots = previousSlots;
        // a row given again with no event for its 4-tuple in the batch (a table at rest, watched with events; or
        // every row of a table where a few sockets come and go at every poll but these) is as with no batch: the
        // full path would find no event for it, and end with its tracking as it was. (Asked per row: a batch with
        // any event in it sent every row of the table the full path, at every poll of a steadily churning table.)
        boolean noEvents = events == null || events.isEmpty();
        if (events != null) markEventSlots(events);
        for (int i = 0; i < n; i++) {
            SocketEntry e = in.get(i);
            // the same key object as at the previous poll (a source that keeps keys: netlink, by cookie),
            // near where it was: its track without a map lookup (the track's row is mostly e itself)
            ConnectionKey k = e.key();
            int t = -1;
            for (int j = alignment.cursor(), end = alignment.end(); j < end; j++) {
                int sj = lastSlots[j];
                if (raws[sj].key() == k) {
                    alignment.found(j);
                    t = sj;
                    break;
                }
            }
            if (t < 0) {
                t = live.get(k);
                if (t >= 0 && !listed(t, slots, m)) alignment.resync(slotIndex[t]);
            }
            if (t >= 0 && raws[t] == e && !listed(t, slots, m) && (noEvents || !hasEvents(t, k, events))
                    && (e.state() != TcpState.TIME_WAIT || e.timerDueMillis() != SocketEntry.NO_DUE)) {
                // the source gave the same row object again (nothing about the socket changed; in TIME_WAIT
                // only when the row carries its timer's due time, which the takeover check reads: the same
                // due time dates the same entry), and no event came for its 4-tuple: its tracking as it was,
                // without reading the last row or tracking (most rows of a big table, each a cache miss)
                TrackedConnection same = lastConns[slotIndex[t]]; // (not listed yet: the last publication's place)
                int at = m++;
                slotIndex[t] = at;
                putTracked(at, m, same);
                slots[at] = t;
                continue;
            }
            SocketEntry row = e;
            TrackedConnection conn;
            boolean fresh = t < 0;
            if (fresh) {
                long since = now;
                boolean observed = !firstPoll;
                if (row.state() == TcpState.TIME_WAIT && row.hasTimerTime()) {
                    // entered TIME_WAIT (duration - remaining) ago, whatever we observed
                    since = timeWaitEntry(row, now);
                    observed = false;
                }
                ConnectionKey plain = events == null ? null : KernelTransition.plainKey(e.key());
                List<KernelTransition> ev = events == null ? null : events.remove(plain);
                EventAlignment.Result a = ev == null ? null : EventAlignment.align(ev, waitedFrom.get(plain), row.state());
                conn = null;
                if (a != null && !a.mismatch()) {
                    nextDeferred.addAll(a.deferred());
                    if (!a.steps().isEmpty()) conn = fromEvents(row, null, a, lastStepAt(a, row, now), observedSteps);
                } else if (a != null) {
                    nextDeferred.addAll(ev); // the rest may come with the next batch: tried again with it
                }
                // (made only when the events did not explain the row: a tracking made and replaced at once was one
                // object more for every connection the events saw open)
                if (conn == null) conn = new TrackedConnection(row, firstPoll ? since : now, since, observed, List.of());
                t = allocSlot();
                raws = slotRaw;
                ConnectionKey key = row.key();
                if (key.local().ifIndex() != 0 || key.remote().ifIndex() != 0) tiedSlots.set(t);
                else tiedSlots.clear(t);
                // a new row whose events did not explain it: on a loaded machine bpftrace's output can reach the
                // reader after the poll stopped waiting for it (KernelEventsTest at load 25: a client in TIME_WAIT
                // with no transitions). At the next poll its events are lined up from its start, not from the
                // state this poll inferred
                if (events != null && !firstPoll && (a == null || a.mismatch() || a.steps().isEmpty())) eventsLateAt.put(t, gen);
                live.add(row.key(), t);
                if (!firstPoll) opened.add(row);
            } else {
                if (listed(t, slots, m)) duplicates++;
                TrackedConnection old = conn(t, slots, m);
                SocketEntry was = old.entry();
                if (raws[t] == e) row = was; // the source's row again: the copy made of it (with its last known owner)
                else if (e.pid() == null && was.pid() != null) row = e.withOwner(was.pid(), was.process(), true);
                List<KernelTransition> ev = events == null ? null : takeEvents(t, e.key(), events);
                EventAlignment.Result a = ev == null ? null : EventAlignment.align(ev, was.state(), row.state());
                if (ev != null && !eventsLateAt.isEmpty() && eventsLateAt.getOrDefault(t, 0) == gen - 1 && was.state() == row.state() && !isTakeover(was, row, old, now)) {
                    // listed last poll without its events, in the same state now and (its timer says) not taken over
                    // since: these are its own steps come late, not a new life on its 4-tuple nor steps shown already
                    EventAlignment.Result late = EventAlignment.align(ev, null, row.state());
                    if (!late.mismatch() && !late.steps().isEmpty()) a = late;
                }
                if (a != null && !a.mismatch()) nextDeferred.addAll(a.deferred());
                if (events != null && (a == null || (!a.mismatch() && a.steps().isEmpty()))
                        && was.state() == TcpState.FIN_WAIT2 && row.state() == TcpState.TIME_WAIT) {
                    // an orphan's FIN_WAIT2 mini-socket took the peer's FIN: the kernel changes its
                    // substate with no event; the TIME_WAIT timer, restarted then, dates the step
                    a = new EventAlignment.Result(List.of(new EventAlignment.Step(row.key(), TcpState.FIN_WAIT2,
                            TcpState.TIME_WAIT, timeWaitEntry(row, now), 0, null, false)), a == null ? List.of() : a.deferred(), false);
                }
                if (a != null && !a.mismatch() && !a.steps().isEmpty()) {
                    conn = fromEvents(row, old, a, lastStepAt(a, row, now), observedSteps);
                    if (a.takeover()) takenOver.add(row.key());
                    if (was.state() != row.state())
                        changes.add(new StateChange(row.key(), was.state(), row.state(), row, now));
                } else if (events == null && isTakeover(was, row, old, now)) {
                    // polling only: the TIME_WAIT timer jumped back up, so a new connection took the
                    // 4-tuple over and closed again between two polls: it starts again, from its timer
                    long since = timeWaitEntry(row, now);
                    conn = new TrackedConnection(row, now, since, false, List.of());
                } else if (was.state() != row.state()) {
                    StateChange c = new StateChange(row.key(), was.state(), row.state(), row, now);
                    changes.add(c);
                    conn = new TrackedConnection(row, old.firstSeenMillis(), now, true, append(old.history(), c));
                } else if (row == was) { // was is old.entry(), without reading old
                    conn = old; // the source gave the same row object again: nothing about it changed
                } else {
                    conn = new TrackedConnection(row, old.firstSeenMillis(), old.stateSinceMillis(),
                            old.stateSinceObserved(), old.history());
                }
            }
            int at = !fresh && listed(t, slots, m) ? slotIndex[t] : m++;
            if (raws[t] != e) raws[t] = e; // no store (and no card to scan at the next GC) when nothing changed
            slotIndex[t] = at;
            put(at, m, conn); // (conn.entry() is row)
            slots[at] = t;
        }
        TrackedConnection[] conns = outConns;
        boolean republished = outShared && m == conns.length;
        if (conns.length != m) conns = Arrays.copyOf(conns, m);
        outConns = null;
        List<SocketEntry> closed = new ArrayList<>();
        if (live.size() > m) {
            // what the previous poll tracked and this one did not touch: a walk over its array, not the map
            for (int i = 0; i < previousCount; i++) {
                int t = previousSlots[i];
                if (!listed(t, slots, m)) {
                    SocketEntry last = lastConns[slotIndex[t]].entry(); // (not listed: the last publication's)
                    closed.add(last);
                    live.remove(last.key());
                    freeSlot(t); // (its row and tracking let go now: the closed list holds the last row)
                }
            }
        }
        live.settle(); // (the opened ones' keys go in now, after the closed ones left)
        // only the update just made can have been listed late: no older mark is read again
        if (!eventsLateAt.isEmpty()) {
            eventsLateAt.removeAll((slot, at) -> at != gen);
            // (a burst of new rows whose events came late grew it: its tables let go once it is empty again)
            if (eventsLateAt.isEmpty() && eventsLateAt.keys.length > 1024) eventsLateAt.release();
        }
        spareSlots = previousSlots;
        previousSlots = slots;
        previousCount = m;
        ObservedEvents observed = null;
        if (batch != null) {
            if (events != null) {
                Map<ConnectionKey, TcpState> closedStates = new HashMap<>();
                for (SocketEntry c : closed) closedStates.put(KernelTransition.plainKey(c.key()), c.state());
                Map<ConnectionKey, TcpState> nextWaitedFrom = new HashMap<>();
                for (int g = 0; g < events.tuples(); g++) { // (the 4-tuples no row took, in their first event's order)
                    List<KernelTransition> ev = events.take(g);
                    if (ev == null) continue;
                    ConnectionKey tuple = events.key(g);
                    TcpState before = closedStates.containsKey(tuple) ? closedStates.get(tuple) : waitedFrom.get(tuple);
                    KernelTransition lastEvent = ev.get(ev.size() - 1);
                    // never twice for one 4-tuple (waitedFrom holds the 4-tuples that waited at the last poll). Not by
                    // the socket's kernel address: the kernel hands a freed socket's memory to the next socket at once,
                    // and under load two short connections in a row, both missed by slow reads, had the same address,
                    // so the second never waited (KernelEventsTest: FIN_WAIT2 → CLOSED for a client then in TIME_WAIT)
                    if (lastEvent.mayEnterTimeWait() && !waitedFrom.containsKey(tuple)) {
                        // gone from this table read, but a TIME_WAIT mini-socket may have been moving into
                        // place while the dump passed: the next poll says whether it entered TIME_WAIT
                        nextDeferred.addAll(ev);
                        nextWaitedFrom.put(tuple, before);
                        continue;
                    }
                    EventAlignment.Result a = EventAlignment.align(ev, before, null);
                    if (a.mismatch()) continue;
                    nextDeferred.addAll(a.deferred());
                    for (EventAlignment.Step st : a.steps()) observedSteps.add(st.monoNanos(), change(st, eventRow(st)));
                    if (a.takeover()) takenOver.add(tuple);
                }
                long horizon = now - DEFER_LIMIT_MILLIS;
                nextDeferred.removeIf(k -> k.atMillis() < horizon);
                // (the lists of this update become the held ones: none sized by a burst long gone is kept)
                if (nextDeferred.size() <= deferLimit) {
                    deferred = nextDeferred;
                    waitedFrom = nextWaitedFrom;
                } else { // a bound on what waits, whatever the poller's pace: the next interval is inferred instead
                    deferredDropped = nextDeferred.size();
                    deferred = List.of();
                    waitedFrom = Map.of();
                }
            }
            List<StateChange> steps = observedSteps == null ? List.of() : observedSteps.inOrder();
            observed = new ObservedEvents(steps, batch.lost() + droppedEarlier, events != null, takenOver);
        }
        if (!republished) {
            lastConns = conns;
            lastList = new TrackedRows(conns);
            published = new View(conns, m);
        } // else the last poll's rows, trackings and view (with its index, if a lookup built one) as they are
        Snapshot snapshot = new Snapshot(now, lastList, raw.source(), raw.warnings(), raw.holders());
        SnapshotDiff diff = firstPoll ? new SnapshotDiff(List.of(), List.of(), List.of(), 0, now, observed)
                : new SnapshotDiff(opened, closed, changes, previousMillis, now, observed);
        polled = true;
        previousMillis = now;
        return new Update(snapshot, diff, published);
    }

    /**
     * The array and list last published (never written again), read by the next update to publish them again if
     * the same. One array of trackings, each with its row ({@link TrackedConnection#entry()}): the snapshot's rows
     * are a view over it ({@link TrackedRows}), not a second array of a reference per row (0.4 MB at 100k, made at
     * every poll where a row changed, alive until the next one: copied out of eden by the young pause between
     * and dead in the old generation, issue 11).
     */
    private TrackedConnection[] lastConns = new TrackedConnection[0];
    private List<SocketEntry> lastList = new TrackedRows(lastConns);
    /** The update's array in progress: the last published one while {@link #outShared}; {@link #outLength} rows given. */
    private TrackedConnection[] outConns;
    private boolean outShared;
    private int outLength;

    /**
     * Place {@code at} of this update's publication gets {@code conn} (and so its row, {@code conn.entry()});
     * {@code filled} places (at included) are given so far. While every place got the last publication's
     * tracking, nothing is written; the first that differs copies the places given so far into an array of this
     * update's own.
     */
    private void put(int at, int filled, TrackedConnection conn) {
        if (outShared) {
            if (at < lastConns.length && lastConns[at] == conn) return;
            TrackedConnection[] c = new TrackedConnection[outLength];
            System.arraycopy(lastConns, 0, c, 0, Math.min(filled, lastConns.length)); // all the last publication's: no place differed
            outConns = c;
            outShared = false;
        }
        outConns[at] = conn;
    }

    /** {@link #put} of a tracking given again (the fast path: its row is not read). */
    private void putTracked(int at, int filled, TrackedConnection conn) {
        put(at, filled, conn);
    }

    /** Events held back for the next poll live at most this long (their 4-tuple never showed up). */
    static final long DEFER_LIMIT_MILLIS = 5_000;
    /** A TIME_WAIT row whose timer dates its entry this much after the tracked one was taken over (polling only). */
    static final long TAKEOVER_MILLIS = 500;

    /**
     * Events held back for the next poll are at most this many ({@value}, half the window's event ring): past it
     * they are dropped, counted lost, and the next interval is inferred from the polls (its diff marked incomplete),
     * so what waits for a slow poller is bounded by count, not only by {@link #DEFER_LIMIT_MILLIS} of the kernel's
     * time, whatever rate the events come at.
     */
    static final int DEFER_LIMIT_EVENTS = 131_072;

    private final int deferLimit;
    /** Events held back for the next poll (read-only: each update hands on a list of its own). */
    private List<KernelTransition> deferred = List.of();
    /** 4-tuples whose events wait one poll to learn whether they entered TIME_WAIT, with their state before (null: none). */
    private Map<ConnectionKey, TcpState> waitedFrom = Map.of();
    /** Events the last update held back past {@link #deferLimit} and dropped (0: none). */
    private long deferredDropped;

    /** Events held back for the next poll. For the tests. */
    int deferredEvents() {
        return deferred.size();
    }

    private EventsByTuple groupEvents(EventBatch batch) {
        List<KernelTransition> all = batch.transitions();
        if (!deferred.isEmpty()) {
            all = new ArrayList<>(deferred);
            all.addAll(batch.transitions());
            all.sort(Comparator.comparingLong(KernelTransition::monoNanos));
            deferred = List.of();
        }
        return new EventsByTuple(all);
    }

    /**
     * One interval's events by 4-tuple: a 4-tuple's events in their order, the 4-tuples in the order of their first
     * event. Indexes into the interval's list (a map of the 4-tuples to numbers, and a chain of event positions), not a
     * map entry, list and array per 4-tuple (10 MB in 90 s of the steady table's window); a 4-tuple's list is made
     * when it is taken, each 4-tuple's once.
     */
    private static final class EventsByTuple {
        private final List<KernelTransition> all;
        private final ObjectIntHashMap<ConnectionKey> tuple;
        /** Per event: the position of its 4-tuple's next event, or -1. */
        private final int[] next;
        /** Per 4-tuple: its key, first and last event's positions, and its events (-1 once taken). */
        private ConnectionKey[] keys;
        private int[] first, last, count;
        private int tuples, left;
        /**
         * A bit per spread hash of the 4-tuples' keys (8 bits a 4-tuple): a key asked with no event (a new row's, a row
         * tied to an interface) is told so here mostly, without a probe of the map. (Rows given again are told by their
         * slots, {@code eventSlots}, and not asked at all when unmarked.)
         */
        private final long[] filter;
        private final int filterShift;

        EventsByTuple(List<KernelTransition> all) {
            int n = all.size();
            this.all = all;
            // (sized for a few events a 4-tuple, and for no more than 2^15 at first: no humongous table but for a burst)
            tuple = new ObjectIntHashMap<>(Math.min(n / 4, 1 << 15) + 4);
            next = new int[n];
            int cap = Math.min(n, 1 << 10) + 4;
            keys = new ConnectionKey[cap];
            first = new int[cap];
            last = new int[cap];
            count = new int[cap];
            for (int i = 0; i < n; i++) {
                ConnectionKey k = all.get(i).key();
                next[i] = -1;
                int at = tuple.indexOf(k);
                if (tuple.indexExists(at)) {
                    int g = tuple.indexGet(at);
                    next[last[g]] = i;
                    last[g] = i;
                    count[g]++;
                    continue;
                }
                if (tuples == keys.length) {
                    int c = tuples + (tuples >> 1);
                    keys = Arrays.copyOf(keys, c);
                    first = Arrays.copyOf(first, c);
                    last = Arrays.copyOf(last, c);
                    count = Arrays.copyOf(count, c);
                }
                int g = tuples++;
                tuple.indexInsert(at, k, g);
                keys[g] = k;
                first[g] = last[g] = i;
                count[g] = 1;
            }
            left = tuples;
            int bits = Math.max(6, 35 - Integer.numberOfLeadingZeros(Math.max(1, tuples))); // 2^bits >= 8 x tuples
            filter = new long[1 << (bits - 6)];
            filterShift = 32 - bits;
            for (int g = 0; g < tuples; g++) {
                int f = filterBit(keys[g]);
                filter[f >>> 6] |= 1L << f;
            }
        }

        private int filterBit(ConnectionKey k) {
            return (k.hashCode() * 0x9E3779B9) >>> filterShift;
        }

        /** Whether {@code k} may have events: false when it surely has none. */
        private boolean mayHave(ConnectionKey k) {
            int f = filterBit(k);
            return (filter[f >>> 6] & 1L << f) != 0;
        }

        boolean isEmpty() {
            return left == 0;
        }

        /** The events. */
        int size() {
            return all.size();
        }

        /** Whether {@code k} has events not taken yet. */
        boolean contains(ConnectionKey k) {
            if (!mayHave(k)) return false;
            int g = tuple.getOrDefault(k, -1);
            return g >= 0 && count[g] > 0;
        }

        /** {@code k}'s events, oldest first, or null when it has none (or they were taken): they are taken. */
        List<KernelTransition> remove(ConnectionKey k) {
            if (!mayHave(k)) return null;
            int g = tuple.getOrDefault(k, -1);
            return g < 0 ? null : take(g);
        }

        int tuples() {
            return tuples;
        }

        ConnectionKey key(int g) {
            return keys[g];
        }

        /** 4-tuple {@code g}'s events, oldest first, or null when they were taken: they are taken. */
        List<KernelTransition> take(int g) {
            int c = count[g];
            if (c <= 0) return null;
            KernelTransition[] ev = new KernelTransition[c];
            for (int i = first[g], j = 0; i >= 0; i = next[i]) ev[j++] = all.get(i);
            count[g] = -1;
            left--;
            return Arrays.asList(ev);
        }
    }

    /**
     * The steps observed in one update, with the kernel times they are ordered by: in two columns, not an object a
     * step beside its state change.
     */
    private static final class ObservedSteps {
        private long[] mono;
        private StateChange[] change;
        private int size;

        ObservedSteps(int expected) {
            mono = new long[expected];
            change = new StateChange[expected];
        }

        void add(long monoNanos, StateChange c) {
            if (size == mono.length) {
                mono = Arrays.copyOf(mono, size + (size >> 1) + 16);
                change = Arrays.copyOf(change, mono.length);
            }
            mono[size] = monoNanos;
            change[size++] = c;
        }

        /** The changes by kernel time, those of one time in the order added (HPPC's stable merge sort of their positions). */
        List<StateChange> inOrder() {
            int n = size;
            long[] m = mono;
            int[] at = IndirectSort.mergesort(0, n, (x, y) -> Long.compare(m[x], m[y]));
            StateChange[] out = new StateChange[n];
            for (int i = 0; i < n; i++) out[i] = change[at[i]];
            return Arrays.asList(out);
        }
    }

    /** A TIME_WAIT 4-tuple in TIME_WAIT at both polls whose timer says it entered TIME_WAIT again since. */
    private boolean isTakeover(SocketEntry was, SocketEntry row, TrackedConnection old, long now) {
        if (was.state() != TcpState.TIME_WAIT || row.state() != TcpState.TIME_WAIT || !row.hasTimerTime())
            return false;
        return timeWaitEntry(row, now) > old.stateSinceMillis() + TAKEOVER_MILLIS;
    }

    /** When a TIME_WAIT row entered TIME_WAIT by its timer ({@link SocketEntry#timeWaitEnteredAt}). */
    private long timeWaitEntry(SocketEntry row, long now) {
        return row.timeWaitEnteredAt(now, timeWaitDurationMs);
    }

    /**
     * The last step into TIME_WAIT of a row in TIME_WAIT is dated by the later of its event and the
     * row's timer: the kernel's FIN_WAIT2 → CLOSE is when the socket became a mini-socket, which may
     * have waited in FIN_WAIT2 for the peer's FIN before it entered TIME_WAIT (and restarted its timer).
     */
    private long lastStepAt(EventAlignment.Result a, SocketEntry row, long now) {
        List<EventAlignment.Step> st = a.steps();
        EventAlignment.Step last = st.get(st.size() - 1);
        if (row.state() != TcpState.TIME_WAIT || last.to() != TcpState.TIME_WAIT || !row.hasTimerTime())
            return last.atMillis();
        long entry = timeWaitEntry(row, now);
        return entry <= last.atMillis() ? last.atMillis() : Math.min(entry, now);
    }

    /**
     * Tracking from observed steps: a new connection starts at its first step, times are the kernel's but the last
     * step's, {@code lastAt} ({@link #lastStepAt}: the date of a row's last step into TIME_WAIT, given here instead of
     * a copy of the steps with the last one re-dated).
     */
    private static TrackedConnection fromEvents(SocketEntry row, TrackedConnection old, EventAlignment.Result a,
                                                long lastAt, ObservedSteps observedSteps) {
        List<EventAlignment.Step> steps = a.steps();
        int life = a.lastNewLife(), last = steps.size() - 1;
        List<StateChange> before = old == null || life >= 0 ? List.of() : old.history();
        long first = life >= 0 ? (life == last ? lastAt : steps.get(life).atMillis())
                : old != null ? old.firstSeenMillis() : last == 0 ? lastAt : steps.get(0).atMillis();
        // the history is the last HISTORY_LIMIT of what it was and the steps from the new life on, made once (a list,
        // its array, a sublist and a wrapper made and dropped at each step were 18 MB in 90 s of the steady table)
        int from = Math.max(life, 0), total = before.size() + steps.size() - from;
        int skip = Math.max(0, total - HISTORY_LIMIT);
        List<StateChange> h = new ArrayList<>(total - skip);
        for (int i = skip; i < before.size(); i++) h.add(before.get(i));
        for (int i = 0; i <= last; i++) {
            EventAlignment.Step st = steps.get(i);
            StateChange c = change(st, row, i == last ? lastAt : st.atMillis());
            observedSteps.add(st.monoNanos(), c);
            if (i >= from && before.size() + i - from >= skip) h.add(c);
        }
        return new TrackedConnection(row, first, lastAt, true, Collections.unmodifiableList(h));
    }

    /** A step as a state change of {@code row}'s connection (the row: the table's, or one made from the event). */
    private static StateChange change(EventAlignment.Step st, SocketEntry row) {
        return change(st, row, st.atMillis());
    }

    private static StateChange change(EventAlignment.Step st, SocketEntry row, long atMillis) {
        return new StateChange(row.key(), st.from(), st.to(), row, atMillis);
    }

    /** A row for a connection the table does not hold (it opened and closed between two polls), from its event. */
    private static SocketEntry eventRow(EventAlignment.Step st) {
        KernelTransition k = st.event();
        KernelTcpState ks = k == null ? KernelTcpState.CLOSE : st.to() == TcpState.TIME_WAIT ? KernelTcpState.TIME_WAIT : k.to();
        return new SocketEntry(st.key(), st.to(), ks, SocketEntry.UNKNOWN_QUEUE, SocketEntry.UNKNOWN_QUEUE, null, null,
                0, SocketEntry.UNKNOWN_UID, 0, k == null ? null : k.pid(), k == null ? null : k.comm(), false);
    }

    private static List<StateChange> append(List<StateChange> history, StateChange c) {
        int keep = Math.min(history.size(), HISTORY_LIMIT - 1);
        List<StateChange> h = new ArrayList<>(keep + 1);
        h.addAll(history.subList(history.size() - keep, history.size()));
        h.add(c);
        return Collections.unmodifiableList(h);
    }

    public int size() {
        return live.size();
    }

    /** The tracking published by the last update (read-only; later updates do not change it). */
    public Map<ConnectionKey, TrackedConnection> connections() {
        return published;
    }

    /**
     * A read-only map over one poll's rows: open addressing on int pages of row positions (the keys' own
     * cached hashes), so publishing costs a few int arrays instead of a map of nodes. Where a 4-tuple was
     * listed twice, the later row wins, as the tracker tracks it.
     */
    static final class View extends AbstractMap<ConnectionKey, TrackedConnection> {
        /** Slots a page: 256 KB, half a G1 region of 1 MB, so no page is a humongous object. */
        static final int PAGE_BITS = 16;
        static final int PAGE = 1 << PAGE_BITS;

        private final TrackedConnection[] conns;
        private final int size;
        /**
         * The index (row index + 1, 0 = empty) in pages of {@link #PAGE} slots, built by the first lookup that
         * the hint misses: a poll no one looks up in, or only in the rows' order, costs none. One array of 2 ints
         * a row (0.8 MB at 100k) was a humongous object to G1 at every poll where a row changed (issue 11).
         */
        private volatile int[][] pages;
        /** Where the next lookup in the rows' order is (a hint only: read and written without ordering by any thread). */
        private int hint;
        private Set<Map.Entry<ConnectionKey, TrackedConnection>> entries;

        /** @param conns one tracking per 4-tuple (the tracker keeps the later of a repeated one), as many as {@code distinct} */
        View(TrackedConnection[] conns, int distinct) {
            this.conns = conns;
            this.size = distinct;
        }

        private int[][] index() {
            int[][] t = pages;
            if (t != null) return t;
            synchronized (this) {
                if (pages != null) return pages;
                int total = tableSize(conns.length);
                t = new int[(total + PAGE - 1) >>> PAGE_BITS][];
                for (int p = 0; p < t.length; p++) t[p] = new int[Math.min(PAGE, total - (p << PAGE_BITS))];
                for (int i = 0; i < conns.length; i++) {
                    ConnectionKey k = conns[i].entry().key();
                    int s = slot(k.hashCode(), total);
                    while (true) {
                        int[] page = t[s >>> PAGE_BITS];
                        int at = page[s & (PAGE - 1)];
                        if (at == 0 || conns[at - 1].entry().key().equals(k)) {
                            page[s & (PAGE - 1)] = i + 1; // (a later duplicate wins)
                            break;
                        }
                        s = s + 1 == total ? 0 : s + 1;
                    }
                }
                pages = t;
                return t;
            }
        }

        /** Twice the rows (at most half full), at least 4. */
        static int tableSize(int rows) {
            return Math.max(4, rows * 2);
        }

        /** A hash's slot in a table of {@code size}: the spread hash's high bits scaled to the size (no power of two needed). */
        static int slot(int hash, int size) {
            return (int) (((spread(hash) & 0xFFFF_FFFFL) * size) >>> 32);
        }

        private static int spread(int h) {
            return h * 0x9E3779B9;
        }

        private int indexOf(Object key) {
            if (!(key instanceof ConnectionKey k)) return -1;
            // most lookups walk the rows in their order with the rows' own keys (a consumer going through the
            // snapshot): the row after the last one found, by reference (each key is one row's: no duplicates)
            int h = hint;
            if (h >= 0 && h < conns.length && conns[h].entry().key() == k) {
                hint = h + 1;
                return h;
            }
            int[][] t = index();
            int total = tableSize(conns.length);
            int s = slot(k.hashCode(), total);
            while (true) {
                int at = t[s >>> PAGE_BITS][s & (PAGE - 1)];
                if (at == 0) return -1;
                if (conns[at - 1].entry().key().equals(k)) {
                    hint = at;
                    return at - 1;
                }
                s = s + 1 == total ? 0 : s + 1;
            }
        }

        @Override
        public TrackedConnection get(Object key) {
            int i = indexOf(key);
            return i < 0 ? null : conns[i];
        }

        @Override
        public boolean containsKey(Object key) {
            return indexOf(key) >= 0;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public boolean isEmpty() {
            return size == 0;
        }

        @Override
        public Collection<TrackedConnection> values() {
            return new AbstractCollection<>() {
                @Override
                public Iterator<TrackedConnection> iterator() {
                    return new Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() {
                            return i < conns.length;
                        }

                        @Override
                        public TrackedConnection next() {
                            if (i >= conns.length) throw new NoSuchElementException();
                            return conns[i++];
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
        }

        @Override
        public Set<Map.Entry<ConnectionKey, TrackedConnection>> entrySet() {
            Set<Map.Entry<ConnectionKey, TrackedConnection>> e = entries;
            if (e == null) entries = e = new AbstractSet<>() {
                @Override
                public Iterator<Map.Entry<ConnectionKey, TrackedConnection>> iterator() {
                    return new Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() {
                            return i < conns.length;
                        }

                        @Override
                        public Map.Entry<ConnectionKey, TrackedConnection> next() {
                            if (i >= conns.length) throw new NoSuchElementException();
                            int at = i++;
                            return new SimpleImmutableEntry<>(conns[at].entry().key(), conns[at]);
                        }
                    };
                }

                @Override
                public int size() {
                    return size;
                }
            };
            return e;
        }
    }
}
