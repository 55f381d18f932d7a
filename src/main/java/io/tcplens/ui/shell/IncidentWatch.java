package io.tcplens.ui.shell;

import io.tcplens.analysis.alerts.AlertEvent;
import io.tcplens.analysis.alerts.AlertMonitor;
import io.tcplens.analysis.alerts.AlertRule;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.LinuxPortRangeReader;
import io.tcplens.analysis.ports.PortRangeReader;
import io.tcplens.engine.PollResult;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.MachineFacts;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.TimeWaitDuration;
import io.tcplens.source.replay.IncidentBuffer;
import io.tcplens.source.replay.RecordingWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window's watch over every poll, off the poller and the FX thread (one daemon thread,
 * {@code tcplens-incident}): checks the alert rules ({@link AlertMonitor}, the same as {@code tcplens
 * watch --alert}), keeps the last minutes in an {@link IncidentBuffer}, and appends to a recording
 * while Record is on. A poll that arrives while {@value #MAX_PENDING} are still waiting is skipped (and
 * counted), and when handling a poll costs more than half the time between polls (a very large
 * table) only every {@link #every()}-th poll is handled, so the watch stays within that share of one
 * core. No JavaFX here: what the window shows is handed to {@code onAlerts}.
 */
public final class IncidentWatch implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentWatch.class);
    static final int MAX_PENDING = 8;

    private final ExecutorService thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("tcplens-incident").daemon().factory());
    private final AtomicInteger pending = new AtomicInteger();
    private final PortRangeReader defaultRange;
    private final Consumer<List<AlertEvent>> onAlerts;
    private final Consumer<String> onRecordingStopped;
    private final Consumer<String> onBufferNote;
    private String bufferNote; // watch thread
    private volatile List<AlertRule> rules;
    private volatile IncidentBuffer buffer;
    private volatile AlertMonitor monitor;
    private volatile SocketTableSource source;
    private volatile RecordingWriter recording;
    private volatile long skipped;

    /**
     * @param rules            the alert rules
     * @param keepMillis       how long the incident buffer keeps polls
     * @param maxBytes         most compressed bytes it holds
     * @param defaultRange     this machine's ephemeral port range (a namespace or a server has its own)
     * @param onAlerts         what fired and cleared at a poll (called on the watch thread)
     * @param onRecordingStopped a recording that failed, with the reason (called on the watch thread)
     * @param onBufferNote     why the buffer keeps its polls in memory, not in its temporary file (null:
     *                         in the file again, with a new buffer), when that changes (watch thread)
     */
    public IncidentWatch(List<AlertRule> rules, long keepMillis, long maxBytes, PortRangeReader defaultRange,
                         Consumer<List<AlertEvent>> onAlerts, Consumer<String> onRecordingStopped,
                         Consumer<String> onBufferNote) {
        this.rules = List.copyOf(rules);
        this.buffer = new IncidentBuffer(keepMillis, maxBytes);
        this.defaultRange = defaultRange;
        this.onAlerts = onAlerts;
        this.onRecordingStopped = onRecordingStopped;
        this.onBufferNote = onBufferNote;
    }

    /** Runs on the watch thread; nothing once closed (the window may close twice: hidden, then closed). */
    private void run(Runnable work) {
        try {
            thread.execute(work);
        } catch (RejectedExecutionException closed) {
            // closed: nothing more to watch
        }
    }

    /** A new source: the buffer and the alert conditions start again (a recording of the old source is closed). */
    public void sourceChanged(SocketTableSource src) {
        run(() -> {
            source = src;
            buffer.clear();
            monitor = newMonitor(rules, src);
            stopRecordingNow();
        });
    }

    private AlertMonitor newMonitor(List<AlertRule> r, SocketTableSource src) {
        if (src == null) return null;
        Supplier<EphemeralPortRange> range = src instanceof MachineFacts f
                ? () -> new LinuxPortRangeReader(f.sysctlRoot()).read() : defaultRange::read;
        return new AlertMonitor(r, range);
    }

    /** New rules: conditions start again (what held is reported again if it still holds). */
    public void setRules(List<AlertRule> r) {
        List<AlertRule> copy = List.copyOf(r);
        run(() -> {
            rules = copy;
            monitor = newMonitor(copy, source);
        });
    }

    public List<AlertRule> rules() {
        return rules;
    }

    /** New buffer bounds; what is held is kept when it fits (the buffer is rebuilt empty otherwise). */
    public void setBufferBounds(long keepMillis, long maxBytes) {
        run(() -> {
            if (buffer.keepMillis() != keepMillis || buffer.maxBytes() != maxBytes) {
                IncidentBuffer old = buffer;
                buffer = new IncidentBuffer(keepMillis, maxBytes);
                old.close(); // its temporary file goes (after a save that reads it)
            }
        });
    }

    public IncidentBuffer buffer() {
        return buffer;
    }

    /** The conditions that hold now (any thread; a copy). */
    public List<AlertEvent> active() {
        AlertMonitor m = monitor;
        if (m == null) return List.of();
        try {
            return thread.submit(m::active).get();
        } catch (Exception e) { // closed, or interrupted
            return List.of();
        }
    }

    /** Polls skipped because the watch thread was behind. */
    public long skipped() {
        return skipped;
    }

    /** Share of the time between polls the watch may take (of one core); beyond it, polls are thinned. */
    static final double BUDGET = 0.5;
    private volatile double costNanos;   // what handling a poll costs (moving average), watch thread
    private long lastPollNanos;          // poller thread
    private double gapNanos;             // time between polls (moving average), poller thread
    private int sinceKept;
    private volatile int every = 1;
    private volatile long thinned;

    /** Polls not handled because of {@link #every()} (they are not in the buffer). */
    public long thinned() {
        return thinned;
    }

    /**
     * Every how many polls one is handled: 1 unless handling one costs more than {@value #BUDGET} of
     * the time between polls (a very large table), then as many as keep it within that.
     */
    public int every() {
        return every;
    }

    /** Engine listener (poller thread). */
    public void onPoll(PollResult r) {
        long t = System.nanoTime();
        if (lastPollNanos != 0) {
            long gap = t - lastPollNanos;
            gapNanos = gapNanos == 0 ? gap : 0.8 * gapNanos + 0.2 * gap;
        }
        lastPollNanos = t;
        every = gapNanos > 0 ? (int) Math.max(1, Math.min(1000, Math.ceil(costNanos / (BUDGET * gapNanos)))) : 1;
        if (++sinceKept < every) {
            thinned++;
            // Record was asked for explicitly: it still gets every poll
            if (recording != null) run(() -> record(r));
            return;
        }
        sinceKept = 0;
        if (pending.incrementAndGet() > MAX_PENDING) {
            pending.decrementAndGet();
            skipped++;
            if (recording != null) run(() -> record(r)); // Record still gets every poll
            return;
        }
        run(() -> {
            long start = System.nanoTime();
            try {
                handle(r);
                long c = System.nanoTime() - start;
                costNanos = costNanos == 0 ? c : 0.7 * costNanos + 0.3 * c;
            } catch (RuntimeException e) {
                LOG.warn("incident watch: {}", e.toString());
            } finally {
                pending.decrementAndGet();
            }
        });
    }

    private void handle(PollResult r) {
        if (r.error() != null) return; // the engine repeats the last good table: it is no new poll
        if (monitor == null) monitor = newMonitor(rules, source);
        if (monitor != null) {
            List<AlertEvent> ev = monitor.observe(r);
            for (AlertEvent e : ev) {
                if (e.fired()) LOG.warn("{}", e.describe());
                else LOG.info("{}", e.describe());
            }
            if (!ev.isEmpty()) onAlerts.accept(ev);
        }
        SocketTableSource src = source;
        if (src == null || src.info().kind() != SourceInfo.Kind.REPLAY) { // a replay is a recording already
            IncidentBuffer b = buffer;
            b.append(r.snapshot());
            String note = b.inMemoryBecause();
            if (!Objects.equals(note, bufferNote)) {
                bufferNote = note;
                onBufferNote.accept(note);
            }
        }
        record(r);
    }

    private void record(PollResult r) {
        if (r.error() != null) return;
        RecordingWriter w = recording;
        if (w != null) {
            try {
                w.checkStillThere();
                w.append(r.snapshot());
            } catch (IOException e) {
                stopRecordingNow();
                onRecordingStopped.accept(e.getMessage() == null ? e.toString() : e.getMessage());
            }
        }
    }

    /** Saves the last minutes (the whole buffer, or from {@code fromMillis}); returns the polls written. Any thread but FX. */
    public int saveLast(Path file, long fromMillis, boolean overwrite) throws IOException {
        SocketTableSource src = source;
        TimeWaitDuration tw = src == null ? TimeWaitDuration.LINUX : src.timeWaitDuration();
        return buffer.save(file, fromMillis, tw, overwrite);
    }

    /** Starts recording every poll to {@code file} (a new file, or replacing one when {@code overwrite}). */
    public Future<?> startRecording(Path file, boolean overwrite) {
        return thread.submit(() -> {
            stopRecordingNow();
            SocketTableSource src = source;
            if (src == null) throw new IOException("no source yet");
            recording = new RecordingWriter(file, src.info(), src.timeWaitDuration(), overwrite);
            LOG.info("recording {} to {}", src.info().label(), file);
            return null;
        });
    }

    public Future<?> stopRecording() {
        return thread.submit(this::stopRecordingNow);
    }

    /** The file being recorded to, or null. */
    public RecordingWriter recording() {
        return recording;
    }

    private void stopRecordingNow() {
        RecordingWriter w = recording;
        recording = null;
        if (w != null) {
            try {
                w.close();
                LOG.info("recording stopped: {} ({} polls)", w.file(), w.records());
            } catch (IOException e) {
                LOG.warn("closing {}: {}", w.file(), e.getMessage());
            }
        }
    }

    /** Waits until every poll handed over so far is handled (tests). */
    public void drain() {
        try {
            thread.submit(() -> {}).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kind of the current source (recording a replay makes no sense). */
    public SourceInfo.Kind sourceKind() {
        SocketTableSource s = source;
        return s == null ? null : s.info().kind();
    }

    @Override
    public void close() {
        run(() -> {
            stopRecordingNow();
            buffer.close(); // its temporary file goes (after a save that reads it)
        });
        thread.shutdown();
    }
}
