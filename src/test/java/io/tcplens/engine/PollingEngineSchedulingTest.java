package io.tcplens.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The window backs the refresh off on the FX thread when a poll outlasts the interval: changing the
 * interval, or reading the last result, must not wait for the poll in progress (at 100k sockets the
 * FX thread stood still for up to 1.2 s, the length of a poll).
 */
class PollingEngineSchedulingTest {
    static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "blocking", "test");

    /** A source whose second poll blocks until released. */
    static final class BlockingSource implements SocketTableSource {
        final CountDownLatch inPoll = new CountDownLatch(1), release = new CountDownLatch(1);
        int polls;

        @Override
        public SourceInfo info() {
            return SRC;
        }

        @Override
        public Snapshot poll() {
            if (++polls == 2) {
                inPoll.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return new Snapshot(System.currentTimeMillis(), List.of(), SRC, List.of());
        }
    }

    @Test
    void intervalChangesAndLastDoNotWaitForAPollInProgress() throws Exception {
        BlockingSource src = new BlockingSource();
        try (PollingEngine engine = new PollingEngine(src, Duration.ofMillis(100))) {
            engine.start();
            assertTrue(src.inPoll.await(20, TimeUnit.SECONDS), "the second poll started");
            try {
                // from another thread, as the FX thread does; the poll is held until both came back
                CompletableFuture<PollResult> other = CompletableFuture.supplyAsync(() -> {
                    engine.setInterval(Duration.ofSeconds(2));
                    return engine.last();
                });
                PollResult last = other.get(10, TimeUnit.SECONDS);
                assertEquals(1, last.sequence(), "the last finished poll, not the one in progress");
                assertEquals(Duration.ofSeconds(2), engine.interval());
            } finally {
                src.release.countDown();
            }
        }
    }
}
