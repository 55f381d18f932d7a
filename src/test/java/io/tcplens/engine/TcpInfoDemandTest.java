package io.tcplens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.Sources;
import io.tcplens.testutil.TestNetns;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * The engine asks the kernel for tcp_info only while a registered consumer wants it: a poll with no
 * consumer (watch, serve) carries none, one whose consumer wants it (the table with a traffic column
 * shown) carries it on every ESTABLISHED row, and a consumer that stops wanting it stops it again.
 * Real sockets in a private namespace (its table is the test's alone), read over netlink.
 */
class TcpInfoDemandTest {
    @Test
    void tcpInfoOnlyWhileAConsumerWantsIt() throws Exception {
        assumeTrue(TestNetns.usable(), "needs root and ip netns");
        try (TestNetns ns = new TestNetns(4, 2, 1);
             PollingEngine engine = new PollingEngine(Sources.open("netns:" + ns.name() + "/netlink"), Duration.ofSeconds(1))) {
            assertEquals(0, withInfo(engine.pollOnce()), "no consumer: no row carries tcp_info");
            AtomicBoolean shown = new AtomicBoolean(true);
            BooleanSupplier table = shown::get;
            engine.addTcpInfoConsumer(table);
            PollResult wanted = engine.pollOnce();
            long established = wanted.snapshot().sockets().stream().filter(e -> e.state() == TcpState.ESTABLISHED).count();
            assertEquals(8, established, "4 pairs, both ends: " + wanted.snapshot().sockets());
            assertTrue(wanted.snapshot().sockets().stream().filter(e -> e.state() == TcpState.ESTABLISHED)
                    .allMatch(e -> e.tcpInfo() != null), "a consumer wants it: every ESTABLISHED row has tcp_info");
            shown.set(false); // the traffic columns were hidden
            assertEquals(0, withInfo(engine.pollOnce()), "the only consumer no longer wants it");
            shown.set(true);
            engine.addTcpInfoConsumer(() -> false);
            assertTrue(withInfo(engine.pollOnce()) >= 8, "one consumer that wants it is enough");
            engine.removeTcpInfoConsumer(table);
            assertEquals(0, withInfo(engine.pollOnce()), "the wanting consumer withdrew");
        }
    }

    private static long withInfo(PollResult r) {
        assertEquals(null, r.error());
        return r.snapshot().sockets().stream().map(SocketEntry::tcpInfo).filter(t -> t != null).count();
    }
}
