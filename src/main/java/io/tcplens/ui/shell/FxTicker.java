package io.tcplens.ui.shell;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;

/**
 * Runs a task on the FX thread every period, without a JavaFX animation (issue 11). A running
 * {@code Timeline} or {@code AnimationTimer}, however slow its key frames, makes JavaFX pulse 60 times a
 * second for as long as it runs (CSS, layout and a scene-graph sync each time, ~0.03 s of CPU per second
 * on the FX thread for a window with nothing to show). Here a single shared daemon thread sleeps between
 * ticks and hands each one to the FX thread, so a pulse comes only when a tick changed something on screen.
 * A tick still waiting for the FX thread is not queued again (a busy FX thread gets one, not a backlog).
 */
public final class FxTicker {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tcplens-ui-ticker").daemon().factory());

    private final long periodMillis;
    private final Runnable task;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile boolean running;
    private ScheduledFuture<?> future;
    private long ticks;

    /** @param task run on the FX thread every {@code periodMillis} while the ticker runs */
    public FxTicker(long periodMillis, Runnable task) {
        if (periodMillis <= 0) throw new IllegalArgumentException("period " + periodMillis);
        this.periodMillis = periodMillis;
        this.task = task;
    }

    /** Starts ticking (already running: nothing). Any thread. */
    public synchronized void start() {
        if (future != null) return;
        running = true;
        future = TIMER.scheduleAtFixedRate(this::post, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops ticking; a tick already handed to the FX thread does not run. Any thread. */
    public synchronized void stop() {
        running = false;
        if (future != null) future.cancel(false);
        future = null;
    }

    public boolean isRunning() {
        return running;
    }

    /** Ticks run so far (tests). */
    public long ticks() {
        return ticks;
    }

    private void post() {
        if (!running || !pending.compareAndSet(false, true)) return;
        Platform.runLater(() -> {
            pending.set(false);
            if (!running) return;
            ticks++;
            task.run();
        });
    }
}
