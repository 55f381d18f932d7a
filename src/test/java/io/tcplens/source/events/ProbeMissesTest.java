package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reading the kernel's skips of the feed's tracepoint program from a process's fdinfo. */
class ProbeMissesTest {
    private static final String PROG_FDINFO = """
            pos:\t0
            flags:\t02000002
            mnt_id:\t17
            ino:\t1038
            prog_type:\t5
            prog_jited:\t1
            prog_tag:\t59f4a931744dcdc6
            memlock:\t4096
            prog_id:\t329
            run_time_ns:\t0
            run_cnt:\t0
            recursion_misses:\t2324
            verified_insns:\t29
            """;

    @Test
    void readsNamedNumericFieldsOnly() {
        assertEquals(5, ProbeMisses.field(PROG_FDINFO, "prog_type"));
        assertEquals(2324, ProbeMisses.field(PROG_FDINFO, "recursion_misses"));
        assertEquals(0, ProbeMisses.field(PROG_FDINFO, "run_cnt"));
        assertEquals(-1, ProbeMisses.field(PROG_FDINFO, "prog"), "a prefix of a name is not the name");
        assertEquals(-1, ProbeMisses.field(PROG_FDINFO, "prog_tag"), "not a number");
        assertEquals(-1, ProbeMisses.field("pos:\t0\nflags:\t02\n", "recursion_misses"), "a file that is not a program's");
    }

    @Test
    void aProcessWithoutProgramsCountsNothing() {
        ProbeMisses m = ProbeMisses.of(ProcessHandle.current().pid());
        assertFalse(m.counting());
        assertEquals(0, m.read());
        assertFalse(ProbeMisses.of(-1).counting(), "no such process");
    }

    @Test
    void theFeedFindsItsTracepointProgram() {
        assumeTrue(KernelEventsTest.usable(), () -> EventSupport.check().reason());
        try (BpftraceEvents feed = BpftraceEvents.start(1, 64, Duration.ofSeconds(60))) {
            assumeTrue(feed.on(), feed.status());
            feed.drain(System.nanoTime()); // the feed is on once a heartbeat came: the programs are loaded
            ProbeMisses m = ProbeMisses.of(feed.childPid());
            assertEquals(true, m.counting(), "the bpftrace child holds a tracepoint program");
            assertEquals(true, feed.countsSkips());
            assertEquals(0, feed.skippedTotal());
        }
    }
}
