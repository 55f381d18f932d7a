package io.tcplens.source.replay;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.source.TimeWaitDuration;
import io.tcplens.testutil.CliProcess;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and damaged recordings: each is read in bounded time and memory (the replays run in a JVM
 * limited to 256 MB) and answered with one clear line, never an OutOfMemoryError or a stack trace.
 */
class RecordingLimitsTest {
    static final String HEADER = "{\"magic\":\"tcplens-recording\",\"format\":1,\"created\":1,"
            + "\"source\":{\"kind\":\"LIVE\",\"name\":\"proc\",\"description\":\"test\"},"
            + "\"timeWait\":{\"ms\":60000,\"origin\":\"test\"},\"tool\":\"test\",\"keyframeEvery\":120}\n";
    static final String ROW = "[\"127.0.0.1\",%s,\"127.0.0.1\",80,\"ESTABLISHED\",null,0,0,null,null,0,0,1,%s,\"x\",0]";

    @TempDir Path dir;

    interface Body {
        void write(OutputStream out) throws IOException;
    }

    Path gz(String name, Body body) throws IOException {
        Path f = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(f), 1 << 16), 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            out.write(HEADER.getBytes(StandardCharsets.UTF_8));
            body.write(out);
        }
        return f;
    }

    static void repeat(OutputStream out, byte b, long count) throws IOException {
        byte[] chunk = new byte[1 << 20];
        Arrays.fill(chunk, b);
        for (long left = count; left > 0; left -= chunk.length) out.write(chunk, 0, (int) Math.min(left, chunk.length));
    }

    static CliProcess.Result replay(Path f) throws Exception {
        return CliProcess.run(null, 180, List.of("-Xmx256m"), "counts", "--source", "replay:" + f);
    }

    static void assertOneClearLine(CliProcess.Result r, String expected) {
        assertFalse(r.err().contains("OutOfMemoryError"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertTrue(r.err().strip().lines().count() <= 2, r.err());
    }

    @Test
    void bombsAndHugeLinesAreRefusedWithinBoundedMemory() throws Exception {
        Path bomb = gz("bomb.tcplens", out -> repeat(out, (byte) '0', 1L << 30)); // 1 GB of one line from ~1 MB
        assertTrue(Files.size(bomb) < 8 << 20);
        CliProcess.Result r = replay(bomb);
        assertEquals(1, r.code(), r.err());
        assertOneClearLine(r, "a record is longer than 32 MB");

        Path newlines = gz("newlines.tcplens", out -> repeat(out, (byte) '\n', 256L << 20));
        r = replay(newlines);
        assertEquals(1, r.code(), r.err());
        assertOneClearLine(r, "holds no snapshots");

        Path deep = gz("deep.tcplens", out -> {
            repeat(out, (byte) '[', 100_000);
            out.write('\n');
        });
        r = replay(deep);
        assertEquals(1, r.code());
        assertOneClearLine(r, "not valid JSON");

        Path bigNumber = gz("number.tcplens", out -> out.write(("{\"t\":1" + "0".repeat(10_000) + ",\"full\":[]}\n").getBytes(StandardCharsets.UTF_8)));
        r = replay(bigNumber);
        assertEquals(1, r.code());
        assertOneClearLine(r, "stopped at line 2");
    }

    @Test
    void manyTinyRecordsStopAtTheMemoryBoundWithAWarning() throws Exception {
        Path tiny = gz("tiny.tcplens", out -> {
            out.write("{\"t\":1,\"full\":[]}\n".getBytes(StandardCharsets.UTF_8));
            byte[] rec = "{\"t\":2,\"put\":[],\"del\":[]}\n".getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 3_000_000; i++) out.write(rec);
        });
        CliProcess.Result r = replay(tiny);
        assertEquals(0, r.code(), r.err());
        assertOneClearLine(r, "too large to replay in this much memory");
    }

    @Test
    void integersOutOfRangeAreRejectedWithTheirLine() throws Exception {
        Path f = gz("ranges.tcplens", out -> {
            out.write(("{\"t\":1,\"full\":[" + String.format(ROW, "40000", "7") + "]}\n").getBytes(StandardCharsets.UTF_8));
            out.write(("{\"t\":2,\"full\":[" + String.format(ROW, "4294967376", "7") + "]}\n").getBytes(StandardCharsets.UTF_8));
            out.write(("{\"t\":3,\"full\":[" + String.format(ROW, "40000", "1099511627781") + "]}\n").getBytes(StandardCharsets.UTF_8));
        });
        Recording rec = RecordingReader.read(f);
        assertEquals(1, rec.size());
        assertEquals(3, rec.stop().orElseThrow().line());
        assertTrue(rec.stop().get().reason().contains("port out of range (0…65535): 4294967376"), rec.stop().get().reason());
        assertEquals(40000, rec.snapshot(0).sockets().get(0).local().port());

        Path pid = gz("pid.tcplens", out -> out.write(("{\"t\":1,\"full\":[" + String.format(ROW, "40000", "1099511627781")
                + "]}\n").getBytes(StandardCharsets.UTF_8)));
        Recording p = RecordingReader.read(pid);
        assertEquals(0, p.size());
        assertTrue(p.stop().orElseThrow().reason().contains("pid out of range"), p.stop().get().reason());
    }

    @Test
    void randomDamageIsAlwaysOneClearAnswer() throws Exception {
        // a real recording, then truncations and random byte flips of it, and random bytes
        Path good = dir.resolve("good.tcplens");
        try (RecordingWriter w = new RecordingWriter(good, RecordingRoundTripTest.LIVE, TimeWaitDuration.LINUX, 4, 1L)) {
            for (var s : RecordingRoundTripTest.synthetic()) w.append(s);
        }
        byte[] bytes = Files.readAllBytes(good);
        Random rnd = new Random(15);
        for (int i = 0; i < 400; i++) {
            byte[] b;
            if (i % 4 == 0) b = Arrays.copyOf(bytes, rnd.nextInt(bytes.length));
            else if (i % 4 == 3) {
                b = new byte[rnd.nextInt(4096)];
                rnd.nextBytes(b);
                if (b.length > 2 && rnd.nextBoolean()) { b[0] = 0x1f; b[1] = (byte) 0x8b; }
            } else {
                b = bytes.clone();
                for (int k = 0; k < 1 + rnd.nextInt(4); k++) b[10 + rnd.nextInt(b.length - 10)] ^= (byte) (1 + rnd.nextInt(255));
            }
            Path f = Files.write(dir.resolve("fuzz.tcplens"), b);
            try {
                Recording r = RecordingReader.read(f);
                for (int k = 0; k < r.size(); k++) r.snapshot(k);
                r.stop().ifPresent(s -> assertFalse(s.message().contains("\n"), s.message()));
            } catch (IOException e) {
                assertNotNull(e.getMessage());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }
}
