package io.tcplens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.Sources;
import io.tcplens.source.TcpInfoDemand;
import io.tcplens.testutil.TestNetns;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
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

    @Test
    void aDemandForSomeSocketsGivesTheirCountersAloneAndAnyDemandForAllWins() throws Exception {
        assumeTrue(TestNetns.usable(), "needs root and ip netns");
        try (TestNetns ns = new TestNetns(4, 2, 1);
             PollingEngine engine = new PollingEngine(Sources.open("netns:" + ns.name() + "/netlink"), Duration.ofSeconds(1))) {
            List<SocketEntry> est = engine.pollOnce().snapshot().sockets().stream().filter(e -> e.state() == TcpState.ESTABLISHED).toList();
            assertEquals(8, est.size());
            AtomicReference<TcpInfoDemand> view = new AtomicReference<>(TcpInfoDemand.only(est.get(0).cookie(), est.get(3).cookie()));
            AtomicLong asked = new AtomicLong();
            engine.addTcpInfoDemand(seq -> {
                asked.set(seq);
                return view.get();
            });
            PollResult r = engine.pollOnce();
            assertEquals(r.sequence(), asked.get(), "the demand is asked for the poll with that sequence");
            assertEquals(2, withInfo(r), "the two sockets named (through the namespace source): " + r.snapshot().sockets());
            assertEquals(2, r.counters().size(), "read beside the table: " + r.counters());
            assertTrue(r.snapshot().sockets().stream().allMatch(e -> e.tcpInfo() == null), "no row copied to carry them");
            assertTrue(r.snapshot().sockets().stream().filter(e -> r.counters().get(e.cookie()) != null)
                    .allMatch(e -> e.cookie() == est.get(0).cookie() || e.cookie() == est.get(3).cookie()));
            AtomicBoolean all = new AtomicBoolean(false);
            engine.addTcpInfoDemand(seq -> all.get() ? TcpInfoDemand.ALL : TcpInfoDemand.only(est.get(5).cookie()));
            assertEquals(3, withInfo(engine.pollOnce()), "two consumers' sockets joined");
            all.set(true);
            assertTrue(withInfo(engine.pollOnce()) >= 8, "one consumer wants all: a full dump with tcp_info");
            all.set(false);
            view.set(TcpInfoDemand.NONE);
            assertEquals(1, withInfo(engine.pollOnce()));
        }
    }

    private static long withInfo(PollResult r) {
        assertEquals(null, r.error());
        // a row's own counters (a full dump) or those read beside the table for it (named by cookie)
        return r.snapshot().sockets().stream().filter(e -> e.tcpInfo() != null || r.counters().get(e.cookie()) != null).count();
    }
}
