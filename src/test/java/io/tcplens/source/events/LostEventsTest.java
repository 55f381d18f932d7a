package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.diagram.DiagramPlan;
import io.tcplens.diagram.EdgeStep;
import io.tcplens.diagram.TokenMove;
import io.tcplens.diagram.TransitionPlanner;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.source.netns.NamespaceSource;
import io.tcplens.source.netns.NamespaceTarget;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An artificially small ring (8 events) overflows during a burst of 20 connections between two polls:
 * the losses are counted, that interval is marked incomplete and drawn from inference (dashed), and
 * the next interval is complete again.
 */
class LostEventsTest {
    private static final String BURST = """
            import socket, sys, time
            l = socket.socket(); l.bind(('127.0.0.1', 9000)); l.listen(128)
            print('ready', flush=True); sys.stdin.readline()
            clients = set()
            for i in range(20):
                c = socket.create_connection(('127.0.0.1', 9000)); clients.add(c.getsockname()[1])
                a, _ = l.accept(); c.close(); a.recv(1); a.close()
            # the last ACK that puts a client into TIME_WAIT can be processed after close() returns (softirq
            # deferred under load): wait until this namespace's table shows each of the 20 in TIME_WAIT
            def time_wait():
                ports = set()
                for line in open('/proc/net/tcp').readlines()[1:]:
                    f = line.split()
                    if f[3] == '06' and f[2].endswith(':2328'): ports.add(int(f[1].split(':')[1], 16))
                return ports
            deadline = time.monotonic() + 30
            while not clients <= time_wait() and time.monotonic() < deadline: time.sleep(0.01)
            print('done', flush=True); sys.stdin.readline()
            """;

    @Test
    void aFullRingIsCountedAndTheIntervalIsInferred() throws Exception {
        assumeTrue(KernelEventsTest.usable(), () -> EventSupport.check().reason());
        try (EventNetns ns = new EventNetns()) {
            ns.python(BURST);
            assertEquals("ready", ns.readLine());
            NamespaceSource src = new NamespaceSource(new NamespaceTarget(ns.name, 0), NamespaceSource.Reader.NETLINK, false);
            try (PollingEngine engine = new PollingEngine(src, Duration.ofMillis(200));
                 BpftraceEvents feed = BpftraceEvents.start(ns.inode, 8, Duration.ofSeconds(60))) {
                assertTrue(feed.on(), feed.status());
                engine.attachEvents(feed);
                TransitionPlanner planner = new TransitionPlanner();
                planner.plan(List.of(engine.pollOnce()));
                Thread.sleep(100);
                PollResult quiet = engine.pollOnce();
                planner.plan(List.of(quiet));
                assertTrue(quiet.diff().events().complete(), "a quiet interval is complete");

                ns.send("go");
                assertEquals("done", ns.readLine());
                PollResult burst = engine.pollOnce();
                assertTrue(burst.diff().events().lost() > 0, "the 8-event ring overflowed: " + burst.diff().events());
                assertFalse(burst.diff().events().complete());
                assertTrue(burst.diff().events().transitions().isEmpty(), "an incomplete interval shows no partial steps");
                assertEquals(20, burst.diff().opened().size(), "the table still tells the 20 TIME_WAIT sockets");
                DiagramPlan p = planner.plan(List.of(burst));
                assertEquals(1, planner.inferredIntervals());
                assertTrue(planner.lostEvents() > 0);
                long dashed = p.moves().stream().filter(m -> m.kind() == TokenMove.Kind.ENTER)
                        .filter(m -> m.path().stream().anyMatch(EdgeStep::inferred)).count();
                assertEquals(20, dashed, "the 20 connections' paths are inferred (dashed)");
                assertTrue(feed.lostTotal() >= burst.diff().events().lost());

                Thread.sleep(100);
                PollResult after = engine.pollOnce();
                assertTrue(after.diff().events().complete(), "the next interval is complete again");
                assertEquals(0, after.diff().events().lost());
            }
        }
    }
}
