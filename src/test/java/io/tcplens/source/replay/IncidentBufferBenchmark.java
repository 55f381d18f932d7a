package io.tcplens.source.replay;

import com.sun.management.ThreadMXBean;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.TimeWaitDuration;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The window's incident recorder on a busy table: N sockets (default 20,000), ~2% churn per 1 s poll,
 * TIME_WAIT timers counting down (ReplayMemoryBenchmark's table), for P polls (default 900 = 15
 * minutes). Prints the compressed bytes held, the heap the buffer keeps (heap after GC with and without
 * it), the cost of one append (wall and the thread's CPU), and what saving the whole window costs.
 * java -Xmx256m [-Dsegment=60] -cp … io.tcplens.source.replay.IncidentBufferBenchmark 20000 900
 * <p>Before/after in one run: put another build's {@code target/classes} before this one's test classes
 * on the class path (the benchmark uses only what main 15bfe27's buffer has; the heap-bytes line is left
 * out where the buffer has no {@code heapBytes()}).
 */
public final class IncidentBufferBenchmark {
    private IncidentBufferBenchmark() {}

    public static void main(String[] args) throws Exception {
        int sockets = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int polls = args.length > 1 ? Integer.parseInt(args[1]) : 900;
        SourceInfo src = new SourceInfo(SourceInfo.Kind.LIVE, "bench", "generated");
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        ChurningTable table = new ChurningTable(sockets);
        long base = ReplayMemoryBenchmark.heapAfterGc(mem);
        IncidentBuffer buffer = new IncidentBuffer(IncidentBuffer.DEFAULT_KEEP_MILLIS, IncidentBuffer.DEFAULT_MAX_BYTES,
                Integer.getInteger("segment", IncidentBuffer.DEFAULT_SEGMENT_RECORDS)); // -Dsegment: polls per full table
        long[] appendNs = new long[polls];
        long[] appendCpuNs = new long[polls];
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0, allocatedFull = 0; // bytes allocated by the appends (all; those that began a segment)
        long peakHeld = 0;
        for (int p = 0; p < polls; p++) {
            long now = ChurningTable.millis(p);
            List<SocketEntry> rows = table.next();
            long a = System.nanoTime();
            long c0 = threads.getCurrentThreadCpuTime();
            long b0 = threads.getCurrentThreadAllocatedBytes();
            buffer.append(new Snapshot(now, rows, src, List.of()));
            appendNs[p] = System.nanoTime() - a;
            appendCpuNs[p] = threads.getCurrentThreadCpuTime() - c0;
            long b = threads.getCurrentThreadAllocatedBytes() - b0;
            allocated += b;
            if (p % Integer.getInteger("segment", IncidentBuffer.DEFAULT_SEGMENT_RECORDS) == 0) allocatedFull += b;
            if (p % 150 == 149) peakHeld = Math.max(peakHeld, ReplayMemoryBenchmark.heapAfterGc(mem) - base);
        }
        long held = ReplayMemoryBenchmark.heapAfterGc(mem) - base;
        long[] sorted = appendNs.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "%d polls of %d sockets: buffer holds %d polls (%.0f s), %.1f MB compressed; heap kept by the buffer "
                        + "%.1f MB at the end, ≤ %.1f MB at any check; append median %.1f ms, p99 %.1f ms, max %.1f ms%n",
                polls, sockets, buffer.records(), buffer.spanMillis() / 1000.0, buffer.bytes() / 1e6, held / 1e6, peakHeld / 1e6,
                sorted[polls / 2] / 1e6, sorted[polls * 99 / 100] / 1e6, sorted[polls - 1] / 1e6);
        long[] cpu = appendCpuNs.clone();
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "append CPU: mean %.1f ms, median %.1f ms, p99 %.1f ms (thread CPU time)%n",
                Arrays.stream(cpu).average().orElse(0) / 1e6, cpu[polls / 2] / 1e6, cpu[polls * 99 / 100] / 1e6);
        try {
            System.out.printf(Locale.ROOT, "held on the heap: %.2f MB of the %.1f MB compressed (the rest in its temporary file: %s)%n",
                    buffer.heapBytes() / 1e6, buffer.bytes() / 1e6, buffer.fileDirectory());
        } catch (NoSuchMethodError older) {
            System.out.println("held on the heap: all of it (a build without the temporary file)");
        }
        System.out.printf(Locale.ROOT, "allocated by the appends: %.1f MB per poll on average, %.1f MB per full table%n",
                allocated / 1e6 / polls, allocatedFull / 1e6 / ((polls + Integer.getInteger("segment", IncidentBuffer.DEFAULT_SEGMENT_RECORDS) - 1)
                        / Integer.getInteger("segment", IncidentBuffer.DEFAULT_SEGMENT_RECORDS)));
        Path file = Files.createTempFile("incident", RecordingWriter.EXTENSION);
        long s = System.nanoTime();
        int n = buffer.save(file, Long.MIN_VALUE, TimeWaitDuration.LINUX, true);
        System.out.printf(Locale.ROOT, "saved %d polls in %d ms: %.1f MB file; heap after GC during save ends %.1f MB%n", n,
                (System.nanoTime() - s) / 1_000_000, Files.size(file) / 1e6, (ReplayMemoryBenchmark.heapAfterGc(mem) - base) / 1e6);
        Files.delete(file);
        System.out.println(table.size()); // keep the table reachable to the end (the baseline holds it)
    }
}
