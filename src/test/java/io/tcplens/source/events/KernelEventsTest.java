package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.diagram.DiagramPlan;
import io.tcplens.diagram.EdgeStep;
import io.tcplens.diagram.TokenMove;
import io.tcplens.diagram.TransitionPlanner;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTransition;
import io.tcplens.model.StateChange;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import io.tcplens.source.netns.NamespaceSource;
import io.tcplens.source.netns.NamespaceTarget;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kernel's state-change events merged with polling, on real loopback sockets in a namespace of the
 * test's own (the tracepoint is global; the feed filters by the namespace's inode in the kernel).
 * Root only, as .ci/run is.
 */
class KernelEventsTest {
    static final String CLIENT_CLOSES = """
            import socket, sys, time
            n = int(sys.argv[1])
            l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            l.bind(('127.0.0.1', 9000)); l.listen(128)
            print('ready', flush=True); sys.stdin.readline()
            for i in range(n):
                c = socket.create_connection(('127.0.0.1', 9000)); a, _ = l.accept()
                print(c.getsockname()[1], flush=True)
                c.close(); a.recv(1); time.sleep(0.03); a.close()
                time.sleep(0.07)
            print('done', flush=True); sys.stdin.readline()
            """;

    static boolean usable() {
        return "root".equals(System.getProperty("user.name")) && EventSupport.check().available();
    }

    /**
     * Up to three runs of 20 clients: a run in which the kernel skipped the probe (nested on a busy CPU, see
     * {@link ProbeMisses}) may miss steps of ours with no loss reported, so the strict claims are made on a run
     * with no skip; a run with skips must show that the feed said so and that nothing was claimed observed that
     * was not. If all three runs had skips (a very busy machine), those checks are what the test asserts.
     */
    @Test
    void everyClientClosedConnectionIsSeenStepByStepNoneInferred() throws Exception {
        assumeTrue(usable(), () -> EventSupport.check().reason());
        for (int attempt = 1; ; attempt++) {
            Run run = runClients(20);
            if (run.skipped == 0) {
                assertEveryStepObserved(run);
                return;
            }
            assertTrue(run.status.contains("the kernel skipped the probe " + run.skipped + " times"), run.status);
            assertSkipsReportedHonestly(run);
            System.out.println("KernelEventsTest: run " + attempt + ": the kernel skipped the probe " + run.skipped
                    + " times (any namespace)" + (attempt < 3 ? "; again" : "; the strict claims were not checked"));
            if (attempt == 3) return;
        }
    }

    /**
     * One run's results: the polls, the clients' ports, the feed's batches, the kernel's skips of the probe and
     * the feed's status at the end.
     */
    record Run(int n, List<PollResult> polls, List<Integer> ports, Recording rec, long skipped, boolean countsSkips,
               String status) {}

    private static Run runClients(int n) throws Exception {
        try (EventNetns ns = new EventNetns()) {
            noTimeWaitReuse(ns);
            ns.python(CLIENT_CLOSES, Integer.toString(n));
            assertEquals("ready", ns.readLine());
            NamespaceSource src = new NamespaceSource(new NamespaceTarget(ns.name, 0), NamespaceSource.Reader.NETLINK, false);
            try (PollingEngine engine = new PollingEngine(src, Duration.ofMillis(100));
                 BpftraceEvents feed = BpftraceEvents.start(ns.inode, BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(60))) {
                assertTrue(feed.on(), feed.status());
                Recording rec = new Recording(feed);
                engine.attachEvents(rec);
                List<PollResult> polls = new ArrayList<>();
                polls.add(engine.pollOnce());
                Thread.sleep(150);
                polls.add(engine.pollOnce());
                ns.send("go");
                List<Integer> ports = new ArrayList<>();
                Thread reader = new Thread(() -> {
                    try {
                        for (String l; (l = ns.readLine()) != null && !l.equals("done"); ) {
                            synchronized (ports) {
                                ports.add(Integer.parseInt(l.strip()));
                            }
                        }
                    } catch (Exception ignored) {
                        // the child ended
                    }
                });
                reader.start();
                while (reader.isAlive()) {
                    polls.add(engine.pollOnce());
                    Thread.sleep(100);
                }
                // the last clients' closing steps can still be on their way out of bpftrace (on a busy machine
                // its output lags the kernel by more than a poll's catch-up wait): poll until every client's
                // close into TIME_WAIT has been drained (at most 20 s, less once the kernel skipped the probe:
                // a skipped close never comes), then twice more for the servers' last step
                assertEquals(n, ports.size());
                assertEquals(n, new HashSet<>(ports).size(), "every client had its own 4-tuple: " + ports);
                // (a close the kernel never reports - see kernelSteps - does not come: once the table has every
                // client in TIME_WAIT, 3 s more of polls are enough for events that lag)
                long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                long allInTimeWait = 0;
                while (!allClosed(rec, ports) && System.nanoTime() < deadline
                        && (allInTimeWait == 0 || System.nanoTime() - allInTimeWait < Duration.ofSeconds(3).toNanos())) {
                    Thread.sleep(150);
                    polls.add(engine.pollOnce());
                    if (allInTimeWait == 0 && inTimeWait(polls.get(polls.size() - 1).connections(), ports)) allInTimeWait = System.nanoTime();
                }
                for (int i = 0; i < 2; i++) {
                    Thread.sleep(150);
                    polls.add(engine.pollOnce());
                }
                return new Run(n, polls, List.copyOf(ports), rec, feed.skippedTotal(), feed.countsSkips(), feed.status());
            }
        }
    }

    private static Map<ConnectionKey, List<StateChange>> seen(Run run) {
        Map<ConnectionKey, List<StateChange>> seen = new HashMap<>();
        for (PollResult r : run.polls) {
            assertNotNull(r.diff().events(), "every poll carries the events");
            for (StateChange c : r.diff().events().transitions())
                seen.computeIfAbsent(plain(c.key()), k -> new ArrayList<>()).add(c);
        }
        return seen;
    }

    /** No skip in the run: every poll complete, every client's and server's steps observed, none inferred. */
    private static void assertEveryStepObserved(Run run) throws Exception {
        assertTrue(run.countsSkips, "the feed reads the kernel's skips of its tracepoint program");
        List<PollResult> polls = run.polls;
        Map<ConnectionKey, List<StateChange>> seen = seen(run);
        TransitionPlanner planner = new TransitionPlanner();
        List<TokenMove> moves = new ArrayList<>();
        for (PollResult r : polls) {
            if (r.sequence() > 2) assertTrue(r.diff().events().complete(), "no event lost at poll " + r.sequence());
            DiagramPlan p = planner.plan(List.of(r));
            moves.addAll(p.moves());
        }
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        List<Integer> unreported = new ArrayList<>();
        for (int port : run.ports) {
            ConnectionKey client = new ConnectionKey(new Endpoint(lo, port), new Endpoint(lo, 9000));
            ConnectionKey server = new ConnectionKey(new Endpoint(lo, 9000), new Endpoint(lo, port));
            if (!kernelSteps(run.rec, client).equals(CLIENT_KERNEL_STEPS) || behindTheTable(run, client)) {
                // the kernel did not report this client's whole life, or a poll's table was ahead of the events
                // drained with it (bpftrace's output lagging on a busy machine): inferred, never made up
                unreported.add(port);
                assertNotClaimedObserved(run, client, port);
                continue;
            }
            assertEquals(List.of("CLOSED>SYN_SENT", "SYN_SENT>ESTABLISHED", "ESTABLISHED>FIN_WAIT1",
                    "FIN_WAIT1>FIN_WAIT2", "FIN_WAIT2>TIME_WAIT"), steps(seen.get(client)),
                    "client " + port + "; " + run.rec.story(client, polls));
            assertEquals(List.of("LISTEN>SYN_RECV", "SYN_RECV>ESTABLISHED", "ESTABLISHED>CLOSE_WAIT",
                    "CLOSE_WAIT>LAST_ACK", "LAST_ACK>CLOSED"), steps(seen.get(server)), "server " + port);
            // the table confirms the TIME_WAIT, and the tracker dates it from the kernel
            TrackedConnection tc = polls.get(polls.size() - 1).connections().get(client);
            assertNotNull(tc, "client " + port + " is in the table");
            assertEquals(TcpState.TIME_WAIT, tc.entry().state());
            assertTrue(tc.stateSinceObserved());
            assertEquals(seen.get(client).get(4).atMillis(), tc.stateSinceMillis());
            assertEquals(seen.get(client).get(0).atMillis(), tc.firstSeenMillis());
        }
        assertTrue(unreported.size() <= run.n / 4, "most clients' lives reported in full and in time; not: " + unreported);
        if (!unreported.isEmpty())
            System.out.println("KernelEventsTest: clients not reported in full or behind the table: " + unreported);
        int ourMoves = 0;
        for (TokenMove m : moves) {
            int p = m.key().local().port() == 9000 ? m.key().remote().port() : m.key().local().port();
            if (!run.ports.contains(p) || unreported.contains(p)) continue;
            ourMoves++;
            for (EdgeStep s : m.path())
                assertFalse(s.inferred(), "inferred step " + s.edge() + " in " + m.kind() + " of " + m.key());
        }
        assertTrue(ourMoves >= run.n - unreported.size(), "the diagram moved the connections' tokens: " + ourMoves);
    }

    /**
     * The kernel skipped the probe in the run (any namespace's events): the table still has every client in
     * TIME_WAIT, and the tracker claims no client's TIME_WAIT as observed unless the step into it was drained
     * in a complete interval, at that step's time (a skipped step of ours is inferred, not made up).
     */
    private static void assertSkipsReportedHonestly(Run run) throws Exception {        InetAddress lo = InetAddress.getByName("127.0.0.1");
        for (int port : run.ports)
            assertNotClaimedObserved(run, new ConnectionKey(new Endpoint(lo, port), new Endpoint(lo, 9000)), port);
    }

    /**
     * The table has the client in TIME_WAIT, and the tracker claims that TIME_WAIT as observed only if the step
     * into it was drained in a complete interval, and then at that step's time.
     */
    private static void assertNotClaimedObserved(Run run, ConnectionKey client, int port) {
        List<PollResult> polls = run.polls;
        TrackedConnection tc = polls.get(polls.size() - 1).connections().get(client);
        assertNotNull(tc, "client " + port + " is in the table");
        assertEquals(TcpState.TIME_WAIT, tc.entry().state(), "client " + port);
        if (!tc.stateSinceObserved()) return;
        StateChange into = null;
        for (PollResult r : polls)
            if (r.diff().events().complete())
                for (StateChange c : r.diff().events().transitions())
                    if (plain(c.key()).equals(client) && c.to() == TcpState.TIME_WAIT) into = c;
        assertNotNull(into, "client " + port + ": TIME_WAIT claimed observed; " + run.rec.story(client, polls));
        assertEquals(into.atMillis(), tc.stateSinceMillis(), "client " + port);
    }

    /** The feed's batches as the engine drained them, to say on a failure what each poll got. */
    static final class Recording implements EventFeed {
        private final EventFeed feed;
        final List<EventBatch> batches = new ArrayList<>();
        private final List<Boolean> caughtUp = new ArrayList<>();

        Recording(EventFeed feed) {
            this.feed = feed;
        }

        @Override
        public boolean awaitCaughtUp(long monoNanos, long maxWaitMillis) {
            boolean c = feed.awaitCaughtUp(monoNanos, maxWaitMillis);
            synchronized (batches) {
                caughtUp.add(c);
            }
            return c;
        }

        @Override
        public EventBatch drain(long cutoffMonoNanos) {
            EventBatch b = feed.drain(cutoffMonoNanos);
            synchronized (batches) {
                if (lastCutoff != 0) slowestGap = Math.max(slowestGap, cutoffMonoNanos - lastCutoff);
                lastCutoff = cutoffMonoNanos;
                batches.add(b);
            }
            return b;
        }

        @Override
        public boolean on() {
            return feed.on();
        }

        @Override
        public String status() {
            return feed.status();
        }

        @Override
        public long lostTotal() {
            return feed.lostTotal();
        }

        @Override
        public void close() {
            // the test closes the real feed
        }

        /** Client sockets (local port in [{@code from}, {@code to}]) the kernel's events say closed from FIN_WAIT1/2 or CLOSING. */
        long clientCloses(int from, int to) {
            long n = 0;
            synchronized (batches) {
                for (EventBatch b : batches)
                    for (KernelTransition e : b.transitions())
                        if (e.mayEnterTimeWait() && e.key().local().port() >= from && e.key().local().port() <= to) n++;
            }
            return n;
        }

        /** As {@link #clientCloses}, per 4-tuple (plain keys). */
        Map<ConnectionKey, Long> closesByKey(int from, int to) {
            Map<ConnectionKey, Long> out = new HashMap<>();
            synchronized (batches) {
                for (EventBatch b : batches)
                    for (KernelTransition e : b.transitions())
                        if (e.mayEnterTimeWait() && e.key().local().port() >= from && e.key().local().port() <= to)
                            out.merge(plain(e.key()), 1L, Long::sum);
            }
            return out;
        }

        /** Polls whose wait for the reader to catch up with the end of their table read ran out. */
        long notCaughtUp() {
            synchronized (batches) {
                return caughtUp.stream().filter(c -> !c).count();
            }
        }

        int polls() {
            synchronized (batches) {
                return batches.size();
            }
        }

        /** The longest time between two drains (ms), from the nanos the engine asked to catch up to. */
        double slowestGapMillis() {
            synchronized (batches) {
                return slowestGap / 1e6;
            }
        }

        private long lastCutoff, slowestGap;

        /** Per poll: the table's state of {@code k}, the kernel's events for it drained then (socket, from>to). */
        String story(ConnectionKey k, List<PollResult> polls) {
            StringBuilder sb = new StringBuilder();
            synchronized (batches) {
                for (int i = 0; i < polls.size(); i++) {
                    TrackedConnection t = polls.get(i).connections().get(k);
                    List<String> ev = new ArrayList<>();
                    if (i < batches.size())
                        for (KernelTransition e : batches.get(i).transitions())
                            if (plain(e.key()).equals(plain(k)))
                                ev.add(Long.toHexString(e.socketId()) + ":" + e.from() + ">" + e.to());
                    if (t == null && ev.isEmpty()) continue;
                    sb.append("poll ").append(polls.get(i).sequence()).append(i < caughtUp.size() && !caughtUp.get(i) ? " (events not caught up)" : "")
                            .append(": table ").append(t == null ? "-" : t.entry().state()).append(", events ").append(ev).append("; ");
                }
                // for a failure: every drained event of the same kernel socket(s), whatever key it carried,
                // and what the feed says it read and lost (were the missing steps never read, or read under another key?)
                Set<Long> sockets = new HashSet<>();
                for (EventBatch b : batches)
                    for (KernelTransition e : b.transitions()) if (plain(e.key()).equals(plain(k))) sockets.add(e.socketId());
                sb.append("| ").append(batches.size()).append(" drains for ").append(polls.size()).append(" polls");
                if (feed instanceof BpftraceEvents b) sb.append("; feed read ").append(b.received()).append(" events");
                sb.append(", lost ").append(feed.lostTotal()).append("; the socket's events in every drain:");
                for (int i = 0; i < batches.size(); i++)
                    for (KernelTransition e : batches.get(i).transitions())
                        if (sockets.contains(e.socketId()))
                            sb.append(" [drain ").append(i).append(' ').append(e.from()).append('>').append(e.to()).append(' ').append(e.key()).append(']');
            }
            return sb.toString();
        }
    }

    /**
     * The tests name each connection by its 4-tuple: with {@code tcp_tw_reuse} 2 (a new namespace's default) the
     * kernel may give a later client the port of an earlier one still in TIME_WAIT (seen: 41512 twice in 20
     * connections, about a second apart), and one 4-tuple would then have two lives. Off in the test's namespace only.
     */
    static void noTimeWaitReuse(EventNetns ns) throws IOException {
        ns.sysctl("net.ipv4.tcp_tw_reuse", "0");
    }

    /** Whether a table (a poll's, a tracker's) has every client of {@code ports} in TIME_WAIT. */
    static boolean inTimeWait(Map<ConnectionKey, TrackedConnection> table, List<Integer> ports) throws IOException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        for (int port : ports) {
            TrackedConnection t = table.get(new ConnectionKey(new Endpoint(lo, port), new Endpoint(lo, 9000)));
            if (t == null || t.entry().state() != TcpState.TIME_WAIT) return false;
        }
        return true;
    }

    /**
     * The kernel's own steps for a client 4-tuple, in its names, from every drained batch. The kernel does not
     * always report a close: with a second feed counting in the kernel (a map in the probe itself, no netns
     * filter, misses 0), 5-7 of 1,500 clients closed this way went FIN_WAIT1 to TIME_WAIT with no
     * FIN_WAIT1 -> FIN_WAIT2 -> CLOSE at all, on this 6.18 kernel at load 15. TcpLens can only infer those.
     */
    static List<String> kernelSteps(Recording rec, ConnectionKey client) {
        List<String> out = new ArrayList<>();
        synchronized (rec.batches) {
            for (EventBatch b : rec.batches)
                for (KernelTransition e : b.transitions())
                    if (plain(e.key()).equals(client)) out.add(e.from() + ">" + e.to());
        }
        return out;
    }

    /**
     * Whether at some poll the table had the client in a state the events drained up to that poll had not reached
     * yet (seen at load 10: the table FIN_WAIT2 while the drained events ended at FIN_WAIT1, the rest a poll
     * later). The tracker then infers that poll's steps for the connection, and the strict claim does not apply.
     */
    static boolean behindTheTable(Run run, ConnectionKey client) {
        String eventsSay = null;
        synchronized (run.rec.batches) {
            for (int i = 0; i < run.polls.size() && i < run.rec.batches.size(); i++) {
                for (KernelTransition e : run.rec.batches.get(i).transitions())
                    if (plain(e.key()).equals(client))
                        eventsSay = e.from().name().equals("FIN_WAIT2") && e.to().name().equals("CLOSE") ? "TIME_WAIT" : e.to().name();
                TrackedConnection t = run.polls.get(i).connections().get(client);
                // events ahead of the table are normal (the dump reads rows over time, the events run to its end)
                if (t != null && CLIENT_ORDER.indexOf(t.entry().state().name()) > CLIENT_ORDER.indexOf(eventsSay)) return true;
            }
        }
        return false;
    }

    /** A client's states in the order it passes them (for "the table is ahead of the events"). */
    private static final List<String> CLIENT_ORDER = List.of("SYN_SENT", "ESTABLISHED", "FIN_WAIT1", "FIN_WAIT2", "TIME_WAIT");

    static final List<String> CLIENT_KERNEL_STEPS = List.of("CLOSE>SYN_SENT", "SYN_SENT>ESTABLISHED",
            "ESTABLISHED>FIN_WAIT1", "FIN_WAIT1>FIN_WAIT2", "FIN_WAIT2>CLOSE");

    /** Whether the drained events hold, for every client port, its socket's close from FIN_WAIT1/2 or CLOSING. */
    static boolean allClosed(Recording rec, List<Integer> ports) {
        Set<Integer> closed = new HashSet<>();
        for (ConnectionKey k : rec.closesByKey(1, 65535).keySet())
            if (k.remote().port() == 9000) closed.add(k.local().port());
        return closed.containsAll(ports);
    }

    static ConnectionKey plain(ConnectionKey k) {
        return KernelTransition.plainKey(k);
    }

    static List<String> steps(List<StateChange> l) {
        List<String> out = new ArrayList<>();
        if (l != null) for (StateChange c : l) out.add(c.from() + ">" + c.to());
        return out;
    }
}
