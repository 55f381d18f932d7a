package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTcpState;
import org.junit.jupiter.api.Test;

/**
 * A feed that drops an overflowed interval keeps nothing of it until the next drain (the ring held a
 * full capacity of events only for the tracker to throw them away), counts all of it lost, and keeps
 * the next interval's events again; a feed that does not keeps what fitted, as before. The same for an
 * interval of which the kernel's perf buffer lost events (bpftrace's "Lost N events").
 */
class OverflowedIntervalTest {
    static void feed(BpftraceEvents f, int from, int n) {
        for (int i = from; i < from + n; i++) {
            EventLine.Event e = EventLineKeysTest.event(i, 1, 4, 30_000 + i % 20_000, "::ffff:127.0.0.1", 80, "::ffff:127.0.0.2", "x");
            f.accept(new EventLine.Event(e.monoNanos(), e.skaddr(), KernelTcpState.ESTABLISHED, KernelTcpState.FIN_WAIT1, e.key(),
                    e.pid(), e.acked(), e.received(), e.comm()));
        }
    }

    @Test
    void anOverflowedIntervalIsDroppedWholeAndTheNextIsKept() {
        BpftraceEvents f = new BpftraceEvents(0, 100).dropOverflowedIntervals();
        feed(f, 1, 250);
        EventBatch b = f.drain(Long.MAX_VALUE);
        assertEquals(0, b.transitions().size(), "nothing of the overflowed interval is held");
        assertEquals(250, b.lost());
        feed(f, 1_000, 60);
        b = f.drain(Long.MAX_VALUE);
        assertEquals(60, b.transitions().size(), "the next interval fits and is kept");
        assertEquals(0, b.lost());
    }

    @Test
    void anIntervalOfWhichTheKernelLostEventsIsDroppedWholeToo() {
        BpftraceEvents f = new BpftraceEvents(0, 1_000).dropOverflowedIntervals();
        feed(f, 1, 50);
        f.lostInKernel(7); // bpftrace: "Lost 7 events"
        assertEquals(0, f.held(), "what the lossy interval held is let go at once");
        feed(f, 100, 30);
        assertEquals(0, f.held(), "and nothing more is kept until the drain");
        EventBatch b = f.drain(Long.MAX_VALUE);
        assertEquals(0, b.transitions().size(), "no event of the lossy interval is handed out");
        assertEquals(7 + 50 + 30, b.lost(), "all of it counted lost");
        feed(f, 1_000, 60);
        b = f.drain(Long.MAX_VALUE);
        assertEquals(60, b.transitions().size(), "the next interval is kept");
        assertEquals(0, b.lost());
    }

    @Test
    void withoutItALossyIntervalKeepsWhatCame() {
        BpftraceEvents f = new BpftraceEvents(0, 1_000);
        feed(f, 1, 50);
        f.lostInKernel(7);
        feed(f, 100, 30);
        EventBatch b = f.drain(Long.MAX_VALUE);
        assertEquals(80, b.transitions().size());
        assertEquals(7, b.lost());
    }

    @Test
    void withoutItTheRingKeepsWhatFitted() {
        BpftraceEvents f = new BpftraceEvents(0, 100);
        feed(f, 1, 250);
        EventBatch b = f.drain(Long.MAX_VALUE);
        assertEquals(100, b.transitions().size());
        assertEquals(150, b.lost());
    }
}
