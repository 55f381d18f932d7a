package io.tcplens.app;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: while the window starts the heap does not shrink and no periodic collection runs; once
 * its first poll is on screen the JVM has the launchers' values again. Checked in JVMs of their own
 * started with the launchers' heap options, whose values are read back through the JVM's own bean.
 */
class StartupHeapTest {
    private static final List<String> LAUNCHER = List.of("-XX:+UseG1GC", "-Xmx768m", "-XX:MaxHeapFreeRatio=20", "-XX:MinHeapFreeRatio=5",
            "-XX:G1PeriodicGCInterval=5000");

    /** The child JVM: prints the options before, while held off, and after the first poll is on screen. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            System.out.println("before " + values());
            StartupHeap.relax();
            System.out.println("during " + values());
            StartupHeap.restore(); // as the window does at its first poll on screen
            long until = System.nanoTime() + 20_000_000_000L;
            while (!StartupHeap.held().isEmpty() && System.nanoTime() < until) Thread.onSpinWait();
            System.out.println("after " + values());
        }

        private static String values() {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm.getVMOption("MaxHeapFreeRatio").getValue() + " " + vm.getVMOption("MinHeapFreeRatio").getValue() + " "
                    + vm.getVMOption("G1PeriodicGCInterval").getValue();
        }
    }

    private static List<String> child(String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(LAUNCHER);
        cmd.addAll(List.of(extra));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Child.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out.lines().filter(l -> l.matches("(before|during|after) .*")).toList();
    }

    @Test
    void theLaunchersHeapOptionsAreHeldOffUntilTheFirstPollIsOnScreen() throws Exception {
        List<String> lines = child();
        assertEquals(List.of("before 20 5 5000", "during 100 5 0", "after 20 5 5000"), lines);
    }

    @Test
    void offWhenAskedForMeasurements() throws Exception {
        List<String> lines = child("-D" + StartupHeap.ENABLED_PROPERTY + "=false");
        assertEquals(List.of("before 20 5 5000", "during 20 5 5000", "after 20 5 5000"), lines);
    }
}
