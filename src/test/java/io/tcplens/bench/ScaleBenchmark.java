package io.tcplens.bench;

import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.source.TcpInfoDemand;
import io.tcplens.analysis.timewait.TimeWaitDurations;
import io.tcplens.model.TcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.source.replay.RecordingWriter;
import io.tcplens.source.Sources;
import io.tcplens.source.linux.NetlinkSource;
import io.tcplens.testutil.ScaleTable;
import java.io.FileInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import com.sun.management.ThreadMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.util.Collections;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Issue 11's scale harness: for each table size, builds a real loopback table ({@link ScaleTable}:
 * 72 % ESTABLISHED pairs held by worker processes, 28 % TIME_WAIT kept level by remaking each as it
 * expires), then prints on one row per source: engine poll p50/p90 ({@link PollingEngine#pollOnce()}:
 * read + owners + diff + track; 3 warm-up polls, then 15), {@code ss -tan} and {@code ss -tanp} wall
 * p50 on the same table in the same run, poll / {@code ss -tan}, the floor of reading
 * {@code /proc/net/tcp} + {@code tcp6} alone (raw bytes, no parsing), and the wall time of
 * {@code tcplens counts --json} in a fresh JVM (start included) against {@code ss -tan}. The table size
 * column is what {@code ss} saw. With {@code -Dwindow=true} it also starts the window under Xvfb on
 * the table and samples its resident memory and CPU every 5 s for 60 s.
 *
 * <pre>
 * mvn -q -o -DskipTests package   # the jar and AOT cache counts --json runs; not with -Dmain.class (it would become the jar's)
 * mvn -q -o test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.ScaleBenchmark \
 *     -Dtcplens.args="20000 100000 250000" \
 *     -Djvm.flags="--enable-native-access=ALL-UNNAMED -Xmx3g -XX:TieredStopAtLevel=1 -Dsource=both -Dnetns=true"
 * </pre>
 * ({@code -XX:TieredStopAtLevel=1}: the launchers' C1-only JIT, which the goals' engine figures use since the twelfth round.)
 * Properties: {@code -Dsource=netlink|proc|both} (default both), or a comma-separated list where
 * {@code netlink+info} is netlink with a tcp_info consumer registered (the window with a traffic column
 * shown), {@code netlink+view} (interleaved only) netlink with tcp_info for 40 ESTABLISHED rows alone
 * ({@code -DviewRows=N}), looked up by cookie after a dump without it (the window's table since round 18), and (interleaved only) {@code netlink-late} works out owners after the dump instead of during it
 * (as before the sixth round), {@code netlink-serial} receives on the polling thread, {@code netlink-single} hands the parser
 * one datagram at a time (as before the twenty-third round, not batched); {@code -Dinterleave=true}: the engines and {@code ss -tan} take turns (for a busy machine); {@code -Dnetns=true}: each size in a
 * private network namespace, the measuring JVM included (it re-runs itself under {@code ip netns exec});
 * {@code -Dwindow=true}: the window's RSS and CPU (needs {@code xvfb-run}; a bare {@code java -jar}: the JVM's defaults, not the
 * launchers' options nor the AOT cache: {@link WindowMemoryBenchmark} measures the window as users run it, the goals' figures);
 * {@code -Djar=target/tcplens.jar}: the jar {@code counts --json} runs (with the AOT cache beside it, as the README's line).
 * Needs root (raises {@code net.ipv4.tcp_max_tw_buckets}; namespaces).
 */
public final class ScaleBenchmark {
    private static final int WARMUP = 3;
    private static final int POLLS = 15;
    private static final int WALL_LIMIT_SECONDS = 180;
    /** Workers outlive a slow run (250k on a loaded machine takes over 10 min) but not a forgotten one. */
    private static final long WORKER_LIFETIME_SECONDS = 3600;

    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {20_000, 100_000, 250_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        boolean inside = Boolean.getBoolean("scale.inside");
        if (!inside) header();
        int failures = 0;
        for (int n : sizes) {
            try {
                if (Boolean.getBoolean("netns") && !inside) {
                    failures += inNamespace(n);
                } else {
                    measure(n);
                }
            } catch (IllegalArgumentException e) {
                System.out.println(n + ": cannot be reached here: " + e.getMessage());
                failures++;
            } catch (IOException e) {
                System.out.println(n + ": failed: " + e.getMessage());
                failures++;
            }
            System.out.flush();
        }
        System.exit(failures == 0 ? 0 : 1);
    }

    private static void header() {
        System.out.printf(Locale.ROOT, "%-8s %-8s %-12s %9s %9s %9s %9s %8s %9s %10s %9s %7s %6s%n", "asked", "ss saw", "source",
                "poll p50", "poll p90", "ss p50", "ss-p p50", "poll/ss", "proc read", "counts", "counts/ss", "build", "load");
        System.out.printf(Locale.ROOT, "%-8s %-8s %-12s %9s %9s %9s %9s %8s %9s %10s %9s %7s %6s%n", "", "", "", "ms", "ms", "ms", "ms", "",
                "ms", "ms", "", "s", "1 min");
    }

    /** Runs this benchmark for one size in a fresh private namespace (the measuring JVM too), then deletes it. */
    private static int inNamespace(int n) throws IOException, InterruptedException {
        String why = ScaleTable.netnsUnavailableReason();
        if (why != null) throw new IllegalArgumentException("-Dnetns=true: " + why);
        String ns = "tl-scale-" + ProcessHandle.current().pid() + "-b" + n;
        try {
            exec("ip", "netns", "add", ns);
            exec("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, javaBin()));
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.addAll(List.of("-Dscale.inside=true", "-Dscale.netns=" + ns, "-cp", System.getProperty("java.class.path"),
                    ScaleBenchmark.class.getName(), Integer.toString(n)));
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            Thread kill = new Thread(p::destroyForcibly);
            Runtime.getRuntime().addShutdownHook(kill);
            try {
                return p.waitFor() == 0 ? 0 : 1;
            } finally {
                p.destroyForcibly();
                Runtime.getRuntime().removeShutdownHook(kill);
            }
        } finally {
            new ProcessBuilder("ip", "netns", "del", ns).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static void measure(int n) throws Exception {
        String sourceProp = System.getProperty("source", "both");
        // "netlink+info": netlink with a consumer of tcp_info registered (the window with a traffic column shown)
        List<String> sources = sourceProp.equals("both") ? List.of("netlink", "proc") : List.of(sourceProp.split(","));
        try (ScaleTable table = ScaleTable.build(n, new ScaleTable.Options(false, true, WORKER_LIFETIME_SECONDS, System.err))) {
            double build = (table.establishedMillis() + table.timeWaitMillis()) / 1000.0;
            if (Boolean.getBoolean("interleave")) {
                interleaved(n, table, sources);
                return;
            }
            for (String source : sources) {
                double[] polls = new double[POLLS];
                double[] reads = new double[POLLS];
                double first = Double.NaN;
                List<PollResult> kept = new ArrayList<>();
                boolean info = source.endsWith("+info");
                try (PollingEngine engine = new PollingEngine(Sources.open(info ? source.substring(0, source.length() - 5) : source),
                        Duration.ofSeconds(1))) {
                    if (info) engine.addTcpInfoConsumer(() -> true);
                    for (int i = -WARMUP; i < POLLS; i++) {
                        PollResult r = engine.pollOnce();
                        if (r.error() != null) throw new IOException(source + " poll failed: " + r.error());
                        if (i == -WARMUP) first = r.pollMillis(); // the engine's first poll: every owner looked up, JIT cold for the first source
                        if (i >= 0) {
                            if (source.startsWith("netlink")) kept.add(r);
                            polls[i] = r.pollMillis();
                            reads[i] = engine.lastReadNanos() / 1e6;
                        }
                    }
                }
                int seen = total(table.ssCounts());
                double ss = median(wall(7, "ss", "-tan"));
                double ssp = Boolean.parseBoolean(System.getProperty("ssp", "true")) ? median(wall(3, "ss", "-tanp")) : Double.NaN; // -Dssp=false skips it (minutes at 250k)
                double floor = median(procReadFloor(7));
                double counts = info ? Double.NaN : countsWall(source, 3);
                System.out.printf(Locale.ROOT, "%-8d %-8d %-12s %9.1f %9.1f %9.1f %9s %7.2fx %9.1f %10s %9s %7.1f %6s%n", n, seen, source,
                        pct(polls, 0.5), pct(polls, 0.9), ss,
                        Double.isInfinite(ssp) ? ">" + WALL_LIMIT_SECONDS + "s" : String.format(Locale.ROOT, "%.1f", ssp), pct(polls, 0.5) / ss, floor,
                        Double.isNaN(counts) ? "n/a" : String.format(Locale.ROOT, "%.0f", counts),
                        Double.isNaN(counts) ? "n/a" : String.format(Locale.ROOT, "%.2fx", counts / ss), build, load());
                System.out.printf(Locale.ROOT, "         %s: of the poll, the read (kernel dump + parse + owners) p50 %.1f ms, tracking + diff the rest; first poll %.0f ms%n",
                        source, pct(reads, 0.5), first);
                if (!kept.isEmpty()) record(kept, pct(polls, 0.5));
                if (!table.whole()) System.out.println("         a worker exited during this row: the table was not whole; row invalid");
                System.out.flush();
            }
            Map<TcpState, Integer> states = table.ssCounts();
            System.out.printf(Locale.ROOT, "         %s%s; TIME_WAIT made in %.1f s after %.1f s of ESTABLISHED, %d workers%n", states,
                    table.netns() != null ? " in netns " + table.netns() : System.getProperty("scale.netns") != null
                            ? " in netns " + System.getProperty("scale.netns") : " (host namespace: includes other programs' sockets)",
                    table.timeWaitMillis() / 1000.0, table.establishedMillis() / 1000.0, table.workerCount());
            if (Boolean.getBoolean("window")) window(n);
        }
    }

    /**
     * {@code -Dinterleave=true}: on a busy machine, one engine per source and {@code ss -tan} take turns
     * (a poll of each, then one {@code ss -tan}, 25 rounds after 5 warm-up polls each), so a change of
     * load between them hits all alike; prints each source's poll p50/p90 against {@code ss -tan}'s p50
     * of the same rounds, and what {@code record} adds to each source's polls; then, for {@code netlink} and
     * {@code proc}, {@code counts --json} and the {@code /proc} read floor, each taking turns with {@code ss -tan}
     * (3 each), the columns the non-interleaved rows have.
     */
    private static void interleaved(int n, ScaleTable table, List<String> sources) throws Exception {
        int rounds = Integer.getInteger("rounds", 25);
        List<PollingEngine> engines = new ArrayList<>();
        // "+view": tcp_info only for the rows a window shows (VIEW_ROWS ESTABLISHED rows of the last poll, by cookie)
        TcpInfoDemand[] inView = new TcpInfoDemand[sources.size()];
        try {
            for (String source : sources) {
                boolean info = source.endsWith("+info"), view = source.endsWith("+view");
                String name = info || view ? source.substring(0, source.length() - 5) : source;
                int slot = engines.size();
                boolean serial = name.equals("netlink-serial"); // netlink without the receive thread
                boolean late = name.equals("netlink-late"); // netlink with the owners worked out after the dump (before round 6)
                boolean single = name.equals("netlink-single"); // one datagram a hand-over from the receive thread (before round 23)
                PollingEngine e = new PollingEngine(Sources.open(serial || late || single ? "netlink" : name), Duration.ofSeconds(1));
                if (single && e.source() instanceof NetlinkSource nl) nl.setBatchedReceive(false);
                if (serial && e.source() instanceof NetlinkSource nl) nl.setPipelined(false);
                if (late && e.source() instanceof NetlinkSource nl) nl.setOwnersDuringDump(false);
                if (info) e.addTcpInfoConsumer(() -> true);
                if (view) {
                    inView[slot] = TcpInfoDemand.NONE;
                    e.addTcpInfoDemand(seq -> inView[slot]);
                }
                engines.add(e);
            }
            for (int w = 0; w < 5; w++) for (PollingEngine e : engines) check(e.pollOnce());
            double[][] polls = new double[engines.size()][rounds];
            double[][] cpu = new double[engines.size()][rounds];
            double[][][] stages = new double[engines.size()][8][rounds];
            double[][] opened = new double[engines.size()][rounds], closed = new double[engines.size()][rounds];
            double[] ss = new double[rounds];
            GcPauses gc = new GcPauses();
            double[][][] gcWindows = new double[engines.size()][rounds][];
            double[] ssCpu = new double[rounds];
            // bytes the polling thread allocated per poll (parse, owners, lookups, tracking + diff; not the receive thread's)
            double[][] alloc = new double[engines.size()][rounds];
            double[][] switches = new double[engines.size()][rounds];
            double[][] sched = new double[engines.size()][rounds]; // the same from schedstat (ns, every thread) // this JVM's voluntary context switches a poll (/proc/self/task/*/status)
            ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            List<List<PollResult>> kept = new ArrayList<>();
            for (int k = 0; k < engines.size(); k++) kept.add(new ArrayList<>());
            OperatingSystemMXBean os =
                    (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < engines.size(); k++) {
                    long v0 = voluntarySwitches();
                    long s0 = schedNanos();
                    long c0 = os.getProcessCpuTime();
                    PollingEngine e = engines.get(k);
                    double at = gc.now();
                    long a0 = threads.getCurrentThreadAllocatedBytes();
                    PollResult res = check(e.pollOnce());
                    alloc[k][r] = (threads.getCurrentThreadAllocatedBytes() - a0) / 1e6;
                    double readEnd = at + e.lastReadNanos() / 1e6, end = at + res.pollNanos() / 1e6;
                    gcWindows[k][r] = new double[] {at, readEnd, end};
                    cpu[k][r] = (os.getProcessCpuTime() - c0) / 1e6;
                    sched[k][r] = (schedNanos() - s0) / 1e6;
                    switches[k][r] = voluntarySwitches() - v0;
                    polls[k][r] = res.pollMillis();
                    stages[k][4][r] = (res.pollNanos() - e.lastReadNanos()) / 1e6;
                    opened[k][r] = res.diff().opened().size();
                    closed[k][r] = res.diff().closed().size();
                    if (e.source() instanceof NetlinkSource nl) {
                        long[] st = nl.lastStages();
                        for (int i = 0; i < 4; i++) stages[k][i][r] = st[i] / 1e6;
                        stages[k][5][r] = st.length > 4 ? st[4] / 1e6 : 0;
                        stages[k][6][r] = st.length > 6 ? st[5] / 1e6 : 0;
                        stages[k][7][r] = st.length > 6 ? st[6] : 0;
                    }
                    if (inView[k] != null) inView[k] = viewRows(res);
                    // only what record() reads (netlink's), and not proc's: 3 engines' 16 polls of 250k rows ran out of a 3 GB heap
                    if (kept.get(k).size() < 16 && sources.get(k).startsWith("netlink")) kept.get(k).add(res);
                }
                ss[r] = wall(1, "ss", "-tan")[0];
                ssCpu[r] = r < 5 ? ssCpuMillis() : Double.NaN; // a separate run under bash's time (its wall would include bash)
            }
            int seen = total(table.ssCounts());
            gc.close();
            double ssP50 = median(ss);
            for (int k = 0; k < engines.size(); k++) {
                System.out.printf(Locale.ROOT, "%-8d %-8d %-12s %9.1f %9.1f %9.1f %9s %7.2fx  (interleaved, %d rounds) load %s%n", n, seen,
                        sources.get(k), pct(polls[k], 0.5), pct(polls[k], 0.9), ssP50, "", pct(polls[k], 0.5) / ssP50, rounds, load());
                System.out.printf(Locale.ROOT, "         CPU per poll by schedstat p50 %.1f ms, mean %.1f ms (this JVM, all threads; process clock mean %.1f);"
                                + " voluntary context switches a poll mean %.0f%n",
                        median(sched[k]), mean(sched[k]), mean(cpu[k]), mean(switches[k]));
                System.out.printf(Locale.ROOT, "         CPU per poll p50 %.1f ms (this JVM, all threads) against ss -tan's %.1f ms;"
                                + " stages p50: dump %.1f (in recv %.1f, parsing %.1f, owners during the dump %.1f), owners after it %.1f,"
                                + " tracking + diff %.1f ms%n",
                        median(cpu[k]), median(Arrays.copyOf(ssCpu, 5)), median(stages[k][0]), median(stages[k][1]), median(stages[k][3]),
                        median(stages[k][5]), median(stages[k][2]), median(stages[k][4]));
                System.out.printf(Locale.ROOT, "         a poll's diff p50: %.0f opened, %.0f closed; allocated by the polling thread a poll p50 %.2f MB (p90 %.2f)%n",
                        median(opened[k]), median(closed[k]), median(alloc[k]), pct(alloc[k], 0.9));
                if (inView[k] != null)
                    System.out.printf(Locale.ROOT, "         tcp_info for the rows in view: %.0f sockets looked up a poll, p50 %.2f ms (p90 %.2f)%n",
                            median(stages[k][7]), median(stages[k][6]), pct(stages[k][6], 0.9));
                double[] gcRead = new double[rounds], gcTrack = new double[rounds], trackNoGc = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    double[] w = gcWindows[k][r];
                    gcRead[r] = gc.within(w[0], w[1]);
                    gcTrack[r] = gc.within(w[1], w[2]);
                    trackNoGc[r] = stages[k][4][r] - gcTrack[r];
                }
                System.out.printf(Locale.ROOT, "         GC pauses p50 (mean) within the read %.1f (%.1f) ms, within tracking + diff %.1f (%.1f) ms;"
                                + " tracking + diff without them p50 %.1f ms; GC pauses per round (polls, ss -tan and between) %.2f%n",
                        median(gcRead), mean(gcRead), median(gcTrack), mean(gcTrack), median(trackNoGc), gc.count() / (double) rounds);
                if (sources.get(k).startsWith("netlink")) record(kept.get(k), pct(polls[k], 0.5));
            }
            System.out.printf(Locale.ROOT, "         %s; ss -tan p90 %.1f ms%n", table.ssCounts(), pct(ss, 0.9));
            // the columns the rows above leave out, in turns with ss -tan as well (they were only in the non-interleaved rows)
            for (String source : sources) {
                if (!source.equals("netlink") && !source.equals("proc")) continue;
                double[] counts = new double[3], ssTurn = new double[counts.length], floor = new double[counts.length];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = countsWall(source, 1);
                    ssTurn[i] = wall(1, "ss", "-tan")[0];
                    floor[i] = procReadFloor(1)[0];
                }
                System.out.printf(Locale.ROOT, "         counts --json --source %s p50 %.0f ms against ss -tan p50 %.1f ms in turns (3 each): %.2fx;"
                                + " /proc/net/tcp* read alone p50 %.1f ms; load %s%n",
                        source, median(counts), median(ssTurn), median(counts) / median(ssTurn), median(floor), load());
            }
        } finally {
            for (PollingEngine e : engines) e.close();
        }
    }

    /** This JVM's voluntary context switches so far, all its threads (-1 when /proc cannot tell). */
    static long voluntarySwitches() {
        return perTask(false);
    }

    /** This JVM's time on a CPU so far in ns, all its threads (GC and JIT included), from schedstat: exact, not the tick. */
    static long schedNanos() {
        return perTask(true);
    }

    private static long perTask(boolean sched) {
        long sum = 0;
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    if (sched) {
                        sum += Long.parseLong(Files.readString(t.resolve("schedstat")).trim().split(" ")[0]);
                        continue;
                    }
                    for (String line : Files.readAllLines(t.resolve("status")))
                        if (line.startsWith("voluntary_ctxt_switches:")) sum += Long.parseLong(line.substring(24).trim());
                } catch (IOException gone) {
                    // a thread that ended meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return sum;
    }

    /** How many rows a window shows (and the margin it reads past them): the "+view" sources' lookups per poll. */
    static final int VIEW_ROWS = Integer.getInteger("viewRows", 40);

    /** The cookies of VIEW_ROWS ESTABLISHED rows of this poll, from the middle of the table (what a scrolled window shows). */
    static TcpInfoDemand viewRows(PollResult r) {
        List<SocketEntry> rows = r.snapshot().sockets();
        long[] c = new long[VIEW_ROWS];
        int n = 0;
        for (int i = rows.size() / 2; i < rows.size() && n < c.length; i++) {
            SocketEntry e = rows.get(i);
            if (e.state() == TcpState.ESTABLISHED && e.hasCookie()) c[n++] = e.cookie();
        }
        return TcpInfoDemand.only(Arrays.copyOf(c, n));
    }

    private static PollResult check(PollResult r) throws IOException {
        if (r.error() != null) throw new IOException("poll failed: " + r.error());
        return r;
    }

    /**
     * What {@code record} adds to a poll: the polls just measured appended to a recording in a temp
     * file, as {@code tcplens record} does (the first record is a keyframe, the full table; the others
     * are diffs against the previous poll), timed apart from the poll.
     */
    private static void record(List<PollResult> polls, double pollP50) throws IOException {
        // once untimed first: the first source's figures otherwise carried the JIT's warm-up of the recorder
        Path warm = Files.createTempFile("tcplens-bench", RecordingWriter.EXTENSION);
        try (RecordingWriter w = new RecordingWriter(warm, polls.getFirst().snapshot().source(),
                TimeWaitDurations.assumedFor(polls.getFirst().snapshot().source()), RecordingWriter.DEFAULT_KEYFRAME_EVERY,
                System.currentTimeMillis(), true)) {
            for (PollResult r : polls) w.append(r.snapshot());
        } finally {
            Files.deleteIfExists(warm);
        }
        Path f = Files.createTempFile("tcplens-bench", RecordingWriter.EXTENSION);
        double[] diffs = new double[polls.size() - 1];
        double keyframe;
        try (RecordingWriter w = new RecordingWriter(f, polls.getFirst().snapshot().source(),
                TimeWaitDurations.assumedFor(polls.getFirst().snapshot().source()), RecordingWriter.DEFAULT_KEYFRAME_EVERY,
                System.currentTimeMillis(), true)) {
            long t0 = System.nanoTime();
            w.append(polls.getFirst().snapshot());
            keyframe = (System.nanoTime() - t0) / 1e6;
            for (int i = 1; i < polls.size(); i++) {
                t0 = System.nanoTime();
                w.append(polls.get(i).snapshot());
                diffs[i - 1] = (System.nanoTime() - t0) / 1e6;
            }
        } finally {
            Files.deleteIfExists(f);
        }
        // a keyframe every DEFAULT_KEYFRAME_EVERY records: its cost spread over them
        double perPoll = median(diffs) + keyframe / RecordingWriter.DEFAULT_KEYFRAME_EVERY;
        System.out.printf(Locale.ROOT, "         record: a diff record p50 %.1f ms, a keyframe %.0f ms; per poll %.1f ms = %.0f %% of the poll p50%n",
                median(diffs), keyframe, perPoll, 100 * perPoll / pollP50);
    }

    private static int total(Map<TcpState, Integer> counts) {
        return counts.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * {@code tcplens counts --json} in a fresh JVM from the packaged jar (and its lib/), start included; median of {@code runs}.
     * The JVM runs the README's command line: the AOT cache {@code mvn package} left beside the jar
     * ({@code tcplens.aot}, when there), {@code -Xlog:aot*=off} and {@link #COUNTS_LINE_FLAGS} (C1 only, as the installed
     * launcher, which carries pom.xml's app.jvm.flags: since the twenty-third round on the README's line too). An untimed first run with {@code -XX:AOTMode=on} checks that the JVM takes the cache
     * (it exits with an error when it would refuse it) and says so; the timed runs are without it, as the README.
     */
    /**
     * The README's command-line options after the AOT cache's ({@code -Dcounts.flags}, space-separated, overrides):
     * a heap cap and C1 only. On the harness's 250k table (twenty-third round, quiet) C1 only took a fresh
     * {@code counts --json} from 1,220–1,350 to 1,000–1,060 ms: C2's compiler threads no longer compete with main on
     * two cores for code that runs once.
     */
    static final List<String> COUNTS_LINE_FLAGS = List.of(System.getProperty("counts.flags", "-Xmx768m -XX:TieredStopAtLevel=1").strip().split("\\s+"));

    private static double countsWall(String source, int runs) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("jar", "target/tcplens.jar"));
        if (!Files.isRegularFile(jar)) return Double.NaN;
        Path aot = jar.toAbsolutePath().resolveSibling("tcplens.aot");
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "--enable-native-access=ALL-UNNAMED"));
        if (Files.isRegularFile(aot)) cmd.addAll(List.of("-XX:AOTCache=" + aot, "-Xlog:aot*=off"));
        cmd.addAll(COUNTS_LINE_FLAGS);
        cmd.addAll(List.of("-jar", jar.toString(), "counts", "--json", "--source", source));
        if (!countsLineShown) {
            countsLineShown = true;
            String cache = "no AOT cache beside the jar";
            if (Files.isRegularFile(aot)) {
                List<String> check = new ArrayList<>(cmd);
                check.add(1, "-XX:AOTMode=on");
                Process p = new ProcessBuilder(check).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                boolean ok = p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0;
                cache = ok ? "the AOT cache taken (-XX:AOTMode=on ran)" : "the AOT cache REFUSED: " + out.strip().lines().findFirst().orElse("");
            }
            System.out.println("         counts --json runs: " + String.join(" ", cmd) + " (" + cache + ")");
        }
        double[] t = new double[runs];
        for (int i = 0; i < t.length; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("tcplens counts --json --source " + source + " failed or took over 120 s");
            }
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        return median(t);
    }

    private static boolean countsLineShown;

    /** Reading /proc/net/tcp and /proc/net/tcp6 to the end, bytes only: what any /proc parser pays at least. */
    private static double[] procReadFloor(int runs) throws IOException {
        byte[] buf = new byte[1 << 20];
        double[] t = new double[runs];
        long bytes = 0;
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            for (String f : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
                try (FileInputStream in = new FileInputStream(f)) {
                    int r;
                    while ((r = in.read(buf)) > 0) bytes += r;
                }
            }
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        if (bytes == 0) throw new IOException("/proc/net/tcp is empty");
        return t;
    }

    /**
     * The window under Xvfb on this table: RSS and CPU every 5 s for 60 s, beside the CPU one
     * {@code ss -tan} run costs.
     */
    private static void window(int n) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("jar", "target/tcplens.jar"));
        if (!Files.isRegularFile(jar)) {
            System.out.println("         window: " + jar + " missing (mvn package first)");
            return;
        }
        Process x = new ProcessBuilder("xvfb-run", "-a", "-s", "-screen 0 1920x1080x24", javaBin(), "--enable-native-access=ALL-UNNAMED",
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            Optional<ProcessHandle> app = Optional.empty();
            while (app.isEmpty() && System.nanoTime() < deadline && x.isAlive()) {
                app = x.descendants().filter(h -> h.info().commandLine().orElse("").contains(jar.getFileName().toString())).findFirst();
                if (app.isEmpty()) Thread.sleep(100);
            }
            if (app.isEmpty()) {
                System.out.println("         window: did not start under xvfb-run (installed? apt-get install xvfb)");
                return;
            }
            long pid = app.get().pid();
            long t0 = System.nanoTime();
            StringBuilder rss = new StringBuilder();
            long cpu30 = 0;
            long cpu60 = 0;
            for (int s = 5; s <= 60; s += 5) {
                long due = t0 + TimeUnit.SECONDS.toNanos(s);
                while (System.nanoTime() < due) Thread.sleep(Math.max(1, (due - System.nanoTime()) / 1_000_000));
                if (!app.get().isAlive()) {
                    System.out.println("         window: exited before 60 s");
                    return;
                }
                long kb = rssKb(pid);
                long ticks = cpuTicks(pid);
                if (s == 30) cpu30 = ticks;
                if (s == 60) cpu60 = ticks;
                rss.append(s).append("s:").append(kb / 1024).append(' ');
            }
            double ssCpu = ssCpuSeconds();
            System.out.printf(Locale.ROOT, "         window at %d: RSS MB %s| CPU %.0f %% of a core from 0 to 60 s, %.0f %% from 30 to 60 s"
                    + " (%.2f s/s) | one ss -tan costs %.2f s CPU | load %s | JVM defaults, not the launchers' options%n", n, rss, cpu60 / 100.0 / 60 * 100,
                    (cpu60 - cpu30) / 100.0 / 30 * 100, (cpu60 - cpu30) / 100.0 / 30, ssCpu, load());
        } finally {
            x.descendants().forEach(ProcessHandle::destroyForcibly);
            x.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        return -1;
    }

    /** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux). */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /** User + system CPU seconds of one {@code ss -tan} run (median of 5), via bash's {@code time}. */
    private static double ssCpuSeconds() throws IOException, InterruptedException {
        double[] t = new double[5];
        for (int i = 0; i < t.length; i++) {
            Process p = new ProcessBuilder("bash", "-c", "TIMEFORMAT='%3U %3S'; time ss -tan >/dev/null").start();
            String out = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(60, TimeUnit.SECONDS);
            String[] f = out.split("\\s+");
            t[i] = Double.parseDouble(f[f.length - 2]) + Double.parseDouble(f[f.length - 1]);
        }
        return median(t);
    }

    /** CPU ms (user + system) of one {@code ss -tan} run, via bash's {@code time}. */
    private static double ssCpuMillis() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", "-c", "TIMEFORMAT='%3U %3S'; time ss -tan >/dev/null")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        p.waitFor(WALL_LIMIT_SECONDS, TimeUnit.SECONDS);
        String[] f = out.split("\\s+");
        return f.length >= 2 ? (Double.parseDouble(f[f.length - 2]) + Double.parseDouble(f[f.length - 1])) * 1000 : Double.NaN;
    }

    private static double[] wall(int runs, String... cmd) throws IOException, InterruptedException {
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(WALL_LIMIT_SECONDS, TimeUnit.SECONDS)) {
                // printed as "over N s" rather than losing the row
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                Arrays.fill(t, Double.POSITIVE_INFINITY);
                return t;
            }
            t[i] = (System.nanoTime() - t0) / 1e6;
        }
        return t;
    }

    private static void exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(String.join(" ", cmd) + ": " + out.strip());
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    private static double pct(double[] v, double q) {
        double[] c = v.clone();
        Arrays.sort(c);
        return c[Math.min(c.length - 1, (int) (c.length * q))];
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    /**
     * The stop-the-world GC pauses of this JVM (G1's young, mixed and full collections, and its concurrent cycle's remark and cleanup), from the
     * collectors' notifications, on the JVM's uptime clock; {@link #now} maps {@code nanoTime} onto it.
     */
    private static final class GcPauses implements AutoCloseable {
        private final List<double[]> pauses = Collections.synchronizedList(new ArrayList<>());
        private final List<Runnable> undo = new ArrayList<>();
        private final long nanoAtStart = System.nanoTime();
        private final long uptimeAtStart = ManagementFactory.getRuntimeMXBean().getUptime();
        private int count;

        GcPauses() {
            for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (!(b instanceof NotificationEmitter ne)) continue;
                NotificationListener l = (n, h) -> {
                    if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
                    GarbageCollectionNotificationInfo i = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    pauses.add(new double[] {i.getGcInfo().getStartTime(), i.getGcInfo().getEndTime()});
                };
                ne.addNotificationListener(l, null, null);
                undo.add(() -> {
                    try {
                        ne.removeNotificationListener(l);
                    } catch (ListenerNotFoundException e) {
                        // gone
                    }
                });
            }
        }

        /** Now on the uptime clock (ms). */
        double now() {
            return uptimeAtStart + (System.nanoTime() - nanoAtStart) / 1e6;
        }

        /** The pauses' time within [from, to] (uptime ms). */
        double within(double from, double to) {
            double sum = 0;
            synchronized (pauses) {
                for (double[] p : pauses) sum += Math.max(0, Math.min(to, p[1]) - Math.max(from, p[0]));
            }
            return sum;
        }

        int count() {
            return count;
        }

        @Override
        public void close() throws InterruptedException {
            Thread.sleep(300); // the last notifications
            for (Runnable r : undo) r.run();
            count = pauses.size();
        }
    }

    private static double median(double[] v) {
        return pct(v, 0.5);
    }
}
