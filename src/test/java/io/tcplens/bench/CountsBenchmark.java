package io.tcplens.bench;

import io.tcplens.testutil.ScaleTable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code tcplens counts --json} in a fresh JVM (start included), jars A and B taking turns with one
 * {@code ss -tan} on the same real table (the harness's: TIME_WAIT remade as it expires), in that table's private network namespace: wall and CPU
 * (user + system, from {@code /usr/bin/time}) median per command. Each jar runs the README's line: the
 * AOT cache {@code mvn package} left beside it ({@code tcplens.aot}), {@code -Xlog:aot*=off} and
 * {@link ScaleBenchmark#COUNTS_LINE_FLAGS} ({@code -Xmx768m -XX:TieredStopAtLevel=1}; {@code -Dcounts.flags} overrides);
 * a first untimed run of each with {@code -XX:AOTMode=on} checks the JVM takes that cache.
 *
 * <pre>
 * mvn -B -q -o test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.CountsBenchmark \
 *     -Dtcplens.args="250000" -Djvm.flags="--enable-native-access=ALL-UNNAMED -Drounds=7 -Djars=/tmp/a/tcplens.jar|/tmp/b/tcplens.jar"
 * </pre>
 * Needs root (a namespace, {@code net.ipv4.tcp_max_tw_buckets}). {@code -Dsource=netlink|proc};
 * {@code -Dhold=SECONDS}: only build the table and keep it that long (its namespace printed).
 */
public final class CountsBenchmark {
    private CountsBenchmark() {}

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = Integer.getInteger("rounds", 7);
        String source = System.getProperty("source", "netlink");
        List<Path> jars = Arrays.stream(System.getProperty("jars", "target/tcplens.jar").split("\\|"))
                .map(s -> Path.of(s.strip()).toAbsolutePath()).toList();
        String why = ScaleTable.netnsUnavailableReason();
        if (why != null) throw new IllegalArgumentException("a private namespace is needed: " + why);
        try (ScaleTable table = ScaleTable.build(size, ScaleTable.Options.defaults().withNetns(true).withRefresh(true))) {
            int hold = Integer.getInteger("hold", 0);
            if (hold > 0) { // the table kept for commands of one's own: ip netns exec NAME …
                System.out.println("table in namespace " + table.netns() + " for " + hold + " s");
                Thread.sleep(hold * 1000L);
                return;
            }
            List<List<String>> cmds = new ArrayList<>();
            for (Path jar : jars) {
                Path aot = jar.resolveSibling("tcplens.aot");
                List<String> c = new ArrayList<>(List.of(javaBin(), "--enable-native-access=ALL-UNNAMED"));
                if (Files.isRegularFile(aot)) c.addAll(List.of("-XX:AOTCache=" + aot, "-Xlog:aot*=off"));
                c.addAll(ScaleBenchmark.COUNTS_LINE_FLAGS);
                c.addAll(List.of("-jar", jar.toString(), "counts", "--json", "--source", source));
                cmds.add(c);
                List<String> check = new ArrayList<>(c);
                check.add(1, "-XX:AOTMode=on");
                String out = run(table.inNamespace(check.toArray(String[]::new)));
                System.out.println("jar " + jar + ": " + (Files.isRegularFile(aot) ? "AOT cache taken" : "no AOT cache")
                        + "; counts " + out.strip());
            }
            cmds.add(List.of("ss", "-tan"));
            double[][] wall = new double[cmds.size()][rounds], cpu = new double[cmds.size()][rounds];
            System.out.printf(Locale.ROOT, "table %d asked, %d sockets ss saw; %d rounds, load %s%n", size,
                    run(table.inNamespace("ss", "-tanH")).lines().count(), rounds, load());
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < cmds.size(); i++) {
                    List<String> timed = new ArrayList<>(List.of("/usr/bin/time", "-f", "TIME %e %U %S"));
                    timed.addAll(cmds.get(i));
                    String err = runTimed(table.inNamespace(timed.toArray(String[]::new)));
                    String line = err.lines().filter(l -> l.startsWith("TIME ")).reduce((a, b) -> b).orElseThrow();
                    String[] f = line.split(" ");
                    wall[i][r] = Double.parseDouble(f[1]) * 1000;
                    cpu[i][r] = (Double.parseDouble(f[2]) + Double.parseDouble(f[3])) * 1000;
                }
            }
            double ssWall = median(wall[cmds.size() - 1]), ssCpu = median(cpu[cmds.size() - 1]);
            for (int i = 0; i < cmds.size(); i++) {
                String what = i < jars.size() ? "counts --json " + jars.get(i) : "ss -tan";
                System.out.printf(Locale.ROOT, "%-60s wall p50 %7.0f ms (%.2fx ss)  cpu p50 %7.0f ms (%.2fx ss)%n", what,
                        median(wall[i]), median(wall[i]) / ssWall, median(cpu[i]), median(cpu[i]) / ssCpu);
            }
            System.out.println("load at the end " + load());
        }
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
        return out;
    }

    /** Runs {@code cmd} (its stdout discarded) and returns its stderr. */
    private static String runTimed(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + err);
        return err;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String load() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
