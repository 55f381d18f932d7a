package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link BpftraceEvents#close()} returns once the child's output readers have ended: nothing of the feed
 * runs after it, and the status it leaves ("stopped") is not overwritten by the reader seeing the child's
 * output end (before, the reader's "bpftrace exited" could land after it).
 */
class BpftraceEventsCloseTest {
    @Test
    void closeWaitsForTheReadersAndLeavesTheStatusStopped() {
        EventSupport.Check check = EventSupport.check();
        assumeTrue(check.available(), check.reason());
        BpftraceEvents feed = BpftraceEvents.start(0, 1_000, Duration.ofSeconds(60));
        assertTrue(feed.on(), feed.status());
        feed.close();
        for (Thread t : feed.readers()) {
            assertNotNull(t, "both readers started");
            assertFalse(t.isAlive(), t.getName() + " still runs after close()");
        }
        assertEquals("events: off (stopped)", feed.status());
        assertEquals(-1, feed.childPid());
    }
}
