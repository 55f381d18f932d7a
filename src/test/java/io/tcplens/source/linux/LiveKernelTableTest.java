package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.LoopbackSockets;
import io.tcplens.testutil.OwnedSockets;
import io.tcplens.testutil.Ss;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import java.net.BindException;

/** Real loopback sockets, read through the engine's /proc source and checked against `ss -tan`. */
class LiveKernelTableTest {
    /** /proc prints timers in clock ticks (USER_HZ 100): a reading may be rounded down by up to this. */
    static final long TICK_MS = 20;

    @Test
    void everyStateAgreesExactlyWithSs() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        assertTrue(Ss.available(), "iproute2 `ss` is required (.ci/run installs it)");
        try (LoopbackSockets lab = new LoopbackSockets()) {
            lab.established();
            long twStart = System.nanoTime();
            ConnectionKey tw = lab.timeWaitKey();
            ConnectionKey cw = lab.closeWaitKey();
            lab.synSent();

            long s0 = System.nanoTime();
            Snapshot s = new ProcNetSource().poll();
            long s1 = System.nanoTime();
            List<Ss.Row> ref = Ss.tano();
            long r1 = System.nanoTime();

            // the test's own sockets, by full 4-tuple: another program's socket may share a port number
            List<String> ours = new ArrayList<>();
            for (SocketEntry e : s.sockets())
                if (lab.owns(e))
                    ours.add(e.state() + " " + e.local().host() + ":" + e.local().port() + " "
                            + (e.remote().isWildcard() ? "*" : e.remote().host()) + ":" + e.remote().port());
            List<String> theirs = new ArrayList<>();
            for (Ss.Row r : ref)
                if (lab.owned().owns(r))
                    theirs.add(r.state() + " " + r.local() + ":" + r.localPort() + " " + r.peer() + ":" + r.peerPort());
            Collections.sort(ours);
            Collections.sort(theirs);
            assertEquals(theirs, ours, "engine and ss agree on every socket of the test's 4-tuples");

            Map<ConnectionKey, SocketEntry> byKey = s.byKey();
            assertTrue(has(s, lab, TcpState.LISTEN, lab.port()));
            assertTrue(has(s, lab, TcpState.ESTABLISHED, lab.port()));
            assertEquals(TcpState.TIME_WAIT, byKey.get(tw).state(), "client that closed first is in TIME_WAIT");
            assertEquals(TcpState.FIN_WAIT2, byKey.get(cw).state());
            assertEquals(TcpState.CLOSE_WAIT, byKey.get(new ConnectionKey(cw.remote(), cw.local())).state(),
                    "server that never closes is in CLOSE_WAIT");
            assertTrue(has(s, lab, TcpState.CLOSE_WAIT, lab.port()), "server that never closes is in CLOSE_WAIT");
            assertEquals(TcpState.SYN_SENT, byKey.get(lab.synSentKey()).state(),
                    "handshake refused by a full accept queue stays in SYN_SENT");

            // TIME_WAIT remaining against ss -tano, read later: ss is lower by at most the time measured
            // between the two reads; it prints whole seconds (rounded down), so its true value is up to
            // 999 ms above what it prints
            SocketEntry ourTw = byKey.get(tw);
            Ss.Row ssTw = ref.stream().filter(r -> r.state() == TcpState.TIME_WAIT && OwnedSockets.key(r).equals(tw))
                    .findFirst().orElseThrow();
            // (as of the snapshot's time: a TIME_WAIT row carries its due time, as netlink's do)
            Long ourLeft = ourTw.timerRemainingMs(s.timestampMillis());
            assertNotNull(ourLeft);
            long sinceTw = (s1 - twStart) / 1_000_000;
            assertTrue(ourLeft <= 60_000 && ourLeft >= 60_000 - sinceTw - TICK_MS,
                    ourLeft + " ms remaining, TIME_WAIT began at most " + sinceTw + " ms earlier");
            long later = ourLeft - ssTw.timerMs();
            long gap = (r1 - s0) / 1_000_000;
            assertTrue(later >= -TICK_MS && later <= gap + 999 + TICK_MS,
                    "ours " + ourLeft + " ms vs ss " + ssTw.timerMs() + " ms read up to " + gap + " ms later");

            // owners: sockets this JVM holds belong to this process; TIME_WAIT has no owner
            long me = ProcessHandle.current().pid();
            SocketEntry listen = s.sockets().stream().filter(e -> lab.owns(e) && e.state() == TcpState.LISTEN
                    && e.local().port() == lab.port()).findFirst().orElseThrow();
            assertEquals(me, (long) listen.pid());
            assertEquals("java", listen.process());
            SocketEntry est = s.sockets().stream().filter(e -> lab.owns(e) && e.state() == TcpState.ESTABLISHED
                    && e.remote().port() == lab.port()).findFirst().orElseThrow();
            assertEquals(me, (long) est.pid());
            assertNull(ourTw.pid());
        }
    }

    @Test
    void ipv6LoopbackIsReadToo() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp6")), "needs IPv6 /proc/net/tcp6");
        InetAddress v6 = InetAddress.getByName("::1");
        LoopbackSockets lab;
        try {
            lab = new LoopbackSockets(v6);
        } catch (BindException e) {
            assumeTrue(false, "::1 not configured here: " + e.getMessage());
            return;
        }
        try (lab) {
            lab.established();
            Snapshot s = new ProcNetSource().poll();
            assertTrue(s.sockets().stream().anyMatch(e -> lab.owns(e) && e.state() == TcpState.ESTABLISHED
                    && e.local().host().equals("::1") && e.remote().port() == lab.port()));
        }
    }

    /** One of the test's own sockets (by 4-tuple) in this state on this local port. */
    static boolean has(Snapshot s, LoopbackSockets lab, TcpState st, int localPort) {
        return s.sockets().stream().anyMatch(e -> lab.owns(e) && e.state() == st && e.local().port() == localPort);
    }
}
