package io.tcplens.ui.shell;

import java.util.Locale;

/**
 * Automatic back-off of the refresh interval when polls are slow. When a poll takes longer than the
 * interval in use, the interval becomes at least twice the poll time (rounded up to a readable step)
 * so that polling does not keep a core busy and the screen says how often it really refreshes. After
 * {@link #QUICK_POLLS_TO_RETURN} quick polls in a row it steps back down, never below what the user
 * chose. Pure logic: the window applies the returned interval with {@code PollingEngine.setInterval}.
 */
public final class RefreshBackoff {
    /** Steps the backed-off interval is rounded up to (ms). */
    static final long[] STEPS = {250, 500, 1_000, 2_000, 3_000, 5_000, 10_000, 15_000, 20_000, 30_000, 60_000, 120_000};
    public static final int QUICK_POLLS_TO_RETURN = 3;

    private long requested;
    private long effective;
    private double lastPollMillis;
    private double slowestPollMillis;
    private int quickPolls;

    public RefreshBackoff(long requestedMillis) {
        this.requested = requestedMillis;
        this.effective = requestedMillis;
    }

    /** The user chose a new interval: start from it again. */
    public void setRequested(long millis) {
        requested = millis;
        effective = millis;
        quickPolls = 0;
        slowestPollMillis = 0;
    }

    public long requestedMillis() {
        return requested;
    }

    /** The interval the engine should poll at now. */
    public long effectiveMillis() {
        return effective;
    }

    public boolean backedOff() {
        return effective > requested;
    }

    public double lastPollMillis() {
        return lastPollMillis;
    }

    /** The slowest poll since the refresh last backed off from the chosen interval (what the notice quotes). */
    public double slowestPollMillis() {
        return slowestPollMillis;
    }

    /**
     * A poll finished in {@code pollMillis}. Returns the new interval to apply, or -1 when the
     * interval stays as it is.
     */
    public long onPoll(double pollMillis) {
        lastPollMillis = pollMillis;
        if (!backedOff()) slowestPollMillis = 0;
        slowestPollMillis = Math.max(slowestPollMillis, pollMillis);
        if (pollMillis > effective) {
            quickPolls = 0;
            long next = Math.max(requested, roundUp(2 * pollMillis));
            if (next != effective) {
                effective = next;
                return effective;
            }
            return -1;
        }
        if (!backedOff()) return -1;
        long wanted = Math.max(requested, roundUp(2 * pollMillis));
        if (wanted >= effective) {
            quickPolls = 0;
            return -1;
        }
        if (++quickPolls < QUICK_POLLS_TO_RETURN) return -1;
        quickPolls = 0;
        effective = wanted;
        return effective;
    }

    static long roundUp(double millis) {
        for (long s : STEPS) if (s >= millis) return s;
        long top = STEPS[STEPS.length - 1];
        return (long) Math.ceil(millis / top) * top;
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
