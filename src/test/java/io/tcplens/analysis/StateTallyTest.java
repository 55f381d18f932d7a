package io.tcplens.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.linux.NetlinkSource;
import io.tcplens.testutil.ChurningLoopback;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.testutil.SteadyTable;
import io.tcplens.source.linux.NetlinkSourceProvider;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The tiles' figures kept from table to table ({@link StateTally}) equal a walk over each whole table
 * ({@link Snapshot#countByState()}, and the TIME_WAIT peak per destination counted afresh): on
 * thousands of generated rows changed as polls change them (rows kept, replaced, gone singly and in
 * blocks, new ones anywhere, the order shuffled), and on the real kernel's table.
 */
class StateTallyTest {
    private static final TcpState[] STATES = TcpState.values();

    /** The most TIME_WAIT sockets from one local address to one remote endpoint, by a walk over every row. */
    static int peakTimeWait(List<SocketEntry> rows) {
        Map<List<Object>, Integer> m = new HashMap<>();
        int peak = 0;
        for (SocketEntry e : rows) {
            if (e.state() != TcpState.TIME_WAIT) continue;
            peak = Math.max(peak, m.merge(List.of(e.local().address(), e.remote()), 1, Integer::sum));
        }
        return peak;
    }

    private static void assertFigures(List<SocketEntry> rows, StateTally.Figures f, String when) {
        Snapshot s = new Snapshot(1, rows, null, List.of());
        assertEquals(s.countByState(), f.byState(), when + ": sockets per state");
        assertEquals(peakTimeWait(rows), f.timeWaitPeak(), when + ": TIME_WAIT peak");
    }

    private static SocketEntry row(Random rnd, int id) throws Exception {
        // a few destinations, so that the TIME_WAIT peak is in the hundreds and moves up and down
        InetAddress local = InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) (1 + rnd.nextInt(3))});
        InetAddress remote = InetAddress.getByAddress(new byte[] {10, 0, 1, (byte) (1 + rnd.nextInt(4))});
        TcpState state = rnd.nextInt(3) == 0 ? STATES[rnd.nextInt(STATES.length)] : rnd.nextBoolean() ? TcpState.TIME_WAIT : TcpState.ESTABLISHED;
        ConnectionKey key = new ConnectionKey(new Endpoint(local, 1024 + id % 60_000), new Endpoint(remote, 80 + rnd.nextInt(2)));
        return new SocketEntry(key, state, null, 0, 0, null, null, 0, -1, id, null, null, false);
    }

    @Test
    void figuresEqualAWalkOverEachTableOfThousandsThroughChurn() throws Exception {
        Random rnd = new Random(11);
        int id = 0;
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) rows.add(row(rnd, id++));
        StateTally tally = new StateTally();
        assertFigures(rows, tally.update(List.copyOf(rows)), "first table");
        assertEquals(rows.size(), tally.lastRead(), "the first table is read whole");
        assertFigures(rows, tally.update(List.copyOf(rows)), "the same rows again");
        assertEquals(0, tally.lastRead(), "the same row objects: none read");
        int peaks = 0;
        for (int poll = 0; poll < 60; poll++) {
            int changed = 0;
            // rows gone, one here and there
            for (int k = 0; k < 300; k++) {
                rows.remove(rnd.nextInt(rows.size()));
            }
            // rows that changed (a new row object for the same socket, often another state)
            for (int k = 0; k < 200; k++, changed++) {
                int at = rnd.nextInt(rows.size());
                SocketEntry was = rows.get(at);
                rows.set(at, new SocketEntry(was.key(), STATES[rnd.nextInt(STATES.length)], null, 0, 0, null, null, 0, -1,
                        was.inode(), null, null, false));
            }
            // new rows anywhere
            for (int k = 0; k < 320; k++, changed++) rows.add(rnd.nextInt(rows.size() + 1), row(rnd, id++));
            if (poll % 7 == 3) {
                int from = rnd.nextInt(rows.size() - 2_000);
                rows.subList(from, from + 1_500).clear(); // a block gone (a process exited)
            }
            if (poll % 11 == 5) {
                List<SocketEntry> block = new ArrayList<>();
                for (int k = 0; k < 1_000; k++, changed++) block.add(row(rnd, id++));
                rows.addAll(0, block); // a block of new rows at the front
            }
            boolean shuffled = poll % 13 == 9;
            if (shuffled) Collections.shuffle(rows, rnd); // another order (another source): still right
            StateTally.Figures f = tally.update(List.copyOf(rows));
            assertFigures(rows, f, "poll " + poll);
            if (f.timeWaitPeak() > 100) peaks++;
            if (!shuffled) assertTrue(tally.lastRead() <= 2 * changed + 100,
                    "poll " + poll + ": read " + tally.lastRead() + " rows for " + changed + " changed of " + rows.size());
        }
        assertTrue(peaks > 0, "TIME_WAIT peaks in the hundreds were checked");
        rows.clear();
        assertFigures(rows, tally.update(List.of()), "an empty table");
    }

    /**
     * Through the tracker (its rows are {@link io.tcplens.model.TrackedRows}, compared by their trackings in runs):
     * the figures equal a walk over each table, on a steady table (TIME_WAIT made and expiring, pairs replaced) and
     * on a generated one whose repeated 4-tuples give new trackings of the same rows every poll; on the steady one
     * only rows near the changed ones are read.
     */
    @Test
    void figuresEqualAWalkOverTheTrackersTablesThroughChurn() throws Exception {
        for (boolean steady : new boolean[] {true, false}) {
            SocketTableSource table = steady ? new SteadyTable(20_000, 40) : new GeneratedTable(20_000, 300);
            ConnectionTracker tracker = new ConnectionTracker(60_000);
            StateTally tally = new StateTally();
            for (int poll = 0; poll < 12; poll++) {
                ConnectionTracker.Update u = tracker.update(table.poll());
                List<SocketEntry> rows = u.snapshot().sockets();
                StateTally.Figures f = tally.update(rows);
                assertFigures(rows, f, (steady ? "steady" : "generated") + " table, poll " + poll);
                int changed = u.diff().opened().size() + u.diff().closed().size() + u.diff().transitions().size();
                if (steady && poll > 0) assertTrue(tally.lastRead() <= 2 * changed + 100,
                        "poll " + poll + ": read " + tally.lastRead() + " rows for " + changed + " changed of " + rows.size());
            }
        }
    }

    /**
     * The kernel's own table (this machine's, where other programs open and close loopback sockets all the
     * time) plus thousands of this test's loopback connections, polled as the engine polls it (the netlink
     * source and the tracker), some of this test's sockets closed (TIME_WAIT) and new ones opened between polls.
     */
    @Test
    void figuresEqualAWalkOverTheRealTablePollAfterPoll() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        assumeTrue(new NetlinkSourceProvider().unavailableReason().equals(Optional.empty()), "needs netlink sock_diag");
        try (ChurningLoopback conns = new ChurningLoopback(1_500); NetlinkSource netlink = new NetlinkSource()) {
            ConnectionTracker tracker = new ConnectionTracker(60_000);
            StateTally tally = new StateTally();
            int largest = 0, timeWait = 0;
            for (int poll = 0; poll < 8; poll++) {
                Snapshot s = tracker.update(netlink.poll()).snapshot();
                StateTally.Figures f = tally.update(s.sockets());
                assertFigures(s.sockets(), f, "poll " + poll + " of " + s.sockets().size() + " rows");
                largest = Math.max(largest, s.sockets().size());
                timeWait = Math.max(timeWait, f.byState().get(TcpState.TIME_WAIT));
                // churn: 150 of this test's connections close, the client first (its socket stays in TIME_WAIT),
                // and 150 new ones open
                conns.closeOldest(150);
                conns.open(150);
            }
            assertTrue(largest >= 3_000, "thousands of rows: " + largest);
            assertTrue(timeWait >= 150, "TIME_WAIT rows among them: " + timeWait);
        }
    }
}
