package io.tcplens.source.replay;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * Play, pause, seek and speed for a {@link Recording}. The position is a time on the recording's
 * clock; while playing it advances with the wall clock times the speed and stops at the last record.
 * Thread-safe: the UI drives it, the poller reads it. Listeners run on the calling thread.
 */
public final class ReplayController {
    public static final double MIN_SPEED = 0.125;
    public static final double MAX_SPEED = 64;

    private final Recording recording;
    private final LongSupplier nanoClock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private boolean playing;
    private double speed = 1;
    private long anchorMillis;   // recording time at anchorNanos
    private long anchorNanos;
    private long seekGeneration;

    public ReplayController(Recording recording) {
        this(recording, System::nanoTime);
    }

    /** @param nanoClock a monotonic clock in ns (tests pass a fake one) */
    public ReplayController(Recording recording, LongSupplier nanoClock) {
        if (recording.isEmpty()) throw new IllegalArgumentException("the recording has no records");
        this.recording = recording;
        this.nanoClock = nanoClock;
        this.anchorMillis = recording.firstMillis();
        this.anchorNanos = nanoClock.getAsLong();
    }

    public Recording recording() {
        return recording;
    }

    /** Called after every play/pause/seek/speed change. */
    public void addListener(Runnable l) {
        listeners.add(l);
    }

    public void removeListener(Runnable l) {
        listeners.remove(l);
    }

    /** The current position on the recording's clock (epoch ms), within first…last. */
    public synchronized long positionMillis() {
        if (!playing) return anchorMillis;
        long elapsedNanos = nanoClock.getAsLong() - anchorNanos;
        long pos = anchorMillis + (long) (elapsedNanos / 1e6 * speed);
        if (pos >= recording.lastMillis()) {
            // reached the end: hold the last record, paused
            anchorMillis = recording.lastMillis();
            anchorNanos = nanoClock.getAsLong();
            playing = false;
            return anchorMillis;
        }
        return pos;
    }

    /** Position relative to the first record, in ms. */
    public long offsetMillis() {
        return positionMillis() - recording.firstMillis();
    }

    /** The record shown at the current position. */
    public int currentIndex() {
        return recording.indexAt(positionMillis());
    }

    public synchronized boolean isPlaying() {
        positionMillis(); // may stop at the end
        return playing;
    }

    public synchronized boolean atEnd() {
        return positionMillis() >= recording.lastMillis();
    }

    public synchronized double speed() {
        return speed;
    }

    /**
     * Increases whenever the position jumps backwards (seek or step back): whoever keeps state across
     * snapshots (a tracker, a chart) should start over when it changes.
     */
    public synchronized long seekGeneration() {
        return seekGeneration;
    }

    /** Plays from the current position (from the start when at the end). */
    public void play() {
        synchronized (this) {
            long pos = positionMillis();
            if (pos >= recording.lastMillis() && recording.size() > 1) {
                pos = recording.firstMillis();
                seekGeneration++;
            }
            anchor(pos);
            playing = true;
        }
        fire();
    }

    public void pause() {
        synchronized (this) {
            anchor(positionMillis());
            playing = false;
        }
        fire();
    }

    public void togglePlay() {
        if (isPlaying()) pause();
        else play();
    }

    /** Jumps to a time on the recording's clock (clamped to first…last); playing continues if it was. */
    public void seek(long millis) {
        synchronized (this) {
            long target = Math.max(recording.firstMillis(), Math.min(recording.lastMillis(), millis));
            if (target < positionMillis()) seekGeneration++;
            anchor(target);
        }
        fire();
    }

    /** Jumps to a record. */
    public void seekToIndex(int index) {
        seek(recording.timeOf(Math.max(0, Math.min(recording.size() - 1, index))));
    }

    /** Pauses and moves to the next record (stays on the last). */
    public void stepForward() {
        synchronized (this) {
            int i = currentIndex();
            playing = false;
            anchor(recording.timeOf(Math.min(recording.size() - 1, i + 1)));
        }
        fire();
    }

    /** Pauses and moves to the previous record whose time differs (stays on the first). */
    public void stepBack() {
        synchronized (this) {
            int i = currentIndex();
            long now = recording.timeOf(i);
            int j = i;
            while (j > 0 && recording.timeOf(j) >= now) j--;
            playing = false;
            if (recording.timeOf(j) < now) seekGeneration++;
            anchor(recording.timeOf(j));
        }
        fire();
    }

    /** Sets the speed factor, clamped to {@value #MIN_SPEED}…{@value #MAX_SPEED}. */
    public void setSpeed(double factor) {
        if (Double.isNaN(factor)) return;
        synchronized (this) {
            anchor(positionMillis());
            speed = Math.max(MIN_SPEED, Math.min(MAX_SPEED, factor));
        }
        fire();
    }

    /** Doubles the speed (the presentation "+" key). */
    public void faster() {
        setSpeed(speed() * 2);
    }

    /** Halves the speed (the presentation "−" key). */
    public void slower() {
        setSpeed(speed() / 2);
    }

    private void anchor(long millis) {
        anchorMillis = millis;
        anchorNanos = nanoClock.getAsLong();
    }

    private void fire() {
        for (Runnable l : listeners) l.run();
    }
}
