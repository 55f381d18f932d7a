package io.tcplens.bench;

import io.tcplens.model.EventBatch;
import io.tcplens.source.events.BpftraceEvents;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;

/**
 * The kernel-event feed's own cost per event, engine-level: a stand-in for bpftrace (a Python script given
 * as {@code -Dtcplens.bpftrace}, so the feed's public API runs as in the window: {@code dropOverflowed}, no
 * socket details) writes the lines bpftrace writes for a steady loopback churn — ten state changes a
 * connection (the sequence recorded from the real bpftrace on this machine: the client's connect() with
 * local port 0, then its port; the server's LISTEN → SYN_RECV; both closes) and a heartbeat per CPU every
 * 20 ms — at {@code rate} events a second, one {@code write} a line as bpftrace does; the feed is drained once a second, as the poller does. Reported:
 * events a second, and per event the reader thread's CPU and allocation ({@code tcplens-events}) and the
 * drain's (the poller's side: the batch's objects). Root is needed (the feed's start checks the privilege).
 *
 * <p>A against B in one run: {@code -Djars=A.jar|B.jar} runs each set in a JVM of its own with that jar and
 * its {@code lib/} beside it on the class path (this class from {@code target/test-classes}: it uses only the
 * feed's public API), under {@code -Dflags=...} (comma-separated JVM flags; the launchers': C1 only). Sets
 * repeat in the order given.
 *
 * <pre>mvn -q -o test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.EventFeedBenchmark \
 *     -Dtcplens.args="20 20000" -Djvm.flags="-Djars=/tmp/x/tcplens.jar|/tmp/m21/tcplens.jar -Dflags=-Xmx256m,-XX:TieredStopAtLevel=1"</pre>
 */
public final class EventFeedBenchmark {
    private static final String FAKE = """
            #!/usr/bin/env python3
            import sys, time
            rate = RATE
            out = sys.stdout.buffer
            P = b'{"type": "printf", "data": "'
            out.write(b'{"type": "attached_probes", "data": {"probes": 2}}\\n'); out.flush()
            STEPS = [(0, 7, 2, True), (0, 2, 1, False), (1, 10, 3, False), (1, 3, 1, False), (0, 1, 4, False),
                     (1, 1, 8, False), (1, 8, 9, False), (0, 4, 5, False), (0, 5, 7, False), (1, 9, 7, False)]
            t0 = time.monotonic_ns(); sent = 0; conn = 0; hb = t0
            while True:
                now = time.monotonic_ns()
                due = int((now - t0) * rate / 1e9)
                lines = []
                while sent + 10 <= due:
                    port = 10000 + conn % 50000
                    sk = (0xffff888100000000 + (conn % 100000) * 0x200, 0xffff888180000000 + (conn % 100000) * 0x200)
                    for side, a, b, zero in STEPS:
                        if side == 0:
                            t = (0 if zero else port, 7000)
                        else:
                            t = (7000, port)
                        lines.append(b'%sE %d %x %d %d %d %d ::ffff:127.0.0.1 ::ffff:127.0.0.1 %d 0 0 python3\\\\n"}\\n'
                                     % (P, now, sk[side], a, b, t[0], t[1], 4242))
                    sent += 10; conn += 1
                while hb <= now:
                    for cpu in (0, 1):
                        lines.append(b'%sH %d %d\\\\n"}\\n' % (P, now, cpu))
                    hb += 20_000_000
                for l in lines:  # one write a line, as bpftrace flushes each printf
                    out.write(l); out.flush()
                time.sleep(0.001)
            """;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        String jars = System.getProperty("jars");
        if (jars != null) {
            JarSets.run(EventFeedBenchmark.class, jars.split("\\|"), System.getProperty("flags", ""),
                    seconds + " s at " + rate + " events/s offered", String.valueOf(seconds), String.valueOf(rate));
            return;
        }
        System.out.println(child(seconds, rate));
    }

    private static String child(int seconds, int rate) throws Exception {
        Path fake = Files.createTempFile("fake-bpftrace", ".py",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(fake, FAKE.replace("RATE", String.valueOf(rate)));
        System.setProperty("tcplens.bpftrace", fake.toString());
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().threadId();
        try (BpftraceEvents feed = BpftraceEvents.start(0, BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(30), true,
                false)) {
            if (!feed.on()) return "feed off: " + feed.status();
            Thread reader = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("tcplens-events")).findFirst().orElseThrow();
            long rid = reader.threadId();
            long events = 0, drainCpu = 0, drainBytes = 0, readerCpu0 = 0, readerBytes0 = 0, t0 = 0;
            int warm = 5;
            for (int s = 0; s < warm + seconds; s++) {
                Thread.sleep(1_000);
                if (s == warm) {
                    readerCpu0 = mx.getThreadCpuTime(rid);
                    readerBytes0 = mx.getThreadAllocatedBytes(rid);
                    t0 = System.nanoTime();
                    events = 0;
                    drainCpu = 0;
                    drainBytes = 0;
                }
                long cutoff = System.nanoTime();
                feed.awaitCaughtUp(cutoff, 500);
                long c = mx.getThreadCpuTime(self), b = mx.getThreadAllocatedBytes(self);
                EventBatch batch = feed.drain(cutoff);
                drainCpu += mx.getThreadCpuTime(self) - c;
                drainBytes += mx.getThreadAllocatedBytes(self) - b;
                if (batch != null) events += batch.transitions().size();
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            long readerCpu = mx.getThreadCpuTime(rid) - readerCpu0, readerBytes = mx.getThreadAllocatedBytes(rid) - readerBytes0;
            double n = Math.max(1, events);
            return String.format(Locale.ROOT,
                    "events/s %7.0f | reader %.3f s/s %5.2f us/ev %6.1f B/ev | drain %.3f s/s %5.2f us/ev %6.1f B/ev | lost %d",
                    events / secs, readerCpu / 1e9 / secs, readerCpu / 1e3 / n, readerBytes / n,
                    drainCpu / 1e9 / secs, drainCpu / 1e3 / n, drainBytes / n, feed.lostTotal());
        } finally {
            Files.deleteIfExists(fake);
        }
    }

    private EventFeedBenchmark() {}
}
