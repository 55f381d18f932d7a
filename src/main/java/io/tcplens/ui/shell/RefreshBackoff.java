package io.tcplens.ui.shell;

import java.util.Arrays;
import java.util.Locale;

/**
 * The refresh interval in effect, and what the window says about it. Two things, kept apart:
 * <ul>
 *   <li><b>The interval the engine polls at</b> ({@link #effectiveMillis()}) is raised only when TcpLens's
 *   own CPU would keep more than half a core busy: a poll is judged by the CPU it cost (the poller thread's
 *   CPU time plus the prepare thread's), not by its wall time, which on a loaded machine is mostly other
 *   processes' time. The engine waits the interval after each poll ends, so a poll that cost {@code cpu}
 *   uses at most {@code cpu / (cpu + interval)} of a core (less when a busy machine stretches its wall time):
 *   more than half a core means a poll costs more CPU than the interval. When the median of the recent
 *   polls at the interval in effect (those of the last {@link #WINDOW_MILLIS}, at least {@link #MIN_POLLS}) uses more than
 *   {@link #HIGH_SHARE}, the interval becomes the readable step that brings it to {@link #LOW_SHARE}. The
 *   first {@link #COLD_POLLS} polls after a start (owner scan, classes still compiling) and a single slow
 *   poll (the median leaves it out) never raise it. It steps back down once the polls since the last
 *   costly one, spanning {@link #RETURN_MILLIS}, would fit a lower step at {@link #LOW_SHARE}.</li>
 *   <li><b>How often the window really refreshes</b> ({@link #refreshMillis()}): the interval plus the
 *   polls' wall time (median of the same recent polls). When that is more than half again the interval,
 *   the status bar and the banner say the readable step nearest to it: polls of 2 s wall at a 1 s interval
 *   refresh every 3 s, and the window says so, though the engine's interval stays 1 s.</li>
 * </ul>
 * Pure logic: the window applies the returned interval with {@code PollingEngine.setInterval}.
 */
public final class RefreshBackoff {
    /** Readable steps (ms): the raised interval is rounded up to one, the refresh shown is the nearest. */
    static final long[] STEPS = {250, 500, 1_000, 2_000, 3_000, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000};
    /** Polls after a start or a new interval chosen that never raise the interval (cold: owners read, C1 compiling). */
    static final int COLD_POLLS = 3;
    /** The recent polls judged: those that ended within this of the newest ... */
    static final long WINDOW_MILLIS = 10_000;
    /** ... and at least this many. */
    static final int MIN_POLLS = 3;
    /** Above this share of a core (the median poll's CPU over that CPU plus the interval) the interval is raised ... */
    static final double HIGH_SHARE = 0.5;
    /** ... to the step that brings it to this, and a lower step is taken again when the polls fit it at this. */
    static final double LOW_SHARE = 1.0 / 3;
    /** How long the polls since the last costly one must span before the interval steps back down. */
    static final long RETURN_MILLIS = 5_000;
    /** The refresh shown differs from the interval once the real period is more than this times it. */
    static final double SHOWN_RATIO = 1.5;

    private static final int KEEP = 64;
    private final long[] ends = new long[KEEP];
    private final double[] walls = new double[KEEP];
    private final double[] cpus = new double[KEEP];
    private int count; // polls since (re)start; the newest at (count - 1) % KEEP
    /** Polls since the interval last changed: only those are judged for raising it (they ran at it). */
    private int atInterval;

    private long requested;
    private long effective;
    private long refresh;
    private double lastPollMillis;
    private double lastCpuMillis;
    private double slowestPollMillis;
    /** Start of the run of polls that fit a lower interval (the end of the last poll that did not), or -1. */
    private long quickSince = -1;
    /** The interval every poll of that run fits. */
    private long quickNeed;

    public RefreshBackoff(long requestedMillis) {
        this.requested = requestedMillis;
        this.effective = requestedMillis;
        this.refresh = requestedMillis;
    }

    /** The user chose a new interval: start from it again (its first polls are cold again). */
    public void setRequested(long millis) {
        requested = millis;
        effective = millis;
        refresh = millis;
        count = 0;
        atInterval = 0;
        quickSince = -1;
        slowestPollMillis = 0;
    }

    public long requestedMillis() {
        return requested;
    }

    /** The interval the engine should poll at now (waited after each poll's end). */
    public long effectiveMillis() {
        return effective;
    }

    /** How often the window really refreshes, as a readable step: what the status bar and the banner say. */
    public long refreshMillis() {
        return refresh;
    }

    /** Whether the window refreshes less often than chosen (the interval was raised, or polls take long). */
    public boolean backedOff() {
        return refresh > requested;
    }

    /** Whether the interval itself was raised because TcpLens's polls cost too much CPU. */
    public boolean intervalRaised() {
        return effective > requested;
    }

    /** The last poll's wall time (ms). */
    public double lastPollMillis() {
        return lastPollMillis;
    }

    /** The last poll's CPU (ms): poller plus prepare thread. */
    public double lastCpuMillis() {
        return lastCpuMillis;
    }

    /** The slowest poll (wall) since the refresh last slowed down from the chosen interval (what the notice quotes). */
    public double slowestPollMillis() {
        return slowestPollMillis;
    }

    /**
     * A poll whose CPU is not known apart from its wall time (a test's source): judged as if it cost that CPU.
     * Polls are taken as {@code pollMillis} plus the interval apart.
     */
    public long onPoll(double pollMillis) {
        long end = count == 0 ? 0 : ends[(count - 1) % KEEP] + effective + Math.round(pollMillis);
        return onPoll(end, pollMillis, pollMillis);
    }

    /**
     * A poll ended at {@code endMillis} (any clock that moves with time) after {@code wallMillis}, having
     * cost {@code cpuMillis} of CPU (poller and prepare threads). Returns the new interval for the engine,
     * or -1 when it stays as it is. {@link #refreshMillis()} may change either way.
     */
    public long onPoll(long endMillis, double wallMillis, double cpuMillis) {
        boolean wasBackedOff = backedOff();
        lastPollMillis = wallMillis;
        lastCpuMillis = cpuMillis;
        int i = count % KEEP;
        ends[i] = endMillis;
        walls[i] = wallMillis;
        cpus[i] = cpuMillis;
        count++;
        atInterval++;

        long next = -1;
        int n = recent(endMillis);
        int judged = Math.min(n, Math.min(count - COLD_POLLS, atInterval));
        if (judged >= MIN_POLLS) {
            double c = median(cpus, judged);
            if (c > HIGH_SHARE * (c + effective)) {
                long raised = Math.max(requested, roundUp(c / LOW_SHARE - c));
                if (raised > effective) {
                    effective = raised;
                    next = raised;
                }
            }
        }
        if (next < 0 && effective > requested) next = stepDown(endMillis, wallMillis, cpuMillis);
        else if (next > 0) quickSince = endMillis;
        if (next > 0) atInterval = 0;

        double period = median(walls, n) + effective;
        refresh = period > SHOWN_RATIO * effective ? Math.max(effective, nearest(period)) : effective;
        if (!wasBackedOff) slowestPollMillis = 0;
        if (backedOff()) slowestPollMillis = Math.max(slowestPollMillis, wallMillis);
        return next;
    }

    /** The interval to step down to after this poll, or -1. */
    private long stepDown(long end, double wall, double cpu) {
        long need = Math.max(requested, roundUp(cpu / LOW_SHARE - cpu));
        if (need >= effective) {
            quickSince = end;
            quickNeed = 0;
            return -1;
        }
        if (quickSince < 0) {
            quickSince = end - Math.round(wall);
            quickNeed = 0;
        }
        quickNeed = Math.max(quickNeed, need);
        if (end - quickSince < RETURN_MILLIS) return -1;
        effective = quickNeed;
        quickSince = end;
        quickNeed = 0;
        return effective;
    }

    /** How many of the newest polls to judge: those of the last {@link #WINDOW_MILLIS}, at least {@link #MIN_POLLS}. */
    private int recent(long newestEnd) {
        int kept = Math.min(count, KEEP);
        int n = 1;
        while (n < kept && newestEnd - ends[(count - 1 - n) % KEEP] <= WINDOW_MILLIS) n++;
        return Math.min(kept, Math.max(n, MIN_POLLS));
    }

    /** Median of the newest {@code n} values. */
    private double median(double[] values, int n) {
        double[] v = new double[n];
        for (int k = 0; k < n; k++) v[k] = values[(count - 1 - k) % KEEP];
        Arrays.sort(v);
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    static long roundUp(double millis) {
        for (long s : STEPS) if (s >= millis) return s;
        long top = STEPS[STEPS.length - 1];
        return (long) Math.ceil(millis / top) * top;
    }

    /** The readable step nearest to {@code millis} by ratio (6 s reads 5 s, 8 s reads 10 s). */
    static long nearest(double millis) {
        long top = STEPS[STEPS.length - 1];
        if (millis >= top) return Math.round(millis / top) * top;
        long best = STEPS[0];
        for (long s : STEPS) if (Math.abs(Math.log(s / millis)) < Math.abs(Math.log(best / millis))) best = s;
        return best;
    }

    /** An interval as people read it: 250 ms, 1 s, 20 s, 2 min. */
    public static String format(long millis) {
        if (millis < 1000) return millis + " ms";
        if (millis < 120_000 || millis % 60_000 != 0) {
            return millis % 1000 == 0 ? (millis / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return (millis / 60_000) + " min";
    }
}
