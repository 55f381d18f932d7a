package io.tcplens.ui.shell;

import java.util.Arrays;

/** A ring of recent FX-thread hand-over times, for the status bar and the benchmark. Thread-safe. */
public final class FrameStats {
    private final long[] ring;
    private int next;
    private int size;

    public FrameStats(int capacity) {
        ring = new long[capacity];
    }

    public synchronized void record(long nanos) {
        ring[next] = nanos;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    public synchronized int count() {
        return size;
    }

    public synchronized void clear() {
        size = 0;
        next = 0;
    }

    /** The q-quantile (0..1) in ms of the recorded times; NaN when none. */
    public synchronized double quantileMillis(double q) {
        if (size == 0) return Double.NaN;
        long[] c = Arrays.copyOf(sorted(), size);
        int i = (int) Math.min(size - 1, Math.max(0, Math.ceil(q * size) - 1));
        return c[i] / 1e6;
    }

    public synchronized double lastMillis() {
        if (size == 0) return Double.NaN;
        return ring[(next - 1 + ring.length) % ring.length] / 1e6;
    }

    /** The recorded times in ns, oldest first (two rings recorded together line up index by index). */
    public synchronized long[] values() {
        long[] c = new long[size];
        for (int i = 0; i < size; i++) c[i] = ring[(next - size + i + ring.length) % ring.length];
        return c;
    }

    private long[] sorted() {
        long[] c = new long[size];
        for (int i = 0; i < size; i++) c[i] = ring[(next - size + i + ring.length) % ring.length];
        Arrays.sort(c);
        return c;
    }
}
