package io.tcplens.ui.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.diagram.DiagramPlan;
import io.tcplens.diagram.TransitionPlanner;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.linux.ProcNetSource;
import io.tcplens.testutil.ExclusiveServerSocket;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the diagram in the background takes each poll's edges for its rates and nothing else (at
 * 100k the hidden diagram planned every poll: a walk of the whole table for its counts); when its tab
 * is shown again, its first plan is a resync with the table's own counts and the rates of a planner
 * that planned every poll. Real loopback sockets (thousands, picked by full 4-tuple), aggregated.
 */
class HiddenDiagramTest {
    @Test
    void aHiddenDiagramCountsEdgesOnlyAndIsRightWhenShown() throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc/net/tcp");
        FxTestSupport.start();
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<Socket> clients = new ArrayList<>(), accepted = new ArrayList<>();
        try (ServerSocket server = new ExclusiveServerSocket(lo, 2_000); ProcNetSource source = new ProcNetSource()) {
            int port = server.getLocalPort();
            Predicate<SocketEntry> mine = e -> e.local().port() == port || e.remote().port() == port;
            AtomicLong tested = new AtomicLong();
            Predicate<SocketEntry> counting = e -> {
                tested.incrementAndGet();
                return mine.test(e);
            };
            connect(server, lo, 1_500, clients, accepted);
            TestShellContext ctx = new TestShellContext();
            StateDiagramView view = FxTestSupport.onFx(() -> new StateDiagramView(ctx, counting, 100));
            TransitionPlanner every = new TransitionPlanner(mine, 100);
            ConnectionTracker tracker = new ConnectionTracker();
            long[] seq = {0};
            java.util.function.Supplier<PollResult> poll = () -> {
                try {
                    ConnectionTracker.Update u = tracker.update(source.poll());
                    return new PollResult(++seq[0], u.snapshot(), u.diff(), u.connections(), 0, null);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            };
            PollResult r = poll.get();
            view.prepare(r, List.of(r));
            every.plan(List.of(r));
            FxTestSupport.onFx(view::onHidden);
            DiagramPlan expected = null;

            // in the background: half the clients close (TIME_WAIT on their side), then more open
            for (int step = 0; step < 3; step++) {
                if (step == 0) for (int i = 0; i < 750; i++) clients.get(i).close();
                if (step == 1) for (int i = 0; i < 750; i++) accepted.get(i).close();
                if (step == 2) connect(server, lo, 500, clients, accepted);
                r = poll.get();
                long before = tested.get();
                view.observe(List.of(r));
                long perPoll = tested.get() - before;
                assertTrue(perPoll < r.snapshot().sockets().size(), "the hidden diagram tested " + perPoll
                        + " rows of a table of " + r.snapshot().sockets().size() + ": it walked the table");
                expected = every.plan(List.of(r));
            }
            PollResult latest = r;
            FxTestSupport.onFx(view::onShown);
            // the shell's refresh: the latest poll again, with no new one
            DiagramPlan shown = view.prepare(latest, List.of());
            assertTrue(shown.resync(), "the first plan after the background is a resync");
            assertTrue(shown.aggregated());
            assertEquals(expected.counts(), shown.counts(), "per-state counts: the table's");
            assertEquals(expected.total(), shown.total());
            assertTrue(shown.counts().get(TcpState.TIME_WAIT) >= 700 && shown.counts().get(TcpState.ESTABLISHED) >= 1_500,
                    "our sockets: " + shown.counts());
            assertEquals(Arrays.toString(expected.edgeRates()), Arrays.toString(shown.edgeRates()),
                    "edge rates: those of the planner that planned every poll");
            assertTrue(Arrays.stream(shown.edgeRates()).sum() > 0, "the closes and opens in the background are in the rates");
        } finally {
            for (Socket s : clients) s.close();
            for (Socket s : accepted) s.close();
        }
    }

    private static void connect(ServerSocket server, InetAddress lo, int n, List<Socket> clients, List<Socket> accepted) throws Exception {
        for (int i = 0; i < n; i++) {
            clients.add(new Socket(lo, server.getLocalPort()));
            accepted.add(server.accept());
        }
    }
}
