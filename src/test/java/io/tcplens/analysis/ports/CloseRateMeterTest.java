package io.tcplens.analysis.ports;

import static io.tcplens.analysis.Crafted.*;
import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.analysis.Crafted;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The close-rate meter does not count an entry into TIME_WAIT again when it sees it again, keeps one
 * entry time per 4-tuple, and forgets a 4-tuple some time after its entry (the window and twice the TIME_WAIT duration): what it
 * remembers is bounded by the churn, not by how long it runs.
 */
class CloseRateMeterTest {
    @Test
    void countsEachEntryOnceAndForgetsOldOnes() {
        Crafted c = new Crafted();
        CloseRateMeter m = new CloseRateMeter(10_000, 60_000);
        List<SocketEntry> base = new ArrayList<>();
        base.add(listen("0.0.0.0", 8080));
        m.observe(c.poll(1_000, base));
        // 50 outgoing connections enter TIME_WAIT, each seen in three polls: counted once
        List<SocketEntry> tw = new ArrayList<>(base);
        for (int i = 0; i < 50; i++) tw.add(sock("10.0.0.1", 40000 + i, "10.0.0.5", 80, TcpState.TIME_WAIT, 60_000L - 1_000));
        m.observe(c.poll(2_000, tw));
        List<SocketEntry> later = new ArrayList<>(base);
        for (int i = 0; i < 50; i++) later.add(sock("10.0.0.1", 40000 + i, "10.0.0.5", 80, TcpState.TIME_WAIT, 60_000L - 2_000));
        m.observe(c.poll(3_000, later));
        Destination d = Destination.of(tw.get(1));
        int counted = m.outboundEntries(d);
        assertTrue(counted >= 50, "every entry counted: " + counted);
        List<SocketEntry> again = new ArrayList<>(base); // their timers count on: the same entries
        for (int i = 0; i < 50; i++) again.add(sock("10.0.0.1", 40000 + i, "10.0.0.5", 80, TcpState.TIME_WAIT, 60_000L - 3_000));
        m.observe(c.poll(4_000, again));
        assertEquals(counted, m.outboundEntries(d), "the same entries seen again are not counted again");
        assertEquals(50, m.remembered(), "one entry time per 4-tuple");
        // the sockets are gone; after the window and twice the TIME_WAIT duration the meter forgets them
        long t = 5_000;
        for (int i = 0; i < 70; i++, t += 4_000) m.observe(c.poll(t, base)); // it prunes every 32 polls
        assertTrue(t > 1_000 + 10_000 + 2 * 60_000);
        assertEquals(0, m.remembered(), "4-tuples gone for longer than the window and two TIME_WAIT durations are forgotten");
        assertEquals(0, m.outboundEntries(d), "and out of the window");
    }
}
