package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.ConnectionKey;
import io.tcplens.source.Sources;
import io.tcplens.source.linux.ProcNetSource;
import io.tcplens.testutil.LoopbackSockets;
import java.net.Socket;
import io.tcplens.testutil.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A window joining an engine that is already polling gets the latest poll first, then every later one, in order and none twice. */
class StartedEngineTest {
    @Test
    void joiningWhilePollsRunGivesEveryPollFromTheHeldOneOnInOrder() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        try (PollingEngine engine = new PollingEngine(Sources.open("proc"), PollingEngine.MIN_INTERVAL)) {
            StartedEngine started = new StartedEngine(engine);
            engine.start();
            Await.until(() -> started.held() != null && started.held().sequence() >= 2, Duration.ofSeconds(60), "polls before the window joins");
            assertTrue(engine.tcpInfoWanted(), "polls before the window joins carry tcp_info");
            List<PollResult> seen = new ArrayList<>();
            started.join(() -> engine.addListener(r -> {
                synchronized (seen) {
                    seen.add(r);
                }
            }), r -> {
                synchronized (seen) {
                    seen.add(r);
                }
            });
            assertFalse(engine.tcpInfoWanted(), "after joining the window says whether it wants tcp_info");
            Await.until(() -> {
                synchronized (seen) {
                    return seen.size() >= 5;
                }
            }, Duration.ofSeconds(60), "polls after joining");
            engine.close();
            List<PollResult> copy;
            synchronized (seen) {
                copy = List.copyOf(seen);
            }
            assertTrue(copy.get(0).sequence() >= 2, "the first one given is the latest held");
            for (int i = 1; i < copy.size(); i++)
                assertEquals(copy.get(i - 1).sequence() + 1, copy.get(i).sequence(), "polls in order, none missed or twice: " + copy.stream().map(PollResult::sequence).toList());
            assertNull(started.held());
        }
    }

    /**
     * Issue 13: until the window joins, the early engine's polls skip the owner scan (every process's
     * descriptors) and say so; the first poll after the join names the owners. Checked on this test's
     * own ESTABLISHED connection, by 4-tuple.
     */
    @Test
    void pollsBeforeTheWindowJoinsSkipTheOwnerScanAndThePollAfterItNamesTheOwners() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        try (LoopbackSockets lab = new LoopbackSockets(); PollingEngine engine = new PollingEngine(new ProcNetSource(), Duration.ofSeconds(1))) {
            Socket[] pair = lab.established();
            ConnectionKey mine = LoopbackSockets.key(pair[0]);
            StartedEngine started = new StartedEngine(engine);
            for (int i = 0; i < 2; i++) {
                PollResult r = engine.pollOnce();
                assertNotNull(r.connections().get(mine), "our connection is in poll " + r.sequence());
                assertNull(r.connections().get(mine).entry().pid(), "no owner looked up before the window joins, poll " + r.sequence());
                assertTrue(r.snapshot().warnings().contains(PollingEngine.OWNERS_NEXT_POLL), r.snapshot().warnings().toString());
            }
            started.join(() -> {}, r -> {});
            PollResult after = engine.pollOnce();
            assertEquals(ProcessHandle.current().pid(), (long) after.connections().get(mine).entry().pid(), "owners from the first poll after the join");
            assertFalse(after.snapshot().warnings().contains(PollingEngine.OWNERS_NEXT_POLL));
        }
    }
}
