package io.tcplens.testutil;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline instead of sleeping a fixed time: returns as soon as the
 * condition holds, fails with the given message (and the time waited) when the deadline passes.
 */
public final class Await {
    private static final long POLL_MILLIS = 20;

    private Await() {}

    /** Waits until the condition holds; throws AssertionError after the timeout. */
    public static void until(BooleanSupplier condition, Duration timeout, String what) {
        untilChecked(condition::getAsBoolean, timeout, what);
    }

    /** As {@link #until}, for conditions that read the kernel or a file and may throw. */
    public static void untilChecked(Callable<Boolean> condition, Duration timeout, String what) {
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Exception last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.call())) return;
                last = null;
            } catch (Exception e) {
                last = e;
            }
            if (System.nanoTime() - deadline >= 0) break;
            try {
                Thread.sleep(POLL_MILLIS); // the polling interval of the wait, not a fixed delay
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
        AssertionError err = new AssertionError("timed out after " + (System.nanoTime() - start) / 1_000_000
                + " ms waiting for: " + what);
        if (last != null) err.initCause(last);
        throw err;
    }
}
