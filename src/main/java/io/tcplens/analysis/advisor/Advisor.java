package io.tcplens.analysis.advisor;

import io.tcplens.analysis.SocketsByState;
import io.tcplens.analysis.ports.Listeners;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.engine.PollResult;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Looks at the TCP table over a window of polls, the kernel's settings and its listen-queue
 * counters, and says what is going on and what actually fixes it: each {@link AdvisorRule} is one
 * check, and every finding cites the numbers that triggered it. The advice is for current Linux: it
 * never suggests tcp_tw_recycle (removed in 4.12) and never presents tcp_fin_timeout as a TIME_WAIT
 * knob. Not thread-safe.
 */
public final class Advisor {
    /** Default window over which growth and rates are measured. */
    public static final long DEFAULT_WINDOW_MILLIS = 60_000;

    // thresholds, public so the UI and the docs can cite them
    public static final int CLOSE_WAIT_GROWTH = 5;
    public static final long CLOSE_WAIT_AGE_MILLIS = 60_000;
    public static final int SYN_RECV_COUNT = 64;
    public static final int SYN_RECV_GROWTH = 32;
    public static final int FIN_WAIT2_ORPHANS = 10;
    public static final long FIN_WAIT2_AGE_MILLIS = 30_000;
    public static final double TW_BUCKETS_FRACTION = 0.8;
    /** The range suggested when ports run out: wide, above the registered ports most services use. */
    public static final int SUGGESTED_RANGE_FIRST = 10_000;
    public static final int SUGGESTED_RANGE_LAST = 65_535;

    /** The rules, in the order their findings are listed within one severity. */
    public static final List<AdvisorRule> RULES = List.of(new TwReuseWithoutTimestampsRule(), new TwRecycleRule(),
            new TimeWaitSideRule(), new PortExhaustionRule(), new TimeWaitCapRule(), new CloseWaitRule(),
            new SynRecvRule(), new FinWait2OrphansRule());

    private final KernelSettings settings;
    private final LongFunction<NetstatCounters> counters;
    private final long windowMillis;
    private final List<AdvisorRule> rules;
    private final Deque<Observation.Sample> samples = new ArrayDeque<>();

    /**
     * @param settings     the kernel's settings (read once)
     * @param counters     reads /proc/net/netstat at a given time ({@link NetstatCounters#none()} where there is none)
     * @param windowMillis how far back growth is measured
     */
    public Advisor(KernelSettings settings, LongFunction<NetstatCounters> counters, long windowMillis) {
        this(settings, counters, windowMillis, RULES);
    }

    public Advisor(KernelSettings settings, LongFunction<NetstatCounters> counters, long windowMillis,
                   List<AdvisorRule> rules) {
        this.settings = settings;
        this.counters = counters;
        this.windowMillis = windowMillis;
        this.rules = List.copyOf(rules);
    }

    /** The live system: /proc/sys and /proc/net/netstat. */
    public static Advisor system() {
        return new Advisor(KernelSettings.read(SysctlReader.system()),
                t -> NetstatCounters.read(Path.of("/proc"), t), DEFAULT_WINDOW_MILLIS);
    }

    public KernelSettings settings() {
        return settings;
    }

    /** Records one poll (call for every poll, oldest first). */
    public void observe(PollResult r) {
        long now = r.snapshot().timestampMillis();
        Walk w = walk(r.snapshot());
        samples.addLast(new Observation.Sample(now, w.closeWait(), w.synRecv(), counters.apply(now)));
        while (samples.size() > 2 && now - samples.peekFirst().atMillis() > windowMillis) samples.removeFirst();
    }

    /**
     * A table's CLOSE_WAIT sockets per owner (unmodifiable) and its SYN_RECV count; the table only weakly
     * (this static cache must not keep a closed window's or a switched source's last table alive).
     */
    private record Walk(WeakReference<Snapshot> of, Map<String, Integer> closeWait, int synRecv) {}

    /** The last table walked and what it gave (immutable, so a racy read sees one or the other whole). */
    private static volatile Walk lastWalk;

    /**
     * What {@link #observe} takes from a table, walked once per table: the window's two advisors (the
     * advisor tab's and the TIME_WAIT tab's, both in the background most of the time) each walked every
     * poll's whole table (issue 11: 100k rows a poll); the second is given the first one's result.
     */
    private static Walk walk(Snapshot s) {
        Walk w = lastWalk;
        if (w != null && w.of().get() == s) return w;
        Map<String, Integer> cw = new HashMap<>();
        int syn = 0;
        SocketsByState split = SocketsByState.ifMade(s);
        if (split != null) {
            // the table split by state for the rules (advise makes it first): not a walk of its own over every row
            for (SocketEntry e : split.get(TcpState.CLOSE_WAIT)) cw.merge(RuleSupport.ownerKey(e), 1, Integer::sum);
            syn = split.get(TcpState.SYN_RECV).size();
        } else {
            // (a poll only observed, no rule to read a split: the walk alone costs less than the split)
            for (SocketEntry e : s.sockets()) {
                if (e.state() == TcpState.CLOSE_WAIT) cw.merge(RuleSupport.ownerKey(e), 1, Integer::sum);
                else if (e.state() == TcpState.SYN_RECV) syn++;
            }
        }
        w = new Walk(new WeakReference<>(s), Collections.unmodifiableMap(cw), syn);
        lastWalk = w;
        return w;
    }

    /** Seconds between the oldest and newest observed poll. */
    public double observedSeconds() {
        return samples.size() < 2 ? 0 : (samples.peekLast().atMillis() - samples.peekFirst().atMillis()) / 1000.0;
    }

    /** The advice for the latest poll (which must have been observed) and its port report. */
    public Advice advise(PollResult latest, PortReport ports) {
        SocketsByState.of(latest.snapshot()); // what the rules read, made first: the poll's observe below reads it too
        if (samples.isEmpty() || samples.peekLast().atMillis() != latest.snapshot().timestampMillis()) observe(latest);
        Observation o = new Observation(latest, ports, Listeners.of(latest), settings,
                samples.peekFirst(), samples.peekLast());
        List<Finding> findings = new ArrayList<>();
        for (AdvisorRule rule : rules) rule.check(o, findings);
        findings.sort(Comparator.comparing((Finding f) -> f.severity()).reversed());
        String kernel = System.getProperty("os.name") + " " + System.getProperty("os.version");
        return new Advice(latest.snapshot().source().label(), kernel, observedSeconds(), settings.explain(), findings);
    }

    /** The source network a remote counts in for SYN_RECV: its /24 (IPv4) or /64 (IPv6), as text. */
    public static String network(Endpoint remote) {
        return RuleSupport.network(remote);
    }
}
