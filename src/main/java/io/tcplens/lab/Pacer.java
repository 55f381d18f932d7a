package io.tcplens.lab;

/**
 * The run's clock: spaces connections at the set rate, waits, and ends the run when it is stopped or
 * past its deadline (every wait checks both).
 */
final class Pacer {
    private final LabRun run;
    private final long startNanos;
    private final long deadlineNanos;
    private final double ratePerSecond;

    Pacer(LabRun run, long startNanos) {
        this.run = run;
        this.startNanos = startNanos;
        this.deadlineNanos = startNanos + run.settings().maxDuration().toNanos();
        this.ratePerSecond = run.settings().ratePerSecond();
    }

    /** Waits until connection {@code i} is due at the set rate. */
    void pace(int i) throws LabStopped {
        long due = startNanos + (long) (i * 1e9 / ratePerSecond);
        while (true) {
            checkStopped();
            long wait = due - System.nanoTime();
            if (wait <= 0) return;
            sleepNanos(Math.min(wait, 100_000_000L));
        }
    }

    void pause(long ms) throws LabStopped {
        long end = System.nanoTime() + ms * 1_000_000;
        while (System.nanoTime() < end) {
            checkStopped();
            sleepNanos(Math.min(end - System.nanoTime(), 50_000_000L));
        }
    }

    /** Holds the run's sockets as they are until it is stopped or reaches its time limit. */
    void holdUntilDeadline() throws LabStopped {
        while (true) {
            checkStopped();
            sleepNanos(100_000_000L);
        }
    }

    void checkStopped() throws LabStopped {
        if (run.stopping() || Thread.currentThread().isInterrupted()) throw new LabStopped();
        if (System.nanoTime() - deadlineNanos > 0) {
            run.emit(LabEvent.Kind.PHASE, "timeLimit", run.settings().maxDuration().toSeconds());
            run.markStopping();
            throw new LabStopped();
        }
    }

    private static void sleepNanos(long n) throws LabStopped {
        if (n <= 0) return;
        try {
            Thread.sleep(n / 1_000_000, (int) (n % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabStopped();
        }
    }
}
