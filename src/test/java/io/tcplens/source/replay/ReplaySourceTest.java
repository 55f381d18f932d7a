package io.tcplens.source.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.Sources;
import io.tcplens.source.TimeWaitDuration;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplaySourceTest {
    @TempDir
    Path dir;

    final List<Snapshot> snaps = RecordingRoundTripTest.synthetic(); // t0, t0+1 s … t0+7 s, t0+9 s, t0+10 s
    final long t0 = snaps.get(0).timestampMillis();

    Recording recording() throws IOException {
        return RecordingReader.read(RecordingRoundTripTest.write(dir.resolve("r.tcplens"), snaps, 3));
    }

    @Test
    void playsAtTheChosenSpeedAndStopsAtTheEnd() throws IOException {
        AtomicLong nanos = new AtomicLong();
        ReplayController c = new ReplayController(recording(), nanos::get);
        assertFalse(c.isPlaying());
        assertEquals(0, c.currentIndex());
        c.setSpeed(2);
        c.play();
        nanos.addAndGet(1_600_000_000L); // 1.6 s of wall clock at 2× = 3.2 s of recording
        assertEquals(t0 + 3200, c.positionMillis());
        assertEquals(3, c.currentIndex());
        c.pause();
        nanos.addAndGet(5_000_000_000L);
        assertEquals(3, c.currentIndex(), "paused: the position holds");
        c.play();
        nanos.addAndGet(60_000_000_000L);
        assertEquals(snaps.size() - 1, c.currentIndex());
        assertFalse(c.isPlaying(), "stops at the end");
        assertTrue(c.atEnd());
        long gen = c.seekGeneration();
        c.play(); // from the end: starts over
        assertEquals(0, c.currentIndex());
        assertTrue(c.seekGeneration() > gen);
    }

    @Test
    void seekStepAndSpeedLimits() throws IOException {
        AtomicLong nanos = new AtomicLong();
        ReplayController c = new ReplayController(recording(), nanos::get);
        c.seek(t0 + 8_500); // between the 7 s and 9 s records
        assertEquals(7, c.currentIndex());
        c.stepForward();
        assertEquals(8, c.currentIndex());
        c.stepBack();
        c.stepBack();
        assertEquals(6, c.currentIndex());
        c.seek(Long.MIN_VALUE);
        assertEquals(0, c.currentIndex());
        c.stepBack();
        assertEquals(0, c.currentIndex());
        c.seek(Long.MAX_VALUE);
        assertEquals(snaps.size() - 1, c.currentIndex());
        c.setSpeed(1000);
        assertEquals(ReplayController.MAX_SPEED, c.speed());
        c.setSpeed(0);
        assertEquals(ReplayController.MIN_SPEED, c.speed());
        c.setSpeed(1);
        c.faster();
        assertEquals(2, c.speed());
        c.slower();
        c.slower();
        assertEquals(0.5, c.speed());
    }

    @Test
    void theSourceIsLabelledReplayAndAnswersTheRecordedTables() throws Exception {
        Path f = RecordingRoundTripTest.write(dir.resolve("s.tcplens"), snaps, 3);
        try (SocketTableSource s = Sources.open("replay:" + f)) {
            assertEquals(SourceInfo.Kind.REPLAY, s.info().kind());
            assertTrue(s.info().label().startsWith("replay · s.tcplens"), s.info().label());
            assertTrue(s.info().description().contains("live · Linux"), s.info().description());
            assertEquals(TimeWaitDuration.LINUX, s.timeWaitDuration());
            ReplaySource rs = (ReplaySource) s;
            rs.controller().pause();
            Snapshot first = s.poll();
            assertEquals(SourceInfo.Kind.REPLAY, first.source().kind());
            assertEquals(t0, first.timestampMillis());
            assertEquals(snaps.get(0).sockets(), first.sockets());
            rs.controller().seekToIndex(5);
            Snapshot fifth = s.poll();
            RecordingRoundTripTest.assertSameSnapshot(
                    new Snapshot(snaps.get(5).timestampMillis(), snaps.get(5).sockets(), fifth.source(),
                            snaps.get(5).warnings()), fifth, "#5");
        }
    }
}
