package io.tcplens.bench;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.linux.NetlinkSource;
import io.tcplens.source.linux.ProcNetSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Read + parse cost alone (no owners, no diff) of the two Linux sources on the same real table:
 * netlink sock_diag against /proc/net/tcp{,6}, polled alternately so machine load hits both alike.
 * The table is built as in {@link LivePollBenchmark}: open loopback pairs, the rest TIME_WAIT.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.SourceReadBenchmark -Dtcplens.args="1000 20000"</pre>
 */
public final class SourceReadBenchmark {
    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1000, 20_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf(Locale.ROOT, "%-8s %-8s %10s %10s %10s %10s%n", "sockets", "source", "read p50", "read p90", "read min", "rows");
        for (int n : sizes) {
            List<AutoCloseable> open = new ArrayList<>();
            try {
                ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
                open.add(server);
                int pairs = Math.min(n / 2, 8000);
                for (int i = 0; i < pairs; i++) {
                    open.add(SocketChannel.open(server.getLocalAddress()));
                    open.add(server.accept());
                }
                for (int i = 0; i < n - 2 * pairs; i++) {
                    SocketChannel c = SocketChannel.open(server.getLocalAddress());
                    SocketChannel s = server.accept();
                    c.close();
                    s.close();
                }
                SocketTableSource[] sources = {new NetlinkSource(Path.of("/proc"), false), new ProcNetSource(Path.of("/proc"), false)};
                double[][] t = new double[2][31];
                int[] rows = new int[2];
                for (int i = -5; i < t[0].length; i++) {
                    for (int k = 0; k < 2; k++) {
                        long t0 = System.nanoTime();
                        rows[k] = sources[k].poll().sockets().size();
                        if (i >= 0) t[k][i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                for (int k = 0; k < 2; k++) {
                    Arrays.sort(t[k]);
                    System.out.printf(Locale.ROOT, "%-8d %-8s %10.2f %10.2f %10.2f %10d%n", n, sources[k].info().name(),
                            t[k][t[k].length / 2], t[k][(int) (t[k].length * 0.9)], t[k][0], rows[k]);
                    sources[k].close();
                }
            } finally {
                for (int i = open.size() - 1; i >= 0; i--) open.get(i).close();
            }
            Thread.sleep(500);
        }
        System.exit(0);
    }
}
