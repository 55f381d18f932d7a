package io.tcplens.source.replay;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.TimeWaitDuration;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * An hour of a busy table (N sockets, ~2% churn per 1 s poll, TIME_WAIT timers) recorded, then
 * replayed and scrubbed in this JVM: heap after GC while indexing, playing and seeking. Run with a
 * small heap to show it is bounded, e.g.
 * java -Xmx256m -cp … io.tcplens.source.replay.ReplayMemoryBenchmark 20000 3600
 */
public final class ReplayMemoryBenchmark {
    private ReplayMemoryBenchmark() {}

    public static void main(String[] args) throws Exception {
        int sockets = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int polls = args.length > 1 ? Integer.parseInt(args[1]) : 3600;
        SourceInfo src = new SourceInfo(SourceInfo.Kind.LIVE, "bench", "generated");
        Path file = Files.createTempFile("replay-memory", RecordingWriter.EXTENSION);
        Files.delete(file);
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        long t0 = System.nanoTime();
        long peakWrite = 0;
        try (RecordingWriter w = new RecordingWriter(file, src, TimeWaitDuration.LINUX)) {
            ChurningTable table = new ChurningTable(sockets);
            for (int p = 0; p < polls; p++) {
                long now = ChurningTable.millis(p);
                List<SocketEntry> rows = table.next();
                w.append(new Snapshot(now, rows, src, List.of()));
                if (p % 300 == 0) peakWrite = Math.max(peakWrite, heapAfterGc(mem));
            }
        }
        long writeMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(Locale.ROOT, "recorded %d polls of %d sockets: %.1f MB in %d s; recorder heap after GC ≤ %.0f MB%n",
                polls, sockets, Files.size(file) / 1e6, writeMs / 1000, peakWrite / 1e6);

        long t1 = System.nanoTime();
        Recording r = RecordingReader.read(file);
        long indexMs = (System.nanoTime() - t1) / 1_000_000;
        System.out.printf(Locale.ROOT, "indexed %d records in %d ms; heap after GC %.0f MB; max heap %.0f MB%n",
                r.size(), indexMs, heapAfterGc(mem) / 1e6, Runtime.getRuntime().maxMemory() / 1e6);
        long t2 = System.nanoTime();
        long peak = 0;
        for (int i = 0; i < r.size(); i++) {
            r.snapshot(i);
            if (i % 300 == 0) peak = Math.max(peak, heapAfterGc(mem));
        }
        System.out.printf(Locale.ROOT, "played all forward: %.2f ms per record; heap after GC ≤ %.0f MB%n",
                (System.nanoTime() - t2) / 1e6 / r.size(), peak / 1e6);
        Random rnd = new Random(1);
        int seeks = 40;
        long t3 = System.nanoTime();
        for (int k = 0; k < seeks; k++) r.snapshot(rnd.nextInt(r.size()));
        System.out.printf(Locale.ROOT, "random seek: %.0f ms per seek; heap after GC %.0f MB%n",
                (System.nanoTime() - t3) / 1e6 / seeks, heapAfterGc(mem) / 1e6);
        Files.delete(file);
    }

    static long heapAfterGc(MemoryMXBean mem) {
        System.gc();
        return mem.getHeapMemoryUsage().getUsed();
    }
}
