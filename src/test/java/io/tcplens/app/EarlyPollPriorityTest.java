package io.tcplens.app;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.testutil.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: with {@code -Dtcplens.early.nice=10} the early engine's first poll gives the cores to the
 * window's start (a higher nice value) only where the process can undo that, and leaves no thread at that value once it is done: neither
 * the netlink receiver it began nor the engine's own poller. Checked in a JVM of its own, whose
 * threads are read back from /proc.
 */
class EarlyPollPriorityTest {

    /** The child JVM: begins the early netlink engine, waits for its first poll, prints each thread's nice value. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            EarlySource.begin("netlink", 600_000);
            Await.until(() -> EarlySource.begun() != null && EarlySource.begun().held() != null, Duration.ofSeconds(60), "the first poll");
            StringBuilder out = new StringBuilder("undo " + CompilerPriority.canUndo() + "\nfirst " + EarlySource.firstPollNice);
            for (int tid : CompilerPriority.threads("tcplens-netlink")) out.append("\nrecv ").append(CompilerPriority.niceOf(tid));
            for (int tid : CompilerPriority.threads("tcplens-poller")) out.append("\npoller ").append(CompilerPriority.niceOf(tid));
            System.out.println(out);
            EarlySource.begun().engine().close();
        }
    }

    @Test
    void theFirstPollRunsNicedOnlyWhereThatIsUndoneAndLeavesNoThreadNiced() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "a TCP table");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-D" + EarlySource.NICE_PROPERTY + "=10", "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        List<String> lines = out.lines().toList();
        boolean undo = lines.contains("undo true");
        assertTrue(lines.contains("first " + (undo ? 10 : 0)), out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("poller ")), "the engine's thread: " + out);
        for (String l : lines) {
            if (l.startsWith("recv ") || l.startsWith("poller ")) assertTrue(l.endsWith(" 0"), out);
        }
    }
}
