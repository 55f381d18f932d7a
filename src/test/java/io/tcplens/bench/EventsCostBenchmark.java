package io.tcplens.bench;

import com.sun.management.OperatingSystemMXBean;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.EventBatch;
import io.tcplens.source.events.BpftraceEvents;
import io.tcplens.source.events.EventSupport;
import io.tcplens.source.netns.NamespaceSource;
import io.tcplens.source.netns.NamespaceTarget;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * What kernel events cost: a loopback churn in a namespace of its own at a target rate of state
 * changes (each connection makes 10: five per side), polled at 1 s for {@code seconds}, once polling
 * only, once with the per-event program and once with the window's batched one (bpftrace child + the JVM's
 * reader, ring, alignment). CPU: the JVM's own
 * process time, the bpftrace child's (utime + stime from /proc), and the churn's own processes (the
 * BPF program runs in their context, so its cost shows there). As root.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.EventsCostBenchmark \
 *     -Dtcplens.args="15 1000 10000 50000" -Djvm.flags=--enable-native-access=ALL-UNNAMED</pre>
 *
 * <p>{@code -Dburst=28000}: a burst instead (see {@link #burst}), per-event and batched taking turns twice.
 *
 * <p>{@code -Dheld=true}: what a burst's events take in the heap while the feed holds them, instead of
 * the CPU. At each rate, the churn runs {@code seconds} with no drain (as between two polls of a
 * window whose refresh backed off; keep rate × seconds under the ring's 262,140), then the live heap
 * after a full GC with the events held, and again after one drain took them and its batch was dropped:
 * the difference per event drained. Run it against another build with that build's jar on the class
 * path in place of {@code target/classes} (the benchmark uses only the feed's public API).
 */
public final class EventsCostBenchmark {
    /** A paced churn: rate connections/s for secs seconds, client closes first; prints connections made. */
    private static final String CHURN = """
            import socket, sys, time
            rate, secs, port = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
            l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            l.bind(('127.0.0.1', port)); l.listen(4096)
            print('ready', flush=True); sys.stdin.readline()
            n, t0 = 0, time.monotonic()
            while True:
                now = time.monotonic()
                if now - t0 >= secs: break
                due = t0 + n / rate
                if due > now: time.sleep(due - now)
                try:
                    c = socket.create_connection(('127.0.0.1', port)); a, _ = l.accept(); c.close(); a.recv(1); a.close()
                except OSError:
                    pass
                n += 1
            print(n, time.monotonic() - t0, flush=True)
            """;

    /** A burst: one process of four, making its share of connections as fast as it can (client closes first). */
    private static final String BURST = """
            import socket, sys
            n, port = int(sys.argv[1]), int(sys.argv[2])
            l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            l.bind(('127.0.0.1', port)); l.listen(4096)
            print('ready', flush=True); sys.stdin.readline()
            for i in range(n):
                c = socket.socket(); c.bind(('127.%d.%d.%d' % (port % 250, 1 + i // 250 % 250, 1 + i % 250), 0))
                c.connect(('127.0.0.1', port)); a, _ = l.accept(); c.close(); a.recv(1); a.close()
            print('done', flush=True)
            """;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        int[] rates = args.length > 1 ? Arrays.stream(args).skip(1).mapToInt(Integer::parseInt).toArray()
                : new int[] {1_000, 10_000, 50_000};
        EventSupport.Check c = EventSupport.check();
        if (!c.available()) {
            System.out.println(c.reason());
            return;
        }
        String ns = "tcplens-bench-" + UUID.randomUUID().toString().substring(0, 6);
        run("ip", "netns", "add", ns);
        try {
            run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.tcp_max_tw_buckets=2000");
            run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv4.ip_local_port_range=10000 60999");
            long inode = EventSupport.netnsInode(Path.of("/run/netns", ns));
            System.out.printf(Locale.ROOT, "load average at start: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
            Integer burst = Integer.getInteger("burst");
            if (burst != null) {
                System.out.printf(Locale.ROOT, "%-10s %-8s %10s %10s %10s %12s %10s %s%n", "burst", "mode", "delivered", "lost",
                        "skipped", "bpftrace s", "wall s", "caught up");
                for (Mode mode : new Mode[] {Mode.PER_EVENT, Mode.BATCHED, Mode.PER_EVENT, Mode.BATCHED}) burst(ns, inode, burst, mode);
                System.out.printf(Locale.ROOT, "load average at end: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
                return;
            }
            if (Boolean.getBoolean("held")) {
                System.out.printf(Locale.ROOT, "%-9s %10s %10s %14s %14s %12s%n", "target/s", "events", "lost",
                        "heap held MB", "heap after MB", "bytes/event");
                for (int rate : rates) held(ns, inode, rate, seconds);
                System.out.printf(Locale.ROOT, "load average at end: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
                return;
            }
            System.out.printf(Locale.ROOT, "%-9s %-8s %12s %10s %10s %10s %10s %8s%n", "target/s", "mode", "changes/s",
                    "jvm %cpu", "bpftrace", "pipeline", "churn", "lost");
            for (int rate : rates) {
                for (Mode mode : Mode.values()) {
                    Row r = measure(ns, inode, rate, seconds, mode);
                    System.out.printf(Locale.ROOT, "%-9d %-8s %12.0f %9.1f%% %9.1f%% %9.1f%% %9.1f%% %8d%n", rate,
                            mode.label, r.changesPerSec, r.jvm, r.bpftrace, r.jvm + r.bpftrace, r.churn, r.lost);
                }
            }
            System.out.printf(Locale.ROOT, "load average at end: %s%n", Files.readString(Path.of("/proc/loadavg")).strip());
        } finally {
            run("ip", "netns", "del", ns);
        }
    }

    /**
     * Polling alone; with the per-event program ({@code record}, {@code events}: one line an event, with the socket's
     * details); with the window's ({@code EventSources.startFor}: IPv4 events sixteen to a line, no socket details).
     */
    private enum Mode {
        POLLING("polling"), PER_EVENT("events"), BATCHED("batched");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    private record Row(double changesPerSec, double jvm, double bpftrace, double churn, long lost) {}

    private static Row measure(String ns, long inode, int changesPerSec, int seconds, Mode mode) throws Exception {
        int workers = Math.max(1, (int) Math.ceil(changesPerSec / 10.0 / 800)); // ~800 conn/s per python process
        double perWorker = changesPerSec / 10.0 / workers;
        List<Process> churn = new ArrayList<>();
        List<BufferedReader> outs = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            Python c = python(ns, CHURN, Double.toString(perWorker), Integer.toString(seconds + 3), Integer.toString(9000 + w));
            churn.add(c.process());
            outs.add(c.out());
        }
        NamespaceSource src = new NamespaceSource(new NamespaceTarget(ns, 0), NamespaceSource.Reader.NETLINK, false);
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (PollingEngine engine = new PollingEngine(src, Duration.ofSeconds(1))) {
            BpftraceEvents feed = null;
            if (mode != Mode.POLLING) {
                feed = BpftraceEvents.start(inode, BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(60), mode == Mode.BATCHED,
                        mode == Mode.PER_EVENT);
                if (!feed.on()) throw new IllegalStateException(feed.status());
                engine.attachEvents(feed);
            }
            engine.pollOnce();
            long cpu0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            long bt0 = feed == null ? 0 : cpuTicks(feed.childPid());
            long[] ch0 = new long[churn.size()];
            for (int i = 0; i < churn.size(); i++) ch0[i] = treeTicks(churn.get(i).toHandle());
            for (Process p : churn) p.getOutputStream().write('\n');
            for (Process p : churn) p.getOutputStream().flush();
            long received0 = feed == null ? 0 : feed.received();
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            long lost = 0;
            while (System.nanoTime() < deadline) {
                long next = System.nanoTime() + 1_000_000_000L;
                PollResult r = engine.pollOnce();
                if (r.diff().events() != null) lost += r.diff().events().lost();
                long sleep = (next - System.nanoTime()) / 1_000_000;
                if (sleep > 0) Thread.sleep(sleep);
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            double jvm = (os.getProcessCpuTime() - cpu0) / 1e9 / wall * 100;
            double bt = feed == null ? 0 : (cpuTicks(feed.childPid()) - bt0) / 100.0 / wall * 100;
            double ch = 0;
            for (int i = 0; i < churn.size(); i++) ch += (treeTicks(churn.get(i).toHandle()) - ch0[i]) / 100.0 / wall * 100;
            long received = feed == null ? 0 : feed.received() - received0;
            long made = 0;
            for (BufferedReader r : outs) {
                String l = r.readLine();
                if (l != null) made += Long.parseLong(l.strip().split(" ")[0]);
            }
            double rate = feed != null ? received / wall : made * 10.0 / (seconds + 3);
            if (feed != null) feed.close();
            return new Row(rate, jvm, bt, ch, lost);
        } finally {
            for (Process p : churn) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** A python3 child in the namespace, and its output, once it has said it is ready. */
    private record Python(Process process, BufferedReader out) {}

    private static Python python(String ns, String script, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "python3", "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.US_ASCII));
        if (!"ready".equals(r.readLine())) {
            p.destroyForcibly();
            throw new IOException("python3 worker did not start");
        }
        return new Python(p, r);
    }

    /**
     * {@code -Dburst=N}: N connections (10 changes each) made by four processes as fast as they can, as a remake of the
     * burst table's TIME_WAIT share is; the feed drained every 100 ms (nothing dropped for want of a drain). Prints the
     * changes delivered, lost (bpftrace's "Lost N events": the kernel's perf buffer overflowed) and skipped (runs of the
 * program the kernel skipped, nested on a busy CPU: any namespace's, an upper bound), bpftrace's CPU, and whether
 * the feed caught up with the burst's end within 20 s.
     */
    private static void burst(String ns, long inode, int n, Mode mode) throws Exception {
        List<Process> workers = new ArrayList<>();
        try (BpftraceEvents feed = BpftraceEvents.start(inode, BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(60), false,
                mode == Mode.PER_EVENT)) {
            if (!feed.on()) throw new IllegalStateException(feed.status());
            for (int w = 0; w < 4; w++) {
                workers.add(python(ns, BURST, Integer.toString(n / 4), Integer.toString(9100 + w)).process());
            }
            feed.drain(System.nanoTime());
            long received0 = feed.received(), lost0 = feed.lostTotal(), skipped0 = feed.skippedTotal();
            long bt0 = cpuTicks(feed.childPid()), t0 = System.nanoTime();
            for (Process p : workers) p.getOutputStream().write('\n');
            for (Process p : workers) p.getOutputStream().flush();
            while (workers.stream().anyMatch(Process::isAlive)) {
                Thread.sleep(100);
                feed.drain(System.nanoTime());
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            long end = System.nanoTime();
            boolean caughtUp = feed.awaitCaughtUp(end, 20_000);
            feed.drain(end);
            System.out.printf(Locale.ROOT, "%-10d %-8s %10d %10d %10d %12.2f %10.2f %s%n", n, mode.label, feed.received() - received0,
                    feed.lostTotal() - lost0, feed.skippedTotal() - skipped0, (cpuTicks(feed.childPid()) - bt0) / 100.0, wall,
                    caughtUp ? "yes" : "no (20 s)");
        } finally {
            for (Process p : workers) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** The heap the events of {@code seconds} of churn take while the feed holds them (see {@code -Dheld}). */
    private static void held(String ns, long inode, int changesPerSec, int seconds) throws Exception {
        int workers = Math.max(1, (int) Math.ceil(changesPerSec / 10.0 / 800));
        double perWorker = changesPerSec / 10.0 / workers;
        List<Process> churn = new ArrayList<>();
        try (BpftraceEvents feed = startAsTheWindow(inode)) {
            if (!feed.on()) throw new IllegalStateException(feed.status());
            for (int w = 0; w < workers; w++) {
                churn.add(python(ns, CHURN, Double.toString(perWorker), Integer.toString(seconds), Integer.toString(9000 + w)).process());
            }
            feed.drain(System.nanoTime());
            for (Process p : churn) p.getOutputStream().write('\n');
            for (Process p : churn) p.getOutputStream().flush();
            for (Process p : churn) p.waitFor(seconds + 30L, TimeUnit.SECONDS);
            long end = System.nanoTime();
            feed.awaitCaughtUp(end, 2_000);
            long held = liveHeap();
            EventBatch b = feed.drain(end);
            int n = b.transitions().size();
            long lost = b.lost();
            b = null;
            long after = liveHeap();
            System.out.printf(Locale.ROOT, "%-9d %10d %10d %14.1f %14.1f %12.1f%n", changesPerSec, n, lost, held / 1e6,
                    after / 1e6, n == 0 ? 0.0 : (double) (held - after) / n);
        } finally {
            for (Process p : churn) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * The feed as the window starts it (EventSources.startFor: overflowed intervals dropped; without the socket's
     * address and byte counters where the build has that choice, unless {@code -DheldDetails=true}).
     */
    private static BpftraceEvents startAsTheWindow(long inode) throws ReflectiveOperationException {
        boolean details = Boolean.getBoolean("heldDetails");
        try {
            var start = BpftraceEvents.class.getMethod("start", long.class, int.class, Duration.class, boolean.class, boolean.class);
            System.out.println("(feed keeps socket details: " + details + ")");
            return (BpftraceEvents) start.invoke(null, inode, BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(60), true, details);
        } catch (NoSuchMethodException e) { // a build before the choice: it keeps them
            System.out.println("(feed keeps socket details: always, in this build)");
            return BpftraceEvents.start(inode, BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(60), true);
        }
    }

    /** The heap in use after a full collection (System.gc() is one with G1's defaults). */
    private static long liveHeap() {
        MemoryMXBean m = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 2; i++) System.gc();
        return m.getHeapMemoryUsage().getUsed();
    }

    /** utime + stime of a process, in clock ticks (100/s), 0 when gone. */
    private static long cpuTicks(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A process and its descendants (ip netns exec → python3). */
    private static long treeTicks(ProcessHandle h) {
        long t = cpuTicks(h.pid());
        for (ProcessHandle c : h.descendants().toList()) t += cpuTicks(c.pid());
        return t;
    }

    private static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).inheritIO().start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
    }
}
