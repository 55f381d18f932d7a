package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import io.tcplens.testutil.LoopbackSockets;
import io.tcplens.testutil.OwnedSockets;
import io.tcplens.testutil.Ss;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.net.BindException;
import java.util.Optional;

/**
 * Real loopback sockets in every state a test can reach, read through netlink sock_diag and
 * checked, socket by socket, against the /proc source and against {@code ss -tan}.
 */
class NetlinkSourceTest {
    /** The coarsest timer unit of the sources compared: /proc prints clock ticks (USER_HZ 100). */
    static final long TICK_MS = 20;

    @BeforeAll
    static void linuxWithNetlink() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        assertEquals(Optional.empty(), new NetlinkSourceProvider().unavailableReason(),
                "on Linux the netlink sock_diag socket must open and answer");
    }

    @Test
    void everyStateAgreesWithProcAndSs() throws Exception {
        assertTrue(Ss.available(), "iproute2 `ss` is required (.ci/run installs it)");
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource()) {
            lab.established();
            long twStart = System.nanoTime();
            ConnectionKey tw = lab.timeWaitKey();
            ConnectionKey cw = lab.closeWaitKey();
            int[] syn = lab.synSent();
            // the test's own sockets, by full 4-tuple: another program's socket may share a port number
            Predicate<SocketEntry> ours = lab::owns;

            long n0 = System.nanoTime();
            Snapshot n = netlink.poll();
            long n1 = System.nanoTime();
            Snapshot p = new ProcNetSource().poll();
            long p1 = System.nanoTime();
            List<Ss.Row> ref = Ss.tano();
            long s1 = System.nanoTime();

            assertEquals("netlink", n.source().name());
            List<String> fromNetlink = rows(n, ours);
            assertEquals(rows(p, ours), fromNetlink, "netlink and /proc agree on state, addresses, queues, timer, uid, inode, owner");
            assertTrue(fromNetlink.size() >= 8, "listeners, both ends of ESTABLISHED, TIME_WAIT, CLOSE_WAIT/FIN_WAIT2, SYN_SENT: " + fromNetlink);

            List<String> theirs = new ArrayList<>();
            for (Ss.Row r : ref)
                if (lab.owned().owns(r))
                    theirs.add(r.state() + " " + r.local() + ":" + r.localPort() + " " + r.peer() + ":" + r.peerPort());
            List<String> mine = new ArrayList<>();
            for (SocketEntry e : n.sockets())
                if (ours.test(e))
                    mine.add(e.state() + " " + e.local().host() + ":" + e.local().port() + " "
                            + (e.remote().isWildcard() ? "*" : e.remote().host()) + ":" + e.remote().port());
            Collections.sort(theirs);
            Collections.sort(mine);
            assertEquals(theirs, mine, "netlink and ss agree on every socket of the test's 4-tuples");

            assertEquals(50, find(n, ours, TcpState.LISTEN, lab.port()).sendQueue(), "LISTEN: the backlog limit LoopbackSockets asked for");
            assertEquals(1, find(n, ours, TcpState.LISTEN, syn[0]).sendQueue(), "the full listener's backlog of 1");
            assertEquals(find(p, ours, TcpState.LISTEN, syn[0]).receiveQueue(), find(n, ours, TcpState.LISTEN, syn[0]).receiveQueue(),
                    "LISTEN: the accept queue, as /proc's rx_queue");
            assertEquals(TcpState.TIME_WAIT, n.byKey().get(tw).state(), "client that closed first is in TIME_WAIT");
            assertEquals(TcpState.FIN_WAIT2, n.byKey().get(cw).state());
            assertEquals(TcpState.CLOSE_WAIT, n.byKey().get(new ConnectionKey(cw.remote(), cw.local())).state());
            assertEquals(TcpState.SYN_SENT, n.byKey().get(lab.synSentKey()).state(),
                    "handshake refused by a full accept queue stays in SYN_SENT");

            // TIME_WAIT remaining, read at different moments: a later reading is lower by at most the
            // time measured between the reads (plus the coarser source's rounding), never higher.
            SocketEntry nTw = n.byKey().get(tw), pTw = p.byKey().get(tw);
            long nLeft = nTw.timerRemainingMs(n.timestampMillis()); // at the poll (the row carries its due time)
            long sinceTw = (n1 - twStart) / 1_000_000;
            assertTrue(nLeft <= 60_000 && nLeft >= 60_000 - sinceTw - TICK_MS,
                    nLeft + " ms remaining, TIME_WAIT began at most " + sinceTw + " ms earlier");
            long pLeft = pTw.timerRemainingMs(p.timestampMillis()); // (its row carries its due time too)
            long procLater = nLeft - pLeft;
            long procGap = (p1 - n0) / 1_000_000;
            assertTrue(procLater >= -TICK_MS && procLater <= procGap + TICK_MS,
                    "netlink " + nLeft + " ms, proc read up to " + procGap + " ms later " + pLeft + " ms");
            Ss.Row ssTw = ref.stream().filter(r -> r.state() == TcpState.TIME_WAIT && OwnedSockets.key(r).equals(tw))
                    .findFirst().orElseThrow();
            // ss prints whole seconds above 10 s, rounded down: its true value is up to 999 ms above
            long ssLater = nLeft - ssTw.timerMs();
            long ssGap = (s1 - n0) / 1_000_000;
            assertTrue(ssLater >= -TICK_MS && ssLater <= ssGap + 999 + TICK_MS,
                    "netlink " + nLeft + " ms, ss read up to " + ssGap + " ms later " + ssTw.timerMs() + " ms");

            // owners, exactly as the /proc source finds them: this JVM; TIME_WAIT has none
            long me = ProcessHandle.current().pid();
            SocketEntry listen = find(n, ours, TcpState.LISTEN, lab.port());
            assertEquals(me, (long) listen.pid());
            assertEquals("java", listen.process());
            assertNotEquals(0, listen.inode());
            assertEquals(uid(), listen.uid());
            assertNull(nTw.pid());
            assertEquals(0, nTw.inode());

            // the socket is reused: a second poll still sees the same table
            Snapshot again = netlink.poll();
            assertEquals(rows(n, ours.and(e -> e.state() != TcpState.SYN_SENT)),
                    rows(again, ours.and(e -> e.state() != TcpState.SYN_SENT)));
        }
    }

    @Test
    void ipv6LoopbackAgreesWithProc() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp6")), "needs IPv6 /proc/net/tcp6");
        LoopbackSockets lab;
        try {
            lab = new LoopbackSockets(InetAddress.getByName("::1"));
        } catch (BindException e) {
            assumeTrue(false, "::1 not configured here: " + e.getMessage());
            return;
        }
        try (lab; NetlinkSource netlink = new NetlinkSource()) {
            lab.established();
            ConnectionKey tw = lab.timeWaitKey();
            ConnectionKey cw = lab.closeWaitKey();
            Predicate<SocketEntry> ours = lab::owns;
            Snapshot n = netlink.poll();
            Snapshot p = new ProcNetSource().poll();
            assertEquals(rows(p, ours), rows(n, ours));
            assertTrue(n.sockets().stream().anyMatch(e -> ours.test(e) && e.state() == TcpState.ESTABLISHED
                    && e.local().host().equals("::1") && e.remote().port() == lab.port()));
            assertEquals("::", find(n, ours, TcpState.LISTEN, lab.port()).remote().host());
            assertEquals(50, find(n, ours, TcpState.LISTEN, lab.port()).sendQueue());
            assertEquals(TcpState.TIME_WAIT, n.byKey().get(tw).state());
            assertEquals("::1", n.byKey().get(tw).remote().host());
            assertEquals(TcpState.FIN_WAIT2, n.byKey().get(cw).state());
            assertEquals(InetAddress.getByName("::1"), n.byKey().get(tw).local().address());
        }
    }

    @Test
    void autoPrefersNetlinkAndAClosedSourceSaysSo() throws Exception {
        SocketTableSource auto = Sources.open("auto");
        try {
            assertInstanceOf(NetlinkSource.class, auto, "netlink (60) outranks proc (50) when it works");
        } finally {
            auto.close();
        }
        NetlinkSource s = new NetlinkSource();
        assertEquals("netlink", s.poll().source().name());
        s.close();
        SourceException e = assertThrows(SourceException.class, s::poll);
        assertEquals("the netlink source is closed", e.getMessage());
        s.close(); // twice is harmless
    }

    @Test
    void unavailableOffLinuxOrWhenTheKernelDoesNotAnswer() {
        assertEquals(Optional.of("netlink sock_diag exists only on Linux"),
                new NetlinkSourceProvider("Mac OS X", () -> Optional.empty()).unavailableReason());
        var failing = new NetlinkSourceProvider("Linux", () -> Optional.of("cannot open a netlink sock_diag socket: x"));
        assertTrue(failing.unavailableReason().isPresent(), "then `auto` skips it and takes proc (priority 50)");
        assertTrue(failing.autoPriority() > new ProcNetSourceProvider().autoPriority());
        assertEquals("netlink", failing.name());
    }

    /**
     * One comparable line per socket: everything both sources report alike. Not retransmits: /proc
     * prints icsk_retransmits, sock_diag the probe count while a keep-alive or probe timer runs. Not
     * a listener's send queue: sock_diag gives its backlog limit (as ss's Send-Q), /proc gives 0.
     */
    static List<String> rows(Snapshot s, Predicate<SocketEntry> which) {
        List<String> out = new ArrayList<>();
        for (SocketEntry e : s.sockets()) {
            if (!which.test(e)) continue;
            String send = e.state() == TcpState.LISTEN ? "backlog" : String.valueOf(e.sendQueue());
            out.add(e.state() + "/" + e.kernelState() + " " + e.local() + " " + e.remote() + " q=" + send + "/"
                    + e.receiveQueue() + " timer=" + e.timer() + " uid=" + e.uid() + " inode=" + e.inode() + " pid=" + e.pid()
                    + " " + e.process() + " v6=" + e.local().isIpv6() + "/" + e.remote().isIpv6());
        }
        Collections.sort(out);
        return out;
    }

    /** One of the test's own sockets (by 4-tuple) in this state on this local port. */
    static SocketEntry find(Snapshot s, Predicate<SocketEntry> ours, TcpState st, int localPort) {
        return s.sockets().stream().filter(e -> ours.test(e) && e.state() == st && e.local().port() == localPort)
                .findFirst().orElse(null);
    }

    static int uid() throws Exception {
        return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    }
}
