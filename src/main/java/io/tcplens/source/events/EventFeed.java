package io.tcplens.source.events;

import io.tcplens.model.EventBatch;

/** Kernel state-change events, handed to the poller one interval at a time. */
public interface EventFeed extends AutoCloseable {
    /**
     * How long a reader of a table waits at most for the feed to catch up with the end of its read
     * (every CPU's perf buffer read past it: ~10 ms, the heartbeat, on an idle machine). 50 ms was too
     * short at load 15–20: the events a poll did not wait for came with the next one, after the table
     * had moved on (CloseRateWithEventsTest, RecordingWithEventsTest).
     */
    long CATCH_UP_MILLIS = 500;

    /**
     * Waits (at most {@code maxWaitMillis}) until events up to {@code monoNanos} (CLOCK_MONOTONIC, as
     * {@link System#nanoTime()}) have been read from the kernel, so a poll's batch is not missing
     * changes still in flight. Returns false when the wait ran out.
     */
    boolean awaitCaughtUp(long monoNanos, long maxWaitMillis);

    /**
     * The changes up to {@code cutoffMonoNanos} not handed out before, oldest first, with the
     * interval's losses; null when this interval has no events at all (track it from the polls).
     */
    EventBatch drain(long cutoffMonoNanos);

    /** True while events flow. */
    boolean on();

    /** One line for a person: "events: on (bpftrace …)" or why they are off. */
    String status();

    /** Events lost since the start (kernel buffer and TcpLens's ring). */
    long lostTotal();

    @Override
    void close();
}
