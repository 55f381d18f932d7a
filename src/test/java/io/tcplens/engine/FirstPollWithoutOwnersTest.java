package io.tcplens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.TrackedConnection;
import io.tcplens.source.linux.NetlinkSource;
import io.tcplens.source.linux.ProcNetSource;
import io.tcplens.source.SocketTableSource;
import io.tcplens.testutil.LoopbackSockets;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The window's first poll comes without owners where looking them up costs a poll, says so, and the
 * next poll names them: checked on this test's own ESTABLISHED connection (by 4-tuple), netlink and /proc.
 */
class FirstPollWithoutOwnersTest {
    @Test
    void netlink() throws Exception {
        check(new NetlinkSource());
    }

    @Test
    void proc() throws Exception {
        check(new ProcNetSource());
    }

    private static void check(SocketTableSource src) throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets(); PollingEngine engine = new PollingEngine(src, Duration.ofSeconds(1))) {
            Socket[] pair = lab.established();
            ConnectionKey mine = LoopbackSockets.key(pair[0]);
            engine.setFirstPollWithoutOwners(true);
            PollResult first = engine.pollOnce();
            TrackedConnection c = first.connections().get(mine);
            assertNotNull(c, "our connection is in the first poll");
            assertNull(c.entry().pid(), "no owner looked up in the first poll");
            assertTrue(first.snapshot().warnings().contains(PollingEngine.OWNERS_NEXT_POLL), first.snapshot().warnings().toString());
            PollResult second = engine.pollOnce();
            assertEquals(ProcessHandle.current().pid(), (long) second.connections().get(mine).entry().pid(), "owner from the second poll on");
            assertFalse(second.snapshot().warnings().contains(PollingEngine.OWNERS_NEXT_POLL));
        }
    }
}
