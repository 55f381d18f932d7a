package io.tcplens.testutil;

import io.tcplens.model.TcpState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real TCP table of tens or hundreds of thousands of loopback sockets, for the scale test and
 * {@code ScaleBenchmark} (issue 11). ESTABLISHED pairs are held by {@link ScaleTableWorker}
 * processes (at most {@value ScaleTableWorker#MAX_PAIRS} pairs, i.e. 18,000 fds, each: the open-file
 * limit here is 20,000 per process and cannot be raised); the rest of the table is TIME_WAIT (no fd),
 * made last because the kernel drops it after 60 s.
 *
 * <p>Two tables, by {@link Churn}:
 * <ul>
 *   <li>{@link Churn#BURST} (the default, what every benchmark measured up to the twentieth round): the
 *       TIME_WAIT share is made in one burst of a few seconds. It models a host where that many
 *       connections closed together (a load test or a batch job that ended, a restarted peer). Without
 *       {@code refresh} the table is static (in a private namespace) until the first TIME_WAIT socket
 *       expires 60 s later, all of them within seconds; with {@code refresh} the workers remake each
 *       TIME_WAIT socket as it expires, so the count stays about level but the whole share is dropped and
 *       remade in one burst every 60 s (a window polling it sees a large change each minute, and a poll
 *       that meets the burst is slow).</li>
 *   <li>{@link Churn#STEADY}: a server whose connections close at an even rate. Each worker makes its
 *       TIME_WAIT share at 1/60 of it per second, in steps of {@value ScaleTableWorker#STEADY_TICK_MILLIS}
 *       ms staggered between workers, for as long as it runs; as many expire each second as are made, so
 *       the count is level (rate x 60 s) and every poll sees the same small change. {@link #build} returns
 *       once the first 60 s are made (the table is full), so it takes a minute longer than a burst.
 *       With {@code establishedChurnPerSecond} &gt; 0 the workers also close that many ESTABLISHED pairs a
 *       second (oldest first, reset, so no TIME_WAIT) and open new ones (new 4-tuples, new inodes): the
 *       ESTABLISHED count stays level while its members turn over. {@code refresh} does not apply.</li>
 * </ul>
 *
 * <p>Optionally the whole table lives in a private network namespace ({@code ip netns add}), which
 * {@link #close()} deletes. Workers exit when this JVM dies (their stdin closes), on {@link #close()},
 * or after a maximum lifetime; their ESTABLISHED sockets linger 0, so nothing is left behind.
 * Needs root for the namespace and for raising {@code net.ipv4.tcp_max_tw_buckets}.
 */
public final class ScaleTable implements AutoCloseable {
    /** Share of the table that is ESTABLISHED (the rest TIME_WAIT), as in the 72k + 28k table. */
    public static final double ESTABLISHED_SHARE = 0.72;
    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    /** Worker client addresses are 127.(16 + index).x.y. */
    private static final int MAX_WORKERS = 239;

    /** How the TIME_WAIT share is made and remade (see the class comment). */
    public enum Churn {
        /** In one burst, remade (with {@code refresh}) in one burst as it expires every 60 s. */
        BURST,
        /** 1/60 of it each second, for as long as the table lives. */
        STEADY
    }

    /**
     * How a table is built. {@code netns}: make a private namespace; {@code refresh}: keep TIME_WAIT level
     * (burst); {@code churn}: burst or steady; {@code establishedChurnPerSecond}: ESTABLISHED pairs replaced
     * per second over the whole table (steady only).
     */
    public record Options(boolean netns, boolean refresh, long maxLifetimeSeconds, PrintStream log, Churn churn,
            double establishedChurnPerSecond) {
        /** The burst table, as before the steady one existed. */
        public Options(boolean netns, boolean refresh, long maxLifetimeSeconds, PrintStream log) {
            this(netns, refresh, maxLifetimeSeconds, log, Churn.BURST, 0);
        }

        public static Options defaults() {
            return new Options(false, false, 600, System.err);
        }

        public Options withNetns(boolean v) {
            return new Options(v, refresh, maxLifetimeSeconds, log, churn, establishedChurnPerSecond);
        }

        public Options withRefresh(boolean v) {
            return new Options(netns, v, maxLifetimeSeconds, log, churn, establishedChurnPerSecond);
        }

        /** The steady table, replacing {@code pairsPerSecond} ESTABLISHED pairs a second (0: none). */
        public Options withSteadyChurn(double pairsPerSecond) {
            return new Options(netns, refresh, maxLifetimeSeconds, log, Churn.STEADY, pairsPerSecond);
        }

        /**
         * The table a benchmark's {@code -Dchurn} asks for: absent or {@code burst}, this; {@code steady} or
         * {@code steady:P} (P ESTABLISHED pairs replaced per second), the steady table.
         */
        public Options withChurnProperty(String value) {
            if (value == null || value.isBlank() || value.equals("burst")) return this;
            if (value.equals("steady")) return withSteadyChurn(0);
            if (value.startsWith("steady:")) return withSteadyChurn(Double.parseDouble(value.substring(7)));
            throw new IllegalArgumentException("churn: burst, steady or steady:PAIRS_PER_SECOND, not " + value);
        }
    }

    private record Worker(int index, Process process, Writer stdin, LinkedBlockingQueue<String> lines) {}

    private final String netns;
    private final List<Worker> workers = new ArrayList<>();
    private final Thread cleanup = new Thread(this::close, "scale-table-cleanup");
    private int pairs;
    private int timeWait;
    private Churn churn = Churn.BURST;
    private long establishedMillis;
    private long timeWaitMillis;
    private long timeWaitStartNanos;
    private boolean closed;
    private long restoreTimeWaitLimit = -1;
    private long raisedTimeWaitLimit = -1;

    private ScaleTable(String netns) {
        this.netns = netns;
    }

    /** Null when this process can build a table in a private namespace (root, {@code ip netns add} works), else why not. */
    public static String netnsUnavailableReason() {
        if (!"root".equals(System.getProperty("user.name"))) return "needs root (ip netns add, sysctl); running as " + System.getProperty("user.name");
        try {
            Process p = new ProcessBuilder("ip", "netns", "list").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return "`ip netns list` failed";
            String probe = "tl-scale-" + ProcessHandle.current().pid() + "-probe";
            try {
                run(List.of("ip", "netns", "add", probe));
            } catch (IOException e) {
                return "cannot create a network namespace here: " + e.getMessage();
            } finally {
                new ProcessBuilder("ip", "netns", "del", probe).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException e) {
            return "`ip` (iproute2) is not available: " + e.getMessage();
        }
        return null;
    }

    /**
     * Builds a table of about {@code sockets} sockets: {@value #ESTABLISHED_SHARE} of them ESTABLISHED
     * (pairs in workers), the rest TIME_WAIT, plus one LISTEN socket per worker. Returns when every worker
     * has reported its sockets made. Throws {@link IllegalArgumentException} with one line when the size
     * cannot be reached here.
     */
    public static ScaleTable build(int sockets, Options o) throws IOException, InterruptedException {
        int established = (int) Math.round(sockets * ESTABLISHED_SHARE) & ~1;
        int tw = sockets - established;
        int pairs = established / 2;
        int nWorkers = Math.max(1, (pairs + ScaleTableWorker.MAX_PAIRS - 1) / ScaleTableWorker.MAX_PAIRS);
        if (sockets < 2) throw new IllegalArgumentException("table size " + sockets + ": too small");
        if (nWorkers > MAX_WORKERS) {
            throw new IllegalArgumentException("table size " + sockets + " needs " + nWorkers + " workers of "
                    + ScaleTableWorker.MAX_PAIRS + " ESTABLISHED pairs; at most " + MAX_WORKERS + " fit the 127.16-254.x.y client addresses");
        }
        long needKb = nWorkers * 90_000L + sockets * 4L;
        long availKb = memAvailableKb();
        if (availKb > 0 && needKb > availKb) {
            throw new IllegalArgumentException("table size " + sockets + " needs about " + needKb / 1024 + " MB (" + nWorkers
                    + " worker JVMs + kernel sockets); " + availKb / 1024 + " MB available");
        }
        String ns = o.netns() ? "tl-scale-" + ProcessHandle.current().pid() + "-" + NAMESPACES.incrementAndGet() : null;
        ScaleTable t = new ScaleTable(ns);
        Runtime.getRuntime().addShutdownHook(t.cleanup);
        boolean ok = false;
        try {
            if (ns != null) {
                removeStaleNamespaces();
                run(List.of("ip", "netns", "add", ns));
                t.runIn("ip", "link", "set", "lo", "up");
            }
            t.raiseTimeWaitLimit(Math.max(262_144, 2 * tw + 65_536), o.log());
            t.start(nWorkers, pairs, o.maxLifetimeSeconds());
            t.awaitAll("ESTABLISHED", 300);
            t.establishedMillis = (System.nanoTime() - t.startNanos) / 1_000_000;
            t.timeWaitStartNanos = System.nanoTime();
            boolean steady = o.churn() == Churn.STEADY;
            for (int i = 0; i < nWorkers; i++) {
                int share = tw / nWorkers + (i < tw % nWorkers ? 1 : 0);
                Worker w = t.workers.get(i);
                if (steady) {
                    // the workers' steps interleave: worker i starts i/nWorkers of a step after worker 0
                    w.stdin().write(String.format(Locale.ROOT, "timewait %d steady %.3f %d%n", share,
                            o.establishedChurnPerSecond() / nWorkers, (long) i * ScaleTableWorker.STEADY_TICK_MILLIS / nWorkers));
                } else {
                    w.stdin().write("timewait " + share + (o.refresh() ? " refresh" : "") + "\n");
                }
                w.stdin().flush();
            }
            t.awaitAll("READY", steady ? 240 : 120);
            t.timeWaitMillis = (System.nanoTime() - t.timeWaitStartNanos) / 1_000_000;
            t.pairs = pairs;
            t.timeWait = tw;
            t.churn = o.churn();
            o.log().printf(Locale.ROOT, "scale table%s: %,d workers, %,d ESTABLISHED pairs in %.1f s, then %,d TIME_WAIT in %.1f s%s%n",
                    ns == null ? "" : " (netns " + ns + ")", nWorkers, pairs, t.establishedMillis / 1000.0, tw, t.timeWaitMillis / 1000.0,
                    steady ? String.format(Locale.ROOT, " (steady churn: %,d made and expiring a second%s)", Math.round(tw / 60.0),
                            o.establishedChurnPerSecond() > 0 ? String.format(Locale.ROOT, ", %.0f ESTABLISHED pairs replaced a second",
                                    o.establishedChurnPerSecond()) : "") : "");
            ok = true;
            return t;
        } finally {
            if (!ok) t.close();
        }
    }

    private long startNanos;

    private static long memAvailableKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | RuntimeException ignored) {
            // unknown: do not refuse
        }
        return -1;
    }

    private void start(int nWorkers, int pairs, long lifetime) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp;
        try {
            cp = Path.of(ScaleTableWorker.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        startNanos = System.nanoTime();
        for (int i = 0; i < nWorkers; i++) {
            int share = pairs / nWorkers + (i < pairs % nWorkers ? 1 : 0);
            List<String> cmd = new ArrayList<>(prefix());
            cmd.addAll(List.of(java, "-Xmx64m", "-Xss512k", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                    "-cp", cp, ScaleTableWorker.class.getName(), Integer.toString(i), Integer.toString(share), Long.toString(lifetime)));
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) lines.add(line);
                } catch (IOException ignored) {
                    // the worker is gone
                }
                lines.add("EXIT");
            }, "scale-worker-" + i);
            reader.setDaemon(true);
            reader.start();
            workers.add(new Worker(i, p, new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8), lines));
        }
    }

    /** Waits until every worker printed a line starting with {@code word}; one line of error otherwise. */
    private void awaitAll(String word, long seconds) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        for (Worker w : workers) {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : w.lines().poll(left, TimeUnit.NANOSECONDS);
                if (line == null) throw new IOException("scale worker " + w.index() + " did not report " + word + " within " + seconds + " s");
                if (line.startsWith(word)) break;
                if (line.startsWith("ERROR") || line.equals("EXIT")) {
                    throw new IOException("scale worker " + w.index() + " failed: " + (line.equals("EXIT") ? "exited with " + w.process().waitFor() : line.substring(6)));
                }
            }
        }
    }

    private void raiseTimeWaitLimit(int limit, PrintStream log) throws IOException, InterruptedException {
        String key = "/proc/sys/net/ipv4/tcp_max_tw_buckets";
        if (netns == null) {
            long now = Long.parseLong(Files.readString(Path.of(key)).trim());
            if (now >= limit) return;
            try {
                Files.writeString(Path.of(key), Integer.toString(limit));
                restoreTimeWaitLimit = now;
                raisedTimeWaitLimit = limit;
                log.println("scale table: raised net.ipv4.tcp_max_tw_buckets from " + now + " to " + limit + " for this table (restored on close)");
            } catch (IOException e) {
                throw new IllegalArgumentException("table needs net.ipv4.tcp_max_tw_buckets >= " + limit + " (now " + now + "); run as root");
            }
        } else {
            runIn("sh", "-c", "echo " + limit + " > " + key);
        }
    }

    /** The command prefix that runs a program in this table's namespace (empty: the current one). */
    public List<String> prefix() {
        return netns == null ? List.of() : List.of("ip", "netns", "exec", netns);
    }

    /** {@code cmd} to run in this table's namespace. */
    public List<String> inNamespace(String... cmd) {
        List<String> c = new ArrayList<>(prefix());
        c.addAll(List.of(cmd));
        return c;
    }

    /** The namespace's name, or null when the table is in the current namespace. */
    public String netns() {
        return netns;
    }

    public int pairs() {
        return pairs;
    }

    public int timeWait() {
        return timeWait;
    }

    /** How this table's TIME_WAIT share is made and remade. */
    public Churn churn() {
        return churn;
    }

    /** False once any worker has exited (maximum lifetime, killed): the table is no longer whole. */
    public boolean whole() {
        return !closed && workers.stream().allMatch(w -> w.process().isAlive());
    }

    public int workerCount() {
        return workers.size();
    }

    public long establishedMillis() {
        return establishedMillis;
    }

    public long timeWaitMillis() {
        return timeWaitMillis;
    }

    private void runIn(String... cmd) throws IOException, InterruptedException {
        run(inNamespace(cmd));
    }

    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
        return out;
    }

    /** Per-state counts of {@code ss -tanH} in this table's namespace (all of it, not only the workers' sockets). */
    public Map<TcpState, Integer> ssCounts() throws IOException, InterruptedException {
        return countStates(run(inNamespace("ss", "-tanH")));
    }

    /** Counts the first column of {@code ss -tanH} output per state. */
    public static Map<TcpState, Integer> countStates(String ssOutput) {
        Map<TcpState, Integer> counts = new EnumMap<>(TcpState.class);
        int start = 0;
        int n = ssOutput.length();
        while (start < n) {
            int end = ssOutput.indexOf('\n', start);
            if (end < 0) end = n;
            int sp = start;
            while (sp < end && ssOutput.charAt(sp) != ' ') sp++;
            if (sp > start) {
                String word = ssOutput.substring(start, sp);
                TcpState s = TcpState.parse(word).orElseThrow(() -> new IllegalStateException("unknown ss state: " + word));
                counts.merge(s, 1, Integer::sum);
            }
            start = end + 1;
        }
        return counts;
    }

    /** Deletes namespaces of earlier runs whose JVM is gone (tl-scale-PID-N); never another live run's. */
    private static void removeStaleNamespaces() {
        try {
            for (String line : run(List.of("ip", "netns", "list")).split("\n")) {
                String name = line.split("\\s+")[0];
                if (!name.startsWith("tl-scale-")) continue;
                String[] f = name.split("-");
                if (f.length != 4) continue;
                long pid;
                try {
                    pid = Long.parseLong(f[2]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                new ProcessBuilder("ip", "netns", "del", name).redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // best effort
        }
    }

    /** Stops the workers (their ESTABLISHED sockets reset, nothing lingers) and deletes the namespace. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Worker w : workers) {
            try {
                w.stdin().write("quit\n");
                w.stdin().close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        for (Worker w : workers) {
            try {
                if (!w.process().waitFor(5, TimeUnit.SECONDS)) w.process().destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                w.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        if (restoreTimeWaitLimit >= 0) {
            // put the host's cap back unless someone else changed it meanwhile
            Path key = Path.of("/proc/sys/net/ipv4/tcp_max_tw_buckets");
            try {
                if (Long.parseLong(Files.readString(key).trim()) == raisedTimeWaitLimit) Files.writeString(key, Long.toString(restoreTimeWaitLimit));
            } catch (IOException | RuntimeException ignored) {
                // best effort
            }
        }
        if (netns != null) {
            try {
                new ProcessBuilder("ip", "netns", "del", netns).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor(10, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException ignored) {
                // best effort; a later run removes it (removeStaleNamespaces)
            }
        }
        try {
            if (Thread.currentThread() != cleanup) Runtime.getRuntime().removeShutdownHook(cleanup);
        } catch (IllegalStateException ignored) {
            // shutting down
        }
    }
}
