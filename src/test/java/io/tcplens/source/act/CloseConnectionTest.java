package io.tcplens.source.act;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.Sources;
import io.tcplens.source.linux.NetlinkSource;
import io.tcplens.source.linux.ProcNetSource;
import io.tcplens.testutil.Await;
import io.tcplens.testutil.CliProcess;
import io.tcplens.testutil.LoopbackSockets;
import io.tcplens.testutil.TestNetns;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Closing connections for real: loopback sockets of this JVM (found by their full 4-tuple and
 * cookie among the host's busy table) and sockets inside a network namespace the test makes. Both
 * ends must be gone for netlink and for {@code ss}; the kernel's refusal without CAP_NET_ADMIN is
 * checked with a child process whose bounding set lacks it.
 */
class CloseConnectionTest {
    static final SourceInfo NETLINK = new SourceInfo(SourceInfo.Kind.LIVE, "netlink", "Linux netlink sock_diag");
    static final SourceInfo PROC = new SourceInfo(SourceInfo.Kind.LIVE, "proc", "Linux /proc/net/tcp{,6}");
    private static final ResourceBundle TEXT = ResourceBundle.getBundle("io.tcplens.ui.messages");

    @BeforeAll
    static void linuxAsRoot() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux");
        assumeTrue("root".equals(System.getProperty("user.name")), "SOCK_DESTROY needs CAP_NET_ADMIN: run as root");
    }

    @Test
    void closingAnEstablishedLoopbackConnectionEndsBothSides() throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            Socket[] pair = lab.established();
            ConnectionKey client = LoopbackSockets.key(pair[0]);
            ConnectionKey server = reversed(client);
            SocketEntry row = one(netlink.poll(), client);
            long serverCookie = one(netlink.poll(), server).cookie();
            assertEquals(TcpState.ESTABLISHED, row.state());
            assertTrue(row.hasCookie());

            CloseConnection.Outcome o = CloseConnection.close(NETLINK, row);
            assertTrue(o.closed(), "closed: " + o);
            assertEquals("close.done", o.messageKey());

            // both kernel sockets are gone (by cookie: the kernel may hand the port to someone else at once)
            Await.untilChecked(() -> netlink.poll().sockets().stream()
                    .noneMatch(e -> e.cookie() == row.cookie() || e.cookie() == serverCookie), Duration.ofSeconds(5),
                    "both ends of " + client + " gone from the kernel's table");
            assertEquals(List.of(), ss(client), "ss no longer lists the client's end");
            assertEquals(List.of(), ss(server), "ss no longer lists the accepted end");
            // the owners see it: the aborted socket's next read fails, the peer was reset
            pair[0].setSoTimeout(2000);
            pair[1].setSoTimeout(2000);
            assertThrows(IOException.class, () -> pair[0].getInputStream().read(), "the client's socket was aborted");
            assertThrows(IOException.class, () -> pair[1].getInputStream().read(), "the peer received a RST");
            // the listener is untouched
            assertTrue(netlink.poll().sockets().stream().anyMatch(e -> e.state() == TcpState.LISTEN
                    && e.local().port() == lab.port() && e.local().address().equals(lab.address)));
        }
    }

    @Test
    void aRowFromProcWithoutCookieClosesOnlyThatConnection() throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            Socket[] pair = lab.established();
            Socket[] other = lab.established();
            ConnectionKey server = reversed(LoopbackSockets.key(pair[0]));
            SocketEntry procRow = one(new ProcNetSource(Path.of("/proc"), false).poll(), server);
            assertFalse(procRow.hasCookie());
            CloseConnection.Outcome o = CloseConnection.close(PROC, procRow);
            assertTrue(o.closed(), o.toString());
            Await.untilChecked(() -> netlink.poll().sockets().stream().noneMatch(e -> e.key().equals(server)),
                    Duration.ofSeconds(5), "the accepted end is gone");
            Snapshot after = netlink.poll();
            assertEquals(TcpState.ESTABLISHED, one(after, LoopbackSockets.key(other[0])).state(), "the other connection stays");
            assertEquals(1, after.sockets().stream().filter(e -> e.state() == TcpState.LISTEN
                    && e.local().port() == lab.port() && e.local().address().equals(lab.address)).count(), "the listener stays");
        }
    }

    @Test
    void aConnectionThatIsGoneIsNotMistakenForItsListener() throws Exception {
        // the kernel's lookup of a 4-tuple falls back to a listener; a row whose connection ended must not close it
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            Socket[] pair = lab.established();
            ConnectionKey server = reversed(LoopbackSockets.key(pair[0]));
            SocketEntry row = one(netlink.poll(), server);
            SocketEntry noCookie = new SocketEntry(row.key(), row.state(), row.kernelState(), 0, 0, null, null, 0, 0, row.inode(), null, null, false);
            pair[0].close();
            InputStream in = pair[1].getInputStream();
            pair[1].setSoTimeout(2000);
            while (in.read() >= 0) { /* until FIN */ }
            pair[1].close();
            Await.untilChecked(() -> netlink.poll().sockets().stream().noneMatch(e -> e.key().equals(server)),
                    Duration.ofSeconds(5), "the accepted end closed");
            assertEquals("close.gone", CloseConnection.close(NETLINK, row).messageKey());
            assertEquals("close.gone", CloseConnection.close(PROC, noCookie).messageKey());
            assertTrue(netlink.poll().sockets().stream().anyMatch(e -> e.state() == TcpState.LISTEN
                    && e.local().port() == lab.port() && e.local().address().equals(lab.address)), "the listener is still there");
        }
    }

    @Test
    void aRowOfAnEarlierSocketOnTheSame4TupleIsNotClosed() throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            Socket[] pair = lab.established();
            SocketEntry row = one(netlink.poll(), LoopbackSockets.key(pair[0]));
            // the row as an earlier socket with this 4-tuple would have been: another cookie
            SocketEntry stale = new SocketEntry(row.key(), row.state(), row.kernelState(), 0, 0, null, null, 0, 0, 0, null,
                    null, false, false, row.cookie() + 1_000_000, null);
            CloseConnection.Outcome o = CloseConnection.close(NETLINK, stale);
            assertFalse(o.closed());
            assertEquals("close.replaced", o.messageKey());
            assertEquals(TcpState.ESTABLISHED, one(netlink.poll(), row.key()).state(), "left open");
        }
    }

    @Test
    void ipv6LoopbackToo() throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets(InetAddress.getByName("::1"));
             NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            Socket[] pair = lab.established();
            SocketEntry row = one(netlink.poll(), LoopbackSockets.key(pair[0]));
            assertTrue(CloseConnection.close(NETLINK, row).closed());
            Await.untilChecked(() -> netlink.poll().sockets().stream().noneMatch(e -> e.cookie() == row.cookie()),
                    Duration.ofSeconds(5), "gone");
        }
    }

    @Test
    void inAnotherNetworkNamespace() throws Exception {
        assumeTrue(TestNetns.usable(), "needs ip netns");
        try (TestNetns ns = new TestNetns(2, 0, 0); SocketTableSource src = Sources.open("netns:" + ns.name() + "/netlink")) {
            Snapshot s = src.poll();
            SocketEntry row = s.sockets().stream().filter(e -> e.state() == TcpState.ESTABLISHED && e.remote().port() == 8080)
                    .findFirst().orElseThrow();
            assertEquals(Optional.empty(), CloseConnection.refusal(s.source(), row));
            assertTrue(CloseConnection.command(s.source(), row).startsWith("ip netns exec " + ns.name() + " ss -K "));
            CloseConnection.Outcome o = CloseConnection.close(s.source(), row);
            assertTrue(o.closed(), o.toString());
            ConnectionKey peer = reversed(row.key());
            Await.untilChecked(() -> src.poll().sockets().stream().noneMatch(e -> e.key().equals(row.key()) || e.key().equals(peer)),
                    Duration.ofSeconds(5), "both ends gone in the namespace");
            for (var r : ns.ss())
                assertFalse(r.localPort() == row.local().port() || r.peerPort() == row.local().port(), "ss in the namespace: " + r);
            assertEquals(2, src.poll().sockets().stream().filter(e -> e.state() == TcpState.ESTABLISHED).count(),
                    "the other pair is untouched");
        }
    }

    @Test
    void theEquivalentSsCommandClosesTheSameConnection() throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            Socket[] pair = lab.established();
            SocketEntry row = one(netlink.poll(), LoopbackSockets.key(pair[0]));
            String cmd = CloseConnection.command(NETLINK, row);
            assertEquals("ss -K -t src 127.0.0.1 sport = :" + row.local().port() + " dst 127.0.0.1 dport = :" + lab.port(), cmd);
            Process p = new ProcessBuilder(List.of(cmd.split(" "))).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            Await.untilChecked(() -> netlink.poll().sockets().stream().noneMatch(e -> e.cookie() == row.cookie()),
                    Duration.ofSeconds(5), "ss -K closed it");
        }
    }

    @Test
    void withoutCapNetAdminTheKernelRefusesAndSaysWhy() throws Exception {
        assumeTrue(TestNetns.run("setpriv", "--version") == 0, "needs util-linux setpriv");
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            Socket[] pair = lab.established();
            ConnectionKey k = LoopbackSockets.key(pair[0]);
            long cookie = one(netlink.poll(), k).cookie();
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--inh-caps=-all", "--bounding-set=-net_admin"));
            cmd.addAll(CliProcess.command(List.of("--enable-native-access=ALL-UNNAMED"), "close", "--source", "netlink",
                    k.local().toString(), k.remote().toString(), "--yes"));
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, p.exitValue(), out + err);
            assertTrue(err.contains("needs CAP_NET_ADMIN") && err.contains("EPERM"), err);
            assertEquals(cookie, one(netlink.poll(), k).cookie(), "the connection is still there");
            // and as root the same command closes it
            CliProcess.Result r = CliProcess.run(null, 60, List.of("--enable-native-access=ALL-UNNAMED"), "close", "--source", "netlink",
                    k.local().toString(), k.remote().toString(), "--yes");
            assertEquals(0, r.code(), r.err());
            assertTrue(r.out().startsWith("Closed " + k.local() + " -> " + k.remote()), r.out());
        }
    }

    @Test
    void refusedWhereNoSocketOfThisMachineIsBehindTheRow() throws Exception {
        SocketEntry e = new SocketEntry(new ConnectionKey(new Endpoint(InetAddress.getByName("127.0.0.1"), 40000),
                new Endpoint(InetAddress.getByName("127.0.0.1"), 80)), TcpState.ESTABLISHED, null, 0, 0, null, null, 0, 0, 1, null, null, false);
        assertEquals(Optional.of("close.refused.notLive"), CloseConnection.refusal(new SourceInfo(SourceInfo.Kind.REPLAY, "replay", "x"), e));
        assertEquals(Optional.of("close.refused.notLive"), CloseConnection.refusal(new SourceInfo(SourceInfo.Kind.SIMULATED, "script", "x"), e));
        assertEquals(Optional.of("close.refused.remote"), CloseConnection.refusal(new SourceInfo(SourceInfo.Kind.LIVE, "ssh://me@host:22", "x"), e));
        assertEquals(Optional.of("close.refused.noSource"), CloseConnection.refusal(null, e));
        SocketEntry listener = new SocketEntry(new ConnectionKey(new Endpoint(InetAddress.getByName("127.0.0.1"), 80),
                new Endpoint(InetAddress.getByName("0.0.0.0"), 0)), TcpState.LISTEN, null, 0, 0, null, null, 0, 0, 1, null, null, false);
        assertEquals(Optional.of("close.refused.listener"), CloseConnection.refusal(NETLINK, listener));
        CloseConnection.Outcome o = CloseConnection.close(new SourceInfo(SourceInfo.Kind.REPLAY, "replay", "x"), e);
        assertFalse(o.closed());
        // every key the action can answer with has a text
        for (String k : List.of("close.done", "close.gone", "close.replaced", "close.failed", "close.refused.notLive",
                "close.refused.remote", "close.refused.notLinux", "close.refused.source", "close.refused.noSource",
                "close.refused.listener", "close.refused.permission", "close.refused.kernel"))
            assertFalse(TEXT.getString(k).isBlank(), k);
    }

    private static ConnectionKey reversed(ConnectionKey k) {
        return new ConnectionKey(k.remote(), k.local());
    }

    private static SocketEntry one(Snapshot s, ConnectionKey key) {
        List<SocketEntry> rows = s.sockets().stream().filter(e -> e.key().equals(key)).toList();
        assertEquals(1, rows.size(), "one row for " + key + ": " + rows);
        return rows.get(0);
    }

    /** The rows {@code ss -tanH} lists for exactly this 4-tuple (ss's own filter). */
    private static List<String> ss(ConnectionKey k) throws Exception {
        Process p = new ProcessBuilder("ss", "-tanH", "src", k.local().host() + ":" + k.local().port(),
                "dst", k.remote().host() + ":" + k.remote().port()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return out.isEmpty() ? List.of() : List.of(out.split("\n"));
    }
}
