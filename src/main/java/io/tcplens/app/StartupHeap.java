package io.tcplens.app;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launchers' heap-shrinking options held off while the window starts (issue 13). The launchers
 * give memory back ({@code -XX:MaxHeapFreeRatio=20}, {@code -XX:G1PeriodicGCInterval=5000}, issue 11), and
 * on a slow start that worked against it: with no collection in the first 5 s the periodic one ran
 * in the middle of the start, its concurrent cycle's Remark shrank the heap to a few MB above what was
 * live (8–12 MB before the first frame on this machine's table), and then every MB allocated was a young
 * collection and a full heap started the next concurrent cycle, which shrank it again (38 young pauses and
 * 7 cycles before the first poll was on screen: this machine's table, load 21, JFR recording). Both options are manageable, so the window
 * sets {@code MaxHeapFreeRatio} to 100 and the periodic collection off from {@code main} until its first
 * poll is on screen ({@link #restore}, or {@link #LIMIT_SECONDS} at the latest), then puts back
 * whatever values the JVM was started with: the steady state is the launchers'.
 *
 * <p>{@code -Dtcplens.startup.heap=false} leaves the options alone (measurements).
 */
final class StartupHeap {
    private static final Logger LOG = LoggerFactory.getLogger(StartupHeap.class);
    static final String ENABLED_PROPERTY = "tcplens.startup.heap";
    /** The latest the launchers' values come back, should no poll reach the screen (a source that fails). */
    static final long LIMIT_SECONDS = 30;
    /** What the start-up sets: never shrink the heap, no periodic collection. */
    private static final Map<String, String> DURING_START = Map.of("MaxHeapFreeRatio", "100", "G1PeriodicGCInterval", "0");

    private static final Object LOCK = new Object();
    /** The values the JVM had before {@link #relax}, to put back; empty when nothing is held off. */
    private static final Map<String, String> saved = new LinkedHashMap<>();
    private static CountDownLatch shown;

    private StartupHeap() {}

    /** Main thread, before the toolkit starts: holds the options off until {@link #restore} (or the limit). */
    static void relax() {
        if ("false".equals(System.getProperty(ENABLED_PROPERTY))) return;
        CountDownLatch latch;
        synchronized (LOCK) {
            if (!saved.isEmpty()) return;
            HotSpotDiagnosticMXBean vm = vm();
            if (vm == null) return;
            for (Map.Entry<String, String> e : DURING_START.entrySet()) {
                try {
                    VMOption o = vm.getVMOption(e.getKey());
                    if (!o.isWriteable() || o.getValue().equals(e.getValue())) continue;
                    vm.setVMOption(e.getKey(), e.getValue());
                    saved.put(e.getKey(), o.getValue());
                } catch (RuntimeException notHere) {
                    // another collector or JVM without this option: nothing to hold off
                }
            }
            if (saved.isEmpty()) return;
            latch = shown = new CountDownLatch(1);
        }
        Thread.ofPlatform().name("tcplens-startup-heap").daemon().start(() -> {
            try {
                if (!latch.await(LIMIT_SECONDS, TimeUnit.SECONDS)) LOG.debug("no poll on screen within {} s: the launchers' heap options return", LIMIT_SECONDS);
            } catch (InterruptedException e) {
                return;
            }
            restoreNow();
        });
    }

    /** Any thread: the first poll is on screen; the launchers' values come back (off the caller's thread). */
    static void restore() {
        CountDownLatch latch;
        synchronized (LOCK) {
            latch = shown;
        }
        if (latch != null) latch.countDown();
    }

    /** Puts the saved values back at once (the waiting thread; tests). */
    static void restoreNow() {
        synchronized (LOCK) {
            HotSpotDiagnosticMXBean vm = saved.isEmpty() ? null : vm();
            for (Map.Entry<String, String> e : saved.entrySet()) {
                try {
                    vm.setVMOption(e.getKey(), e.getValue());
                } catch (RuntimeException e2) {
                    LOG.warn("cannot put back -XX:{}={}: {}", e.getKey(), e.getValue(), e2.getMessage());
                }
            }
            saved.clear();
            shown = null;
        }
    }

    /** The options held off now and the values they go back to (tests). */
    static Map<String, String> held() {
        synchronized (LOCK) {
            return Map.copyOf(saved);
        }
    }

    private static HotSpotDiagnosticMXBean vm() {
        try {
            return ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }
}
