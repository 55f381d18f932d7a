package io.tcplens.engine;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.testutil.CpuBurn;
import io.tcplens.testutil.GeneratedTable;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 (round 23): a poll carries the CPU its thread spent beside its wall time, so that the window
 * judges a poll by what it cost TcpLens, not by the time a busy machine made it wait. A source that waits
 * (wall, no CPU) and one that computes (CPU) tell them apart.
 */
class PollCpuTimeTest {
    /** A small generated table whose polls first wait or compute as told. */
    private static final class Source implements SocketTableSource {
        final GeneratedTable table = new GeneratedTable(200, 4);
        volatile long sleepMillis;
        volatile long burnMillis;

        @Override
        public SourceInfo info() {
            return table.info();
        }

        @Override
        public Snapshot poll() throws SourceException {
            try {
                if (sleepMillis > 0) Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SourceException("interrupted");
            }
            if (burnMillis > 0) CpuBurn.burn(burnMillis);
            return table.poll();
        }
    }

    @Test
    void aPollThatWaitsCostsLittleCpuAndOneThatComputesCostsItsTime() {
        Source src = new Source();
        try (PollingEngine engine = new PollingEngine(src, Duration.ofSeconds(1))) {
            engine.pollOnce(); // warm
            src.sleepMillis = 400;
            PollResult waited = engine.pollOnce();
            assertTrue(waited.pollMillis() >= 400, "wall " + waited.pollMillis());
            assertTrue(waited.cpuMillis() < 150, "a poll that waited 400 ms cost " + waited.cpuMillis() + " ms of CPU");
            src.sleepMillis = 0;
            src.burnMillis = 300;
            PollResult computed = engine.pollOnce();
            assertTrue(computed.cpuMillis() >= 300, "a poll that computed 300 ms cost " + computed.cpuMillis() + " ms of CPU");
            assertTrue(computed.cpuMillis() <= computed.pollMillis() + 1, computed.cpuMillis() + " CPU in " + computed.pollMillis() + " wall");
        }
    }
}
