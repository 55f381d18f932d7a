package io.tcplens.source.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.source.linux.NetlinkSource;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The recorder's diff finds an unchanged row by reference when the source gives the same row object
 * again (netlink; nothing of the row read): its records must be byte for byte those of a diff that
 * compares every row's fields, on real polls of this machine's table with a thousand loopback pairs of
 * this JVM opening, closing (to TIME_WAIT, with its timer) and owned. The second diff gets every row of
 * every poll as a new object with the same fields.
 */
class TableDiffSameRowsTest {

    @Test
    void aDiffOfTheSameRowObjectsWritesWhatAFieldByFieldDiffWrites() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux /proc");
        Random rnd = new Random(16);
        List<Socket[]> pairs = new ArrayList<>();
        try (ServerSocket server = new ServerSocket();
             NetlinkSource src = new NetlinkSource(Path.of("/proc"), true);
             PollingEngine engine = new PollingEngine(src, Duration.ofMillis(100))) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
            for (int i = 0; i < 1_000; i++) pairs.add(connect(server));
            TableDiff byReference = new TableDiff(), byFields = new TableDiff();
            Set<SocketEntry> before = Collections.newSetFromMap(new IdentityHashMap<>());
            int reusedPolls = 0;
            for (int poll = 0; poll < 15; poll++) {
                PollResult r = engine.pollOnce();
                Snapshot s = r.snapshot();
                List<SocketEntry> copies = new ArrayList<>(s.sockets().size());
                int reused = 0;
                for (SocketEntry e : s.sockets()) {
                    copies.add(copy(e));
                    if (before.contains(e)) reused++;
                }
                if (reused > s.sockets().size() / 2) reusedPolls++;
                before.clear();
                before.addAll(s.sockets());
                Snapshot copied = new Snapshot(s.timestampMillis(), copies, s.source(), s.warnings(), s.holders());
                boolean first = byReference.isEmpty();
                assertArrayEquals(record(copied, first ? null : byFields.next(copied)), record(s, first ? null : byReference.next(s)),
                        "poll " + poll);
                if (first) {
                    byReference.next(s);
                    byFields.next(copied);
                }
                for (int k = 0; k < 40 && !pairs.isEmpty(); k++) {
                    Socket[] p = pairs.remove(rnd.nextInt(pairs.size()));
                    p[rnd.nextInt(2)].close(); // the side that closes first goes to TIME_WAIT
                    p[0].close();
                    p[1].close();
                }
                for (int k = 0; k < 40; k++) pairs.add(connect(server));
            }
            assertTrue(reusedPolls >= 10, "the source gave most rows again as the same objects: " + reusedPolls + " of 15 polls");
        } finally {
            for (Socket[] p : pairs) for (Socket s : p) s.close();
        }
    }

    @Test
    void theSameRowObjectWithATimeLeftIsAChangeASecondLater() {
        // a row whose timer is a time left (not a due time) given again a second later: its due time moved
        Endpoint a = new Endpoint(InetAddress.getLoopbackAddress(), 40_000), b = new Endpoint(InetAddress.getLoopbackAddress(), 80);
        SocketEntry left = new SocketEntry(new ConnectionKey(a, b), TcpState.TIME_WAIT, null, 0, 0, TimerKind.TIME_WAIT, 30_000L,
                0, 0, 0, null, null, false);
        TableDiff d = new TableDiff();
        d.next(new Snapshot(1_000_000, List.of(left), TableDiffTest.SRC, List.of()));
        TableDiff.Changes same = d.next(new Snapshot(1_000_000, List.of(left), TableDiffTest.SRC, List.of()));
        assertEquals(List.of(), same.put(), "at the same time: the same due time");
        TableDiff.Changes later = d.next(new Snapshot(1_001_000, List.of(left), TableDiffTest.SRC, List.of()));
        assertEquals(List.of(left), later.put(), "a second later the same time left is another due time");
        SocketEntry withDue = left.withTimerDue(1_031_000);
        d.next(new Snapshot(1_002_000, List.of(withDue), TableDiffTest.SRC, List.of()));
        assertEquals(List.of(), d.next(new Snapshot(1_003_000, List.of(withDue), TableDiffTest.SRC, List.of())).put(),
                "a due time given again is no change");
    }

    /** The same fields, another object. */
    private static SocketEntry copy(SocketEntry e) {
        SocketEntry c = e.withOwner(e.pid(), e.process(), !e.ownerLastKnown()).withOwner(e.pid(), e.process(), e.ownerLastKnown());
        assertTrue(c != e && c.equals(e));
        return c;
    }

    private static byte[] record(Snapshot s, TableDiff.Changes changes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RecordingCodec.writeRecord(out, s, changes, -1, null, null);
        return out.toByteArray();
    }

    private static Socket[] connect(ServerSocket server) throws IOException {
        Socket c = new Socket();
        c.connect(server.getLocalSocketAddress());
        return new Socket[] {c, server.accept()};
    }
}
