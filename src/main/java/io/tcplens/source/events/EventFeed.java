package io.tcplens.source.events;

import io.tcplens.model.EventBatch;

/** Kernel state-change events, handed to the poller one interval at a time. */
public interface EventFeed extends AutoCloseable {

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
