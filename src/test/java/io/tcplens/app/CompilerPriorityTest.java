package io.tcplens.app;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the window's start lowers the priority of the JVM's C2 compiler threads only (C1 keeps
 * its own, so start-up code is still compiled at once). Checked in a JVM of its own, whose threads
 * are read back from /proc.
 */
class CompilerPriorityTest {

    /** The child JVM: lowers C2 to nice 7, prints "c2 N…" and "c1 N…" with each thread's nice value. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            List<Integer> changed = CompilerPriority.lower(7);
            StringBuilder out = new StringBuilder("changed " + changed.size());
            for (int tid : CompilerPriority.compilerThreads("C2 ")) out.append("\nc2 ").append(CompilerPriority.niceOf(tid));
            for (int tid : CompilerPriority.compilerThreads("C1 ")) out.append("\nc1 ").append(CompilerPriority.niceOf(tid));
            System.out.println(out);
        }
    }

    @Test
    void onlyTheC2CompilerThreadsGetTheLowerPriority() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "Linux /proc");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:+TieredCompilation", "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        List<String> lines = out.lines().toList();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("c2 ")), "a C2 compiler thread: " + out);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("c1 ")), "a C1 compiler thread: " + out);
        // C1 keeps the nice value the JVM started with: 0 in CI, 10 under `nice -n 10 mvn test` (the child inherits ours)
        int started = ownNice();
        for (String l : lines) {
            if (l.startsWith("c2 ")) assertEquals("c2 7", l, out);
            if (l.startsWith("c1 ")) assertEquals("c1 " + started, l, out);
        }
        assertNotEquals("changed 0", lines.get(0), out);
    }

    /** This process's nice value (/proc/self/stat, field 19). */
    private static int ownNice() throws Exception {
        String stat = Files.readString(Path.of("/proc/self/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(f[16]);
    }
}
