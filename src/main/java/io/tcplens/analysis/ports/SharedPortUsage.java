package io.tcplens.analysis.ports;

import io.tcplens.engine.PollResult;
import io.tcplens.source.TimeWaitDuration;
import java.util.List;
import java.util.Objects;

/**
 * One {@link PortUsageAnalyzer} for several readers that are given the same polls in the same order,
 * one batch after the other (the window's advisor and TIME_WAIT timeline: the shell hands every batch
 * to each of them, shown or in the background). Each poll is observed once, by whichever reader brings
 * its batch first; a report asked for again for the same poll, range and duration is not made again.
 * At 100k sockets each reader's own analyzer walked every poll's TIME_WAIT rows (issue 11).
 * Thread-safe.
 */
public final class SharedPortUsage {
    private final long windowMillis;
    private PortUsageAnalyzer analyzer;
    private long timeWaitMillis;
    /** The newest poll fed (only that one is kept: an older table is not held in memory). */
    private PollResult lastFed;
    private long fedCount;
    private PortReport report;
    private PollResult reportPoll;
    private long reportFedCount;
    private EphemeralPortRange reportRange;
    private TimeWaitDuration reportDuration;

    public SharedPortUsage(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    public SharedPortUsage() {
        this(PortUsageAnalyzer.DEFAULT_WINDOW_MILLIS);
    }

    /** Another source: what was measured is dropped. */
    public synchronized void reset() {
        analyzer = null;
        lastFed = null;
        report = null;
        reportPoll = null;
    }

    /**
     * Feeds the polls of {@code batch} that are new, oldest first: when the batch holds the newest poll
     * fed so far (another reader brought the same batch), only the polls after it. A TIME_WAIT duration
     * other than the analyzer's starts a new analyzer.
     */
    public synchronized void observe(List<PollResult> batch, long timeWaitMillis) {
        if (analyzer == null || this.timeWaitMillis != timeWaitMillis) {
            analyzer = new PortUsageAnalyzer(windowMillis, timeWaitMillis);
            this.timeWaitMillis = timeWaitMillis;
            lastFed = null;
            report = null;
            reportPoll = null;
        }
        int from = 0;
        if (lastFed != null) {
            for (int i = batch.size() - 1; i >= 0; i--) {
                if (batch.get(i) == lastFed) {
                    from = i + 1;
                    break;
                }
            }
        }
        for (int i = from; i < batch.size(); i++) {
            PollResult r = batch.get(i);
            analyzer.observe(r);
            lastFed = r;
            fedCount++;
        }
    }

    /** The report for {@code latest} (observed before); the same one again while nothing new was fed. */
    public synchronized PortReport report(PollResult latest, EphemeralPortRange range, TimeWaitDuration duration) {
        if (analyzer == null) observe(List.of(latest), duration.millis());
        if (report != null && reportPoll == latest && reportFedCount == fedCount && Objects.equals(reportRange, range)
                && Objects.equals(reportDuration, duration)) return report;
        report = analyzer.report(latest, range, duration);
        reportPoll = latest;
        reportFedCount = fedCount;
        reportRange = range;
        reportDuration = duration;
        return report;
    }

    /** TIME_WAIT entries per second over the window ({@link CloseRateMeter#timeWaitEntryRate}); 0 before any poll. */
    public synchronized double timeWaitEntryRate() {
        return analyzer == null ? 0 : analyzer.meter().timeWaitEntryRate();
    }
}
