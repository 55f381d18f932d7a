package io.tcplens.analysis.ports;

import static io.tcplens.analysis.Crafted.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.analysis.Crafted;
import io.tcplens.engine.PollResult;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A poll right after the last one asked about, whose diff moved no LISTEN row, has the last poll's listeners
 * (no walk); a listener opened or closed, a poll skipped, or another table are walked: the listeners are a
 * walk's at every poll.
 */
class ListenersByDiffTest {
    @Test
    void followsTheDiffsAndWalksWhenAListenerMoves() {
        Crafted c = new Crafted();
        List<SocketEntry> table = new ArrayList<>();
        table.add(listen("0.0.0.0", 8080));
        for (int i = 0; i < 500; i++) table.add(sock("10.0.0.1", 30_000 + i, "10.0.0.9", 80, TcpState.ESTABLISHED, null));
        long t = 1_000;
        Listeners before = null;
        int reused = 0;
        for (int poll = 0; poll < 30; poll++) {
            List<SocketEntry> next = new ArrayList<>(table);
            next.add(sock("10.0.0.1", 40_000 + poll, "10.0.0.9", 80, TcpState.ESTABLISHED, null)); // churn: a new list
            if (poll == 10) next.add(listen("0.0.0.0", 9090)); // a listener opens
            if (poll == 20) next.removeIf(e -> e.state() == TcpState.LISTEN && e.local().port() == 8080); // one closes
            table = next;
            PollResult r = c.poll(t += 1_000, table);
            if (poll == 25) continue; // a poll not asked about: the next one is walked
            Listeners l = Listeners.of(r);
            Listeners walked = Listeners.of(table);
            assertEquals(walked.ports(), l.ports(), "poll " + poll);
            assertSame(l, Listeners.of(r), "the same poll again");
            assertSame(l, Listeners.of(r.snapshot()), "the same poll as a snapshot");
            if (l == before) reused++;
            if (poll == 10 || poll == 20 || poll == 26) assertNotSame(before, l, "poll " + poll + ": walked");
            before = l;
        }
        assertTrue(reused >= 20, "most polls took the last poll's listeners: " + reused);
        assertTrue(before.listens(9090) && !before.listens(8080));
    }
}
