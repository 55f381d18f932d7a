package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.source.Sources;
import io.tcplens.testutil.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: an engine begun before its window polls once and then waits for the window (a poll nobody
 * sees took the cores the window's start needed), until the window has shown the poll it joined with,
 * or at most {@link StartedEngine#HOLD_BEFORE_JOIN}.
 */
class StartedEngineHoldTest {
    @Test
    void afterItsFirstPollTheEngineWaitsUntilTheWindowShowsIt() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        try (PollingEngine engine = new PollingEngine(Sources.open("proc"), PollingEngine.MIN_INTERVAL)) {
            StartedEngine started = new StartedEngine(engine);
            engine.start();
            Await.until(() -> started.held() != null, Duration.ofSeconds(60), "the first poll");
            long firstAt = System.nanoTime();
            // ten intervals: without the hold the engine would have polled again meanwhile
            Await.until(() -> System.nanoTime() - firstAt > 10 * PollingEngine.MIN_INTERVAL.toNanos(), Duration.ofSeconds(60), "ten intervals");
            List<PollResult> seen = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> shown = new CompletableFuture<>();
            started.join(() -> engine.addListener(seen::add), seen::add, shown);
            Await.until(() -> System.nanoTime() - firstAt > 20 * PollingEngine.MIN_INTERVAL.toNanos(), Duration.ofSeconds(60), "ten more");
            long shownAt = System.nanoTime();
            boolean inTime = shownAt - firstAt < StartedEngine.HOLD_BEFORE_JOIN.toNanos(); // else the hold has ended by itself
            List<Long> before = seen.stream().map(PollResult::sequence).toList();
            shown.complete(null);
            Await.until(() -> seen.size() >= 3, Duration.ofSeconds(60), "polls once the first is shown");
            if (inTime) assertEquals(List.of(1L), before, "only the first poll before the window showed it");
            assertEquals(List.of(1L, 2L, 3L), seen.stream().limit(3).map(PollResult::sequence).toList());
        }
    }
}
