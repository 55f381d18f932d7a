package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.LoopbackSockets;
import io.tcplens.testutil.Ss;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Real loopback sockets, read through the engine's /proc source and checked against `ss -tan`. */
class LiveKernelTableTest {

    @Test
    void everyStateAgreesExactlyWithSs() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        assertTrue(Ss.available(), "iproute2 `ss` is required (.ci/run installs it)");
        try (LoopbackSockets lab = new LoopbackSockets()) {
            lab.established();
            int tw = lab.timeWait();
            int cw = lab.closeWait();
            int[] syn = lab.synSent();
            Set<Integer> ports = Set.of(lab.port(), syn[0]);

            Snapshot s = new ProcNetSource().poll();
            List<Ss.Row> ref = Ss.tano();

            List<String> ours = new ArrayList<>();
            for (SocketEntry e : s.sockets())
                if (ports.contains(e.local().port()) || ports.contains(e.remote().port()))
                    ours.add(e.state() + " " + e.local().host() + ":" + e.local().port() + " "
                            + (e.remote().isWildcard() ? "*" : e.remote().host()) + ":" + e.remote().port());
            List<String> theirs = new ArrayList<>();
            for (Ss.Row r : ref)
                if (ports.contains(r.localPort()) || ports.contains(r.peerPort()))
                    theirs.add(r.state() + " " + r.local() + ":" + r.localPort() + " " + r.peer() + ":" + r.peerPort());
            Collections.sort(ours);
            Collections.sort(theirs);
            assertEquals(theirs, ours, "engine and ss agree on every socket of the test's ports");

            assertTrue(has(s, TcpState.LISTEN, lab.port()));
            assertTrue(has(s, TcpState.ESTABLISHED, lab.port()));
            assertTrue(hasLocal(s, TcpState.TIME_WAIT, tw), "client that closed first is in TIME_WAIT");
            assertTrue(hasLocal(s, TcpState.FIN_WAIT2, cw));
            assertTrue(has(s, TcpState.CLOSE_WAIT, lab.port()), "server that never closes is in CLOSE_WAIT");
            assertTrue(hasLocal(s, TcpState.SYN_SENT, syn[1]), "handshake refused by a full accept queue stays in SYN_SENT");

            // TIME_WAIT remaining: within ±1 s of ss -tano (ss prints whole seconds, rounded down)
            SocketEntry ourTw = s.sockets().stream().filter(e -> e.state() == TcpState.TIME_WAIT && e.local().port() == tw).findFirst().orElseThrow();
            Ss.Row ssTw = ref.stream().filter(r -> r.state() == TcpState.TIME_WAIT && r.localPort() == tw).findFirst().orElseThrow();
            assertNotNull(ourTw.timerRemainingMs());
            assertTrue(ourTw.timerRemainingMs() > 50_000 && ourTw.timerRemainingMs() <= 60_000, "" + ourTw.timerRemainingMs());
            long ssMid = ssTw.timerMs() + (ssTw.timerMs() % 1000 == 0 ? 500 : 0);
            assertTrue(Math.abs(ourTw.timerRemainingMs() - ssMid) <= 1000,
                    "ours " + ourTw.timerRemainingMs() + " ms vs ss " + ssTw.timerMs() + " ms");

            // owners: sockets this JVM holds belong to this process; TIME_WAIT has no owner
            long me = ProcessHandle.current().pid();
            SocketEntry listen = s.sockets().stream().filter(e -> e.state() == TcpState.LISTEN && e.local().port() == lab.port()).findFirst().orElseThrow();
            assertEquals(me, (long) listen.pid());
            assertEquals("java", listen.process());
            SocketEntry est = s.sockets().stream().filter(e -> e.state() == TcpState.ESTABLISHED && e.remote().port() == lab.port()).findFirst().orElseThrow();
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
        } catch (java.net.BindException e) {
            assumeTrue(false, "::1 not configured here: " + e.getMessage());
            return;
        }
        try (lab) {
            lab.established();
            Snapshot s = new ProcNetSource().poll();
            assertTrue(s.sockets().stream().anyMatch(e -> e.state() == TcpState.ESTABLISHED && e.local().host().equals("::1")
                    && e.remote().port() == lab.port()));
        }
    }

    static boolean has(Snapshot s, TcpState st, int port) {
        return s.sockets().stream().anyMatch(e -> e.state() == st && (e.local().port() == port));
    }

    static boolean hasLocal(Snapshot s, TcpState st, int port) {
        return s.sockets().stream().anyMatch(e -> e.state() == st && e.local().port() == port);
    }
}
