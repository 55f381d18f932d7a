package io.tcplens.io;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.testutil.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15 #19: an OS command's time limit cannot be escaped, and no program is found through PATH. */
class BoundedCommandTest {
    @TempDir Path dir;

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long pid(Path f) throws Exception {
        Await.untilChecked(() -> Files.exists(f) && !Files.readString(f).isBlank(), Duration.ofSeconds(30), f + " written");
        return Long.parseLong(Files.readString(f).strip());
    }

    @Test
    void aChildHoldingItsOutputOpenWithoutWritingIsKilledAtTheLimit() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")));
        Path grandchild = dir.resolve("grandchild.pid"), child = dir.resolve("child.pid");
        long start = System.nanoTime();
        // the child writes a little, starts a grandchild that inherits stdout, then waits without writing
        BoundedCommand.Result r = BoundedCommand.run(Duration.ofSeconds(1), "/bin/sh", "-c",
                "echo started; sleep 300 & echo $! > " + grandchild + "; echo $$ > " + child + "; exec sleep 300");
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(r.timedOut(), r.toString());
        assertFalse(r.ok());
        assertEquals(-1, r.exitCode());
        assertEquals(List.of("started"), r.lines(), "what was written before the limit is kept");
        assertTrue(seconds < 60, "returned after " + seconds + " s, not when the sleeps end (300 s)");
        long g = pid(grandchild), c = pid(child);
        Await.until(() -> !alive(g) && !alive(c), Duration.ofSeconds(30), "the child and the grandchild it started are killed");
    }

    @Test
    void aGrandchildLeftHoldingTheOutputDoesNotHoldTheCaller() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/sh")));
        Path grandchild = dir.resolve("grandchild.pid");
        long start = System.nanoTime();
        // the child answers and exits at once; its grandchild keeps the inherited stdout for 300 s
        BoundedCommand.Result r = BoundedCommand.run(Duration.ofSeconds(30), "/bin/sh", "-c",
                "sleep 300 & echo $! > " + grandchild + "; echo answer");
        double seconds = (System.nanoTime() - start) / 1e9;
        try {
            assertTrue(r.ok(), r.toString());
            assertEquals(List.of("answer"), r.lines());
            assertTrue(seconds < 30, "the answer came when the child exited, not when its grandchild closed the output: " + seconds + " s");
        } finally {
            ProcessHandle.of(pid(grandchild)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void programsAreNeverFoundThroughPath() {
        assertThrows(IllegalArgumentException.class, () -> BoundedCommand.run(Duration.ofSeconds(1), "uname", "-o"));
        assertTrue(BoundedCommand.systemProgram("uname").isEmpty(), "only the OS's own known programs");
        assertTrue(BoundedCommand.systemProgram("ldconfig").isEmpty());
        if (Files.isExecutable(Path.of("/usr/sbin/sysctl")))
            assertEquals("/usr/sbin/sysctl", BoundedCommand.systemProgram("sysctl").orElseThrow());
        BoundedCommand.Result missing = BoundedCommand.run(Duration.ofSeconds(1), dir.resolve("nothing-here").toString());
        assertEquals(-1, missing.exitCode());
        assertFalse(missing.ok());
    }
}
