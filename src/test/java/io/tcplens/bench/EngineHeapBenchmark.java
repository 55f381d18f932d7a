package io.tcplens.bench;

import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Snapshot;
import io.tcplens.source.linux.NetlinkSource;
import com.sun.management.ThreadMXBean;
import java.io.IOException;
import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What the engine keeps per socket between polls, without a window: this JVM opens {@code pairs}
 * loopback connections and leaves {@code tw} more in TIME_WAIT, polls them with the netlink source
 * (owners and {@code tcp_info} on) and the tracker {@code polls} times a second apart, then prints
 * the class histogram after a full GC ({@code jcmd GC.class_histogram}) for TcpLens' classes,
 * {@code Long}, {@code Integer} (boxed timers and pids: one per row would show here) and the arrays the engine keeps per row ({@code long[]}, {@code int[]}, {@code Object[]}: HPPC's
 * tables), their bytes per row and the whole live heap's; {@code -Dchurn=N} resets N pairs and opens N new
 * ones before the last poll (what a poll keeps of the sockets gone since the one before); {@code -DtwLater=N} opens N
 * more pairs that the first half of the polls list ESTABLISHED and closes them client first before the
 * next (N client ends in TIME_WAIT that had an owner: a row with the last known owner each); before it, the bytes the polling thread allocated per poll and
 * tracker update after the first (median; the pipelined receiver's thread not counted). Run it in an empty namespace of its own, so the table is
 * only its sockets (the JVM's fd limit bounds {@code pairs}: two descriptors each):
 *
 * <pre>ip netns add tl-heap; ip netns exec tl-heap ip link set lo up
 * ip netns exec tl-heap java --enable-native-access=ALL-UNNAMED -Dpairs=9000 -Dtw=6000 \
 *     -cp target/test-classes:target/classes:target/lib/* io.tcplens.bench.EngineHeapBenchmark
 * ip netns del tl-heap</pre>
 * Compiled against another build's classes it measures that build the same way.
 */
public final class EngineHeapBenchmark {
    public static void main(String[] args) throws Exception {
        int pairs = Integer.getInteger("pairs", 9000), tw = Integer.getInteger("tw", 6000), polls = Integer.getInteger("polls", 6);
        int churn = Integer.getInteger("churn", 0), twLater = Integer.getInteger("twLater", 0);
        List<Socket> keep = new ArrayList<>();
        List<Socket[]> later = new ArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
             NetlinkSource source = new NetlinkSource(Path.of("/proc"), true)) {
            for (int i = 0; i < pairs; i++) {
                keep.add(new Socket(server.getInetAddress(), server.getLocalPort()));
                keep.add(server.accept());
            }
            for (int i = 0; i < tw; i++) {
                try (Socket c = new Socket(server.getInetAddress(), server.getLocalPort()); Socket a = server.accept()) {
                    c.shutdownOutput(); // the client closes first: its end waits in TIME_WAIT
                    a.getInputStream().read();
                }
            }
            for (int i = 0; i < twLater; i++) {
                Socket c = new Socket(server.getInetAddress(), server.getLocalPort());
                later.add(new Socket[] {c, server.accept()});
            }
            source.setTcpInfoWanted(true);
            ConnectionTracker tracker = new ConnectionTracker();
            int rows = 0;
            ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long[] allocated = new long[Math.max(0, polls - 1)];
            for (int i = 0; i < polls; i++) {
                if (i == polls - 1 && churn > 0) {
                    // a churn before the last poll: connections reset (gone, no TIME_WAIT) and as many opened
                    for (int j = 0; j < churn && keep.size() >= 2; j++) {
                        for (Socket x : List.of(keep.removeLast(), keep.removeLast())) {
                            x.setSoLinger(true, 0);
                            x.close();
                        }
                    }
                    for (int j = 0; j < churn; j++) {
                        keep.add(new Socket(server.getInetAddress(), server.getLocalPort()));
                        keep.add(server.accept());
                    }
                }
                if (i == polls / 2 && !later.isEmpty()) {
                    // the twLater pairs, polled ESTABLISHED (owned by this JVM) so far, close client first: their
                    // client ends wait in TIME_WAIT, a socket no process holds, for the rest of the polls
                    for (Socket[] p : later) p[0].shutdownOutput();
                    for (Socket[] p : later) {
                        p[1].getInputStream().read();
                        p[1].close();
                        p[0].close();
                    }
                    later.clear();
                }
                long a0 = mx.getCurrentThreadAllocatedBytes();
                Snapshot s = source.poll();
                rows = tracker.update(s).snapshot().sockets().size();
                if (i > 0) allocated[i - 1] = mx.getCurrentThreadAllocatedBytes() - a0;
                Thread.sleep(1000);
            }
            if (allocated.length > 0) {
                long[] sorted = allocated.clone();
                Arrays.sort(sorted);
                System.out.printf(Locale.ROOT, "allocated per poll + update after the first (polling thread): median %,d bytes, %.1f per row; each: %s%n",
                        sorted[sorted.length / 2], (double) sorted[sorted.length / 2] / rows, Arrays.toString(allocated));
            }
            histogram(rows);
            String dump = System.getProperty("heapdump");
            if (dump != null) // live objects, for a tool that says who holds what (-Dheapdump=FILE)
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).dumpHeap(dump, true);
        } finally {
            for (Socket s : keep) s.close();
            for (Socket[] p : later) for (Socket s : p) s.close();
        }
    }

    private static void histogram(int rows) throws IOException, InterruptedException {
        Process h = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(ProcessHandle.current().pid()), "GC.class_histogram").redirectErrorStream(true).start();
        long total = 0;
        System.out.printf(Locale.ROOT, "%,d rows after the last poll; per class after a full GC:%n", rows);
        for (String l : new String(h.getInputStream().readAllBytes()).split("\n")) {
            String[] f = l.trim().split("\\s+");
            if (f.length >= 3 && f[0].equals("Total")) {
                System.out.printf(Locale.ROOT, "  %-50s %,31d bytes %6.1f per row%n", "whole live heap (every class, the JDK's too)",
                        Long.parseLong(f[2]), Double.parseDouble(f[2]) / rows);
                continue;
            }
            if (f.length < 4 || !(f[3].startsWith("io.tcplens.") || f[3].startsWith("[Lio.tcplens.") || f[3].equals("java.lang.Long") || f[3].equals("java.lang.Integer")
                    || f[3].equals("[J") || f[3].equals("[I") || f[3].equals("[Ljava.lang.Object;")))
                continue;
            long bytes = Long.parseLong(f[2]);
            if (bytes < 10_000) continue;
            total += bytes;
            System.out.printf(Locale.ROOT, "  %-50s %,9d objects %,11d bytes %6.1f per row%n", f[3], Long.parseLong(f[1]), bytes,
                    (double) bytes / rows);
        }
        h.waitFor();
        System.out.printf(Locale.ROOT, "  %-50s %,31d bytes %6.1f per row%n", "total of the lines above", total, (double) total / rows);
    }
}
