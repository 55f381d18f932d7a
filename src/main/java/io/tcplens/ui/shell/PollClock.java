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
        lastReceivedMillis = System.currentTimeMillis();
        return r.error() == null ? backoff.onPoll(r.pollMillis()) : 0; // a failed poll is not a slow one (issue 16: no back-off while a link is down)
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
