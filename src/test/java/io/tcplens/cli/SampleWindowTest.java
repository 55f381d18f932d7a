package io.tcplens.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.engine.PollingEngine;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.testutil.GeneratedTable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code --sample D} watches for D after the first poll: counted from before it, a first poll slowed
 * by a busy machine (a fresh JVM, the owner scan) took the whole sample, {@code ports} then answered
 * from one poll and measured its close rate over 0 s ({@code PortsAgainstKernelNetnsTest} at load 34).
 */
class SampleWindowTest {
    /** A table whose first poll takes {@code firstMillis}, then every poll is quick. */
    private static final class SlowFirstPoll implements SocketTableSource {
        final GeneratedTable table = new GeneratedTable(50, 2);
        final AtomicInteger polls = new AtomicInteger();
        final long firstMillis;

        SlowFirstPoll(long firstMillis) {
            this.firstMillis = firstMillis;
        }

        @Override
        public SourceInfo info() {
            return table.info();
        }

        @Override
        public Snapshot poll() {
            if (polls.getAndIncrement() == 0) {
                try {
                    Thread.sleep(firstMillis); // stands for a first poll the machine made slow
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return table.poll();
        }
    }

    @Test
    void theSampleStartsAfterTheFirstPoll() throws Exception {
        SamplingOptions o = new SamplingOptions();
        o.sample = "600ms";
        o.interval = "100ms";
        List<Long> seenAt = new ArrayList<>();
        try (PollingEngine engine = new PollingEngine(new SlowFirstPoll(1_500), Duration.ofMillis(100))) {
            o.watch(engine, r -> seenAt.add(System.nanoTime()));
        }
        assertTrue(seenAt.size() >= 2, "polls: " + seenAt.size());
        long watched = TimeUnit.NANOSECONDS.toMillis(seenAt.getLast() - seenAt.getFirst());
        assertTrue(watched >= 590, "the polls after the first span " + watched + " ms of a 600 ms sample");
    }
}
