package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.analysis.ports.CloseRateMeter;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.KernelTransition;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.model.StateChange;
import io.tcplens.model.TcpState;
import io.tcplens.source.netns.NamespaceSource;
import io.tcplens.source.netns.NamespaceTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A known churn with {@code tcp_tw_reuse=2} (the default; it applies to loopback) in a namespace of the
 * test's own, with a 60-port range and polls a second apart so that connect() takes TIME_WAIT 4-tuples over: the close rate
 * measured with the kernel's events is within 2 % of the truth; the polling-only figure is printed beside it.
 * Its time is the churn's 20 s of wall clock, in a namespace of its own, so it runs beside the other classes
 * (junit-platform.properties).
 */
@Execution(ExecutionMode.CONCURRENT)
class CloseRateWithEventsTest {
    private static final String CHURN = """
            import socket, sys, time
            rate, secs = int(sys.argv[1]), float(sys.argv[2])
            l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            l.bind(('127.0.0.1', 9000)); l.listen(512)
            print('ready', flush=True); sys.stdin.readline()
            n, fails, t0 = 0, 0, time.monotonic()
            while time.monotonic() - t0 < secs:
                due = t0 + n / rate
                now = time.monotonic()
                if due > now: time.sleep(due - now)
                try:
                    c = socket.create_connection(('127.0.0.1', 9000))
                except OSError:
                    fails += 1; n += 1; continue
                a, _ = l.accept(); c.close(); a.recv(1); a.close()
                n += 1
            print(n - fails, fails, time.monotonic() - t0, flush=True); sys.stdin.readline()
            """;

    @Test
    void closeRateWithinTwoPercentOfTheTruth() throws Exception {
        assumeTrue(KernelEventsTest.usable(), () -> EventSupport.check().reason());
        try (EventNetns ns = new EventNetns()) {
            ns.sysctl("net.ipv4.tcp_tw_reuse", "2");
            ns.sysctl("net.ipv4.ip_local_port_range", "40000 40059");
            ns.python(CHURN, "50", "20");
            assertEquals("ready", ns.readLine());
            NamespaceSource src = new NamespaceSource(new NamespaceTarget(ns.name, 0), NamespaceSource.Reader.NETLINK, false);
            try (PollingEngine engine = new PollingEngine(src, Duration.ofSeconds(1));
                 BpftraceEvents feed = BpftraceEvents.start(ns.inode, BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(60))) {
                assertTrue(feed.on(), feed.status());
                KernelEventsTest.Recording rec = new KernelEventsTest.Recording(feed);
                engine.attachEvents(rec);
                CloseRateMeter withEvents = new CloseRateMeter(600_000);
                CloseRateMeter pollingOnly = new CloseRateMeter(600_000);
                List<PollResult> polls = new ArrayList<>();
                feedBoth(polls, engine.pollOnce(), withEvents, pollingOnly);
                Thread.sleep(1000);
                feedBoth(polls, engine.pollOnce(), withEvents, pollingOnly);
                ns.send("go");
                String[] result = new String[1];
                Thread reader = new Thread(() -> {
                    try {
                        result[0] = ns.readLine();
                    } catch (Exception ignored) {
                        // the child ended
                    }
                });
                reader.start();
                long incomplete = 0, takeovers = 0;
                while (reader.isAlive()) {
                    Thread.sleep(1000);
                    PollResult r = engine.pollOnce();
                    if (!r.diff().eventsComplete()) incomplete++;
                    else takeovers += r.diff().events().takenOver().size();
                    feedBoth(polls, r, withEvents, pollingOnly);
                }
                String[] f = result[0].strip().split(" ");
                int truth = Integer.parseInt(f[0]);
                // the events of the churn's last connections reach the meter once bpftrace's output has been read: on
                // a loaded machine (load 30) that lagged past one more poll a second later (932 of 959 counted). Poll
                // on until the count stops growing for three polls (30 s at most): events that never come still fail
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                double before = -1;
                for (int still = 0; still < 3 && System.nanoTime() < deadline; ) {
                    Thread.sleep(1000);
                    feedBoth(polls, engine.pollOnce(), withEvents, pollingOnly);
                    double now = withEvents.timeWaitEntryRate() * withEvents.spanMillis() / 1000.0;
                    still = Math.round(now) == Math.round(before) ? still + 1 : 0;
                    before = now;
                }
                double secs = Double.parseDouble(f[2]);
                double span = withEvents.spanMillis() / 1000.0;
                double measured = withEvents.timeWaitEntryRate() * span;
                double polled = pollingOnly.timeWaitEntryRate() * pollingOnly.spanMillis() / 1000.0;
                String summary = String.format(Locale.ROOT, "churn: %d connections in %.1f s (%.2f/s, %s connect failures); measured "
                                + "with events %.0f (%.2f/s, %+.2f %%), polling only %.0f (%.2f/s, %+.2f %%); "
                                + "%d TIME_WAIT takeovers seen; %d intervals without complete events, %d events lost; "
                                + "the kernel's client closes (FIN_WAIT1/2, CLOSING -> CLOSE) drained: %d; polls: %d (%d not caught up with the reader), slowest %.0f ms",
                        truth, secs, truth / secs, f[1],
                        measured, measured / secs, 100 * (measured - truth) / truth, polled, polled / secs,
                        100 * (polled - truth) / truth, takeovers, incomplete, feed.lostTotal(), rec.clientCloses(40000, 40059),
                        rec.polls(), rec.notCaughtUp(), rec.slowestGapMillis());
                System.out.println(summary);
                assertTrue(truth >= 900, "the churn ran: " + truth);
                assertTrue(Math.abs(measured - truth) <= 0.02 * truth,
                        "entries into TIME_WAIT with events: " + measured + ", truth " + truth + "; " + summary + uncounted(rec, polls));
            }
        }
    }

    /**
     * Up to three client 4-tuples whose kernel closes (FIN_WAIT1/2, CLOSING -> CLOSE) outnumber the steps into
     * TIME_WAIT the polls reported for them, each with its story per poll: where the count was lost.
     */
    static String uncounted(KernelEventsTest.Recording rec, List<PollResult> polls) {
        Map<ConnectionKey, int[]> by = new HashMap<>();
        for (PollResult r : polls) {
            if (!r.diff().eventsComplete()) continue;
            for (StateChange c : r.diff().events().transitions())
                if (c.to() == TcpState.TIME_WAIT) by.computeIfAbsent(KernelTransition.plainKey(c.key()), k -> new int[2])[1]++;
        }
        for (Map.Entry<ConnectionKey, Long> e : rec.closesByKey(40000, 40059).entrySet())
            by.computeIfAbsent(e.getKey(), k -> new int[2])[0] += e.getValue().intValue();
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (Map.Entry<ConnectionKey, int[]> e : by.entrySet()) {
            if (e.getValue()[0] <= e.getValue()[1] || shown++ >= 3) continue;
            sb.append("\n").append(e.getKey()).append(": ").append(e.getValue()[0]).append(" closes, ").append(e.getValue()[1])
                    .append(" into TIME_WAIT; ").append(rec.story(e.getKey(), polls));
        }
        return sb.toString();
    }

    private static void feedBoth(List<PollResult> polls, PollResult r, CloseRateMeter events, CloseRateMeter polling) {
        polls.add(r);
        events.observe(r);
        SnapshotDiff d = r.diff();
        polling.observe(new PollResult(r.sequence(), r.snapshot(),
                new SnapshotDiff(d.opened(), d.closed(), d.transitions(), d.fromMillis(), d.toMillis()),
                r.connections(), r.pollNanos(), r.error()));
    }
}
