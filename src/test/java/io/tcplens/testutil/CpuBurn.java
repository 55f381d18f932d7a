package io.tcplens.testutil;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/** A poll that costs CPU in tests: keeps the calling thread busy until it has spent so much of its own CPU time. */
public final class CpuBurn {
    private CpuBurn() {}

    /** Returns once this thread has spent {@code millis} more of its own CPU time (not wall time: a loaded machine waits longer). */
    public static void burn(long millis) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long end = threads.getCurrentThreadCpuTime() + millis * 1_000_000;
        long x = 0;
        while (threads.getCurrentThreadCpuTime() < end) for (int i = 0; i < 10_000; i++) x += i ^ (x >>> 3);
        if (x == 42) System.out.print(""); // keeps the loop
    }
}
