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
 * The close-rate meter does not count an entry into TIME_WAIT again when it sees it again, keeps one
 * entry time per 4-tuple, and forgets a 4-tuple some time after its entry (the window and twice the TIME_WAIT duration): what it
 * remembers is bounded by the churn, not by how long it runs.
 */
class CloseRateMeterTest {
    @Test
    void slowPollsForgetOldEntriesToo() {
        // the window's refresh backs off to a minute under load: the bound is time, not a number of polls
        Crafted c = new Crafted();
        CloseRateMeter m = new CloseRateMeter(10_000, 60_000);
        List<SocketEntry> base = new ArrayList<>();
        base.add(listen("0.0.0.0", 8080));
        long t = 1_000;
        m.observe(c.poll(t, base));
        for (int poll = 0; poll < 40; poll++) {
            t += 60_000;
            List<SocketEntry> tw = new ArrayList<>(base); // 500 new 4-tuples in TIME_WAIT at each poll, gone by the next
            for (int i = 0; i < 500; i++)
                tw.add(sock("10.0.0." + (1 + poll % 200), 20_000 + i, "10.0.0.5", 80, TcpState.TIME_WAIT, 30_000L));
            m.observe(c.poll(t, tw));
            assertTrue(m.remembered() <= 3 * 500, "poll " + poll + ": " + m.remembered() + " 4-tuples remembered");
        }
    }

    /**
     * Entry times are kept as ints from a base that moves when a time is 2^30 ms (12 days) away from it: a meter
     * running for weeks still counts each entry once, tells a takeover from the same entry, and forgets old ones.
     */
    @Test
    void entryTimesStayRightWhenTheirBaseMovesWeeksLater() {
        Crafted c = new Crafted();
        CloseRateMeter m = new CloseRateMeter(10_000, 60_000);
        List<SocketEntry> base = new ArrayList<>();
        base.add(listen("0.0.0.0", 8080));
        long t = 1_000;
        m.observe(c.poll(t, base));
        for (int week = 0; week < 4; week++) { // the base moves at about the second and fourth week
            t += 7L * 24 * 3600 * 1000;
            m.observe(c.poll(t, base));
            List<SocketEntry> tw = new ArrayList<>(base);
            for (int i = 0; i < 50; i++) tw.add(sock("10.0.0.1", 40000 + i, "10.0.0.5", 80, TcpState.TIME_WAIT, 59_000L));
            m.observe(c.poll(t + 1_000, tw));
            Destination d = Destination.of(tw.get(1));
            int counted = m.outboundEntries(d);
            assertEquals(50, counted, "week " + week + ": every entry counted once");
            List<SocketEntry> again = new ArrayList<>(base); // the timers count on: the same entries
            for (int i = 0; i < 50; i++) again.add(sock("10.0.0.1", 40000 + i, "10.0.0.5", 80, TcpState.TIME_WAIT, 58_000L));
            m.observe(c.poll(t + 2_000, again));
            assertEquals(50, m.outboundEntries(d), "week " + week + ": the same entries are not counted again");
            List<SocketEntry> taken = new ArrayList<>(base); // ten timers jump back up: taken over and closed again
            for (int i = 0; i < 50; i++) taken.add(sock("10.0.0.1", 40000 + i, "10.0.0.5", 80, TcpState.TIME_WAIT, i < 10 ? 59_500L : 57_000L));
            m.observe(c.poll(t + 3_000, taken));
            assertEquals(60, m.outboundEntries(d), "week " + week + ": ten takeovers counted");
            assertEquals(50, m.remembered());
            for (long u = t + 13_000; u < t + 200_000; u += 10_000) m.observe(c.poll(u, base));
            assertEquals(0, m.remembered(), "week " + week + ": gone 4-tuples forgotten");
        }
    }

    /** A base that moves while entries are kept (a window of weeks) moves their times with it: they are forgotten when due. */
    @Test
    void keptEntriesMoveWithTheBase() {
        Crafted c = new Crafted();
        long day = 24L * 3600 * 1000;
        CloseRateMeter m = new CloseRateMeter(15 * day, 60_000);
        List<SocketEntry> base = new ArrayList<>();
        base.add(listen("0.0.0.0", 8080));
        m.observe(c.poll(1_000, base));
        List<SocketEntry> tw = new ArrayList<>(base);
        for (int i = 0; i < 50; i++) tw.add(sock("10.0.0.1", 40000 + i, "10.0.0.5", 80, TcpState.TIME_WAIT, 59_000L));
        m.observe(c.poll(2_000, tw));
        assertEquals(50, m.remembered());
        List<SocketEntry> later = new ArrayList<>(base); // 13 days on: one more entry moves the base
        later.add(sock("10.0.0.2", 40000, "10.0.0.5", 80, TcpState.TIME_WAIT, 59_000L));
        m.observe(c.poll(13 * day, later));
        assertEquals(51, m.remembered(), "the window keeps the first 50");
        m.observe(c.poll(15 * day - 1_000, base));
        assertEquals(51, m.remembered(), "not due before the window and two TIME_WAIT durations");
        m.observe(c.poll(15 * day + 3 * 60_000, base));
        assertEquals(1, m.remembered(), "the first 50 are forgotten when due, the later one kept");
    }

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
        for (int i = 0; i < 70; i++, t += 4_000) m.observe(c.poll(t, base)); // it prunes every 10 s of poll time
        assertTrue(t > 1_000 + 10_000 + 2 * 60_000);
        assertEquals(0, m.remembered(), "4-tuples gone for longer than the window and two TIME_WAIT durations are forgotten");
        assertEquals(0, m.outboundEntries(d), "and out of the window");
    }

    /**
     * On a loaded machine a read of /proc can take longer than a second. A row the read missed once comes back
     * dated later by up to both polls' durations (its timer is read late in a slow poll): the same entry, not a
     * second one (LoopbackPortExhaustionTest counted 51 closes for 50 at load 12–26).
     */
    @Test
    void aRowMissedOnceBySlowPollsIsNotCountedTwice() {
        Crafted c = new Crafted();
        CloseRateMeter m = new CloseRateMeter(60_000, 60_000);
        SocketEntry l = listen("0.0.0.0", 8080);
        m.observe(slow(c.poll(1_000, List.of(l)), 900));
        // entered TIME_WAIT at 1,500; this poll began at 2,000, took 1,400 ms and read the row at its end:
        // 1,900 ms in TIME_WAIT, dated 100 (1,400 ms early)
        SocketEntry early = sock("10.0.0.1", 40000, "10.0.0.5", 80, TcpState.TIME_WAIT, 60_000L - 1_900);
        m.observe(slow(c.poll(2_000, List.of(l, early)), 1_400));
        Destination d = Destination.of(early);
        assertEquals(1, m.outboundEntries(d));
        m.observe(slow(c.poll(4_000, List.of(l)), 900)); // a non-atomic read missed the row
        // the next poll read it at its start: 3,500 ms in TIME_WAIT at 5,000, dated 1,500, 1,400 ms later than before
        SocketEntry late = sock("10.0.0.1", 40000, "10.0.0.5", 80, TcpState.TIME_WAIT, 60_000L - 3_500);
        m.observe(slow(c.poll(5_000, List.of(l, late)), 100));
        assertEquals(1, m.outboundEntries(d), "one entry into TIME_WAIT, seen twice");
        // a real second entry later than both polls' durations is counted
        for (long t = 6_000; t <= 9_000; t += 1_000) m.observe(slow(c.poll(t, List.of(l)), 100));
        SocketEntry again = sock("10.0.0.1", 40000, "10.0.0.5", 80, TcpState.TIME_WAIT, 60_000L - 100);
        m.observe(slow(c.poll(10_000, List.of(l, again)), 100));
        assertEquals(2, m.outboundEntries(d), "a new entry on the same 4-tuple");
    }

    /**
     * A 4-tuple taken over every 2 s while each poll takes 1.8 s: the timer dates each takeover within the slow
     * polls' margin (twice the slowest poll) of the last entry, so only every other one is counted; the meter
     * says its polls were too slow, with how many re-datings it could not tell apart (the other half). With
     * quick polls it counts them all and says nothing.
     */
    @Test
    void pollsTooSlowForTheTakeoversSaySo() {
        for (long pollMillis : new long[] {1_800, 50}) {
            Crafted c = new Crafted();
            CloseRateMeter m = new CloseRateMeter(60_000, 60_000);
            SocketEntry l = listen("0.0.0.0", 8080);
            m.observe(slow(c.poll(1_000, List.of(l)), pollMillis));
            SocketEntry tw = null;
            for (int i = 1; i <= 10; i++) {
                // taken over and closed again 100 ms before each poll
                tw = sock("10.0.0.1", 40000, "10.0.0.5", 80, TcpState.TIME_WAIT, 60_000L - 100);
                m.observe(slow(c.poll(1_000 + i * 2_000L, List.of(l, tw)), pollMillis));
            }
            int counted = m.outboundEntries(Destination.of(tw));
            CloseRateMeter.SlowPolls s = m.slowPolls();
            if (pollMillis > 1_000) {
                // every other takeover adds up past the margin (4 s after the last one counted): half are counted
                assertEquals(5, counted, "takeovers within the slow polls' margin are not counted");
                assertNotNull(s, "the meter says its polls were too slow");
                assertEquals(3_600, s.marginMillis());
                assertEquals(5, s.uncertain(), s.text());
                assertTrue(s.text().contains("3600 ms"), s.text());
            } else {
                assertEquals(10, counted, "quick polls count every takeover");
                assertNull(s, () -> s.text());
            }
        }
    }

    private static PollResult slow(PollResult r, long millis) {
        return new PollResult(r.sequence(), r.snapshot(), r.diff(), r.connections(), millis * 1_000_000L, r.error());
    }
}
