package io.tcplens.source.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.source.TimeWaitDuration;
import io.tcplens.source.linux.ProcNetSource;
import io.tcplens.testutil.Await;
import io.tcplens.testutil.OwnedSockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordingRoundTripTest {
    static final SourceInfo LIVE = new SourceInfo(SourceInfo.Kind.LIVE, "proc", "Linux /proc/net/tcp{,6}");

    @TempDir
    Path dir;

    static Endpoint ep(String host, int port) {
        return new Endpoint(InetAddress.ofLiteral(host), port);
    }

    static SocketEntry row(String lh, int lp, String rh, int rp, TcpState st, KernelTcpState ks, TimerKind timer,
                           Long remaining, Integer pid, String proc, boolean lastKnown) {
        return new SocketEntry(new ConnectionKey(ep(lh, lp), ep(rh, rp)), st, ks, 3, 7, timer, remaining, 1, 1000,
                pid == null ? 0 : 4242L + lp, pid, proc, lastKnown);
    }

    /** A sequence exercising every field: v4/v6, nulls, a duplicated 4-tuple, timers, warnings, a source change. */
    static List<Snapshot> synthetic() {
        List<Snapshot> out = new ArrayList<>();
        long t = 1_764_000_000_000L;
        SocketEntry listen = row("0.0.0.0", 8080, "0.0.0.0", 0, TcpState.LISTEN, KernelTcpState.LISTEN, null, null, 10, "java", false);
        SocketEntry listen2 = row("0.0.0.0", 8080, "0.0.0.0", 0, TcpState.LISTEN, KernelTcpState.LISTEN, null, null, 11, "java", false);
        SocketEntry v6 = row("::1", 443, "fe80::1", 5555, TcpState.ESTABLISHED, KernelTcpState.ESTABLISHED,
                TimerKind.KEEPALIVE, 7000L, 12, "name with spaces \"and quotes\" 名前", false);
        SocketEntry est = row("127.0.0.1", 40000, "127.0.0.1", 8080, TcpState.ESTABLISHED, null, null, null, null, null, false);
        out.add(new Snapshot(t, List.of(listen, listen2, v6, est), LIVE, List.of()));
        // est moves to TIME_WAIT, its timer counts down; the owner is inherited
        for (int i = 1; i <= 7; i++) {
            long ti = t + i * 1000L;
            SocketEntry tw = row("127.0.0.1", 40000, "127.0.0.1", 8080, TcpState.TIME_WAIT, KernelTcpState.TIME_WAIT,
                    TimerKind.TIME_WAIT, 60_000L - i * 1000L + (i % 2), 99, "curl", true);
            List<SocketEntry> rows = new ArrayList<>(List.of(listen, tw));
            if (i < 4) rows.add(v6);          // v6 closes after record 3
            if (i == 5) rows.add(listen2);    // the duplicate comes back
            SourceInfo src = i == 6 ? new SourceInfo(SourceInfo.Kind.LAB, "lab", "loopback lab") : LIVE;
            List<String> w = i == 2 ? List.of("3 malformed line(s) skipped, first: tcp: garbage") : List.of();
            out.add(new Snapshot(ti, rows, src, w));
        }
        out.add(new Snapshot(t + 9000, List.of(), LIVE, List.of()));
        out.add(new Snapshot(t + 10_000, List.of(listen), LIVE, List.of()));
        return out;
    }

    static Map<ConnectionKey, List<SocketEntry>> grouped(Snapshot s) {
        Map<ConnectionKey, List<SocketEntry>> m = new LinkedHashMap<>();
        for (SocketEntry e : s.sockets()) m.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
        return m;
    }

    /**
     * Exactly equal except for row order between different 4-tuples (which carries no meaning) and a
     * timer's time left, which may be off by less than TableDiff.DUE_TOLERANCE_MILLIS (a due time read a
     * few ms later in the next dump is the same timer, not a change to record).
     */
    static void assertSameSnapshot(Snapshot expected, Snapshot actual, String what) {
        assertEquals(expected.timestampMillis(), actual.timestampMillis(), what + " time");
        assertEquals(expected.source(), actual.source(), what + " source");
        assertEquals(expected.warnings(), actual.warnings(), what + " warnings");
        assertEquals(expected.sockets().size(), actual.sockets().size(), what + " row count");
        Map<ConnectionKey, List<SocketEntry>> e = grouped(expected), a = grouped(actual);
        assertEquals(withoutTimeLeft(e), withoutTimeLeft(a), what + " rows");
        for (Map.Entry<ConnectionKey, List<SocketEntry>> x : e.entrySet()) {
            for (int i = 0; i < x.getValue().size(); i++) {
                // at each snapshot's time: a polled TIME_WAIT row carries its due time
                Long want = x.getValue().get(i).timerRemainingMs(expected.timestampMillis()),
                        got = a.get(x.getKey()).get(i).timerRemainingMs(actual.timestampMillis());
                if (want == null) assertEquals(null, got, what + " " + x.getKey());
                else assertTrue(got != null && Math.abs(want - got) < TableDiff.DUE_TOLERANCE_MILLIS,
                        what + " " + x.getKey() + ": time left " + got + " for " + want);
            }
        }
    }

    private static Map<ConnectionKey, List<SocketEntry>> withoutTimeLeft(Map<ConnectionKey, List<SocketEntry>> m) {
        Map<ConnectionKey, List<SocketEntry>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, v.stream().map(r -> r.timerRemainingMs() == null ? r : r.withTimerRemaining(0L)).toList()));
        return out;
    }

    static Path write(Path file, List<Snapshot> snaps, int keyframeEvery) throws IOException {
        try (RecordingWriter w = new RecordingWriter(file, LIVE, TimeWaitDuration.LINUX, keyframeEvery, 1L)) {
            for (Snapshot s : snaps) w.append(s);
            assertEquals(snaps.size(), w.records());
        }
        return file;
    }

    @Test
    void syntheticSequenceRoundTripsExactlyWithAnyKeyframeSpacing() throws IOException {
        List<Snapshot> snaps = synthetic();
        for (int every : new int[] {1, 3, 1000}) {
            Recording r = RecordingReader.read(write(dir.resolve("s" + every + ".tcplens"), snaps, every));
            assertTrue(r.stop().isEmpty(), () -> "clean file reported a stop: " + r.stop());
            assertEquals(snaps.size(), r.size());
            assertEquals(LIVE, r.header().source());
            assertEquals(TimeWaitDuration.LINUX, r.header().timeWait());
            assertEquals(every, r.header().keyframeEvery());
            for (int i = 0; i < snaps.size(); i++) assertSameSnapshot(snaps.get(i), r.snapshot(i), "every=" + every + " #" + i);
            // the first record is a keyframe: its row order is kept exactly
            assertEquals(snaps.get(0), r.snapshot(0));
            // random access in any order gives the same answers
            for (int i = snaps.size() - 1; i >= 0; i -= 2) assertSameSnapshot(snaps.get(i), r.snapshot(i), "back #" + i);
        }
    }

    @Test
    void liveKernelTableRoundTripsExactly() throws Exception {
        ProcNetSource proc = new ProcNetSource();
        List<Snapshot> snaps = new ArrayList<>();
        OwnedSockets owned = new OwnedSockets();
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            snaps.add(proc.poll());
            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Socket c = new Socket();
                c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 2000);
                clients.add(c);
                owned.connection(c);
                server.accept().close(); // server closes first: clients go to CLOSE_WAIT, server side to FIN_WAIT2
            }
            snaps.add(proc.poll());
            for (Socket c : clients) c.close();
            snaps.add(proc.poll());
            // the server side of each of the test's connections reaches TIME_WAIT
            ProcNetSource table = new ProcNetSource(Path.of("/proc"), false); // no owner lookup: only states are waited for
            Await.untilChecked(() -> table.poll().sockets().stream()
                    .filter(e -> owned.owns(e) && e.state() == TcpState.TIME_WAIT).count() == clients.size(),
                    Duration.ofSeconds(10), "the server side of the 5 connections in TIME_WAIT");
            snaps.add(proc.poll());
        }
        Path f = write(dir.resolve("live.tcplens"), snaps, 2);
        Recording r = RecordingReader.read(f);
        assertEquals(snaps.size(), r.size());
        for (int i = 0; i < snaps.size(); i++) assertSameSnapshot(snaps.get(i), r.snapshot(i), "live #" + i);
        assertTrue(snaps.get(3).sockets().stream().anyMatch(e -> e.state() == TcpState.TIME_WAIT
                && owned.owns(e)), "the server closed first, so the kernel shows TIME_WAIT on its side");
    }

    @Test
    void diffsAreSmallerThanKeyframes() throws IOException {
        List<Snapshot> snaps = new ArrayList<>();
        long t = 1000;
        List<SocketEntry> rows = new ArrayList<>();
        for (int p = 0; p < 2000; p++)
            rows.add(row("127.0.0.1", 30000 + p, "127.0.0.1", 80, TcpState.TIME_WAIT, KernelTcpState.TIME_WAIT,
                    TimerKind.TIME_WAIT, 50_000L, null, null, false));
        for (int i = 0; i < 30; i++) {
            long ti = t + i * 1000L;
            List<SocketEntry> now = new ArrayList<>();
            // the same sockets, their timers counting down with the clock: due time unchanged, so no diff
            for (SocketEntry e : rows) now.add(new SocketEntry(e.key(), e.state(), e.kernelState(), 0, 0, e.timer(),
                    50_000L - i * 1000L, 0, 0, 0, null, null, false));
            snaps.add(new Snapshot(ti, now, LIVE, List.of()));
        }
        Path diffs = write(dir.resolve("d.tcplens"), snaps, 1000);
        Path keys = write(dir.resolve("k.tcplens"), snaps, 1);
        long d = Files.size(diffs), k = Files.size(keys);
        assertTrue(d * 5 < k, "diffs " + d + " bytes vs keyframes " + k + " bytes");
        Recording r = RecordingReader.read(diffs);
        for (int i = 0; i < snaps.size(); i++) assertSameSnapshot(snaps.get(i), r.snapshot(i), "#" + i);
        assertFalse(r.stop().isPresent());
    }
}
