package io.tcplens.bench;

import io.tcplens.testutil.ScaleTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code tcplens watch} for {@code -Dminutes} (30) beside churn, with the launchers' JVM options
 * (pom.xml's {@code app.jvm.flags}, passed as {@code -Dapp.flags}): in a private network namespace
 * ({@code unshare -n}, loopback up) a python3 child holds {@code -Dhold} (2,000) ESTABLISHED pairs,
 * replacing a few each second, and opens and closes {@code -Drate} (90) connections per second, the
 * client closing first (so the table also carries some thousands of TIME_WAIT sockets). Every minute
 * it prints watch's resident size and its heap after the last collection of that minute (from the
 * JVM's own GC log), then the least-squares slope of both per 10 minutes over the second half and
 * over the whole run. Memory is flat when the slope is near zero, not rising run over run.
 *
 * <pre>mvn -q -DskipTests package
 * mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.SoakBenchmark \
 *     -Djvm.flags="-Dminutes=30 -Dapp.flags=-Xmx768m,-XX:MaxHeapFreeRatio=20,-XX:MinHeapFreeRatio=5,-XX:GCTimeRatio=4,-XX:G1PeriodicGCInterval=5000"</pre>
 * Needs root (unshare -n) and python3.
 *
 * <p>{@code -Dwindow=N} soaks the window instead of {@code watch}: a {@link ScaleTable} of N real sockets
 * (72 % ESTABLISHED held by worker processes, 28 % TIME_WAIT remade as the kernel drops them) in a
 * private namespace, the window ({@code target/tcplens.jar}, netlink, default refresh) under
 * {@code xvfb-run} inside it with the launchers' options, and every minute its resident size, the
 * heap after the last collection of that minute and the lowest heap after a collection in that minute
 * (the live set's best estimate from a GC log), then the same slopes.
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.SoakBenchmark \
 *     -Djvm.flags="-Dminutes=30 -Dwindow=50000"</pre>
 * {@code -Dchurn=steady} (or {@code steady:P}) soaks it on {@link ScaleTable.Churn#STEADY the steady table}
 * (TIME_WAIT made and expiring at 1/60 a second, P ESTABLISHED pairs replaced a second) instead of the burst one.
 * {@code -Dhisto=4,14} takes a class histogram (a full GC) at those minutes and prints the classes that
 * grew most between the first and each later one; {@code -Djfr=FILE} runs JFR (old-object samples)
 * and dumps it with the samples' paths to GC roots at the last histogram minute (or the end):
 * {@code jfr print --events OldObjectSample FILE} then names what holds what grew.
 */
public final class SoakBenchmark {
    private static final String CHURN = """
            import random, socket, sys, threading, time
            end = time.time() + float(sys.argv[1]); rate = float(sys.argv[2]); hold = int(sys.argv[3])
            srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            srv.bind(('127.0.0.1', 7000)); srv.listen(4096)
            def accept():
                while True:
                    a, _ = srv.accept()
                    threading.Thread(target=drain, args=(a,), daemon=True).start()
            def drain(a):
                try:
                    while a.recv(64): pass
                except OSError: pass
                a.close()
            threading.Thread(target=accept, daemon=True).start()
            held = [socket.create_connection(('127.0.0.1', 7000)) for _ in range(hold)]
            print('ready', flush=True)
            step = 1.0 / rate
            nxt = time.time()
            while time.time() < end:
                c = socket.create_connection(('127.0.0.1', 7000)); c.send(b'x'); c.close()
                if random.random() < 0.05:
                    i = random.randrange(len(held)); held[i].close(); held[i] = socket.create_connection(('127.0.0.1', 7000))
                nxt += step
                d = nxt - time.time()
                if d > 0: time.sleep(d)
            """;

    private static final Pattern GC_LINE = Pattern.compile("\\[(\\d+\\.\\d+)s\\].*Pause.*?(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    /** The launchers' options (pom.xml {@code app.jvm.flags}), as the window soak's default. */
    private static final String LAUNCHER_FLAGS = "-Xmx768m,-XX:MaxHeapFreeRatio=20,-XX:MinHeapFreeRatio=5,-XX:GCTimeRatio=4,"
            + "-XX:G1PeriodicGCInterval=5000,-XX:MarkStackSize=262144,-XX:TrimNativeHeapInterval=5000,-XX:MaxGCPauseMillis=20,"
            + "-XX:TieredStopAtLevel=1";

    public static void main(String[] args) throws Exception {
        if (Integer.getInteger("window", 0) > 0) {
            window(Integer.getInteger("window"));
            return;
        }
        int minutes = Integer.getInteger("minutes", 30);
        double rate = Double.parseDouble(System.getProperty("rate", "90"));
        int hold = Integer.getInteger("hold", 2000);
        String appFlags = System.getProperty("app.flags",
                "-Xmx768m,-XX:MaxHeapFreeRatio=20,-XX:MinHeapFreeRatio=5,-XX:GCTimeRatio=4,-XX:G1PeriodicGCInterval=5000");
        Path jar = Path.of(System.getProperty("jar", "target/tcplens.jar")).toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path dir = Files.createTempDirectory("tcplens-soak");
        Path gcLog = dir.resolve("gc.log");
        Path churn = dir.resolve("churn.py");
        Files.writeString(churn, CHURN);

        StringBuilder javaCmd = new StringBuilder("exec '" + java + "'");
        for (String f : appFlags.split(",")) if (!f.isBlank()) javaCmd.append(' ').append(f.trim());
        javaCmd.append(" --enable-native-access=ALL-UNNAMED -Xlog:gc:file=").append(gcLog).append(":uptime")
                .append(" -jar '").append(jar).append("' watch --source netlink --interval 1s");
        String script = "ip link set lo up || exit 1\n"
                + "python3 " + churn + " " + (minutes * 60 + 120) + " " + rate + " " + hold + " > " + dir.resolve("churn.out") + " 2>&1 &\n"
                + "for i in $(seq 200); do grep -q ready " + dir.resolve("churn.out") + " 2>/dev/null && break; sleep 0.1; done\n"
                + javaCmd + "\n";
        List<String> cmd = List.of("unshare", "-n", "bash", "-c", script);
        System.out.printf(Locale.ROOT, "soak: watch for %d min beside %.0f connect/close per s and %d held pairs; JVM options %s%n",
                minutes, rate, hold, appFlags.replace(',', ' '));
        Process x = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<double[]> rows = new ArrayList<>();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            ProcessHandle app = null;
            while (app == null && System.nanoTime() < deadline && x.isAlive()) {
                app = x.toHandle().pid() > 0 && x.toHandle().info().commandLine().orElse("").contains(jar.toString()) ? x.toHandle() : null;
                if (app == null) Thread.sleep(100);
            }
            if (app == null) throw new IllegalStateException("watch did not start");
            long pid = app.pid();
            long t0 = System.nanoTime();
            System.out.printf(Locale.ROOT, "%6s %8s %14s %12s %8s%n", "minute", "RSS MB", "heap after GC", "heap size", "sockets");
            for (int m = 0; m <= minutes; m++) {
                long due = t0 + TimeUnit.SECONDS.toNanos(m * 60L + (m == 0 ? 15 : 0));
                while (System.nanoTime() < due) Thread.sleep(Math.max(1, (due - System.nanoTime()) / 1_000_000));
                if (!app.isAlive()) {
                    System.out.println("watch ended early");
                    break;
                }
                double rss = rssKb(pid) / 1024.0;
                double[] gc = lastGc(gcLog);
                int sockets = sockets(pid);
                rows.add(new double[] {m, rss, gc[0], gc[1]});
                System.out.printf(Locale.ROOT, "%6d %8.0f %14.0f %12.0f %8d%n", m, rss, gc[0], gc[1], sockets);
            }
        } finally {
            x.toHandle().descendants().forEach(ProcessHandle::destroy);
            x.destroy();
            if (!x.waitFor(10, TimeUnit.SECONDS)) x.destroyForcibly();
        }
        if (rows.size() > 2) {
            List<double[]> half = rows.subList(rows.size() / 2, rows.size());
            System.out.printf(Locale.ROOT, "slope per 10 min, whole run: RSS %+.1f MB, heap after GC %+.1f MB; second half: RSS %+.1f MB, heap %+.1f MB%n",
                    10 * slope(rows, 1), 10 * slope(rows, 2), 10 * slope(half, 1), 10 * slope(half, 2));
        }
        System.out.println("GC log: " + gcLog);
        System.exit(0);
    }

    /** The window on a ScaleTable of {@code n} sockets, sampled every minute (see the class comment). */
    private static void window(int n) throws Exception {
        int minutes = Integer.getInteger("minutes", 30);
        String appFlags = System.getProperty("app.flags", LAUNCHER_FLAGS);
        Path jar = Path.of(System.getProperty("jar", "target/tcplens.jar")).toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path dir = Files.createTempDirectory("tcplens-soak");
        Path gcLog = dir.resolve("gc.log");
        Path log = dir.resolve("window.log");
        // the workers must outlive the run (ScaleTable's default lifetime is 10 minutes)
        // -Dchurn=steady: the steady table (a server's), instead of the burst one (ScaleTable's class comment)
        ScaleTable.Options o = new ScaleTable.Options(true, true, minutes * 60L + 900, System.err).withChurnProperty(System.getProperty("churn"));
        try (ScaleTable table = ScaleTable.build(n, o)) {
            List<String> cmd = new ArrayList<>(table.inNamespace("xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", java));
            for (String f : appFlags.split(",")) if (!f.isBlank()) cmd.add(f.trim());
            String jfr = System.getProperty("jfr");
            if (jfr != null) cmd.add("-XX:StartFlightRecording=settings=profile,name=soak");
            List<Integer> histoAt = Arrays.stream(System.getProperty("histo", "").split(",")).filter(h -> !h.isBlank())
                    .map(h -> Integer.parseInt(h.trim())).toList();
            int jfrAt = histoAt.isEmpty() ? minutes : histoAt.getLast();
            Map<String, long[]> firstHisto = null;
            cmd.addAll(List.of("-Xlog:gc:file=" + gcLog + ":uptime", "--enable-native-access=ALL-UNNAMED",
                    "-jar", jar.toString(), "--source", "netlink"));
            System.out.printf(Locale.ROOT, "soak: the window for %d min on a %d-socket table (ss saw %d); JVM options %s; jar %s%n",
                    minutes, n, table.ssCounts().values().stream().mapToInt(Integer::intValue).sum(), appFlags.replace(',', ' '), jar);
            Process x = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            List<double[]> rows = new ArrayList<>();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
                ProcessHandle app = null;
                while (app == null && System.nanoTime() < deadline && x.isAlive()) {
                    app = x.descendants().filter(h -> h.info().commandLine().orElse("").contains(jar.getFileName().toString())
                            && h.info().command().orElse("").endsWith("java")).findFirst().orElse(null);
                    if (app == null) Thread.sleep(100);
                }
                if (app == null) throw new IllegalStateException("the window did not start; its log: " + log);
                long pid = app.pid();
                long t0 = System.nanoTime();
                int seen = 0;
                System.out.printf(Locale.ROOT, "%6s %8s %14s %14s %12s %8s %6s%n", "minute", "RSS MB", "heap after GC", "lowest in min",
                        "heap size", "sockets", "load");
                for (int m = 0; m <= minutes; m++) {
                    long due = t0 + TimeUnit.SECONDS.toNanos(m * 60L + (m == 0 ? 30 : 0));
                    while (System.nanoTime() < due) Thread.sleep(Math.max(1, (due - System.nanoTime()) / 1_000_000));
                    if (!app.isAlive()) {
                        System.out.println("the window ended early; its log: " + log);
                        break;
                    }
                    double rss = rssKb(pid) / 1024.0;
                    List<String> lines = Files.exists(gcLog) ? Files.readAllLines(gcLog) : List.of();
                    double last = Double.NaN, low = Double.NaN, size = Double.NaN;
                    for (int i = seen; i < lines.size(); i++) {
                        Matcher g = GC_LINE.matcher(lines.get(i));
                        if (!g.find()) continue;
                        last = Double.parseDouble(g.group(3));
                        size = Double.parseDouble(g.group(4));
                        low = Double.isNaN(low) ? last : Math.min(low, last);
                    }
                    seen = lines.size();
                    int sockets = sockets(pid);
                    String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
                    rows.add(new double[] {m, rss, last, low});
                    System.out.printf(Locale.ROOT, "%6d %8.0f %14.0f %14.0f %12.0f %8d %6s%n", m, rss, last, low, size, sockets, load);
                    if (histoAt.contains(m)) {
                        Map<String, long[]> h = histogram(pid);
                        // a burst of the table's TIME_WAIT remakes shows as kernel events and keys held for a poll or two
                        System.out.printf(Locale.ROOT, "    histogram at minute %d (after a full GC): %.1f MB live; KernelTransition %d,"
                                        + " ConnectionKey %d, Endpoint %d, StateChange %d, byte[] %.1f MB%n", m,
                                h.values().stream().mapToLong(v -> v[1]).sum() / 1048576.0, count(h, "io.tcplens.model.KernelTransition"),
                                count(h, "io.tcplens.model.ConnectionKey"), count(h, "io.tcplens.model.Endpoint"),
                                count(h, "io.tcplens.model.StateChange"), h.getOrDefault("[B", new long[2])[1] / 1048576.0);
                        if (firstHisto == null) firstHisto = h;
                        else if (m == histoAt.getLast()) printGrowth(firstHisto, h, histoAt.getFirst(), m);
                    }
                    if (jfr != null && m == jfrAt) {
                        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
                                "JFR.dump", "name=soak", "path-to-gc-roots=true", "filename=" + Path.of(jfr).toAbsolutePath())
                                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                        System.out.println("    JFR dumped with paths to GC roots: " + jfr);
                    }
                }
            } finally {
                x.descendants().forEach(ProcessHandle::destroyForcibly);
                x.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            List<double[]> ok = rows.stream().filter(r -> r[0] >= 1 && !Double.isNaN(r[2]) && !Double.isNaN(r[3])).toList();
            if (ok.size() > 2) {
                List<double[]> half = ok.subList(ok.size() / 2, ok.size());
                System.out.printf(Locale.ROOT, "slope per 10 min from minute 1: RSS %+.1f MB, heap after GC %+.1f MB, lowest heap after GC %+.1f MB;"
                                + " second half: RSS %+.1f MB, heap %+.1f MB, lowest %+.1f MB%n",
                        10 * slope(ok, 1), 10 * slope(ok, 2), 10 * slope(ok, 3), 10 * slope(half, 1), 10 * slope(half, 2), 10 * slope(half, 3));
            }
            System.out.println("GC log: " + gcLog + ", window log: " + log);
        }
        System.exit(0);
    }

    /** Class → {instances, bytes} from {@code jcmd GC.class_histogram} (a full GC first). */
    private static Map<String, long[]> histogram(long pid) throws IOException, InterruptedException {
        Process h = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
        String out = new String(h.getInputStream().readAllBytes());
        h.waitFor();
        Map<String, long[]> m = new HashMap<>();
        Pattern row = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
        for (String l : out.split("\n")) {
            Matcher r = row.matcher(l);
            if (r.find()) m.put(r.group(3), new long[] {Long.parseLong(r.group(1)), Long.parseLong(r.group(2))});
        }
        return m;
    }

    private static long count(Map<String, long[]> h, String cls) {
        return h.getOrDefault(cls, new long[2])[0];
    }

    /** The 20 classes whose bytes grew most from {@code a} to {@code b}, and the total. */
    private static void printGrowth(Map<String, long[]> a, Map<String, long[]> b, int from, int to) {
        long total = b.values().stream().mapToLong(v -> v[1]).sum() - a.values().stream().mapToLong(v -> v[1]).sum();
        System.out.printf(Locale.ROOT, "    live heap after a full GC, minute %d → %d: %+.1f MB; classes that grew most:%n", from, to, total / 1048576.0);
        Map<String, long[]> d = new HashMap<>();
        for (var e : b.entrySet()) {
            long[] was = a.getOrDefault(e.getKey(), new long[2]);
            d.put(e.getKey(), new long[] {e.getValue()[0] - was[0], e.getValue()[1] - was[1]});
        }
        for (var e : a.entrySet()) d.putIfAbsent(e.getKey(), new long[] {-e.getValue()[0], -e.getValue()[1]});
        d.entrySet().stream().sorted((x, y) -> Long.compare(Math.abs(y.getValue()[1]), Math.abs(x.getValue()[1]))).limit(20)
                .forEach(e -> System.out.printf(Locale.ROOT, "      %+10d instances %+9.1f MB  %s%n", e.getValue()[0],
                        e.getValue()[1] / 1048576.0, e.getKey()));
    }

    private static double slope(List<double[]> rows, int col) {
        double n = rows.size(), sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (double[] r : rows) {
            sx += r[0];
            sy += r[col];
            sxx += r[0] * r[0];
            sxy += r[0] * r[col];
        }
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    private static double[] lastGc(Path log) throws IOException {
        double[] last = {Double.NaN, Double.NaN};
        if (!Files.exists(log)) return last;
        for (String l : Files.readAllLines(log)) {
            Matcher m = GC_LINE.matcher(l);
            if (m.find()) last = new double[] {Double.parseDouble(m.group(3)), Double.parseDouble(m.group(4))};
        }
        return last;
    }

    /** Sockets in watch's namespace: the lines of its /proc/PID/net/tcp and tcp6 without the headers. */
    private static int sockets(long pid) {
        int n = 0;
        for (String f : new String[] {"tcp", "tcp6"}) {
            try (var lines = Files.lines(Path.of("/proc/" + pid + "/net/" + f))) {
                n += (int) lines.count() - 1;
            } catch (IOException e) {
                // gone
            }
        }
        return n;
    }

    private static long rssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        return 0;
    }
}
