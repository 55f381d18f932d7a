package io.tcplens.bench;

import io.tcplens.testutil.ScaleTable;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Start-up of the window (issue 13): time from JVM start to the first frame and to the first frame
 * showing a poll, beside a bare JavaFX window ({@link BareFxWindow}) on the same jars, JVM and
 * display, measured alternately in the same run (each under its own {@code xvfb-run}; the clock is the
 * JVM's own start time, so the X server's start is not counted). Prints each run and the medians.
 *
 * <pre>mvn -q -o -DskipTests package
 * mvn -q -o test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.StartupBenchmark \
 *     -Dtcplens.args="5 20000" -Djvm.flags="-Dapp.flags=--source,netlink"</pre>
 * The first argument is the number of runs of each window; the second, if given, the size of a real
 * table (testutil.ScaleTable, root) built in a private network namespace that both windows start in.
 * {@code -Dapp.flags} (comma-separated) are added after the jar; {@code -Djvm.extra} (comma-separated)
 * before it, for both windows; {@code -Dapp.jvm} for TcpLens's JVM only (e.g. {@code -XX:AOTCache=target/tcplens.aot},
 * made by a training run with {@code -XX:AOTCacheOutput=target/tcplens.aot -Dtcplens.exitAfterFirstPoll=true}).
 * {@code -Dcompare.jvm} (comma-separated, may be {@code none}) and/or {@code -Dcompare.jar} start a second TcpLens
 * in every run, right after the first, so two configurations (with and without the cache, two builds)
 * meet the same load.
 */
public final class StartupBenchmark {
    private static final Pattern FRAME = Pattern.compile("first frame (\\d+) ms after JVM start(?: \\(CPU (-?\\d+) ms\\))?");
    private static final Pattern POLL = Pattern.compile("first poll on screen (\\d+) ms after JVM start");

    public static void main(String[] args) throws Exception {
        int runs = args.length == 0 ? 5 : Integer.parseInt(args[0]);
        int sockets = args.length < 2 ? 0 : Integer.parseInt(args[1]);
        if (sockets > 0) {
            // a real table of that size in a private network namespace; both windows start inside it
            try (ScaleTable table = ScaleTable.build(sockets,
                    ScaleTable.Options.defaults().withNetns(true).withRefresh(true))) {
                measure(runs, table::inNamespace);
            }
        } else {
            measure(runs, cmd -> List.of(cmd));
        }
    }

    private static void measure(int runs, Function<String[], List<String>> where) throws Exception {
        Path jar = Path.of(System.getProperty("jar", "target/tcplens.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) throw new IllegalStateException("build the jar first: mvn -q -o -DskipTests package");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> extra = split(System.getProperty("jvm.extra", ""));
        List<String> appFlags = split(System.getProperty("app.flags", ""));
        String testClasses = Path.of("target/test-classes").toAbsolutePath().toString();
        List<Long> bare = new ArrayList<>(), frame = new ArrayList<>(), poll = new ArrayList<>(), frame2 = new ArrayList<>(), poll2 = new ArrayList<>();
        List<Long> bareCpu = new ArrayList<>(), frameCpu = new ArrayList<>(), frameCpu2 = new ArrayList<>();
        boolean compare = System.getProperty("compare.jvm") != null || System.getProperty("compare.jar") != null;
        System.out.printf(Locale.ROOT, "machine: %d cores, load %s; TCP sockets the window sees: %s%n",
                Runtime.getRuntime().availableProcessors(), Files.readString(Path.of("/proc/loadavg")).split(" ")[0], sockets(where));
        System.out.printf(Locale.ROOT, "%4s %18s %18s %22s %22s%n", "run", "bare frame ms", "TcpLens frame ms", "TcpLens first poll ms", "CPU to frame bare/app");
        for (int i = 1; i <= runs; i++) {
            List<String> b = new ArrayList<>(where.apply(new String[] {"xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", java}));
            b.addAll(extra);
            b.addAll(List.of("-cp", jar + ":" + testClasses, BareFxWindow.class.getName()));
            long[] bf = run(b, false);
            List<String> a = new ArrayList<>(where.apply(new String[] {"xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", java}));
            a.addAll(extra);
            a.addAll(split(System.getProperty("app.jvm", "")));
            a.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Dtcplens.prefs.node=tcplens-bench/startup", "-jar", jar.toString()));
            a.addAll(appFlags);
            long[] af = run(a, true);
            bare.add(bf[0]);
            frame.add(af[0]);
            poll.add(af[1]);
            bareCpu.add(bf[2]);
            frameCpu.add(af[2]);
            String second = "";
            if (compare) {
                List<String> c = new ArrayList<>(where.apply(new String[] {"xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", java}));
                c.addAll(extra);
                String cj = System.getProperty("compare.jvm", System.getProperty("app.jvm", ""));
                if (!cj.equals("none")) c.addAll(split(cj));
                c.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-Dtcplens.prefs.node=tcplens-bench/startup", "-jar",
                        Path.of(System.getProperty("compare.jar", jar.toString())).toAbsolutePath().toString()));
                c.addAll(appFlags);
                long[] cf = run(c, true);
                frame2.add(cf[0]);
                poll2.add(cf[1]);
                frameCpu2.add(cf[2]);
                second = String.format(Locale.ROOT, " | second: %d %d (CPU %d)", cf[0], cf[1], cf[2]);
            }
            System.out.printf(Locale.ROOT, "%4d %18d %18d %22d %22s%s%n", i, bf[0], af[0], af[1], bf[2] + "/" + af[2], second);
        }
        long mb = median(bare), mf = median(frame), mp = median(poll);
        System.out.printf(Locale.ROOT, "median: bare window %d ms; TcpLens first frame %d ms (%.2f× bare); first poll on screen %d ms (%d ms after its first frame)%n",
                mb, mf, (double) mf / mb, mp, mp - mf);
        long cb = median(bareCpu), cf = median(frameCpu);
        // CPU time to the first frame depends least on the load around: the ratio to read on a busy machine
        System.out.printf(Locale.ROOT, "median CPU time to the first frame: bare window %d ms; TcpLens %d ms (%.2f× bare)%n", cb, cf, (double) cf / cb);
        if (compare) {
            long sf = median(frame2), sp = median(poll2);
            System.out.printf(Locale.ROOT, "median, second TcpLens (%s%s): first frame %d ms (%.2f× bare); first poll on screen %d ms (%d ms after its first frame)%n",
                    System.getProperty("compare.jvm", "same options"), System.getProperty("compare.jar") != null ? ", " + System.getProperty("compare.jar") : "",
                    sf, (double) sf / mb, sp, sp - sf);
            System.out.printf(Locale.ROOT, "median CPU time to the first frame, second TcpLens: %d ms (%.2f× bare)%n", median(frameCpu2),
                    (double) median(frameCpu2) / median(bareCpu));
        }
    }

    /** Starts the command, reads its output until the figures appear (or 120 s), ends it; [frame, poll, CPU ms to the frame] (poll -1 if not wanted). */
    private static long[] run(List<String> cmd, boolean wantPoll) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        long frameMs = -1, pollMs = wantPoll ? -1 : 0, cpuMs = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        StringBuilder seen = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((frameMs < 0 || pollMs < 0) && System.nanoTime() < deadline && (line = r.readLine()) != null) {
                seen.append(line).append('\n');
                if (wantPoll && Boolean.getBoolean("show.log")) System.out.println("    | " + line); // -Dshow.log=true: TcpLens's own lines
                Matcher f = FRAME.matcher(line), q = POLL.matcher(line);
                if (f.find()) {
                    frameMs = Long.parseLong(f.group(1));
                    if (f.group(2) != null) cpuMs = Long.parseLong(f.group(2));
                }
                if (q.find()) pollMs = Long.parseLong(q.group(1));
            }
        } finally {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        }
        if (frameMs < 0 || pollMs < 0) throw new IllegalStateException("no start-up figures from " + cmd + ":\n" + seen);
        return new long[] {frameMs, wantPoll ? pollMs : -1, cpuMs};
    }

    /** `ss -tan` lines (less its header) where the windows run. */
    private static String sockets(Function<String[], List<String>> where) throws Exception {
        Process p = new ProcessBuilder(where.apply(new String[] {"ss", "-tanH"})).redirectErrorStream(true).start();
        long n;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            n = r.lines().count();
        }
        p.waitFor();
        return Long.toString(n);
    }

    private static List<String> split(String s) {
        return s.isBlank() ? List.of() : Arrays.stream(s.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
    }

    private static long median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
