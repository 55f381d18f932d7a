package io.tcplens.ui.shell;

import io.tcplens.engine.PollResult;

/**
 * When the shown data arrived and how long the first poll of a source has been awaited, with the
 * refresh back-off that slows polling down when polls take longer than the interval: what the age
 * in the status bar and the stale banner are computed from.
 */
final class PollClock {
    private RefreshBackoff backoff;
    private volatile long lastReceivedMillis;
    private long waitingSinceMillis = System.currentTimeMillis();

    PollClock(long requestedMillis) {
        backoff = new RefreshBackoff(requestedMillis);
    }

    /** A new source: nothing received yet, no back-off. */
    void restart(long requestedMillis) {
        waitingSinceMillis = System.currentTimeMillis();
        backoff = new RefreshBackoff(requestedMillis);
    }

    /** The user chose another interval. */
    void setRequested(long millis) {
        backoff.setRequested(millis);
    }

    /**
     * A new poll arrived (not a re-show after a filter change): it is the data's arrival, and its cost
     * counts. Returns the interval polling should switch to, or 0 to keep it.
     */
    long received(PollResult r) {
        return received(r, -1);
    }

    /**
     * As {@link #received(PollResult)}, with what the prepare thread spent for it ({@code prepareCpuNanos}, -1:
     * not known): the poll is judged by its CPU (poller and prepare), the refresh shown by its wall time.
     */
    long received(PollResult r, long prepareCpuNanos) {
        long now = System.currentTimeMillis();
        lastReceivedMillis = now;
        if (r.error() != null) return 0; // a failed poll is not a slow one (issue 16: no back-off while a link is down)
        double cpu = r.cpuMillis() + Math.max(0, prepareCpuNanos) / 1e6;
        long next = backoff.onPoll(now, r.pollMillis(), cpu);
        return Math.max(next, 0);
    }

    long lastReceivedMillis() {
        return lastReceivedMillis;
    }

    long waitingSinceMillis() {
        return waitingSinceMillis;
    }

    RefreshBackoff backoff() {
        return backoff;
    }
}
