package io.tcplens.source.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTcpState;
import org.junit.jupiter.api.Test;

/**
 * The feed's capacity bounds every event it holds: those a drain kept because they came after its cutoff
 * count too. Before, a poller whose cutoffs lagged what the reader had read (a slow poller; here, cutoffs
 * before every event) kept them beside a ring filled again to the full capacity at every interval, and
 * what the feed held grew with each drain (3 × 60,000 events held after three intervals of a 100,000 ring).
 * What does not fit is lost, and the interval it belongs to is reported incomplete, so the tracker and the
 * views infer it from the polls.
 */
class HeldEventsBoundTest {
    static final int CAPACITY = 100_000;
    static final int PER_INTERVAL = 60_000;

    /** {@code n} events stamped from {@code mono} on (all after any cutoff the test drains with). */
    static void feed(BpftraceEvents f, long mono, int n) {
        EventLine.Event e = EventLineKeysTest.event(mono, 1, 4, 30_000, "::ffff:127.0.0.1", 80, "::ffff:127.0.0.2", "x");
        for (int i = 0; i < n; i++)
            f.accept(new EventLine.Event(mono + i, e.skaddr(), KernelTcpState.ESTABLISHED, KernelTcpState.FIN_WAIT1, e.key(),
                    e.pid(), e.acked(), e.received(), e.comm()));
    }

    @Test
    void eventsAfterTheCutoffCountAgainstTheCapacity() {
        BpftraceEvents f = new BpftraceEvents(0, CAPACITY, false);
        long t = 1_000_000_000_000L;
        for (int interval = 0; interval < 4; interval++) {
            feed(f, t + interval * 1_000_000L, PER_INTERVAL);
            assertTrue(f.held() <= CAPACITY, "interval " + interval + ": " + f.held() + " events held, capacity " + CAPACITY);
            EventBatch b = f.drain(1); // a cutoff before every event: all of them kept for a later drain
            assertEquals(0, b.transitions().size());
            assertTrue(f.held() <= CAPACITY, "after drain " + interval + ": " + f.held() + " events held");
        }
        assertEquals(CAPACITY, f.held(), "the capacity is filled, not more");
        assertEquals(4L * PER_INTERVAL - CAPACITY, f.lostTotal(), "what did not fit is counted lost");
        EventBatch all = f.drain(Long.MAX_VALUE);
        assertEquals(CAPACITY, all.transitions().size(), "what was held is handed out in the end");
        assertFalse(all.complete());
    }

    @Test
    void aDroppedIntervalTakesTheEventsKeptForItToo() {
        BpftraceEvents f = new BpftraceEvents(0, CAPACITY, false).dropOverflowedIntervals();
        long t = 1_000_000_000_000L;
        feed(f, t, PER_INTERVAL);
        f.drain(1); // kept: after the cutoff
        assertEquals(PER_INTERVAL, f.held());
        feed(f, t + 1_000_000L, PER_INTERVAL); // the interval overflows: dropped whole, the kept ones with it
        assertEquals(0, f.held(), "nothing of the overflowed interval is held");
        EventBatch b = f.drain(Long.MAX_VALUE);
        assertEquals(0, b.transitions().size());
        assertEquals(2L * PER_INTERVAL, f.lostTotal());
        assertFalse(b.complete());
    }
}
