package io.tcplens.source.replay;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.TimeWaitDuration;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Size and speed of .tcplens recordings: a busy table (N sockets, ~2% churn per poll, TIME_WAIT timers
 * counting down) recorded for P polls, then read back and sought at random.
 * Run: mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dtcplens.main=io.tcplens.source.replay.RecordingBenchmark
 * (arguments via -Dtcplens.args="SOCKETS POLLS", default 10000 300).
 */
public final class RecordingBenchmark {
    public static void main(String[] args) throws Exception {
        int sockets = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int polls = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        SourceInfo src = new SourceInfo(SourceInfo.Kind.LIVE, "proc", "benchmark");
        Path dir = Files.createTempDirectory("tcplens-bench");
        Path file = dir.resolve("bench.tcplens");
        List<Snapshot> snaps = generate(sockets, polls, src);

        long t0 = System.nanoTime();
        try (RecordingWriter w = new RecordingWriter(file, src, TimeWaitDuration.LINUX)) {
            for (Snapshot s : snaps) w.append(s);
        }
        long writeNs = System.nanoTime() - t0;
        long size = Files.size(file);

        t0 = System.nanoTime();
        Recording r = RecordingReader.read(file);
        long readNs = System.nanoTime() - t0;

        t0 = System.nanoTime();
        for (int i = 0; i < r.size(); i++) r.snapshot(i);
        long sequentialNs = System.nanoTime() - t0;

        Random rnd = new Random(1);
        int seeks = 50;
        t0 = System.nanoTime();
        for (int i = 0; i < seeks; i++) r.snapshot(rnd.nextInt(r.size()));
        long seekNs = System.nanoTime() - t0;

        long rawJsonEstimate = (long) sockets * polls * 120; // ~120 bytes per socket row as plain JSON
        System.out.printf(Locale.ROOT, "sockets per table:      %d%n", sockets);
        System.out.printf(Locale.ROOT, "polls recorded:         %d (keyframe every %d)%n", polls, RecordingWriter.DEFAULT_KEYFRAME_EVERY);
        System.out.printf(Locale.ROOT, "file size:              %.2f MB (%.1f KB per poll, %.2f bytes per socket-poll; full JSON tables would be ~%.0f MB)%n",
                size / 1e6, size / 1024.0 / polls, size / (double) sockets / polls, rawJsonEstimate / 1e6);
        System.out.printf(Locale.ROOT, "write (append+flush):   %.2f ms per poll%n", writeNs / 1e6 / polls);
        System.out.printf(Locale.ROOT, "read whole file:        %.0f ms (%d records)%n", readNs / 1e6, r.size());
        System.out.printf(Locale.ROOT, "play sequentially:      %.2f ms per step%n", sequentialNs / 1e6 / polls);
        System.out.printf(Locale.ROOT, "random seek:            %.2f ms per seek%n", seekNs / 1e6 / seeks);
        Files.delete(file);
        Files.delete(dir);
    }

    static List<Snapshot> generate(int sockets, int polls, SourceInfo src) {
        ChurningTable table = new ChurningTable(sockets);
        List<Snapshot> out = new ArrayList<>();
        for (int p = 0; p < polls; p++) out.add(new Snapshot(ChurningTable.millis(p), table.next(), src, List.of()));
        return out;
    }
}
