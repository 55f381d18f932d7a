package io.tcplens.bench;

import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.source.Sources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Poll cost on a real socket table: opens loopback connections (both ends owned by this process;
 * beyond 16,000 sockets the rest are TIME_WAIT, which hold no fd), then times the engine's poll (read + parse + owners + diff + track) and, on the
 * same table, iproute2's {@code ss -tan} and {@code ss -tanp} (which also resolves owners).
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.LivePollBenchmark -Dtcplens.args="1000 20000"</pre>
 * Needs {@code ulimit -n} above N + 100.
 */
public final class LivePollBenchmark {
    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1000, 20_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        String source = System.getProperty("source", "proc");
        System.out.printf(Locale.ROOT, "%-8s %-8s %10s %10s %10s %12s %12s%n", "sockets", "source", "poll p50", "poll p90", "poll min",
                "ss -tan p50", "ss -tanp p50");
        for (int n : sizes) {
            List<AutoCloseable> open = new ArrayList<>();
            try {
                ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
                open.add(server);
                // fds are limited (ulimit -n): up to 8,000 open pairs, the rest as TIME_WAIT (no fd)
                int pairs = Math.min(n / 2, 8000);
                for (int i = 0; i < pairs; i++) {
                    SocketChannel c = SocketChannel.open(server.getLocalAddress());
                    open.add(c);
                    open.add(server.accept());
                }
                for (int i = 0; i < n - 2 * pairs; i++) {
                    SocketChannel c = SocketChannel.open(server.getLocalAddress());
                    SocketChannel s = server.accept();
                    c.close();
                    s.close();
                }
                double[] polls = new double[15];
                try (PollingEngine engine = new PollingEngine(Sources.open(source), Duration.ofSeconds(1))) {
                    int seen = 0;
                    for (int i = -3; i < polls.length; i++) {
                        PollResult r = engine.pollOnce();
                        seen = r.snapshot().sockets().size();
                        if (i >= 0) polls[i] = r.pollMillis();
                    }
                    double ss = median(time("ss", "-tan"));
                    double ssp = median(time("ss", "-tanp"));
                    Arrays.sort(polls);
                    System.out.printf(Locale.ROOT, "%-8d %-8s %10.2f %10.2f %10.2f %12.2f %12.2f   (table held %d sockets)%n", n, source,
                            polls[polls.length / 2], polls[(int) (polls.length * 0.9)], polls[0], ss, ssp, seen);
                }
            } finally {
                for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
            }
            Thread.sleep(500);
        }
        System.exit(0);
    }

    private static double[] time(String... cmd) throws IOException, InterruptedException {
        double[] t = new double[7];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor(30, TimeUnit.SECONDS);
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        return t;
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2];
    }
}
