package io.tcplens.source.replay;

import io.tcplens.model.EventBatch;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.TimeWaitDuration;
import io.tcplens.source.events.EventFeed;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A recording played back as a source: each poll answers the table recorded at the
 * {@link ReplayController}'s position, labelled {@link SourceInfo.Kind#REPLAY} (with the recorded
 * source in its description) and with the recorded timestamps. Playback starts at the first poll
 * unless {@code autoplay} is off.
 */
public final class ReplaySource implements SocketTableSource {
    private final Recording recording;
    private final ReplayController controller;
    private final SourceInfo info;
    private final boolean autoplay;
    private boolean started;

    public ReplaySource(Recording recording, boolean autoplay) {
        this.recording = recording;
        this.controller = new ReplayController(recording);
        this.autoplay = autoplay;
        this.info = new SourceInfo(SourceInfo.Kind.REPLAY, "replay",
                recording.file().getFileName() + " (recorded " + recording.header().source().label() + ")");
    }

    public ReplayController controller() {
        return controller;
    }

    public Recording recording() {
        return recording;
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    @Override
    public Snapshot poll() throws SourceException {
        synchronized (this) {
            if (!started) {
                started = true;
                if (autoplay) controller.play();
            }
        }
        Snapshot s;
        try {
            s = recording.snapshot(controller.currentIndex());
            replayedEvents = recording.lastEvents();
        } catch (UncheckedIOException e) {
            throw new SourceException(e.getCause().getMessage(), e);
        }
        List<String> warnings = s.warnings();
        if (recording.stop().isPresent()) {
            warnings = new ArrayList<>(warnings);
            warnings.add("recording incomplete: " + recording.stop().get().message());
        }
        return new Snapshot(s.timestampMillis(), s.sockets(), info, warnings, s.holders());
    }

    private volatile EventBatch replayedEvents;

    /**
     * The recorded kernel events, handed to the poller with the table they were recorded with (a
     * recording made with {@code record --events}); null batches when it has none, so polls are
     * tracked as recorded. A seek or a jump is an interval without complete events (inferred).
     */
    public EventFeed eventFeed() {
        return new EventFeed() {
            @Override
            public boolean awaitCaughtUp(long monoNanos, long maxWaitMillis) {
                return true;
            }

            @Override
            public EventBatch drain(long cutoffMonoNanos) {
                EventBatch b = replayedEvents;
                replayedEvents = null;
                return recording.hasEvents() ? b : null;
            }

            @Override
            public boolean on() {
                return true;
            }

            @Override
            public String status() {
                return recording.hasEvents() ? "events: on (replayed from the recording)"
                        : "events: off (this recording has none)";
            }

            @Override
            public long lostTotal() {
                return 0;
            }

            @Override
            public void close() {
                // the recording is the source's
            }
        };
    }

    @Override
    public TimeWaitDuration timeWaitDuration() {
        return recording.header().timeWait();
    }
}
