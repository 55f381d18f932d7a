package io.tcplens.bench;

import io.tcplens.model.TcpState;
import io.tcplens.testutil.ScaleTable;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The window's resident memory and CPU on a real table, per set of JVM options: builds the table
 * in a private network namespace (ScaleTable, kept level; burst or steady churn, below), starts {@code target/tcplens.jar} under
 * {@code xvfb-run} inside it once per option set, samples RSS every 10 s for {@code -Dseconds} (60)
 * and prints RSS at the end, its peak, and CPU per second from the middle to the end, beside what one
 * {@code ss -tan} on the same table costs. Used to choose the launchers' memory options. From the middle of the run
 * it also reads RSS each second and prints its min / mean / max (a collector that gives memory back within a second,
 * such as Shenandoah, swings between the 10 s samples).
 *
 * <pre>mvn -q -DskipTests package
 * mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.WindowMemoryBenchmark \
 *     -Dtcplens.args="100000" -Djvm.flags="-Dflags=|-XX:+UseSerialGC,-Xmx512m"</pre>
 * Option sets are separated by {@code |}, options within a set by commas; an empty set is the JVM's defaults;
 * the set {@code bare} runs {@link BareFxWindow} (a bare JavaFX window, JVM defaults) as the reference.
 * A set may name another jar, {@code jar=PATH} (e.g. main's build beside this branch's, in the same run),
 * and environment variables for that JVM, {@code env=NAME=VALUE} (e.g. {@code env=MALLOC_ARENA_MAX=2}).
 * {@code -DgclogKeep=DIR} (with {@code -Dgclog=true}) keeps a detailed GC log per set there (setN.log: phases, heap sizing).
 * {@code -Dsmaps=true} prints, before any full GC, where the resident memory is by mapping (anonymous, the AOT
 * cache or CDS archive, the largest files such as Mesa's libraries); {@code -Dgclog=true} logs the GC and prints its pauses
 * (count, p50, p99, longest, full collections) over the run, and for G1 one line of its marking story ({@link #g1Story}):
 * marking cycles and what started them (a young pause past the threshold, "g1 evacuation pause", or a humongous
 * allocation), mixed pauses and young-only pauses (count, p50, p99, longest), the old generation after each pause
 * (first, last, max) and the marking threshold (IHOP) at the end.
 *
 * <p>{@code -Dchurn=steady} (or {@code steady:P}, P ESTABLISHED pairs replaced a second) measures on
 * {@link ScaleTable.Churn#STEADY the steady table}: its TIME_WAIT share made and expiring at 1/60 a second, a
 * server's table, instead of the burst table (the default, {@code burst}), whose 28 % TIME_WAIT expires and is
 * remade all together every 60 s, so that one poll a minute meets the whole change and is slow (the refresh backs
 * off once at 50–60 s in every run; the 60-s RSS sample often lands on that poll). After each set the table's
 * level is printed ({@code ss} counts), to check that it stayed level. {@code -Dsource=proc} runs the window on the
 * /proc source (default {@code netlink}).
 * {@code -Djfr=FILE} profiles each run with JFR and dumps it to FILE at the end (old-object samples with their paths to GC roots: what keeps memory; the allocation that asked for each collection, {@code jdk.AllocationRequiringGC}; each thread's allocated bytes every second; {@code -DjfrEvents=E#k=v,…} more event settings, such as {@code jdk.PromoteObjectInNewPLAB#enabled=true}: what each young pause copies to old); {@code -Dheapdump=FILE} writes a dump of the live heap to FILE at the end (after the RSS samples); {@code -DhistoLines=N} prints N lines of {@code -Dhisto=true}'s histogram (28); {@code -Dnmt=true} prints the
 * JVM's native memory summary (heap, classes, code, threads, GC, …) at the end. {@code -Dthreads=true} samples
 * {@code /proc/PID/task/}{@code *}{@code /stat} with each RSS sample and prints the CPU s per s of each thread (grouped by
 * name: G1's and the compilers' threads together) in every 10 s, and over seconds 0–30, 30–60 and 60 to the end.
 * The window's child processes (bpftrace, for the kernel's events) get rows of their own ("child process …"): they are
 * not in "all threads" (the JVM's figure, as in earlier rounds) but in "with child processes", what the user pays.
 * {@code -Dhandovers=true} times every hand-over to the FX thread in the real window ({@code FrameDispatcher.handOver},
 * traced by JFR's method tracing, JDK 25) with the JVM's safepoint operations (GC pauses of every collector among them)
 * in a recording that holds nothing else ({@code -DhandoversKeep=DIR} keeps it there, setN.jfr), started by jcmd 3 s after the JVM (so that the set keeps its AOT cache), and prints the hand-overs' wall time p50 / p99 / longest from second
 * 10 to the end, how many took over 16 ms, and how many of those had a VM operation (a GC pause) inside: the FX
 * thread's goal (issue 11) on the real table, per option set. That recording costs some resident memory of its own
 * (JFR's buffers and classes), the same in every set of the run; a set may ask for it alone with the word {@code handovers}
 * (e.g. {@code SET|SET,handovers}: that cost beside the same options without it). With {@code -Dgclog=true} a set that uses ZGC also
 * logs {@code gc+phases}, where ZGC's pauses are (its {@code gc} lines are whole concurrent cycles).
 */
public final class WindowMemoryBenchmark {
    public static void main(String[] args) throws Exception {
        int n = args.length == 0 ? 100_000 : Integer.parseInt(args[0]);
        int seconds = Integer.getInteger("seconds", 60);
        String[] sets = System.getProperty("flags", "").split("\\|");
        Path defaultJar = Path.of(System.getProperty("jar", "target/tcplens.jar")).toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // the workers must outlive every set (a minute of start, sampling and clean-up beside each set's seconds)
        long lifetime = 600L + sets.length * (seconds + 90L);
        ScaleTable.Options options = new ScaleTable.Options(true, true, lifetime, System.err).withChurnProperty(System.getProperty("churn"));
        try (ScaleTable table = ScaleTable.build(n, options)) {
            double ss = ssCpuSeconds(table);
            System.out.printf(Locale.ROOT, "table (%s churn): %s; one `ss -tan` costs %.2f s CPU%n",
                    table.churn().name().toLowerCase(Locale.ROOT), tableLine(table.ssCounts()), ss);
            System.out.printf(Locale.ROOT, "%-60s %10s %10s %12s%n", "JVM options", "RSS end MB", "RSS peak", "CPU s/s");
            int setNo = 0; // setN.log / setN.jfr: by place, so that a set given twice (A|B|A|B) keeps a file per window
            for (String set : sets) {
                setNo++;
                List<String> cmd = new ArrayList<>(table.inNamespace("xvfb-run", "-a", "-s", "-screen 0 1600x1000x24", java));
                Path jar = defaultJar;
                Map<String, String> env = new LinkedHashMap<>();
                boolean traceHandovers = Boolean.getBoolean("handovers");
                for (String f : set.trim().split(",(?=-|jar=|env=|handovers)|\\s+")) {
                    if (f.startsWith("jar=")) jar = Path.of(f.substring(4)).toAbsolutePath(); // another build beside this one
                    else if (f.startsWith("env=") && f.indexOf('=', 4) > 4) env.put(f.substring(4, f.indexOf('=', 4)), f.substring(f.indexOf('=', 4) + 1));
                    else if (f.equals("handovers")) traceHandovers = true; // this set only (its recording's own memory beside a set without)
                    else if (!f.isEmpty() && !f.equals("bare")) cmd.add(f);
                }
                Path gcLog = Boolean.getBoolean("gclog") ? Files.createTempFile("tcplens-gc", ".log") : null;
                // G1: gc+heap (regions per generation after each pause), gc+init (region size) and gc+ihop (the marking
                // threshold) give g1Story()'s line; a few lines a collection, written to a file
                if (gcLog != null) cmd.add((set.contains("-XX:+UseZGC") ? "-Xlog:gc,gc+phases:file=" : "-Xlog:gc,gc+heap,gc+init,gc+ihop=debug:file=") + gcLog);
                String keep = System.getProperty("gclogKeep"); // a folder: every set's detailed GC log (heap sizing included) is kept there
                if (gcLog != null && keep != null) {
                    Files.createDirectories(Path.of(keep));
                    Path detail = Path.of(keep, "set" + setNo + ".log").toAbsolutePath();
                    cmd.add("-Xlog:gc*=info,gc+ergo*=debug,gc+heap=debug:file=" + detail);
                    System.out.println("    detailed GC log: " + detail);
                }
                String jarName = jar.getFileName().toString();
                String jfr = System.getProperty("jfr");
                // the allocation that asked for each collection (thread, stack) and every thread's allocated bytes each second
                if (jfr != null) cmd.add("-XX:StartFlightRecording=settings=profile,name=bench,jdk.AllocationRequiringGC#enabled=true,"
                        + "jdk.AllocationRequiringGC#stackTrace=true,jdk.ThreadAllocationStatistics#period=1s"
                        + (System.getProperty("jfrEvents", "").isBlank() ? "" : "," + System.getProperty("jfrEvents"))); // e.g. jdk.PromoteObjectInNewPLAB#enabled=true
                if (Boolean.getBoolean("nmt")) cmd.add("-XX:NativeMemoryTracking=summary");
                Path handovers = traceHandovers && !set.trim().equals("bare") ? Files.createTempFile("tcplens-handovers", ".jfr") : null;
                if (set.trim().equals("bare")) {
                    // the reference: a bare JavaFX window, same Xvfb, same JVM defaults
                    cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp",
                            Path.of("target/test-classes").toAbsolutePath() + File.pathSeparator + jar, BareFxWindow.class.getName(), "--stay"));
                } else {
                    // each poll's end in the log (PollingEngine, debug): CPU per poll beside CPU per second (the refresh backs off)
                    if (Boolean.getBoolean("threads")) cmd.add("-Dorg.slf4j.simpleLogger.log.io.tcplens.engine.PollingEngine=debug");
                    cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(), "--source", System.getProperty("source", "netlink")));
                }
                // the app's log says when its first frame and its first poll on screen came (TcpLensApp)
                Path log = Files.createTempFile("tcplens-window", ".log");
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().putAll(env);
                Process x = pb.start();
                try {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    Optional<ProcessHandle> app = Optional.empty();
                    while (app.isEmpty() && System.nanoTime() < deadline && x.isAlive()) {
                        app = x.descendants().filter(h -> h.info().commandLine().orElse("").contains(jarName)
                                && h.info().command().orElse("").endsWith("java")).findFirst();
                        if (app.isEmpty()) Thread.sleep(100);
                    }
                    if (app.isEmpty()) {
                        System.out.println(set + ": the window did not start");
                        continue;
                    }
                    long pid = app.get().pid();
                    if (!env.isEmpty()) {
                        // the variables must reach the JVM through ip netns exec and xvfb-run
                        List<String> seen = List.of(Files.readString(Path.of("/proc/" + pid + "/environ")).split("\0"));
                        env.forEach((k, v) -> { if (!seen.contains(k + "=" + v)) System.out.println("    " + k + "=" + v + " did not reach the JVM"); });
                    }
                    long t0 = System.nanoTime();
                    long t0Wall = System.currentTimeMillis();
                    if (handovers != null) HandOverTimes.startLater(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), pid, 3);
                    long peak = 0, last = 0, cpuMid = 0, cpuEnd = 0;
                    Boolean aotMapped = null; // whether the JVM mapped the set's AOT cache (read at the first sample)
                    List<Long> everySecond = new ArrayList<>(); // RSS MB each second from the middle of the run
                    boolean threads = Boolean.getBoolean("threads");
                    List<Map<String, Long>> perThread = new ArrayList<>(); // per 10 s sample: ticks by thread group
                    if (threads) perThread.add(threadTicks(pid));
                    for (int s = 10; s <= seconds; s += 10) {
                        long due = t0 + TimeUnit.SECONDS.toNanos(s);
                        while (System.nanoTime() < due) {
                            Thread.sleep(Math.max(1, Math.min(1000, (due - System.nanoTime()) / 1_000_000)));
                            // each second of the second half: how far resident memory swings between the 10 s samples
                            if (System.nanoTime() - t0 >= TimeUnit.SECONDS.toNanos(seconds / 2 / 10 * 10) && app.get().isAlive()) everySecond.add(rssKb(pid) / 1024);
                        }
                        if (!app.get().isAlive()) break;
                        if (aotMapped == null) aotMapped = aotMapped(cmd, pid);
                        last = rssKb(pid) / 1024;
                        peak = Math.max(peak, last);
                        if (s == seconds / 2 / 10 * 10) cpuMid = cpuTicks(pid);
                        cpuEnd = cpuTicks(pid);
                        if (threads) perThread.add(threadTicks(pid));
                    }
                    if (threads) printThreads(perThread, pollsPer10s(log, t0Wall, perThread.size() - 1));
                    String pauses = gcLog != null ? pauses(gcLog) : null; // before the histogram's full GC
                    String g1 = gcLog != null ? g1Story(gcLog) : null;
                    String fx = null;
                    if (handovers != null && app.get().isAlive()) {
                        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
                                "JFR.dump", "name=" + HandOverTimes.NAME, "filename=" + handovers)
                                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                        fx = HandOverTimes.read(handovers, Instant.ofEpochMilli(t0Wall).plusSeconds(10)).summary();
                        String keepFx = System.getProperty("handoversKeep"); // a folder: every set's hand-over recording kept there (setN.jfr)
                        if (keepFx != null) {
                            Files.createDirectories(Path.of(keepFx));
                            Files.copy(handovers, Path.of(keepFx, "set" + setNo + ".jfr"), StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                    if (Boolean.getBoolean("smaps") && app.get().isAlive()) printSmaps(pid);
                    if (jfr != null && app.get().isAlive()) {
                        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
                                "JFR.dump", "name=bench", "path-to-gc-roots=true", "filename=" + Path.of(jfr).toAbsolutePath())
                                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                        System.out.println("    profile: " + jfr);
                    }
                    String dump = System.getProperty("heapdump");
                    if (dump != null && app.get().isAlive()) {
                        Path d = Path.of(dump).toAbsolutePath();
                        Files.deleteIfExists(d);
                        new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), Long.toString(pid),
                                "GC.heap_dump", d.toString()).redirectErrorStream(true)
                                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
                        System.out.println("    heap dump (live objects): " + d);
                    }
                    if (Boolean.getBoolean("nmt") && app.get().isAlive()) {
                        Process h = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                                Long.toString(pid), "VM.native_memory", "summary", "scale=MB").redirectErrorStream(true).start();
                        for (String l : new String(h.getInputStream().readAllBytes()).split("\n")) {
                            if (l.matches("^(Total|-\\s+\\w[\\w ]*\\().*")) System.out.println("    " + l.trim());
                        }
                        h.waitFor();
                    }
                    if (Boolean.getBoolean("histo") && app.get().isAlive()) {
                        Process h = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                                Long.toString(pid), "GC.class_histogram").redirectErrorStream(true).start();
                        String[] lines = new String(h.getInputStream().readAllBytes()).split("\n");
                        h.waitFor();
                        for (int i = 0; i < Math.min(lines.length, Integer.getInteger("histoLines", 28)); i++) System.out.println("    " + lines[i]);
                        for (String l : lines) if (l.startsWith("Total")) System.out.println("    live heap (histogram): " + l.trim());
                        // printed apart: the table's figure stays the window's own, before this full GC
                        System.out.println("    RSS after that full GC: " + rssKb(pid) / 1024 + " MB");
                    }
                    firstPoll(log);
                    aotCache(cmd, log, aotMapped);
                    if (pauses != null) System.out.println("    " + pauses);
                    if (g1 != null) System.out.println("    " + g1);
                    if (fx != null) System.out.println("    " + fx);
                    if (!everySecond.isEmpty())
                        System.out.printf(Locale.ROOT, "    RSS each second from %d s: min %d, mean %.0f, max %d MB%n", seconds / 2 / 10 * 10,
                                everySecond.stream().mapToLong(Long::longValue).min().orElse(0), everySecond.stream().mapToLong(Long::longValue).average().orElse(0),
                                everySecond.stream().mapToLong(Long::longValue).max().orElse(0));
                    double cpu = (cpuEnd - cpuMid) / 100.0 / (seconds - seconds / 2 / 10 * 10);
                    System.out.printf(Locale.ROOT, "%-60s %10d %10d %12.2f%n", set.isBlank() ? "(defaults)" : set.trim(), last, peak, cpu);
                } finally {
                    x.descendants().forEach(ProcessHandle::destroyForcibly);
                    x.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    // the table's level after each set (a steady table must stay within a few % of its start)
                    System.out.println("    table after this set: " + tableLine(table.ssCounts()));
                    if (System.getProperty("logKeep") != null) // the app's log (with -Dthreads=true each poll's end and its kernel events)
                        Files.copy(log, Path.of(System.getProperty("logKeep"), "set" + setNo + ".log"), StandardCopyOption.REPLACE_EXISTING);
                    Files.deleteIfExists(log);
                    if (gcLog != null) Files.deleteIfExists(gcLog);
                    if (handovers != null) Files.deleteIfExists(handovers);
                }
            }
        }
        System.exit(0);
    }

    /**
     * A set that names an AOT cache ({@code -XX:AOTCache=}) the JVM refused (trained with other GC, header or
     * module options, e.g. without {@code --enable-native-access=ALL-UNNAMED}, or for a jar since copied or
     * rebuilt: the cache checks the jar's path and time) ran without it, and a cache that maps costs ~55 MB
     * resident: says so. The evidence is the process's own mappings ({@code /proc/PID/maps} names the cache's
     * file when the JVM uses it), not its log: a set with {@code -Xlog:aot*=off}, as the launchers', prints no
     * refusal (round 25: a copied jar's cache was refused in silence and the benchmark said "used").
     */
    private static void aotCache(List<String> cmd, Path log, Boolean mapped) throws IOException {
        if (cmd.stream().noneMatch(a -> a.startsWith("-XX:AOTCache="))) return;
        String refused = Files.readAllLines(log).stream().filter(l -> l.contains("[aot]") && (l.contains("[error") || l.contains("[warning")))
                .filter(l -> !l.contains("Run with -Xlog:aot for details")).findFirst().orElse(null);
        if (Boolean.TRUE.equals(mapped)) System.out.println("    AOT cache: used (mapped by the JVM)");
        else if (mapped == null) System.out.println("    AOT cache: not known (the window ended before the first sample)" + (refused == null ? "" : "; " + refused.strip()));
        else System.out.println("    AOT cache REFUSED, ran without it (not in the JVM's mappings)" + (refused == null ? "" : ": " + refused.strip()));
    }

    /** Whether the JVM {@code pid} maps the file the set's {@code -XX:AOTCache=} names. */
    private static boolean aotMapped(List<String> cmd, long pid) {
        String cache = cmd.stream().filter(a -> a.startsWith("-XX:AOTCache=")).findFirst().orElse(null);
        if (cache == null) return false;
        String file = Path.of(cache.substring("-XX:AOTCache=".length())).getFileName().toString();
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/maps")).stream().anyMatch(l -> l.endsWith("/" + file) || l.endsWith(" " + file));
        } catch (IOException e) {
            return false;
        }
    }

    /** Prints the first frame, the first poll on screen and the time between, from the app's log. */
    private static void firstPoll(Path log) throws IOException {
        long frame = -1, poll = -1;
        for (String l : Files.readAllLines(log)) {
            Matcher m = Pattern.compile("first (frame|poll on screen) (\\d+) ms after JVM start").matcher(l);
            if (!m.find()) continue;
            if (m.group(1).equals("frame")) frame = Long.parseLong(m.group(2));
            else poll = Long.parseLong(m.group(2));
        }
        if (frame >= 0 && poll >= 0)
            System.out.printf(Locale.ROOT, "    first frame %d ms after JVM start, first poll on screen %d ms: %d ms after the first frame%n",
                    frame, poll, poll - frame);
        // the refresh's back-off (MainWindow logs each change): CPU per second depends on how often the window polled
        // (from round 23 with the poll's CPU, and the refresh the window shows when only the polls' wall time is long)
        List<String> backoff = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        Pattern interval = Pattern.compile("refresh every (\\d+) ms from poll (\\d+) \\(it took (\\d+) ms(?:, (\\d+) ms of CPU)?");
        Pattern refresh = Pattern.compile("window refreshes about every (\\d+) ms from poll (\\d+) \\(interval \\d+ ms; it took (\\d+) ms, (\\d+) ms of CPU");
        for (String l : Files.readAllLines(log)) {
            Matcher m = interval.matcher(l);
            if (m.find()) backoff.add(m.group(1) + " ms at poll " + m.group(2) + " (" + m.group(3) + " ms"
                    + (m.group(4) == null ? "" : ", CPU " + m.group(4) + " ms") + ")");
            m = refresh.matcher(l);
            if (m.find()) shown.add(m.group(1) + " ms at poll " + m.group(2) + " (" + m.group(3) + " ms, CPU " + m.group(4) + " ms)");
        }
        if (!backoff.isEmpty()) System.out.println("    refresh backed off / returned: " + String.join(", ", backoff));
        if (!shown.isEmpty()) System.out.println("    refresh shown (interval + polls' wall): " + String.join(", ", shown));
    }

    /** Resident memory by mapping: anonymous in all, the JVM's class archive (AOT cache or CDS), the largest files. */
    private static void printSmaps(long pid) throws IOException {
        Map<String, Long> byFile = new HashMap<>();
        long anon = 0, total = 0;
        String name = null;
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/smaps"))) {
            if (l.matches("^[0-9a-f]+-[0-9a-f]+ .*")) {
                String[] f = l.trim().split("\\s+", 6);
                name = f.length == 6 ? f[5] : "";
            } else if (l.startsWith("Rss:")) {
                long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                total += kb;
                if (name.isEmpty() || name.startsWith("[")) anon += kb;
                else byFile.merge(Path.of(name.replace(" (deleted)", "")).getFileName().toString(), kb, Long::sum);
            }
        }
        long files = total - anon;
        System.out.printf(Locale.ROOT, "    smaps Rss MB: total %d, anonymous (heap, malloc, stacks) %d, files %d%n", total >> 10, anon >> 10, files >> 10);
        StringBuilder top = new StringBuilder("    largest files resident:");
        byFile.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> top.append(String.format(Locale.ROOT, " %s %.1f,", e.getKey(), e.getValue() / 1024.0)));
        System.out.println(top.substring(0, top.length() - 1));
    }

    /** The GC's pauses over the run, from its log (-Xlog:gc): count, p50, p99, longest, full collections. */
    private static String pauses(Path gcLog) throws IOException {
        Pattern p = Pattern.compile("\\bPause (.*?) (\\d+(?:\\.\\d+)?)ms$");
        List<Double> ms = new ArrayList<>();
        int full = 0;
        for (String l : Files.readAllLines(gcLog)) {
            Matcher m = p.matcher(l.strip());
            if (!m.find()) continue;
            ms.add(Double.parseDouble(m.group(2)));
            if (m.group(1).startsWith("Full")) full++;
        }
        if (ms.isEmpty()) return "GC pauses: none logged";
        ms.sort(null);
        // the heap at the pauses: used before -> after (committed), the last young pause's and the lowest after any pause
        Pattern sizes = Pattern.compile("\\bPause (Young|Remark|Cleanup).*? (\\d+)M->(\\d+)M\\((\\d+)M\\)");
        String lastYoung = "";
        int minAfter = Integer.MAX_VALUE, remarks = 0;
        for (String l : Files.readAllLines(gcLog)) {
            Matcher m = sizes.matcher(l);
            if (!m.find()) continue;
            if (m.group(1).equals("Young")) lastYoung = m.group(2) + "->" + m.group(3) + " (" + m.group(4) + ") MB";
            else if (m.group(1).equals("Remark")) remarks++;
            minAfter = Math.min(minAfter, Integer.parseInt(m.group(3)));
        }
        return String.format(Locale.ROOT, "GC pauses (to the last sample): %d (%d full), p50 %.1f ms, p99 %.1f ms, longest %.1f ms; "
                        + "last young pause %s; lowest after a pause %d MB; %d marking cycles (remarks)", ms.size(), full,
                ms.get(ms.size() / 2), ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.99) - 1)), ms.get(ms.size() - 1),
                lastYoung, minAfter, remarks);
    }

    /** {@code N sockets (ESTABLISHED a, TIME_WAIT b, others c)} from ss's per-state counts. */
    static String tableLine(Map<TcpState, Integer> counts) {
        int all = counts.values().stream().mapToInt(Integer::intValue).sum();
        int est = counts.getOrDefault(TcpState.ESTABLISHED, 0), tw = counts.getOrDefault(TcpState.TIME_WAIT, 0);
        return String.format(Locale.ROOT, "%,d sockets (ESTABLISHED %,d, TIME_WAIT %,d, others %,d)", all, est, tw, all - est - tw);
    }

    private static final Pattern GC_ID = Pattern.compile("\\bGC\\((\\d+)\\) ");
    private static final Pattern YOUNG = Pattern.compile("\\bPause Young \\(([^)]+)\\) \\(([^)]+)\\) .*? (\\d+(?:\\.\\d+)?)ms$");
    private static final Pattern OTHER_PAUSE = Pattern.compile("\\bPause (Remark|Cleanup|Full)\\b.*? (\\d+(?:\\.\\d+)?)ms$");
    private static final Pattern REGIONS = Pattern.compile("\\b(Old|Humongous) regions: (\\d+)->(\\d+)");
    private static final Pattern REGION_SIZE = Pattern.compile("Heap Region Size: (\\d+)([KMG])");
    private static final Pattern IHOP = Pattern.compile("(Basic|Adaptive IHOP) information \\(value update\\), threshold: (\\d+)B \\([\\d.]+\\), (?:internal )?target occupancy: (\\d+)B");

    /**
     * G1's marking and mixed-pause story over the run, from the log of {@code -Xlog:gc,gc+heap,gc+init,gc+ihop=debug}
     * (null for another collector): marking cycles (started by which cause of the Concurrent Start pause; undone
     * cycles, G1's cancelled marking when a humongous object died first, apart), young pauses asked for by a humongous
     * allocation (whether or not they started a cycle), mixed pauses (count, p50, p99,
     * longest), young-only pauses (Normal, Concurrent Start, Prepare Mixed; the same), the remarks' and cleanups'
     * longest, full collections, the old generation after each pause (old + humongous regions, MB: first, last,
     * max) and G1's marking threshold (IHOP) at the last pause beside the heap it is reckoned against.
     */
    static String g1Story(Path gcLog) throws IOException {
        List<String> lines = Files.readAllLines(gcLog);
        if (lines.stream().noneMatch(l -> l.contains("Using G1"))) return null;
        long regionKb = 1024;
        List<Double> mixed = new ArrayList<>(), youngOnly = new ArrayList<>();
        double longestRemark = 0, longestCleanup = 0;
        int remarks = 0, full = 0, cycles = 0, undone = 0, humongousPauses = 0;
        Map<String, Integer> startedBy = new TreeMap<>();
        Map<Integer, long[]> oldAfter = new TreeMap<>(); // GC id -> {old regions, humongous regions} after it
        long ihop = -1, ihopTarget = -1;
        for (String raw : lines) {
            String l = raw.strip();
            Matcher m = REGION_SIZE.matcher(l);
            if (m.find()) {
                regionKb = Long.parseLong(m.group(1)) * switch (m.group(2)) { case "K" -> 1L; case "M" -> 1024L; default -> 1024L * 1024; };
                continue;
            }
            m = REGIONS.matcher(l);
            Matcher id = GC_ID.matcher(l);
            if (m.find() && id.find()) {
                long[] r = oldAfter.computeIfAbsent(Integer.parseInt(id.group(1)), k -> new long[2]);
                r[m.group(1).equals("Old") ? 0 : 1] = Long.parseLong(m.group(3));
                continue;
            }
            m = IHOP.matcher(l);
            if (m.find()) {
                ihop = Long.parseLong(m.group(2)); // the adaptive line follows the basic one: it is the threshold in use
                if (m.group(1).equals("Basic")) ihopTarget = Long.parseLong(m.group(3)); // the heap it is reckoned against
                continue;
            }
            m = YOUNG.matcher(l);
            if (m.find()) {
                double ms = Double.parseDouble(m.group(3));
                if (m.group(1).equals("Mixed")) mixed.add(ms);
                else youngOnly.add(ms);
                if (m.group(2).equals("G1 Humongous Allocation")) humongousPauses++;
                if (m.group(1).equals("Concurrent Start")) startedBy.merge(m.group(2).replace("G1 ", "").toLowerCase(Locale.ROOT), 1, Integer::sum);
                continue;
            }
            m = OTHER_PAUSE.matcher(l);
            if (m.find()) {
                double ms = Double.parseDouble(m.group(2));
                switch (m.group(1)) {
                    case "Remark" -> { remarks++; longestRemark = Math.max(longestRemark, ms); }
                    case "Cleanup" -> longestCleanup = Math.max(longestCleanup, ms);
                    default -> full++;
                }
                continue;
            }
            if (l.endsWith("Concurrent Mark Cycle")) cycles++;
            else if (l.endsWith("Concurrent Undo Cycle")) undone++;
        }
        StringBuilder b = new StringBuilder("G1: ");
        b.append(String.format(Locale.ROOT, "%d marking cycles (%d remarks), %d undone", cycles, remarks, undone));
        if (!startedBy.isEmpty()) {
            b.append("; concurrent starts by ");
            startedBy.forEach((k, v) -> b.append(k).append(' ').append(v).append(", "));
            b.setLength(b.length() - 2);
        }
        b.append("; young pauses for a humongous allocation ").append(humongousPauses);
        b.append("; mixed ").append(pauseStats(mixed)).append("; young-only ").append(pauseStats(youngOnly));
        b.append(String.format(Locale.ROOT, "; remark longest %.1f, cleanup longest %.1f ms; %d full", longestRemark, longestCleanup, full));
        if (!oldAfter.isEmpty()) {
            long region = regionKb;
            List<Long> mb = oldAfter.values().stream().map(r -> (r[0] + r[1]) * region / 1024).toList();
            long maxHum = oldAfter.values().stream().mapToLong(r -> r[1]).max().orElse(0) * regionKb / 1024;
            b.append(String.format(Locale.ROOT, "; old gen after each pause (old + humongous) first %d, last %d, max %d MB (humongous max %d)",
                    mb.get(0), mb.get(mb.size() - 1), mb.stream().mapToLong(Long::longValue).max().orElse(0), maxHum));
        }
        if (ihop >= 0) b.append(String.format(Locale.ROOT, "; marking threshold (IHOP) last %d MB%s", ihop >> 20,
                ihopTarget > 0 ? " of " + (ihopTarget >> 20) + " MB" : ""));
        return b.toString();
    }

    /** {@code N: p50 a, p99 b, longest c ms} (or {@code 0}). */
    private static String pauseStats(List<Double> ms) {
        if (ms.isEmpty()) return "0";
        List<Double> s = new ArrayList<>(ms);
        s.sort(null);
        return String.format(Locale.ROOT, "%d: p50 %.1f, p99 %.1f, longest %.1f ms", s.size(), s.get(s.size() / 2),
                s.get(Math.min(s.size() - 1, (int) Math.ceil(s.size() * 0.99) - 1)), s.get(s.size() - 1));
    }

    private static long rssKb(long pid) throws IOException {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status")))
            if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
        return 0;
    }

    /**
     * CPU ticks (utime + stime) of each thread of the process, summed by thread group: the name from
     * {@code comm} with digits and {@code #n} suffixes dropped (G1's workers, C1's compiler threads, …).
     * A thread that ended between two samples drops out: its ticks are not counted in that interval.
     */
    static Map<String, Long> threadTicks(long pid) {
        Map<String, Long> by = new java.util.TreeMap<>();
        File[] tasks = new File("/proc/" + pid + "/task").listFiles();
        if (tasks == null) return by;
        for (File t : tasks) {
            try {
                String s = Files.readString(t.toPath().resolve("stat"));
                String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
                by.merge(threadGroup(name), ticks, Long::sum);
            } catch (IOException | RuntimeException gone) {
                // the thread ended while listed
            }
        }
        // the window's child processes (bpftrace for the kernel's events): their CPU is the user's cost too,
        // but not the JVM's, so they are kept apart ("child " rows, left out of "all threads")
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(c -> {
            try {
                String s = Files.readString(Path.of("/proc/" + c.pid() + "/stat"));
                String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
                String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                by.merge(CHILD + name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
            } catch (IOException | RuntimeException gone) {
                // the child ended while listed
            }
        }));
        return by;
    }

    /** Prefix of a child process's row in {@link #threadTicks}. */
    static final String CHILD = "child process ";

    static String threadGroup(String comm) {
        String n = comm.replaceAll("#\\d+", "").replaceAll("\\d+$", "").trim();
        if (n.startsWith("G1") || n.startsWith("GC Thread")) return "G1";
        if (n.startsWith("C1 Compiler")) return "C1";
        if (n.startsWith("C2 Compiler")) return "C2";
        return n.isEmpty() ? comm : n;
    }

    /** CPU s per s of each thread group in each 10 s interval, then over 0–30, 30–60 and 60–end. */
    /** Polls that ended in each 10 s from {@code t0Wall}, from the engine's debug lines; null when the build logs none. */
    private static int[] pollsPer10s(Path log, long t0Wall, int buckets) throws IOException {
        int[] n = new int[Math.max(0, buckets)];
        boolean any = false;
        Pattern p = Pattern.compile("poll (\\d+) ended at (\\d+) ");
        for (String l : Files.readAllLines(log)) {
            Matcher m = p.matcher(l);
            if (!m.find()) continue;
            any = true;
            long b = (Long.parseLong(m.group(2)) - t0Wall) / 10_000;
            if (b >= 0 && b < n.length) n[(int) b]++;
        }
        return any ? n : null;
    }

    private static void printThreads(List<Map<String, Long>> samples, int[] polls) {
        if (samples.size() < 2) return;
        java.util.Set<String> names = new java.util.TreeSet<>();
        samples.forEach(m -> names.addAll(m.keySet()));
        int last = samples.size() - 1;
        List<int[]> spans = new ArrayList<>();
        for (int i = 0; i < last; i++) spans.add(new int[] {i, i + 1});
        if (last >= 3) spans.add(new int[] {0, 3});
        if (last >= 6) spans.add(new int[] {3, 6});
        if (last > 6) spans.add(new int[] {6, last});
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "    %-24s", "thread CPU s/s, seconds"));
        for (int[] sp : spans) head.append(String.format(Locale.ROOT, " %8s", sp[0] * 10 + "-" + sp[1] * 10));
        System.out.println(head);
        Map<String, double[]> rows = new LinkedHashMap<>();
        double[] total = new double[spans.size()];
        double[] children = new double[spans.size()];
        for (String n : names) {
            double[] r = new double[spans.size()];
            for (int j = 0; j < spans.size(); j++) {
                int[] sp = spans.get(j);
                long d = samples.get(sp[1]).getOrDefault(n, 0L) - samples.get(sp[0]).getOrDefault(n, 0L);
                r[j] = Math.max(0, d) / 100.0 / ((sp[1] - sp[0]) * 10);
                if (n.startsWith(CHILD)) children[j] += r[j];
                else total[j] += r[j];
            }
            rows.put(n, r);
        }
        rows.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue()[b.getValue().length - 1], a.getValue()[a.getValue().length - 1]))
                .filter(e -> java.util.Arrays.stream(e.getValue()).anyMatch(v -> v >= 0.005))
                .forEach(e -> {
                    StringBuilder l = new StringBuilder(String.format(Locale.ROOT, "    %-24s", e.getKey()));
                    for (double v : e.getValue()) l.append(String.format(Locale.ROOT, " %8.3f", v));
                    System.out.println(l);
                });
        StringBuilder l = new StringBuilder(String.format(Locale.ROOT, "    %-24s", "all threads"));
        for (double v : total) l.append(String.format(Locale.ROOT, " %8.3f", v));
        System.out.println(l);
        if (rows.keySet().stream().anyMatch(n -> n.startsWith(CHILD))) {
            StringBuilder w = new StringBuilder(String.format(Locale.ROOT, "    %-24s", "with child processes"));
            for (int j = 0; j < total.length; j++) w.append(String.format(Locale.ROOT, " %8.3f", total[j] + children[j]));
            System.out.println(w);
        }
        if (polls == null) return;
        StringBuilder c = new StringBuilder(String.format(Locale.ROOT, "    %-24s", "polls ended"));
        StringBuilder per = new StringBuilder(String.format(Locale.ROOT, "    %-24s", "CPU s per poll"));
        for (int j = 0; j < spans.size(); j++) {
            int[] sp = spans.get(j);
            int k = 0;
            for (int i = sp[0]; i < sp[1] && i < polls.length; i++) k += polls[i];
            c.append(String.format(Locale.ROOT, " %8d", k));
            per.append(k == 0 ? String.format(Locale.ROOT, " %8s", "-")
                    : String.format(Locale.ROOT, " %8.3f", total[j] * (sp[1] - sp[0]) * 10 / k));
        }
        System.out.println(c);
        System.out.println(per);
    }

    private static long cpuTicks(long pid) throws IOException {
        String s = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    private static double ssCpuSeconds(ScaleTable t) throws Exception {
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            Process p = new ProcessBuilder(t.inNamespace("bash", "-c", "TIMEFORMAT=%U+%S; time ss -tan >/dev/null"))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            String[] us = out.substring(out.lastIndexOf('\n') + 1).split("\\+");
            best = Math.min(best, Double.parseDouble(us[0]) + Double.parseDouble(us[1]));
        }
        return best;
    }
}
