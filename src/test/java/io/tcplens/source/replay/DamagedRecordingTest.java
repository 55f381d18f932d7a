package io.tcplens.source.replay;

import static io.tcplens.source.replay.RecordingRoundTripTest.LIVE;
import static io.tcplens.source.replay.RecordingRoundTripTest.assertSameSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.Snapshot;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import io.tcplens.source.TimeWaitDuration;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DamagedRecordingTest {
    @TempDir
    Path dir;

    final List<Snapshot> snaps = RecordingRoundTripTest.synthetic();

    /** Writes the recording, remembering the file size after each record. */
    long[] writeWithOffsets(Path file) throws IOException {
        long[] after = new long[snaps.size()];
        try (RecordingWriter w = new RecordingWriter(file, LIVE, TimeWaitDuration.LINUX, 4, 1L)) {
            for (int i = 0; i < snaps.size(); i++) {
                w.append(snaps.get(i));
                after[i] = Files.size(file); // flushed to the OS: this is what a crash would leave
            }
        }
        return after;
    }

    void assertPrefix(Recording r, int expected) {
        assertEquals(expected, r.size());
        for (int i = 0; i < expected; i++) assertSameSnapshot(snaps.get(i), r.snapshot(i), "#" + i);
    }

    @Test
    void aWriterThatNeverClosedLeavesEveryRecordReadable() throws IOException {
        Path f = dir.resolve("crash.tcplens");
        RecordingWriter w = new RecordingWriter(f, LIVE, TimeWaitDuration.LINUX, 4, 1L);
        for (Snapshot s : snaps) w.append(s);
        // no close(): copy the bytes as they are on disk now, as a crash would leave them
        Path copy = dir.resolve("crash-copy.tcplens");
        Files.copy(f, copy);
        w.close();
        Recording r = RecordingReader.read(copy);
        assertPrefix(r, snaps.size());
        assertTrue(r.stop().isPresent());
        assertTrue(r.stop().get().reason().contains("not closed"), r.stop().get().reason());
    }

    @Test
    void truncatedAtEveryPointReadsUpToTheLastCompleteRecord() throws IOException {
        Path f = dir.resolve("full.tcplens");
        long[] after = writeWithOffsets(f);
        byte[] all = Files.readAllBytes(f);
        for (int cut = 1; cut < all.length; cut += Math.max(1, all.length / 97)) {
            Path t = dir.resolve("cut.tcplens");
            Files.write(t, Arrays.copyOf(all, cut));
            int complete = 0;
            while (complete < after.length && after[complete] <= cut) complete++;
            final int c = cut;
            try {
                Recording r = RecordingReader.read(t);
                // a cut inside the few flush-marker bytes after a record still leaves that record whole
                assertTrue(r.size() == complete || r.size() == complete + 1, "cut at " + c + ": " + r.size());
                assertPrefix(r, r.size());
                if (r.size() < snaps.size()) {
                    assertTrue(r.stop().isPresent(), "cut at " + c + " should report where it stopped");
                    assertEquals(r.size(), r.stop().get().goodRecords());
                    assertEquals(r.size() + 2, r.stop().get().line(), "cut at " + c + ": " + r.stop().get().message());
                }
            } catch (RecordingFormatException e) {
                // only a cut inside the header may be refused, and with a clear one-line message
                assertTrue(complete == 0, "cut at " + c + " lost " + complete + " good records: " + e.getMessage());
                assertTrue(!e.getMessage().contains("\n"));
            }
        }
    }

    @Test
    void corruptBytesStopAtTheLastGoodRecordWithoutCrashing() throws IOException {
        Path f = dir.resolve("full.tcplens");
        long[] after = writeWithOffsets(f);
        byte[] all = Files.readAllBytes(f);
        int stopped = 0;
        for (int pos = (int) after[1]; pos < all.length - 8; pos += 7) {
            byte[] bad = all.clone();
            bad[pos] ^= 0x5a;
            Path t = dir.resolve("bad.tcplens");
            Files.write(t, bad);
            Recording r = RecordingReader.read(t); // never throws for damage after the header
            int complete = 0;
            while (complete < after.length && after[complete] <= pos) complete++;
            int safe = 0; while (safe < after.length && after[safe] <= pos - 64) safe++;
            assertTrue(r.size() >= safe, "lost good records before byte " + pos + ": " + r.size() + " < " + safe);
            for (int i = 0; i < Math.min(complete, r.size()); i++) assertSameSnapshot(snaps.get(i), r.snapshot(i), "#" + i);
            if (r.stop().isPresent()) stopped++;
        }
        assertTrue(stopped > 0, "no corruption was ever reported");
    }

    @Test
    void aDamagedRecordInTheMiddleStopsThereAndSaysWhere() throws IOException {
        Path f = dir.resolve("mixed.tcplens");
        Path good = dir.resolve("good.tcplens");
        try (RecordingWriter w = new RecordingWriter(good, LIVE, TimeWaitDuration.LINUX, 4, 1L)) {
            for (Snapshot s : snaps) w.append(s);
        }
        List<String> lines = new String(new GZIPInputStream(Files.newInputStream(good)).readAllBytes(),
                StandardCharsets.UTF_8).lines().toList();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i == 4) sb.append("{\"t\":12,\"put\":[[\"not an address\",1,\"1.2.3.4\",2]],\"del\":[]}\n");
            sb.append(lines.get(i)).append('\n');
        }
        gzip(f, sb.toString());
        Recording r = RecordingReader.read(f);
        assertPrefix(r, 3);
        assertEquals(5, r.stop().orElseThrow().line());
        assertTrue(r.stop().get().message().contains("line 5"), r.stop().get().message());
    }

    @Test
    void otherKindsOfFileGetAClearError() throws IOException {
        assertRefused(Files.writeString(dir.resolve("notes.txt"), "hello, this is text\n"), "not gzip-compressed");
        assertRefused(Files.write(dir.resolve("empty.tcplens"), new byte[0]), "is empty");
        assertRefused(Files.write(dir.resolve("img.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10}), "not gzip");
        assertRefused(gzip(dir.resolve("other.json.gz"), "{\"name\":\"something else\"}\n"), "no \"tcplens-recording\" header");
        assertRefused(gzip(dir.resolve("log.gz"), "2026-11-25 INFO started\n"), "first line is not its header");
        assertRefused(gzip(dir.resolve("future.tcplens"),
                "{\"magic\":\"tcplens-recording\",\"format\":9,\"source\":{}}\n"), "newer than this TcpLens");
        Path garbage = dir.resolve("garbage.gz");
        Files.write(garbage, new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7});
        assertRefused(garbage, "not a TcpLens recording");
    }

    @Test
    void theReplayProviderTurnsProblemsIntoOneLine() throws IOException {
        Path txt = Files.writeString(dir.resolve("notes.txt"), "hello\n");
        SourceException e = assertThrows(SourceException.class, () -> Sources.open("replay:" + txt));
        assertTrue(e.getMessage().contains("not a TcpLens recording"), e.getMessage());
        SourceException missing = assertThrows(SourceException.class, () -> Sources.open("replay:" + dir.resolve("nope")));
        assertTrue(missing.getMessage().startsWith("recording not found"), missing.getMessage());
        SourceException noArg = assertThrows(SourceException.class, () -> Sources.open("replay"));
        assertTrue(noArg.getMessage().contains("replay:FILE"), noArg.getMessage());
        Path headerOnly = dir.resolve("h.tcplens");
        new RecordingWriter(headerOnly, LIVE, TimeWaitDuration.LINUX).close();
        SourceException empty = assertThrows(SourceException.class, () -> Sources.open("replay:" + headerOnly));
        assertTrue(empty.getMessage().contains("holds no snapshots"), empty.getMessage());
    }

    void assertRefused(Path file, String expected) {
        RecordingFormatException e = assertThrows(RecordingFormatException.class, () -> RecordingReader.read(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    static Path gzip(Path file, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return file;
    }
}
