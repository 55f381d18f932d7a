package io.tcplens.app;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, the burst table's 60-s peak: G1 (JDK 25) grows the committed heap after a young pause whose recent
 * pauses took more than {@code GCTimeRatio}'s share, and by how much is fixed by two rules. Below a quarter of
 * {@code InitialHeapSize} it grows by half of what is left up to {@code InitialHeapSize} (the JVM's default here is
 * 1/64 of RAM, 378 MB: +140–166 MB at the window's 50–90 MB heap); above, by the smaller of the committed heap and
 * {@code G1ExpandByPercentOfAvailable} % (default 20) of what is uncommitted, scaled by 0.2–2 (+100 MB at 97 MB).
 * The launchers set {@code -XX:InitialHeapSize=128m} and {@code G1ExpandByPercentOfAvailable=2}: steps of at most
 * 2 × 2 % of 768 MB. A real JVM with pom.xml's {@code app.jvm.flags} holds a tight heap (a full collection with
 * {@code MaxHeapFreeRatio=20}, 40 MB live) and then keeps 160 MB more in small arrays, as the remake keeps its new
 * rows; its own heap-sizing log ({@code gc+ergo+heap}) says each step it took. Without either option the first step
 * is 50–164 MB.
 */
class HeapExpansionStepTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    /** The largest step the launchers' options allow at a heap of 32 MB or more: 2 × 2 % of 768 MB, rounded up. */
    private static final long MAX_STEP = 32L << 20;

    /** The child JVM: a tight heap, then a burst of allocation that is kept. */
    public static final class Child {
        static volatile Object sink;

        public static void main(String[] args) {
            List<long[]> base = new ArrayList<>();
            for (int i = 0; i < 40 * 1024; i++) base.add(new long[127]); // ~40 MB live, as the window's table
            System.gc(); // MaxHeapFreeRatio=20: the heap shrinks to about what is live
            List<long[]> burst = new ArrayList<>();
            for (int i = 0; i < 160 * 1024; i++) {
                burst.add(new long[127]);
                if ((i & 3) == 0) sink = new long[127]; // some garbage beside what is kept
            }
            System.out.println("held " + (base.size() + burst.size()));
        }
    }

    static List<String> launcherFlags() throws Exception {
        Matcher m = Pattern.compile("<app\\.jvm\\.flags>([^<]*)</app\\.jvm\\.flags>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertTrue(m.find(), "pom.xml defines app.jvm.flags");
        return Arrays.asList(m.group(1).strip().split("\\s+"));
    }

    private static final Pattern EXPAND = Pattern.compile("GC\\(\\d+\\) Expand the heap\\. requested expansion amount: \\d+B expansion amount: (\\d+)B");

    /** The steps G1 took during young pauses in a child JVM with these options (bytes each). */
    static List<Long> steps(List<String> flags) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(flags);
        cmd.addAll(List.of("-XX:+UseG1GC", "-Xlog:gc+ergo+heap=debug:stdout", "-cp", System.getProperty("java.class.path"), Child.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("held " + 200 * 1024), out);
        List<Long> steps = new ArrayList<>();
        Matcher m = EXPAND.matcher(out);
        while (m.find()) steps.add(Long.parseLong(m.group(1)));
        return steps;
    }

    @Test
    void theLaunchersGrowTheHeapInSmallSteps() throws Exception {
        List<String> flags = launcherFlags();
        assertTrue(flags.contains("-XX:InitialHeapSize=128m"), "app.jvm.flags: " + flags);
        int unlock = flags.indexOf("-XX:+UnlockExperimentalVMOptions"), pct = flags.indexOf("-XX:G1ExpandByPercentOfAvailable=2");
        assertTrue(unlock >= 0 && pct > unlock, "app.jvm.flags unlocks G1ExpandByPercentOfAvailable before setting it: " + flags);
        assertTrue(flags.stream().noneMatch(f -> f.startsWith("-Xms")), "no -Xms: the heap may still shrink below 128 MB");

        List<Long> steps = steps(flags);
        assertFalse(steps.isEmpty(), "the burst made G1 grow the heap during its young pauses");
        for (long s : steps) assertTrue(s <= MAX_STEP, "a step of " + (s >> 20) + " MB; all: " + mb(steps));
    }

    private static List<Long> mb(List<Long> bytes) {
        return bytes.stream().map(b -> b >> 20).toList();
    }
}
