package io.tcplens.bench;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.Sources;
import io.tcplens.source.ssh.SshSettings;
import io.tcplens.source.ssh.SshSource;
import io.tcplens.source.ssh.SshTarget;
import io.tcplens.testutil.TestNetns;
import io.tcplens.testutil.TestSshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The ssh source's poll (one exec channel on the kept-open session: cat /proc/net/tcp{,6} +
 * netstat, parse, owners) beside a local poll of the same table (the netns source through netlink
 * and /proc, owners included), on a real namespace holding N sockets (python-held ESTABLISHED pairs,
 * the rest TIME_WAIT) with a real sshd inside, reached over a veth pair. Needs root.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.SshPollBenchmark \
 *     -Dtcplens.args="1000 20000" -Djvm.flags="--enable-native-access=ALL-UNNAMED"</pre>
 */
public final class SshPollBenchmark {
    static final int POLLS = 15;

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {1000, 20_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.printf(Locale.ROOT, "%-8s %-22s %10s %10s %10s %8s%n", "sockets", "source", "poll p50", "poll p90", "poll min", "rows");
        for (int n : sizes) {
            int pairs = Math.min(n / 2, 9_000);
            Path dir = Files.createTempDirectory("tcplens-sshbench");
            try (TestNetns ns = new TestNetns(pairs, n - 2 * pairs, 0); TestSshd sshd = new TestSshd(ns, dir)) {
                try (SocketTableSource s = new SshSource(SshTarget.parse(sshd.uri()), SshSettings.ofDirectory(sshd.clientDir(), null), true)) {
                    run(n, "ssh (" + sshd.address() + ")", s);
                }
                try (SocketTableSource s = Sources.open("netns:" + ns.name() + "/netlink")) {
                    run(n, "local netlink (netns)", s);
                }
                try (SocketTableSource s = Sources.open("netns:" + ns.name() + "/proc")) {
                    run(n, "local proc (netns)", s);
                }
            }
        }
    }

    static void run(int n, String name, SocketTableSource s) throws Exception {
        s.poll(); // warm-up: owners, JIT
        double[] ms = new double[POLLS];
        int rows = 0;
        for (int i = 0; i < POLLS; i++) {
            long t0 = System.nanoTime();
            rows = s.poll().sockets().size();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "%-8d %-22s %10.1f %10.1f %10.1f %8d%n", n, name, ms[POLLS / 2], ms[(int) (POLLS * 0.9)], ms[0], rows);
    }
}
