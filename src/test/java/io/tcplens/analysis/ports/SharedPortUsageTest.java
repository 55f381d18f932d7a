package io.tcplens.analysis.ports;

import static io.tcplens.analysis.Crafted.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.analysis.Crafted;
import io.tcplens.engine.PollResult;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.TimeWaitDuration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedPortUsageTest {
    static final EphemeralPortRange SMALL = EphemeralPortRange.of(40000, 40099, List.of(), "test range");

    /** Three polls, the last two with new TIME_WAIT entries towards 10.0.0.5:80. */
    private static List<PollResult> polls(Crafted c) {
        List<SocketEntry> base = new ArrayList<>(List.of(listen("0.0.0.0", 8080)));
        PollResult p1 = c.poll(1_000, base);
        List<SocketEntry> two = new ArrayList<>(base);
        two.addAll(timeWaits("10.0.0.1", 40000, 10, "10.0.0.5", 80));
        PollResult p2 = c.poll(6_000, two);
        List<SocketEntry> three = new ArrayList<>(two);
        three.addAll(timeWaits("10.0.0.1", 40020, 5, "10.0.0.5", 80));
        three.add(sock("10.0.0.1", 40050, "10.0.0.5", 80, TcpState.ESTABLISHED, null));
        PollResult p3 = c.poll(11_000, three);
        return List.of(p1, p2, p3);
    }

    @Test
    void twoReadersOfTheSameBatchesMeasureAsOneAnalyzerFedOnce() {
        List<PollResult> polls = polls(new Crafted());
        PortUsageAnalyzer alone = new PortUsageAnalyzer(PortUsageAnalyzer.DEFAULT_WINDOW_MILLIS, TimeWaitDuration.LINUX.millis());
        for (PollResult r : polls) alone.observe(r);
        PortReport expected = alone.report(polls.get(2), SMALL, TimeWaitDuration.LINUX);

        SharedPortUsage shared = new SharedPortUsage();
        // the shell's order: each batch to one reader (shown), then to the other (in the background); a refresh is empty
        for (List<PollResult> batch : List.of(polls.subList(0, 2), List.<PollResult>of(), polls.subList(2, 3))) {
            shared.observe(batch, TimeWaitDuration.LINUX.millis());
            shared.observe(batch, TimeWaitDuration.LINUX.millis());
        }
        PortReport got = shared.report(polls.get(2), SMALL, TimeWaitDuration.LINUX);
        assertEquals(expected.destinations(), got.destinations());
        assertEquals(expected.timeWaitEntryRate(), got.timeWaitEntryRate(), 1e-9);
        assertEquals(alone.meter().timeWaitEntryRate(), shared.timeWaitEntryRate(), 1e-9);
        assertSame(got, shared.report(polls.get(2), SMALL, TimeWaitDuration.LINUX), "the same poll's report is not made again");
    }

    @Test
    void aResetOrAnotherDurationStartsAfresh() {
        List<PollResult> polls = polls(new Crafted());
        SharedPortUsage shared = new SharedPortUsage();
        shared.observe(polls, TimeWaitDuration.LINUX.millis());
        assertTrue(shared.timeWaitEntryRate() > 0);
        shared.reset();
        assertEquals(0, shared.timeWaitEntryRate());
        shared.observe(polls.subList(2, 3), TimeWaitDuration.LINUX.millis());
        PortUsageAnalyzer fresh = new PortUsageAnalyzer(PortUsageAnalyzer.DEFAULT_WINDOW_MILLIS, TimeWaitDuration.LINUX.millis());
        fresh.observe(polls.get(2));
        assertEquals(fresh.meter().timeWaitEntryRate(), shared.timeWaitEntryRate(), 1e-9, "only what came after the reset");

        shared.observe(polls.subList(2, 3), 30_000);
        PortUsageAnalyzer other = new PortUsageAnalyzer(PortUsageAnalyzer.DEFAULT_WINDOW_MILLIS, 30_000);
        other.observe(polls.get(2));
        TimeWaitDuration d = new TimeWaitDuration(30_000, "test");
        assertEquals(other.report(polls.get(2), SMALL, d).destinations(), shared.report(polls.get(2), SMALL, d).destinations(),
                "another TIME_WAIT duration: a new analyzer, fed from then on");
    }
}
