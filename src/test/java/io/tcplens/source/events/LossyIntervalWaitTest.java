package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poller does not wait for the feed to catch up with an interval that is dropped whole already: at the burst
 * table's remake the kernel lost events, bpftrace was far behind, and the poll waited its full catch-up limit for
 * events it would not be handed. The feed runs a stand-in for bpftrace (a script printing what bpftrace prints: a
 * heartbeat, then, a second later, "Lost 7 events", then nothing more while it stays alive), so nothing catches up.
 */
class LossyIntervalWaitTest {
    private static final long WAIT_MILLIS = 60_000;

    @Test
    void theWaitEndsWhenTheKernelLosesEventsOfTheInterval(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("bpftrace");
        Files.writeString(script, """
                #!/bin/sh
                printf '%s\\n' '{"type": "attached_probes", "data": {"probes": 2}}'
                printf '%s\\n' '{"type": "printf", "data": "H 1000\\n"}'
                sleep 1
                printf '%s\\n' '{"type": "lost_events", "data": {"events": 7}}'
                exec sleep 120
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        BpftraceEvents f = new BpftraceEvents(0, 1_000, false).dropOverflowedIntervals();
        try {
            f.launch(script.toString(), Duration.ofSeconds(30));
            assertTrue(f.on(), "the stand-in attached: " + f.status());
            long t0 = System.nanoTime();
            boolean caughtUp = f.awaitCaughtUp(Long.MAX_VALUE, WAIT_MILLIS); // a time the feed never reads up to
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertFalse(caughtUp);
            assertEquals(7, f.lostTotal(), "the wait ended when the loss was read");
            // (the loss comes a second after the attach; a wait that ignored it would end at its limit, a minute)
            assertTrue(waited < WAIT_MILLIS / 2, "waited " + waited + " ms for an interval dropped whole");
            t0 = System.nanoTime();
            assertFalse(f.awaitCaughtUp(Long.MAX_VALUE, WAIT_MILLIS), "asked again: not caught up");
            waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(waited < WAIT_MILLIS / 2, "asked again after the loss: waited " + waited + " ms");
            assertEquals(0, f.drain(Long.MAX_VALUE).transitions().size());
        } finally {
            f.close();
        }
    }
}
