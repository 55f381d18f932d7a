package io.tcplens.analysis.ports;

import static io.tcplens.analysis.Crafted.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.analysis.Crafted;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ObservedEvents;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * With complete kernel events the close-rate meter dates the TIME_WAIT rows its events did not show (rows older
 * than the events) from their timers; a poll right after the last one is dated from its diff (the rows it opened
 * or moved into TIME_WAIT), not by a walk over every row. The dates are the walk's: a meter fed the same polls
 * through the walk-always entry point remembers the same 4-tuples at every poll, and once the events are lost
 * both count the same entries and takeovers.
 */
class DiffDatingTest {
    @Test
    void datingFromTheDiffGivesTheWalksDates() {
        Crafted c = new Crafted();
        CloseRateMeter byDiff = new CloseRateMeter(10_000, 60_000);
        CloseRateMeter byWalk = new CloseRateMeter(10_000, 60_000);
        Random rnd = new Random(21);
        List<SocketEntry> table = new ArrayList<>();
        table.add(listen("0.0.0.0", 8080));
        for (int i = 0; i < 3_000; i++) table.add(sock("10.0.0.1", 30_000 + i, "10.0.0.9", 80, TcpState.ESTABLISHED, null));
        table.addAll(timeWaits("10.0.0.1", 40_000, 1_000, "10.0.0.9", 80));
        long t = 1_000;
        int nextPort = 50_000;
        int dated = 0;
        for (int poll = 0; poll < 40; poll++) {
            boolean eventsLost = poll >= 35; // the last polls fall back to the polls: the dates are what they count from
            PollResult r = withEvents(c.poll(t, table), !eventsLost);
            byDiff.observe(r);
            byWalk.observe(r.diff(), Listeners.of(r.snapshot().sockets()), r.snapshot().sockets());
            assertEquals(byWalk.remembered(), byDiff.remembered(), "poll " + poll + ": the same 4-tuples dated");
            dated = Math.max(dated, byDiff.remembered());
            if (eventsLost) {
                Destination d = Destination.of(table.get(1));
                assertEquals(byWalk.outboundEntries(d), byDiff.outboundEntries(d), "poll " + poll + ": the same entries counted");
                assertEquals(byWalk.timeWaitEntryRate(), byDiff.timeWaitEntryRate(), 1e-9, "poll " + poll);
            }
            // the next table: some connections close into TIME_WAIT, some TIME_WAIT rows expire, some open in TIME_WAIT
            // (opened and closed between polls), one taken over (its timer back up), the rest the same row objects
            t += 1_000;
            List<SocketEntry> next = new ArrayList<>(table.size());
            for (SocketEntry e : table) {
                if (e.state() == TcpState.ESTABLISHED && rnd.nextInt(60) == 0)
                    next.add(sock("10.0.0.1", e.local().port(), "10.0.0.9", 80, TcpState.TIME_WAIT, 59_000L));
                else if (e.state() == TcpState.TIME_WAIT && rnd.nextInt(40) == 0) continue;
                else if (e.state() == TcpState.TIME_WAIT && rnd.nextInt(200) == 0)
                    next.add(sock("10.0.0.1", e.local().port(), "10.0.0.9", 80, TcpState.TIME_WAIT, 59_500L));
                else next.add(e);
            }
            for (int i = 0; i < 30; i++) next.add(sock("10.0.0.1", nextPort++, "10.0.0.9", 80, TcpState.TIME_WAIT, 58_000L + i));
            for (int i = 0; i < 40; i++) next.add(sock("10.0.0.1", nextPort++, "10.0.0.9", 80, TcpState.ESTABLISHED, null));
            table = next;
        }
        assertTrue(dated > 1_000, "TIME_WAIT rows were dated: " + dated);
        assertTrue(byDiff.outboundEntries(Destination.of(table.get(1))) > 0, "entries counted once the events were lost");
    }

    /** {@code r} with complete (empty) kernel events, or lost ones. */
    private static PollResult withEvents(PollResult r, boolean complete) {
        SnapshotDiff d = r.diff();
        SnapshotDiff e = new SnapshotDiff(d.opened(), d.closed(), d.transitions(), d.fromMillis(), d.toMillis(),
                new ObservedEvents(List.of(), complete ? 0 : 1, complete, List.of()));
        return new PollResult(r.sequence(), r.snapshot(), e, r.connections(), r.pollNanos(), r.error());
    }
}
