package io.tcplens.app;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JVM's C2 compiler threads run as background work: a higher nice value ({@code setpriority(2)}
 * on each {@code C2 CompilerThre…} thread of this process), so that on a machine with few cores they
 * no longer take CPU from the threads that bring up the first frame (issue 13: before the first frame
 * C2 used 0.7–0.9 s of CPU on two cores, as much as the FX thread; a C1-only start was 0.5 s sooner).
 * C1 keeps its priority, so start-up code is still compiled at once; C2 still compiles everything it
 * would, only when a core is free, and its code is as fast. An unprivileged process cannot lower a
 * nice value again, so this lasts for the process's life, as for root. Linux only; elsewhere, or
 * when the threads cannot be found, nothing changes.
 *
 * <p>{@code -Dtcplens.c2.nice=N} sets the value (0 leaves the threads as they are).
 */
final class CompilerPriority {
    private static final Logger LOG = LoggerFactory.getLogger(CompilerPriority.class);
    static final String PROPERTY = "tcplens.c2.nice";
    static final int DEFAULT_NICE = 10;
    private static final int PRIO_PROCESS = 0;

    private CompilerPriority() {}

    /** Lowers the C2 threads' priority on a daemon thread of its own (the window's start does not wait for it). */
    static void lowerInBackground() {
        int nice = Integer.getInteger(PROPERTY, DEFAULT_NICE);
        if (nice <= 0 || !System.getProperty("os.name", "").startsWith("Linux")) return;
        Thread.ofPlatform().name("tcplens-jit-priority").daemon().start(() -> lower(nice));
    }

    /** Sets each C2 compiler thread's nice value to {@code nice}; returns the thread ids changed. */
    static List<Integer> lower(int nice) {
        try {
            return setNice(compilerThreads("C2 "), nice);
        } catch (IOException e) { // no /proc: the JIT keeps its priority
            LOG.debug("C2 compiler threads keep their priority", e);
            return List.of();
        }
    }

    /** Sets each thread's ({@code tids}) nice value; returns the ids changed (lowering one needs CAP_SYS_NICE). */
    static List<Integer> setNice(List<Integer> tids, int nice) {
        List<Integer> changed = new ArrayList<>();
        try {
            MethodHandle setpriority = Linker.nativeLinker().downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("setpriority").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            for (int tid : tids) {
                if ((int) setpriority.invokeExact(PRIO_PROCESS, tid, nice) == 0) changed.add(tid);
            }
        } catch (Throwable e) { // no libc symbol, no native access: the threads keep their priority
            LOG.debug("threads {} keep their priority", tids, e);
        }
        return changed;
    }

    /** Thread ids of this process whose name starts with {@code prefix} (e.g. "C2 " for "C2 CompilerThre"). */
    static List<Integer> compilerThreads(String prefix) throws IOException {
        return threads(prefix);
    }

    /** Thread ids of this process whose name starts with {@code prefix}. */
    static List<Integer> threads(String prefix) throws IOException {
        List<Integer> ids = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(t.resolve("comm")).startsWith(prefix)) ids.add(Integer.parseInt(t.getFileName().toString()));
                } catch (IOException | NumberFormatException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return ids;
    }

    /** A thread's nice value from /proc (tests), or Integer.MIN_VALUE when it is gone. */
    static int niceOf(int tid) {
        try {
            String stat = Files.readString(Path.of("/proc/self/task/" + tid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Integer.parseInt(f[16]); // field 19 of stat(5); f[0] is field 3
        } catch (IOException | RuntimeException e) {
            return Integer.MIN_VALUE;
        }
    }
}
