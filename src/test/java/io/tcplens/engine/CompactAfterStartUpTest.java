package io.tcplens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A big table gets one full collection after its start-up (issue 11: the start-up's dead objects in G1's old
 * generation cost a minute of long mixed pauses and a heap sized for them): before the poll that follows the
 * first poll with owners, once, and never for a small table.
 */
class CompactAfterStartUpTest {
    static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "rows", "test");

    /** A table of {@code n} rows whose owners cost a poll (as netlink's process scan does); counts its polls. */
    static final class Rows implements SocketTableSource {
        final List<SocketEntry> rows = new ArrayList<>();
        final CountDownLatch polled;
        final List<Boolean> ownersAsked = new ArrayList<>();
        private boolean owners = true;

        Rows(int n, int polls) {
            polled = new CountDownLatch(polls);
            for (int i = 0; i < n; i++) {
                ConnectionKey k = new ConnectionKey(new Endpoint(Addresses.fromBytes(new byte[] {10, 0, (byte) (i >> 8), (byte) i}), 40_000 + (i >> 16)),
                        new Endpoint(Addresses.fromBytes(new byte[] {10, 1, 0, 1}), 443));
                rows.add(new SocketEntry(k, TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 0, i, 1000 + i, "p", false));
            }
        }

        @Override
        public SourceInfo info() {
            return SRC;
        }

        @Override
        public void setOwnersWanted(boolean wanted) {
            owners = wanted;
        }

        @Override
        public boolean ownersCostAPoll() {
            return true;
        }

        @Override
        public synchronized Snapshot poll() {
            ownersAsked.add(owners);
            polled.countDown();
            return new Snapshot(System.currentTimeMillis(), rows, SRC, List.of());
        }
    }

    @Test
    void aBigTableIsCompactedOnceAfterItsFirstPollWithOwners() throws Exception {
        Rows src = new Rows(PollingEngine.COMPACT_FROM_ROWS + 1_000, 6);
        AtomicInteger compactions = new AtomicInteger();
        try (PollingEngine engine = new PollingEngine(src, Duration.ofMillis(100))) {
            engine.setFirstPollWithoutOwners(true);
            engine.setCompaction(compactions::incrementAndGet);
            engine.start();
            assertTrue(src.polled.await(60, TimeUnit.SECONDS), "six polls");
        }
        synchronized (src) {
            assertEquals(List.of(false, true), src.ownersAsked.subList(0, 2), "the first poll without owners, the second with");
        }
        assertEquals(1, compactions.get(), "one compaction in six polls");
    }

    @Test
    void theCompactionComesAfterThePollWithOwners() throws Exception {
        Rows src = new Rows(PollingEngine.COMPACT_FROM_ROWS, 5);
        try (PollingEngine engine = new PollingEngine(src, Duration.ofMillis(100))) {
            engine.setFirstPollWithoutOwners(true);
            engine.setCompaction(() -> { });
            engine.start();
            assertTrue(src.polled.await(60, TimeUnit.SECONDS), "five polls");
            assertEquals(2, engine.compactedAfter(), "after poll 2, the first with owners (poll 1 had none)");
        }
    }

    @Test
    void aSmallTableIsNotCompacted() throws Exception {
        Rows src = new Rows(PollingEngine.COMPACT_FROM_ROWS - 1, 5);
        AtomicInteger compactions = new AtomicInteger();
        try (PollingEngine engine = new PollingEngine(src, Duration.ofMillis(100))) {
            engine.setFirstPollWithoutOwners(true);
            engine.setCompaction(compactions::incrementAndGet);
            engine.start();
            assertTrue(src.polled.await(60, TimeUnit.SECONDS), "five polls");
            assertEquals(0, engine.compactedAfter());
        }
        assertEquals(0, compactions.get());
    }
}
