package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.KernelTcpState;
import org.junit.jupiter.api.Test;

/**
 * The feed is caught up to a time only when every CPU's perf buffer has been read past it: the kernel
 * writes an event to the buffer of the CPU it ran on, and bpftrace reads the buffers in turn. A
 * heartbeat or an event read from one CPU says nothing of another's buffer (the intermittent
 * KernelEventsTest: caught up on CPU 0's heartbeat while a client's last two steps sat in CPU 1's).
 */
class PerCpuCatchUpTest {
    private static final long S = 1_000_000_000L;

    @Test
    void caughtUpOnlyWhenEveryCpuHasPassedTheTime() {
        int cpus = EventSupport.onlineCpus();
        BpftraceEvents f = new BpftraceEvents(0, 100);
        f.heartbeat(10 * S, 0);
        assertFalse(f.awaitCaughtUp(10 * S, 0), "before every CPU has been heard from, nothing is caught up");
        for (int c = 1; c < cpus; c++) f.heartbeat(10 * S + c, c);
        assertTrue(f.awaitCaughtUp(10 * S, 0));
        f.heartbeat(10 * S + 5_000_000, 0); // CPU 0 moves on, the others not yet
        if (cpus > 1) assertFalse(f.awaitCaughtUp(10 * S + 5_000_000, 0), "a CPU behind holds the feed back");
        for (int c = 1; c < cpus; c++) f.heartbeat(10 * S + 6_000_000, c);
        assertTrue(f.awaitCaughtUp(10 * S + 5_000_000, 0));
    }

    @Test
    void anEventReadFromOneCpuDoesNotAdvanceTheFeed() {
        BpftraceEvents f = new BpftraceEvents(0, 100);
        EventLine.Event e = EventLineKeysTest.event(50 * S, 1, 4, 30_000, "::ffff:127.0.0.1", 80, "::ffff:127.0.0.2", "x");
        f.accept(new EventLine.Event(e.monoNanos(), e.skaddr(), KernelTcpState.ESTABLISHED, KernelTcpState.FIN_WAIT1, e.key(),
                e.pid(), e.acked(), e.received(), e.comm()));
        assertFalse(f.awaitCaughtUp(50 * S, 0));
    }

    @Test
    void anIdleCpuSilentForFiveHeartbeatsIsNotWaitedFor() {
        int cpus = EventSupport.onlineCpus();
        BpftraceEvents f = new BpftraceEvents(0, 100);
        for (int c = 0; c < cpus; c++) f.heartbeat(10 * S, c);
        f.heartbeat(10 * S + BpftraceEvents.CPU_SILENT_NANOS + 1, 0); // every other CPU went idle: its profile probe does not fire
        assertTrue(f.awaitCaughtUp(10 * S + BpftraceEvents.CPU_SILENT_NANOS + 1, 0));
    }

    @Test
    void aHeartbeatWithoutItsCpuStandsForAll() {
        BpftraceEvents f = new BpftraceEvents(0, 100);
        f.heartbeat(7 * S, -1);
        assertTrue(f.awaitCaughtUp(7 * S, 0));
    }
}
