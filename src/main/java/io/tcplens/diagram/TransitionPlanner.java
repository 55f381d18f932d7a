package io.tcplens.diagram;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.StateChange;
import io.tcplens.model.TcpState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Turns polls into token moves: for each connection, the edge it took (or, when states were skipped
 * between polls, the shortest legal path, flagged inferred). Keeps the state it last planned for each
 * connection so that every live connection has exactly one token. Also counts connections per state
 * and transitions per edge per second. Runs on one background thread (not thread-safe).
 */
public final class TransitionPlanner {
    /** Above this many connections the diagram shows counts and flows instead of tokens. */
    public static final int DEFAULT_AGGREGATE_ABOVE = 30_000;
    /** How far back edge rates look. */
    public static final long RATE_WINDOW_MS = 5_000;

    private final Predicate<SocketEntry> filter;
    private final int aggregateAbove;
    /** Per connection: only while tokens are drawn; aggregated, the counts come from each table (issue 11). */
    private Map<ConnectionKey, TcpState> known = new HashMap<>();
    /** Connections after the filter while aggregated (then {@link #known} is empty). */
    private int total;
    private final int[] stateCounts = new int[TcpState.values().length];
    private final Map<Integer, Integer> listeningPorts = new HashMap<>();
    private final ArrayDeque<long[]> rateWindow = new ArrayDeque<>(); // [fromMs, toMs, count per edge...]
    private final int edgeCount = TcpState.edges().size();
    private boolean started;
    private boolean aggregated;
    private boolean forceResync;

    public TransitionPlanner(Predicate<SocketEntry> filter, int aggregateAbove) {
        this.filter = filter == null ? e -> true : filter;
        this.aggregateAbove = aggregateAbove;
    }

    public TransitionPlanner() {
        this(null, DEFAULT_AGGREGATE_ABOVE);
    }

    private TcpState put(ConnectionKey k, TcpState s) {
        TcpState was = known.put(k, s);
        if (was != null) uncount(k, was);
        count(k, s);
        return was;
    }

    private TcpState remove(ConnectionKey k) {
        TcpState was = known.remove(k);
        if (was != null) uncount(k, was);
        return was;
    }

    private void count(ConnectionKey k, TcpState s) {
        stateCounts[s.ordinal()]++;
        if (s == TcpState.LISTEN) listeningPorts.merge(k.local().port(), 1, Integer::sum);
    }

    private void uncount(ConnectionKey k, TcpState s) {
        stateCounts[s.ordinal()]--;
        if (s == TcpState.LISTEN) listeningPorts.computeIfPresent(k.local().port(), (p, n) -> n > 1 ? n - 1 : null);
    }

    /** Connections currently tracked (after the filter). */
    public int size() {
        return aggregated ? total : known.size();
    }

    /**
     * The state last planned for each connection (read only view); empty while aggregated: above
     * {@code aggregateAbove} connections no token is drawn, so no map of every connection is kept
     * (at 100k it held a key and two endpoints per connection from the poll that first showed it).
     */
    public Map<ConnectionKey, TcpState> known() {
        return Collections.unmodifiableMap(known);
    }

    /** Next plan rebuilds the token set from scratch (e.g. after the view was recreated). */
    public void requestResync() {
        forceResync = true;
    }

    /** Plans a batch of polls, oldest first. */
    public DiagramPlan plan(List<PollResult> batch) {
        List<TokenMove> moves = new ArrayList<>();
        boolean resync = forceResync;
        forceResync = false;
        PollResult last = null;
        for (PollResult r : batch) {
            last = r;
            if (r.error() != null) continue;
            boolean wasAggregated = aggregated;
            if (!started || resync) {
                moves.clear();
                resync = true;
                seed(r, moves);
                started = true;
                // (a poll the background observe counted already, handed again when the tab is shown: once in the rates)
                if (r.sequence() != recordedSequence || r.snapshot().timestampMillis() != recordedMillis) recordRates(r, new long[edgeCount]);
                continue;
            }
            long[] counts = new long[edgeCount];
            boolean consistent = aggregated ? applyAggregated(r, counts) : applyDiff(r, moves, counts);
            recordRates(r, counts);
            int n = size();
            if (!aggregated && n > aggregateAbove) {
                aggregated = true;
                moves.clear();
                total = n;
                known = new HashMap<>();
            } else if (aggregated && n < aggregateAbove * 9 / 10) {
                aggregated = false;
            }
            if (!consistent || (wasAggregated && !aggregated)) {
                // rebuild from the table itself: nothing lost, nothing doubled
                moves.clear();
                resync = true;
                seed(r, moves);
            }
        }
        if (aggregated) moves.clear();
        Map<TcpState, Integer> counts = new EnumMap<>(TcpState.class);
        for (TcpState s : TcpState.values()) counts.put(s, stateCounts[s.ordinal()]);
        // the tracker's map serves the tokens' tooltips: aggregated there are none, and a plan kept by a
        // hidden diagram would hold an old poll's every connection
        return new DiagramPlan(List.copyOf(moves), resync, aggregated, counts, rates(),
                last == null || aggregated ? Map.of() : last.connections(), last == null ? null : last.snapshot().source(),
                last == null ? System.currentTimeMillis() : last.snapshot().timestampMillis(), size(),
                last == null ? null : last.error());
    }

    /**
     * In the background (the diagram's tab is not shown): only the edge rates, which look
     * {@link #RATE_WINDOW_MS} back and cannot be rebuilt later, from each poll's diff and events, as
     * {@link #plan} counts them aggregated. No walk of the table for the state counts, no token or
     * per-connection map: the next {@link #plan} re-seeds them from its table (a resync plan), so what
     * the tab shows is right from its first plan. The listening ports (whether an opened connection came
     * out of a listener) follow the diffs' LISTEN rows.
     */
    public void observe(List<PollResult> batch) {
        for (PollResult r : batch) {
            if (r.error() != null) continue;
            if (!started) {
                seed(r, new ArrayList<>());
                started = true;
                recordRates(r, new long[edgeCount]);
            } else {
                long[] counts = new long[edgeCount];
                followListeners(r);
                countEdges(r, counts);
                recordRates(r, counts);
            }
            forceResync = true;
        }
    }

    /** The listening ports from a diff's LISTEN rows (the background observe's; a plan counts them from the table). */
    private void followListeners(PollResult r) {
        for (SocketEntry e : r.diff().closed())
            if (e.state() == TcpState.LISTEN && filter.test(e)) uncount(e.key(), TcpState.LISTEN);
        for (StateChange c : r.diff().transitions()) {
            if (c.from() != TcpState.LISTEN && c.to() != TcpState.LISTEN) continue;
            if (!filter.test(c.current())) continue;
            if (c.from() == TcpState.LISTEN) uncount(c.key(), TcpState.LISTEN);
            if (c.to() == TcpState.LISTEN) count(c.key(), TcpState.LISTEN);
        }
        for (SocketEntry e : r.diff().opened())
            if (e.state() == TcpState.LISTEN && filter.test(e)) count(e.key(), TcpState.LISTEN);
    }

    /** The last poll whose edges are in the rates, by sequence and time (a resync plan of the same poll adds no second row). */
    private long recordedSequence = Long.MIN_VALUE, recordedMillis = Long.MIN_VALUE;

    private void seed(PollResult r, List<TokenMove> moves) {
        known.clear();
        Arrays.fill(stateCounts, 0);
        listeningPorts.clear();
        for (SocketEntry e : r.snapshot().sockets()) {
            if (!filter.test(e)) continue;
            if (put(e.key(), e.state()) == null && !aggregated)
                moves.add(new TokenMove(TokenMove.Kind.APPEAR, e.key(), e, e.state(), List.of()));
        }
        aggregated = known.size() > aggregateAbove;
        if (aggregated) {
            moves.clear();
            total = known.size();
            known = new HashMap<>();
        }
    }

    /** Counts per state (and listening ports) from the table itself, while aggregated. */
    private void countTable(PollResult r) {
        Arrays.fill(stateCounts, 0);
        listeningPorts.clear();
        int n = 0;
        for (SocketEntry e : r.snapshot().sockets()) {
            if (!filter.test(e)) continue;
            count(e.key(), e.state());
            n++;
        }
        total = n;
    }

    /**
     * Aggregated: the edges this poll's diff took, each from the state the diff itself gives (a closed
     * row's last state, a transition's {@code from}), and the counts from the table; no map of every
     * connection. Always consistent: leaving aggregation re-seeds from the table.
     */
    private boolean applyAggregated(PollResult r, long[] edgeCounts) {
        countTable(r);
        countEdges(r, edgeCounts);
        return true;
    }

    /** A poll's edges from its diff and events alone (aggregated, and the background observe). */
    private void countEdges(PollResult r, long[] edgeCounts) {
        Map<ConnectionKey, List<StateChange>> seen = observed(r);
        noteEvents(r);
        for (SocketEntry e : r.diff().closed()) {
            if (!filter.test(e)) continue;
            if (!countObserved(seen.remove(e.key()), e.state(), TcpState.CLOSED, edgeCounts))
                count(PATH_EDGES[e.state().ordinal()][TcpState.CLOSED.ordinal()], edgeCounts);
        }
        for (StateChange c : r.diff().transitions()) {
            if (!filter.test(c.current())) continue;
            if (!countObserved(seen.remove(c.key()), c.from(), c.to(), edgeCounts))
                count(PATH_EDGES[c.from().ordinal()][c.to().ordinal()], edgeCounts);
        }
        for (SocketEntry e : r.diff().opened()) {
            if (!filter.test(e)) continue;
            TcpState origin = e.state() != TcpState.LISTEN && listeningPorts.containsKey(e.local().port())
                    && reachable(TcpState.LISTEN, e.state()) ? TcpState.LISTEN : TcpState.CLOSED;
            List<StateChange> steps = seen.remove(e.key());
            if (steps == null || steps.isEmpty() || !countObserved(steps, steps.get(0).from(), e.state(), edgeCounts))
                count(INFERRED_EDGES[origin.ordinal()][e.state().ordinal()], edgeCounts);
        }
        for (List<StateChange> steps : seen.values()) {
            if (steps.isEmpty() || !filter.test(steps.get(0).current())) continue;
            for (StateChange c : steps) countStep(c, edgeCounts);
        }
    }

    /** Whether kernel events came with this poll, and whether any of its interval was lost (then inferred). */
    private void noteEvents(PollResult r) {
        if (r.diff().events() != null) {
            eventsOn = true;
            if (!r.diff().events().complete()) {
                inferredIntervals++;
                lostEvents += r.diff().events().lost();
            }
        }
    }

    /** Applies one diff; returns false when it disagrees with what we knew (then the caller re-seeds). */
    private boolean applyDiff(PollResult r, List<TokenMove> moves, long[] edgeCounts) {
        boolean ok = true;
        long at = r.snapshot().timestampMillis();
        Map<ConnectionKey, List<StateChange>> seen = observed(r);
        noteEvents(r);
        for (SocketEntry e : r.diff().closed()) {
            if (!filter.test(e)) continue;
            TcpState was = remove(e.key());
            if (was == null) { ok = false; continue; }
            List<EdgeStep> path = observedPath(seen.remove(e.key()), was, TcpState.CLOSED);
            if (path == null) path = path(was, TcpState.CLOSED, at);
            count(path, edgeCounts);
            if (moves != null) moves.add(new TokenMove(TokenMove.Kind.LEAVE, e.key(), e, was, path));
        }
        for (StateChange c : r.diff().transitions()) {
            if (!filter.test(c.current())) continue;
            TcpState was = put(c.key(), c.to());
            if (was == null) { ok = false; continue; }
            List<EdgeStep> path = observedPath(seen.remove(c.key()), was, c.to());
            if (path == null) path = path(was, c.to(), at);
            count(path, edgeCounts);
            if (moves != null) moves.add(new TokenMove(TokenMove.Kind.MOVE, c.key(), c.current(), was, path));
        }
        for (SocketEntry e : r.diff().opened()) {
            if (!filter.test(e)) continue;
            TcpState was = put(e.key(), e.state());
            if (was != null) { ok = false; continue; }
            // accepted connections come out of their listener; the rest start from CLOSED
            TcpState origin = e.state() != TcpState.LISTEN && listeningPorts.containsKey(e.local().port())
                    && reachable(TcpState.LISTEN, e.state()) ? TcpState.LISTEN : TcpState.CLOSED;
            List<StateChange> steps = seen.remove(e.key());
            List<EdgeStep> path = null;
            if (steps != null && !steps.isEmpty()) {
                TcpState first = steps.get(0).from();
                path = observedPath(steps, first, e.state());
                if (path != null) origin = first;
            }
            if (path == null) path = inferredPath(origin, e.state(), at);
            count(path, edgeCounts);
            if (moves != null) moves.add(new TokenMove(TokenMove.Kind.ENTER, e.key(), e, origin, path));
        }
        // the rest: connections that opened and closed between the polls, TIME_WAIT takeovers, steps
        // that came back to the state of the last poll: in the rates, no token (the table has none)
        for (List<StateChange> steps : seen.values()) {
            if (steps.isEmpty() || !filter.test(steps.get(0).current())) continue;
            for (StateChange c : steps) countStep(c, edgeCounts);
        }
        return ok;
    }

    /** The observed steps of this poll per connection (complete intervals only), else an empty map. */
    private static Map<ConnectionKey, List<StateChange>> observed(PollResult r) {
        if (!r.diff().eventsComplete()) return new HashMap<>();
        Map<ConnectionKey, List<StateChange>> by = new HashMap<>();
        for (StateChange c : r.diff().events().transitions())
            by.computeIfAbsent(c.key(), k -> new ArrayList<>(4)).add(c);
        return by;
    }

    /**
     * The kernel's own steps as segments, observed (solid) where the step is an edge of the RFC
     * diagram; a step the figure has no edge for (a reset) is drawn as the likely path, inferred.
     * Null when the steps do not lead from {@code from} to {@code to} (then the caller infers).
     */
    static List<EdgeStep> observedPath(List<StateChange> steps, TcpState from, TcpState to) {
        if (steps == null || steps.isEmpty() || steps.get(0).from() != from
                || steps.get(steps.size() - 1).to() != to) return null;
        List<EdgeStep> out = new ArrayList<>(steps.size());
        for (StateChange c : steps) out.addAll(step(c));
        return out;
    }

    /**
     * Counts what {@link #observedPath} gives, without making it (per step the edges of {@link #step}, from
     * {@link #PATH_EDGES}: no list, Optional or edge lookup per step of every poll, issue 11); false, counting
     * nothing, where it gives null.
     */
    private static boolean countObserved(List<StateChange> steps, TcpState from, TcpState to, long[] edgeCounts) {
        if (steps == null || steps.isEmpty() || steps.get(0).from() != from
                || steps.get(steps.size() - 1).to() != to) return false;
        for (StateChange c : steps) countStep(c, edgeCounts);
        return true;
    }

    /** Counts the edges of {@link #step}{@code (c)}: {@link #path}'s (a step to its own state has none in either). */
    private static void countStep(StateChange c, long[] edgeCounts) {
        count(PATH_EDGES[c.from().ordinal()][c.to().ordinal()], edgeCounts);
    }

    private static List<EdgeStep> step(StateChange c) {
        Optional<TcpState.Edge> direct = c.from().edgeTo(c.to());
        if (direct.isPresent()) return List.of(EdgeStep.of(direct.get(), false, c.atMillis()));
        return inferredPath(c.from(), c.to(), c.atMillis());
    }

    private boolean eventsOn;
    private long inferredIntervals;
    private long lostEvents;

    /** True once a poll carried kernel events. */
    public boolean eventsOn() {
        return eventsOn;
    }

    /** Polls whose interval had lost events (drawn from inference, marked). */
    public long inferredIntervals() {
        return inferredIntervals;
    }

    /** Events lost so far. */
    public long lostEvents() {
        return lostEvents;
    }

    private static boolean reachable(TcpState from, TcpState to) {
        return LikelyPath.between(from, to).isPresent();
    }

    /** The observed edge when there is a direct one, else the most likely legal path ({@link LikelyPath}) flagged inferred. */
    static List<EdgeStep> path(TcpState from, TcpState to, long at) {
        if (from == to) return List.of();
        Optional<TcpState.Edge> direct = from.edgeTo(to);
        if (direct.isPresent()) return List.of(EdgeStep.of(direct.get(), false, at));
        return inferredPath(from, to, at);
    }

    static List<EdgeStep> inferredPath(TcpState from, TcpState to, long at) {
        List<TcpState.Edge> edges = LikelyPath.between(from, to).orElse(List.of());
        List<EdgeStep> out = new ArrayList<>(edges.size());
        for (TcpState.Edge e : edges) out.add(EdgeStep.of(e, true, at));
        return out;
    }

    private static void count(List<EdgeStep> path, long[] edgeCounts) {
        for (EdgeStep s : path) edgeCounts[s.edgeIndex()]++;
    }

    private static void count(int[] edges, long[] edgeCounts) {
        for (int i : edges) edgeCounts[i]++;
    }

    /**
     * The edges (indices in {@link TcpState#edges()}) of {@link #path} and {@link #inferredPath} per
     * pair of states, worked out once: aggregated (above {@code aggregateAbove}, the window at 100k,
     * mostly in the background) a poll's changes are only counted, and each made a list and a step
     * object per edge (tens of thousands a poll on a churning table).
     */
    static final int[][][] PATH_EDGES = edgeTable(false), INFERRED_EDGES = edgeTable(true);

    private static int[][][] edgeTable(boolean inferred) {
        TcpState[] states = TcpState.values();
        int[][][] t = new int[states.length][states.length][];
        for (TcpState from : states) {
            for (TcpState to : states) {
                List<EdgeStep> steps = inferred ? inferredPath(from, to, 0) : path(from, to, 0);
                int[] edges = new int[steps.size()];
                for (int i = 0; i < edges.length; i++) edges[i] = steps.get(i).edgeIndex();
                t[from.ordinal()][to.ordinal()] = edges;
            }
        }
        return t;
    }

    private void recordRates(PollResult r, long[] counts) {
        long[] row = new long[edgeCount + 2];
        row[0] = r.diff().fromMillis() > 0 ? r.diff().fromMillis() : r.snapshot().timestampMillis();
        row[1] = r.snapshot().timestampMillis();
        System.arraycopy(counts, 0, row, 2, edgeCount);
        rateWindow.addLast(row);
        recordedSequence = r.sequence();
        recordedMillis = r.snapshot().timestampMillis();
        while (!rateWindow.isEmpty() && rateWindow.peekFirst()[1] < row[1] - RATE_WINDOW_MS) rateWindow.removeFirst();
    }

    private double[] rates() {
        double[] out = new double[edgeCount];
        long span = 0;
        for (long[] row : rateWindow) {
            span += Math.max(0, row[1] - row[0]);
            for (int i = 0; i < edgeCount; i++) out[i] += row[i + 2];
        }
        double secs = Math.max(1.0, span / 1000.0);
        for (int i = 0; i < edgeCount; i++) out[i] /= secs;
        return out;
    }
}
