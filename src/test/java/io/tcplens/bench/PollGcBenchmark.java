package io.tcplens.bench;

import io.tcplens.analysis.ports.SharedPortUsage;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.source.events.EventFeed;
import io.tcplens.source.events.EventSources;
import io.tcplens.source.linux.NetlinkSource;
import io.tcplens.testutil.ScaleTable;
import io.tcplens.ui.table.ConnectionColumn;
import io.tcplens.ui.table.ConnectionFilter;
import io.tcplens.ui.table.ConnectionTableModel;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine's young-GC pauses on a real table, without a window (issue 11: the window's FX hand-overs
 * that meet a young pause miss 16 ms): builds a {@link ScaleTable} in a private namespace, then per option
 * set starts a JVM in it that polls the table as the window's engine does (netlink source with owners,
 * a tcp_info consumer, the kernel's events when bpftrace attaches, the last two results held as the UI
 * holds them) at a fixed 1 s refresh for {@code -Dseconds} (60), with G1's phases logged; prints per set
 * the young pauses after the first {@code -Dwarmup} seconds (20): count, p50, p99, longest, and the mean
 * of their phases (Scan Heap Roots, Object Copy, ms, worker average), the cards scanned and the bytes
 * copied per pause, the polls made, their median time, the JVM's CPU per second and its live heap at the
 * end (after a full GC), and its memory sampled each second ({@link #memoryLine}: resident and heap committed at
 * 60 s and their peaks, and each second G1 grew the committed heap, by how much — what a set of G1 options does to
 * the heap's growth at the burst table's remake, without a window). Sets as in {@link WindowMemoryBenchmark}: {@code |} between sets, commas between
 * options, {@code jar=PATH} to run another build (main's, for an A/B in one run on the same table):
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.PollGcBenchmark \
 *     -Dtcplens.args="100000" -Djvm.flags="-Dflags=-Xmx768m,...|jar=/tmp/base/target/tcplens.jar,-Xmx768m,..."</pre>
 * {@code -Devents=false} polls only; {@code -DgclogKeep=DIR} keeps each set's logs there; {@code -Dprepare=true} also
 * runs, on a thread of its own, what the window's prepare thread does for the connections table in front (sorted by
 * state) and for the close rates (the advisor's and the timeline's), and prints that thread's CPU per poll. {@code -Dchurn=steady}
 * polls the steady table instead of the burst table (as in {@link WindowMemoryBenchmark}). Needs root.
 */
public final class PollGcBenchmark {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(Integer.parseInt(args[1]));
            return;
        }
        int n = args.length == 0 ? 100_000 : Integer.parseInt(args[0]);
        int seconds = Integer.getInteger("seconds", 60);
        int warmup = Integer.getInteger("warmup", 20);
        String[] sets = System.getProperty("flags", "").split("\\|");
        Path defaultJar = Path.of(System.getProperty("jar", "target/tcplens.jar")).toAbsolutePath();
        Path testClasses = Path.of("target/test-classes").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String keep = System.getProperty("gclogKeep");
        try (ScaleTable table = ScaleTable.build(n, ScaleTable.Options.defaults().withNetns(true).withRefresh(true).withChurnProperty(System.getProperty("churn")))) {
            System.out.printf(Locale.ROOT, "table: %s sockets (ss saw)%n", table.ssCounts().values().stream().mapToInt(Integer::intValue).sum());
            int index = 0;
            for (String set : sets) {
                index++;
                Path jar = defaultJar;
                List<String> cmd = new ArrayList<>(table.inNamespace(java));
                for (String f : set.trim().split(",(?=-|jar=)|\\s+")) {
                    if (f.startsWith("jar=")) jar = Path.of(f.substring(4)).toAbsolutePath();
                    else if (!f.isEmpty()) cmd.add(f);
                }
                Path dir = keep != null ? Files.createDirectories(Path.of(keep)) : Files.createTempDirectory("pollgc");
                Path gc = dir.resolve("set" + index + "-gc.log").toAbsolutePath(), phases = dir.resolve("set" + index + "-phases.log").toAbsolutePath();
                Files.deleteIfExists(gc);
                Files.deleteIfExists(phases);
                cmd.add("-Xlog:gc*=info:file=" + gc);
                cmd.add("-Xlog:gc+phases=debug:file=" + phases);
                cmd.add("-Devents=" + System.getProperty("events", "true"));
                cmd.add("-Dprepare=" + System.getProperty("prepare", "false"));
                cmd.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", jar + File.pathSeparator + testClasses,
                        PollGcBenchmark.class.getName(), "child", Integer.toString(seconds)));
                Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                p.waitFor();
                System.out.println("set " + index + ": " + set.trim());
                for (String line : out.split("\n")) if (line.startsWith("child:")) System.out.println("    " + line.substring(6).trim());
                if (!out.contains("child: polls")) System.out.println(out);
                System.out.println("    " + pauses(gc, phases, warmup));
            }
        }
    }

    /** Polls as the window's engine does for {@code seconds}, then prints the polls, CPU and live heap. */
    private static void child(int seconds) throws Exception {
        NetlinkSource source = new NetlinkSource();
        PollingEngine engine = new PollingEngine(source, Duration.ofSeconds(1));
        engine.addTcpInfoConsumer(() -> true);
        AtomicReference<PollResult> last = new AtomicReference<>(), before = new AtomicReference<>();
        List<Double> pollMillis = new ArrayList<>();
        engine.addListener(r -> {
            before.set(last.getAndSet(r)); // what the UI holds: the result on screen and the one being prepared
            synchronized (pollMillis) {
                pollMillis.add(r.pollMillis());
            }
        });
        // -Dprepare=true: what the window's prepare thread does per poll for the tab in front (the connections
        // table, sorted by state) and for the advisor's and timeline's close rates, timed per poll on a thread of its own
        boolean prepare = Boolean.getBoolean("prepare");
        ExecutorService prepareThread = prepare ? Executors.newSingleThreadExecutor() : null;
        ConnectionTableModel model = new ConnectionTableModel(3000);
        SharedPortUsage ports = new SharedPortUsage();
        List<Long> tableNanos = new ArrayList<>(), rateNanos = new ArrayList<>();
        if (prepare) engine.addListener(r -> prepareThread.execute(() -> {
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            long c0 = mx.getCurrentThreadCpuTime();
            model.accept(List.of(r));
            model.rows(r, System.currentTimeMillis(), ConnectionFilter.NONE, ConnectionColumn.STATE.comparator(true));
            long c1 = mx.getCurrentThreadCpuTime();
            ports.observe(List.of(r), 60_000);
            long c2 = mx.getCurrentThreadCpuTime();
            synchronized (tableNanos) {
                tableNanos.add(c1 - c0);
                rateNanos.add(c2 - c1);
            }
        }));
        EventFeed feed = Boolean.getBoolean("events") ? EventSources.startFor(source) : null;
        if (feed != null && feed.on()) engine.attachEvents(feed);
        System.out.println("child: events " + (feed == null ? "off (-Devents=false)" : feed.status()));
        engine.start();
        long t0 = System.nanoTime();
        long[][] memory = new long[seconds + 1][]; // per second: resident, heap committed, heap used (bytes)
        Thread sampler = Thread.ofPlatform().daemon().name("memory-sampler").start(() -> {
            var heap = ManagementFactory.getMemoryMXBean();
            for (int i = 0; i <= seconds; i++) {
                var u = heap.getHeapMemoryUsage();
                memory[i] = new long[] {residentBytes(), u.getCommitted(), u.getUsed()};
                long next = t0 + (i + 1) * 1_000_000_000L;
                try {
                    Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        Thread.sleep(seconds * 1000L);
        long cpu = os.getProcessCpuTime() - cpu0;
        double wall = (System.nanoTime() - t0) / 1e9;
        engine.close();
        sampler.join(2000);
        System.out.println("child: " + memoryLine(memory));
        List<Double> ms;
        synchronized (pollMillis) {
            ms = new ArrayList<>(pollMillis);
        }
        ms.sort(null);
        System.gc();
        long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(Locale.ROOT, "child: polls %d, poll p50 %.0f ms, CPU %.2f s/s (events reader included), live heap %.1f MB (%d rows)%n",
                ms.size(), ms.isEmpty() ? 0 : ms.get(ms.size() / 2), cpu / 1e9 / wall, live / 1e6,
                last.get() == null ? 0 : last.get().snapshot().sockets().size());
        if (prepare) {
            prepareThread.shutdownNow();
            synchronized (tableNanos) {
                System.out.printf(Locale.ROOT, "child: prepare thread CPU per poll (after the first 5 of %d), p50 / p90 / mean: connections table %s; close rates %s%n",
                        tableNanos.size(), percentiles(tableNanos), percentiles(rateNanos));
            }
        }
    }

    /**
     * The engine JVM's resident memory and heap (committed, used) by the second: at 60 s, the peak and the mean from 30 s
     * to the end, and the seconds the committed heap grew (by how much): G1's expansions (a remake's young pauses past
     * {@code GCTimeRatio}'s share), what the window's 60-s resident sample sees of the engine.
     */
    static String memoryLine(long[][] memory) {
        double mb = 1 << 20;
        long rssPeak = 0, committedPeak = 0;
        double rssSum = 0;
        int rssN = 0, last = -1;
        StringBuilder grew = new StringBuilder();
        for (int i = 0; i < memory.length; i++) {
            long[] m = memory[i];
            if (m == null) continue;
            rssPeak = Math.max(rssPeak, m[0]);
            committedPeak = Math.max(committedPeak, m[1]);
            if (i >= 30) {
                rssSum += m[0];
                rssN++;
            }
            if (last >= 0 && m[1] > memory[last][1] + (1 << 20)) {
                grew.append(String.format(Locale.ROOT, " %ds+%.0f", i, (m[1] - memory[last][1]) / mb));
            }
            last = i;
        }
        long[] at60 = memory.length > 60 && memory[60] != null ? memory[60] : memory[last];
        return String.format(Locale.ROOT,
                "memory: RSS at 60 s %.0f MB, peak %.0f, mean from 30 s %.0f; heap committed at 60 s %.0f MB, peak %.0f; used at 60 s %.0f; committed grew at:%s",
                at60[0] / mb, rssPeak / mb, rssN == 0 ? 0 : rssSum / rssN / mb, at60[1] / mb, committedPeak / mb, at60[2] / mb,
                grew.length() == 0 ? " never" : grew.toString());
    }

    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        } catch (java.io.IOException e) {
            return 0;
        }
        return 0;
    }

    /** p50 / p90 / mean in ms of the values after the first five (start-up: the first polls, the JIT). */
    private static String percentiles(List<Long> nanos) {
        if (nanos.size() <= 5) return "-";
        List<Long> v = new ArrayList<>(nanos.subList(5, nanos.size()));
        double mean = v.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6;
        v.sort(null);
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f ms", v.get(v.size() / 2) / 1e6, v.get((int) (v.size() * 0.9)) / 1e6, mean);
    }

    private static final Pattern PAUSE = Pattern.compile("\\[([\\d.]+)s\\].*GC\\((\\d+)\\) Pause Young \\(([^)]*)\\).* ([\\d.]+)ms$");
    private static final Pattern PHASE = Pattern.compile("GC\\((\\d+)\\)\\s+(Scan Heap Roots|Object Copy|Scanned Cards|Copied Bytes|Merged Cards|Dirty Cards)\\b.*?Avg: *([\\d.]+).*?Sum: *([\\d.]+)");

    /** The young pauses after {@code warmup} s: count, p50, p99, longest, and their phases' means. */
    static String pauses(Path gc, Path phases, int warmup) throws Exception {
        Map<Integer, Double> pause = new TreeMap<>();
        for (String line : Files.readAllLines(gc)) {
            Matcher m = PAUSE.matcher(line);
            if (m.find() && Double.parseDouble(m.group(1)) >= warmup) pause.put(Integer.parseInt(m.group(2)), Double.parseDouble(m.group(4)));
        }
        Map<String, Double> sums = new TreeMap<>();
        Map<String, Integer> seen = new TreeMap<>();
        for (String line : Files.readAllLines(phases)) {
            Matcher m = PHASE.matcher(line);
            if (!m.find() || !pause.containsKey(Integer.parseInt(m.group(1)))) continue;
            String k = m.group(2) + " " + m.group(1);
            if (seen.containsKey(k)) continue; // the first of a name per pause
            seen.put(k, 1);
            boolean ms = m.group(2).equals("Scan Heap Roots") || m.group(2).equals("Object Copy"); // worker average; counts: the sum
            sums.merge(m.group(2), Double.parseDouble(m.group(ms ? 3 : 4)), Double::sum);
        }
        List<Double> p = new ArrayList<>(pause.values());
        p.sort(null);
        if (p.isEmpty()) return "no young pause after " + warmup + " s";
        int c = p.size();
        return String.format(Locale.ROOT, "young pauses after %d s: %d, p50 %.1f ms, p99 %.1f ms, longest %.1f ms; per pause: scan heap roots %.1f ms,"
                        + " object copy %.1f ms, cards scanned %.0f (merged %.0f, dirty %.0f), copied %.2f MB",
                warmup, c, p.get(c / 2), p.get(Math.max(0, (int) Math.ceil(c * 0.99) - 1)), p.get(c - 1),
                sums.getOrDefault("Scan Heap Roots", 0.0) / c, sums.getOrDefault("Object Copy", 0.0) / c,
                sums.getOrDefault("Scanned Cards", 0.0) / c, sums.getOrDefault("Merged Cards", 0.0) / c,
                sums.getOrDefault("Dirty Cards", 0.0) / c, sums.getOrDefault("Copied Bytes", 0.0) / c / 1e6);
    }
}
