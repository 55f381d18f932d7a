package io.tcplens.bench;

import com.carrotsearch.hppc.LongArrayList;
import com.sun.management.ThreadMXBean;
import io.tcplens.source.linux.FdHolder;
import io.tcplens.source.linux.ProcessResolver;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The resolver's full scan (every process of /proc read, as at start-up or a deep scan) through the
 * NIO fd reader (before) and the FFM one (after), alternately in one JVM: allocated bytes and CPU
 * of the scanning thread, and wall time, per scan. The table is held by worker processes
 * ({@link FdHolder}, unconnected sockets) with {@code fds} sockets each.
 * <pre>mvn -q -o test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.FdScanBenchmark -Dtcplens.args="4 9000 7"</pre>
 * (workers, sockets per worker, rounds; the first round is a warm-up and not counted).
 */
public final class FdScanBenchmark {
    public static void main(String[] args) throws Exception {
        int workers = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int fds = args.length > 1 ? Integer.parseInt(args[1]) : 9000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 7;
        Path proc = Path.of("/proc");
        List<Process> held = new ArrayList<>();
        try {
            for (int i = 0; i < workers; i++) held.add(FdHolder.start(fds, true));
            LongArrayList table = new LongArrayList();
            for (Process p : held) {
                long[] s = new ProcessResolver.ProcFdLister(proc, false).socketInodes((int) p.pid());
                table.add(s, 0, s.length);
            }
            long[] inodes = table.toArray();
            if (!new ProcessResolver.ProcFdLister(proc, true).nativeReader()) throw new IllegalStateException("no FFM reader");
            int processes = new ProcessResolver.ProcFdLister(proc).pids().length;
            System.out.printf("table: %d socket inodes held by %d workers (%d fds each); %d processes in /proc%n",
                    inodes.length, workers, fds, processes);
            ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long[][] alloc = new long[2][rounds], cpu = new long[2][rounds], wall = new long[2][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int m = 0; m < 2; m++) {
                    boolean nat = m == 1;
                    ProcessResolver res = new ProcessResolver(new ProcessResolver.ProcFdLister(proc, nat), ProcessResolver.ProcessFilter.ALL, 0);
                    long a0 = mx.getCurrentThreadAllocatedBytes(), c0 = mx.getCurrentThreadCpuTime(), w0 = System.nanoTime();
                    res.refresh(inodes, inodes.length, 1_000_000); // every process new: all fd lists read
                    wall[m][r] = System.nanoTime() - w0;
                    cpu[m][r] = mx.getCurrentThreadCpuTime() - c0;
                    alloc[m][r] = mx.getCurrentThreadAllocatedBytes() - a0;
                    // the fd reader alone: the workers' fd lists read once more through the same lister kind
                    ProcessResolver.ProcFdLister lister = new ProcessResolver.ProcFdLister(proc, nat);
                    lister.socketInodes((int) held.get(0).pid()); // its buffers made
                    long ra0 = mx.getCurrentThreadAllocatedBytes();
                    for (Process p : held) lister.socketInodes((int) p.pid());
                    long readerAlloc = mx.getCurrentThreadAllocatedBytes() - ra0;
                    int owned = 0;
                    for (long ino : inodes) if (res.owner(ino) != null) owned++;
                    System.out.printf("round %d %-4s alloc %7.2f MB  cpu %6.1f ms  wall %6.1f ms  owned %d/%d  (%s); workers' fd lists alone: %.2f MB%n", r,
                            nat ? "ffm" : "nio", alloc[m][r] / 1e6, cpu[m][r] / 1e6, wall[m][r] / 1e6, owned, inodes.length, res.scanStats(), readerAlloc / 1e6);
                }
            }
            for (int m = 0; m < 2; m++)
                System.out.printf("median of rounds 1..%d, %s: alloc %.2f MB, cpu %.1f ms, wall %.1f ms%n", rounds - 1,
                        m == 1 ? "ffm (after)" : "nio (before)", median(alloc[m]) / 1e6, median(cpu[m]) / 1e6, median(wall[m]) / 1e6);
        } finally {
            for (Process p : held) FdHolder.stop(p);
        }
    }

    private static double median(long[] v) {
        long[] c = Arrays.copyOfRange(v, 1, v.length);
        Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2.0;
    }
}
