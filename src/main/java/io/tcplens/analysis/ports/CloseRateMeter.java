package io.tcplens.analysis.ports;

import com.carrotsearch.hppc.ObjectIntHashMap;
import com.carrotsearch.hppc.ObjectLongHashMap;
import com.carrotsearch.hppc.cursors.ObjectIntCursor;
import io.tcplens.engine.PollResult;
import io.tcplens.model.BigMaps;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.StateChange;
import io.tcplens.model.TcpState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Measures, from the diffs of consecutive polls over a rolling window, how fast connections enter
 * TIME_WAIT (each such entry is an active close that holds its 4-tuple for the TIME_WAIT duration)
 * per destination, on the client side and the server side, and how fast connections disappear.
 * A connection that opened and reached TIME_WAIT between two polls is counted (it shows up as
 * opened in TIME_WAIT), so short connections are not missed. Each entry is counted once: reading
 * /proc/net/tcp is not atomic, and under churn a row can be missing from one poll and back in the
 * next, so an entry whose time (observed, or derived from the kernel timer) matches one already
 * counted for the same 4-tuple is not counted again.
 *
 * <p>A connect() that takes over a TIME_WAIT 4-tuple ({@code tcp_tw_reuse}) and closes first again
 * between two polls leaves the row in TIME_WAIT in both: no transition, nothing opened, only a
 * timer that jumped back up. Every TIME_WAIT row of the snapshot is therefore dated from its kernel
 * timer, and an entry later than the one recorded for that 4-tuple is a new one. Not thread-safe.
 */
public final class CloseRateMeter {
    private record Sample(long fromMillis, long toMillis, Map<Destination, Integer> outbound, int outboundTotal,
                          int inbound, int closed, Map<Destination, Integer> takeovers, int takeoversTotal,
                          int uncertain, long marginMillis) {}

    /**
     * The polls were too slow for the takeovers measured: TIME_WAIT rows re-dated later than before by more
     * than {@link #TAKEOVER_MILLIS} but not by more than the margin that slow polls need
     * ({@code marginMillis}, twice the slowest recent poll) were not counted. Each may be a takeover
     * ({@code tcp_tw_reuse}) or the same entry read late by a slow poll; the meter cannot tell which, so the
     * close rate measured may be low by up to {@code uncertainPerSecond}.
     *
     * @param marginMillis       the largest margin used in the window (ms)
     * @param uncertain          re-datings within it, not counted
     * @param uncertainPerSecond the same per second of the window
     */
    public record SlowPolls(long marginMillis, int uncertain, double uncertainPerSecond) {
        /** One line for people. */
        public String text() {
            return String.format(Locale.ROOT, "polls were too slow for the takeovers measured: a TIME_WAIT 4-tuple taken over "
                            + "less than %d ms after its last entry is not told apart from a slow poll's late reading "
                            + "(%d such readings, %.2f/s, not counted): the close rate may be up to that much higher",
                    marginMillis, uncertain, uncertainPerSecond);
        }
    }

    /**
     * The poll interval is too coarse for the measured rate: TIME_WAIT 4-tuples are taken over
     * ({@code tcp_tw_reuse}) so often that one is likely taken over twice between two polls, which
     * counts once — the true close rate may be higher than measured.
     *
     * @param intervalMillis     the mean time between the polls measured
     * @param tuples             TIME_WAIT 4-tuples the takeovers rotate over (towards the destination, or all)
     * @param takeoversPerSecond takeovers measured
     * @param suggestedMillis    an interval at which each 4-tuple is taken over at most about every fourth poll
     */
    public record Coarse(long intervalMillis, int tuples, double takeoversPerSecond, long suggestedMillis) {
        /** How often one 4-tuple is taken over, on average, in ms. */
        public long tupleEveryMillis() {
            return Math.round(tuples * 1000.0 / takeoversPerSecond);
        }
    }

    /** Takeovers per poll, per 4-tuple, from which the interval is too coarse (each tuple every second poll). */
    static final double COARSE_SHARE = 0.5;

    /** Two entries of one 4-tuple closer together than this are the same entry seen twice. */
    static final long SAME_ENTRY_MILLIS = 1_000;
    /**
     * A TIME_WAIT row whose timer dates its entry this much later than the recorded one was taken over
     * and closed again. Below {@link #SAME_ENTRY_MILLIS}: a takeover comes {@code tcp_tw_reuse_delay}
     * (1 s by default) after the previous entry at the earliest, and the timer's jitter between two
     * readings is up to the two polls' own durations (tens of ms; the threshold grows to their sum
     * when they are slower). A takeover within this time of the previous entry (a delay set below it),
     * or two takeovers of one 4-tuple between two polls, are missed.
     */
    static final long TAKEOVER_MILLIS = 500;

    private final long windowMillis;
    private final long timeWaitMillis;
    private final Deque<Sample> samples = new ArrayDeque<>();
    /**
     * The entry time of each 4-tuple counted or dated (ms; absent: {@link #NONE}), kept for the window
     * and twice the TIME_WAIT duration: at 100k sockets with TIME_WAIT churn some 100k keys. A primitive
     * map (HPPC): no boxed {@code Long} and no map node per key (the window has three of these meters). Its
     * values are ints, ms from {@link #base} (a long per key made the values' array 1 MB and 16 bytes at 2^17
     * keys: two humongous G1 regions; as ints one array of 512 KB), and it grows at the big maps' load factor.
     */
    private final ObjectIntHashMap<ConnectionKey> counted = new ObjectIntHashMap<>(BigMaps.INITIAL, BigMaps.LOAD_FACTOR);
    private static final long NONE = Long.MIN_VALUE;
    private static final int NO_INT = Integer.MIN_VALUE;
    /** What {@link #counted}'s ints count from (ms); moved, and every value with it, before an int would overflow. */
    private long base = Long.MIN_VALUE;
    /** How far from {@link #base} a time may be before the base moves (2^30 ms, 12 days: half an int's range). */
    static final long REBASE_MILLIS = 1L << 30;
    /** The last re-dating of a 4-tuple within the slow polls' margin (see {@link SlowPolls}); empty while polls are quick. */
    private final ObjectLongHashMap<ConnectionKey> uncertainAt = new ObjectLongHashMap<>();
    /** How often (poll time) entries older than the window and two TIME_WAIT durations are let go. */
    static final long PRUNE_MILLIS = 10_000;
    private long prunedAt;

    /**
     * @param windowMillis   how far back rates look
     * @param timeWaitMillis the platform's TIME_WAIT duration (to date entries from the kernel timer)
     */
    public CloseRateMeter(long windowMillis, long timeWaitMillis) {
        if (windowMillis <= 0) throw new IllegalArgumentException("window must be positive");
        this.windowMillis = windowMillis;
        this.timeWaitMillis = timeWaitMillis;
    }

    public CloseRateMeter(long windowMillis) {
        this(windowMillis, 60_000);
    }

    public long windowMillis() {
        return windowMillis;
    }

    /** Adds one poll; the first poll of a session (no earlier snapshot) only starts the clock. */
    public void observe(PollResult r) {
        // a row's entry time, derived from its timer, is off by up to the time the poll took to read
        // the table (the snapshot's time is taken before): two readings differ by up to both polls' cost.
        // The two readings need not come from consecutive polls (a non-atomic read can miss a row in
        // between): the bound is twice the slowest of the last few polls.
        recentPollMillis[recentPolls++ % recentPollMillis.length] = r.pollMillis();
        double slowest = 0;
        for (double ms : recentPollMillis) slowest = Math.max(slowest, ms);
        jitterMillis = (long) Math.ceil(2 * slowest);
        List<SocketEntry> sockets = r.snapshot().sockets();
        // the poll right after the last one observed: its diff is from that poll's rows (the tracker diffs consecutive polls)
        List<SocketEntry> before = r.sequence() == lastSequence + 1 ? lastSockets : null;
        lastSequence = r.sequence();
        lastSockets = sockets;
        observe(r.diff(), Listeners.of(r), sockets, before);
    }

    /** The last poll observed: its sequence number and rows (the rows of the current snapshot: nothing held beside it). */
    private long lastSequence = Long.MIN_VALUE;
    private List<SocketEntry> lastSockets;

    /** The rows whose TIME_WAIT entries the last poll with complete events dated (a snapshot's list: immutable). */
    private List<SocketEntry> walkedTimeWait;
    private final double[] recentPollMillis = new double[4];
    private int recentPolls;
    private long jitterMillis;

    public void observe(SnapshotDiff diff, Listeners listeners) {
        observe(diff, listeners, List.of());
    }

    /** As {@link #observe(SnapshotDiff, Listeners)}, also finding TIME_WAIT takeovers among {@code sockets}. */
    public void observe(SnapshotDiff diff, Listeners listeners, List<SocketEntry> sockets) {
        observe(diff, listeners, sockets, null);
    }

    /**
     * As {@link #observe(SnapshotDiff, Listeners, List)}; {@code from}: the rows {@code diff} is from when known
     * (the last poll's), else null.
     */
    private void observe(SnapshotDiff diff, Listeners listeners, List<SocketEntry> sockets, List<SocketEntry> from) {
        if (diff.fromMillis() <= 0 || diff.toMillis() <= diff.fromMillis()) return;
        Map<Destination, Integer> out = new HashMap<>();
        Map<Destination, Integer> takeovers = new HashMap<>();
        int takeoversTotal = 0;
        int uncertain = 0;
        int[] counts = new int[2];
        long now = diff.toMillis();
        if (diff.eventsComplete()) {
            // the kernel's events saw every entry into TIME_WAIT, takeovers and short connections included
            for (StateChange c : diff.events().transitions()) {
                if (c.to() != TcpState.TIME_WAIT) continue;
                putCounted(c.key(), c.atMillis());
                count(c.current(), listeners, out, counts);
            }
            // keep the timer dates current for an interval without events; not again over the list walked last
            // time (a table at rest: the tracker publishes the same list, and its every TIME_WAIT row is dated
            // already: 28k lookups a poll at 100k)
            if (sockets != walkedTimeWait) {
                if (from != null && from == walkedTimeWait) {
                    // every TIME_WAIT row of the rows this diff is from is dated (walked, and a listed row's date is
                    // never pruned): of these rows only those the diff opened or moved into TIME_WAIT may not be. The
                    // same dates as a walk over every row, without it (at 100k rows of a steadily churning table a
                    // new list every poll: 100k rows read and 28k lookups a poll, issue 11)
                    for (SocketEntry e : diff.opened()) dateTimeWait(e, now);
                    for (StateChange c : diff.transitions()) if (c.to() == TcpState.TIME_WAIT) dateTimeWait(c.current(), now);
                } else {
                    for (SocketEntry e : sockets) dateTimeWait(e, now);
                }
                walkedTimeWait = sockets;
            }
        } else {
            walkedTimeWait = null;
            for (StateChange c : diff.transitions())
                if (c.to() == TcpState.TIME_WAIT && firstTime(c.current(), entryTime(c.current(), now)))
                    count(c.current(), listeners, out, counts);
            for (SocketEntry e : diff.opened())
                if (e.state() == TcpState.TIME_WAIT && firstTime(e, entryTime(e, now))) count(e, listeners, out, counts);
            for (SocketEntry e : sockets) {
                if (e.state() != TcpState.TIME_WAIT || !e.hasTimerTime()) continue;
                long entry = entryTime(e, now);
                long before = counted(e.key());
                if (before == NONE) putCounted(e.key(), entry); // first sight of an older entry: dated, not counted
                else if (entry > before + Math.max(TAKEOVER_MILLIS, jitterMillis)) { // the timer jumped back up: a takeover re-entered TIME_WAIT
                    putCounted(e.key(), entry);
                    count(e, listeners, out, counts);
                    takeoversTotal++;
                    if (listeners.isOutbound(e)) takeovers.merge(Destination.of(e), 1, Integer::sum);
                } else if (entry > before + TAKEOVER_MILLIS) {
                    // within the slow polls' margin: a takeover, or this entry read late. Not counted (nor the
                    // recorded entry moved: takeovers closer together than the margin still add up past it), but
                    // said: once per re-dating, not at every poll that reads it again
                    long seen = uncertainAt.getOrDefault(e.key(), NONE);
                    if (seen == NONE || entry > seen + TAKEOVER_MILLIS) {
                        uncertainAt.put(e.key(), entry);
                        uncertain++;
                    }
                }
            }
        }
        // pruned every PRUNE_MILLIS of poll time, not every so many polls: when the window's refresh backed
        // off under load (30–120 s between polls) 32 polls were up to an hour, and the map grew with
        // every TIME_WAIT entry of that hour (the soak's rising heap: ~28k keys a minute at 100k sockets)
        if (now - prunedAt >= PRUNE_MILLIS || now < prunedAt) {
            prunedAt = now;
            walkedTimeWait = null; // (a listed row's date is never pruned; walked again all the same)
            long oldest = now - windowMillis - 2 * timeWaitMillis - base; // (an int's range from the base, see putCounted)
            counted.removeAll((ConnectionKey k, int t) -> t < oldest);
            uncertainAt.removeAll((ConnectionKey k, long t) -> now - t > windowMillis + 2 * timeWaitMillis);
        }
        samples.addLast(new Sample(diff.fromMillis(), diff.toMillis(), out, counts[0], counts[1], diff.closed().size(),
                takeovers, takeoversTotal, uncertain, Math.max(TAKEOVER_MILLIS, jitterMillis)));
        add(out, windowEntries, 1);
        add(takeovers, windowTakeovers, 1);
        while (samples.size() > 1 && diff.toMillis() - samples.peekFirst().toMillis() >= windowMillis) {
            Sample gone = samples.removeFirst();
            add(gone.outbound, windowEntries, -1);
            add(gone.takeovers, windowTakeovers, -1);
        }
    }

    /** Dates a TIME_WAIT row's entry from its timer unless its 4-tuple's entry is recorded already. */
    private void dateTimeWait(SocketEntry e, long now) {
        if (e.state() == TcpState.TIME_WAIT && e.hasTimerTime() && !counted.containsKey(e.key()))
            putCounted(e.key(), entryTime(e, now));
    }

    private long entryTime(SocketEntry e, long now) {
        return e.timeWaitEnteredAt(now, timeWaitMillis);
    }

    /**
     * Records the entry; false when the same entry of this 4-tuple was counted already. Two datings of one
     * entry differ by up to both polls' durations (see {@link #observe(PollResult)}): on a loaded machine a
     * poll of /proc can take longer than {@link #SAME_ENTRY_MILLIS}, and a row that a non-atomic read missed
     * once comes back dated that much later.
     */
    private boolean firstTime(SocketEntry e, long entry) {
        long before = counted(e.key());
        if (before != NONE && entry <= before + Math.max(SAME_ENTRY_MILLIS, jitterMillis)) return false;
        putCounted(e.key(), entry);
        return true;
    }

    /** The entry time recorded for a 4-tuple, or {@link #NONE}. */
    private long counted(ConnectionKey k) {
        int v = counted.getOrDefault(k, NO_INT);
        return v == NO_INT ? NONE : base + v;
    }

    /** Records a 4-tuple's entry time (ms), as an int from {@link #base}, which moves first when it is too far. */
    private void putCounted(ConnectionKey k, long millis) {
        if (base == Long.MIN_VALUE) base = millis;
        long d = millis - base;
        if (d >= REBASE_MILLIS || d <= -REBASE_MILLIS) {
            // every value from the new base (one far older than it ends at the int's floor: long past pruning)
            long shift = millis - base;
            for (ObjectIntCursor<ConnectionKey> c : counted)
                counted.indexReplace(c.index, (int) Math.max(NO_INT + 1L, Math.min(Integer.MAX_VALUE, c.value - shift)));
            base = millis;
            d = 0;
        }
        counted.put(k, (int) d);
    }

    private static void count(SocketEntry e, Listeners l, Map<Destination, Integer> out, int[] counts) {
        if (l.isInbound(e)) counts[1]++;
        else if (l.isOutbound(e)) {
            out.merge(Destination.of(e), 1, Integer::sum);
            counts[0]++;
        }
    }

    /** 4-tuples whose entry into TIME_WAIT is remembered (tests: the bound). */
    int remembered() {
        return counted.size();
    }

    /** Milliseconds the window covers now (0 before two polls). */
    public long spanMillis() {
        if (samples.isEmpty()) return 0;
        return samples.peekLast().toMillis() - samples.peekFirst().fromMillis();
    }

    public boolean hasRate() {
        return spanMillis() > 0;
    }

    /** Outgoing connections to {@code d} that entered TIME_WAIT within the window. */
    public int outboundEntries(Destination d) {
        int n = 0;
        for (Sample s : samples) n += s.outbound.getOrDefault(d, 0);
        return n;
    }

    /** Active closes per second towards {@code d} (entries into TIME_WAIT on this side); 0 before two polls. */
    public double outboundRate(Destination d) {
        long span = spanMillis();
        return span == 0 ? 0 : outboundEntries(d) * 1000.0 / span;
    }

    /**
     * Every destination's entries into TIME_WAIT (active closes) and takeovers within the window, summed
     * over the window's samples in one pass: a report asks for every destination's rate, and asking
     * {@link #outboundRate} and {@link #coarse(Destination, int)} per destination walked every sample's
     * map per destination (at 55k destinations 3.3M lookups a report). The same sums as theirs.
     *
     * @param entries   per destination, the entries {@link #outboundEntries} counts (every key has one or more)
     * @param takeovers per destination, the takeovers {@link #coarse(Destination, int)} counts
     */
    record Sums(ObjectIntHashMap<Destination> entries, ObjectIntHashMap<Destination> takeovers) {
        /** {@link #outboundRate(Destination)} from these sums. */
        double rate(Destination d, long spanMillis) {
            return spanMillis == 0 ? 0 : entries.getOrDefault(d, 0) * 1000.0 / spanMillis;
        }
    }

    /**
     * The window's per-destination sums (see {@link Sums}), kept as samples come and go: a sample's counts
     * are added when it comes and taken off when it leaves the window. Read them before the next poll.
     */
    Sums sums() {
        return new Sums(windowEntries, windowTakeovers);
    }

    /** Per destination, the sums of the samples in the window (a destination leaves at 0). */
    private final ObjectIntHashMap<Destination> windowEntries = new ObjectIntHashMap<>();
    private final ObjectIntHashMap<Destination> windowTakeovers = new ObjectIntHashMap<>();

    private static void add(Map<Destination, Integer> sample, ObjectIntHashMap<Destination> sums, int sign) {
        for (Map.Entry<Destination, Integer> e : sample.entrySet()) {
            if (sums.addTo(e.getKey(), sign * e.getValue()) == 0) sums.remove(e.getKey());
        }
    }

    /** As {@link #coarse(Destination, int)} from {@code sums}. */
    Coarse coarse(Sums sums, Destination d, int timeWaitTuples) {
        return coarse(sums.takeovers().getOrDefault(d, 0), timeWaitTuples);
    }

    /** Destinations with at least one entry into TIME_WAIT in the window. */
    public Set<Destination> destinations() {
        Map<Destination, Integer> all = new HashMap<>();
        for (Sample s : samples) s.outbound.forEach((k, v) -> all.merge(k, v, Integer::sum));
        return all.keySet();
    }

    /** Entries into TIME_WAIT per second, all sockets (client and server side). */
    public double timeWaitEntryRate() {
        long span = spanMillis();
        if (span == 0) return 0;
        long n = 0;
        for (Sample s : samples) n += s.outboundTotal + s.inbound;
        return n * 1000.0 / span;
    }

    /** Entries into TIME_WAIT per second on accepted (server-side) connections. */
    public double inboundTimeWaitRate() {
        long span = spanMillis();
        if (span == 0) return 0;
        long n = 0;
        for (Sample s : samples) n += s.inbound;
        return n * 1000.0 / span;
    }

    /** Mean time between the polls in the window, ms (0 before two polls). */
    public long meanIntervalMillis() {
        return samples.isEmpty() ? 0 : spanMillis() / samples.size();
    }

    /**
     * Whether the poll interval is too coarse for the takeovers measured towards {@code d}, which
     * has {@code timeWaitTuples} TIME_WAIT 4-tuples now: null when it is fine (or nothing was taken over).
     */
    public Coarse coarse(Destination d, int timeWaitTuples) {
        int n = 0;
        for (Sample s : samples) n += s.takeovers.getOrDefault(d, 0);
        return coarse(n, timeWaitTuples);
    }

    /** As {@link #coarse(Destination, int)} for every TIME_WAIT socket of the table ({@code timeWaitTuples} of them). */
    public Coarse coarse(int timeWaitTuples) {
        int n = 0;
        for (Sample s : samples) n += s.takeoversTotal;
        return coarse(n, timeWaitTuples);
    }

    private Coarse coarse(int takeovers, int tuples) {
        long span = spanMillis();
        if (takeovers < 2 || tuples <= 0 || span <= 0) return null;
        double rate = takeovers * 1000.0 / span;
        long interval = meanIntervalMillis();
        // the meter counts at most one takeover per 4-tuple per poll
        if (rate * interval / 1000.0 < COARSE_SHARE * tuples) return null;
        long suggested = Math.max(100, (long) Math.floor(tuples / rate * 1000 / 4 / 50) * 50);
        return new Coarse(interval, tuples, rate, suggested);
    }

    /**
     * Whether the polls in the window were too slow to tell every TIME_WAIT takeover apart (see
     * {@link SlowPolls}); null when no reading fell within the slow polls' margin.
     */
    public SlowPolls slowPolls() {
        long span = spanMillis();
        int n = 0;
        long margin = 0;
        for (Sample s : samples) {
            n += s.uncertain;
            margin = Math.max(margin, s.marginMillis);
        }
        return n == 0 || span <= 0 ? null : new SlowPolls(margin, n, n * 1000.0 / span);
    }

    /** Connections that left the table per second (any reason: TIME_WAIT expiry, LAST_ACK done, reset). */
    public double disappearRate() {
        long span = spanMillis();
        if (span == 0) return 0;
        long n = 0;
        for (Sample s : samples) n += s.closed;
        return n * 1000.0 / span;
    }
}
