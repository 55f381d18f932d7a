package io.tcplens.source.linux;

import static io.tcplens.source.linux.TcpInfoAndCookieTest.send;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpInfo;
import io.tcplens.model.TcpInfoReadings;
import io.tcplens.source.TcpInfoDemand;
import io.tcplens.testutil.LoopbackSockets;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exact sock_diag lookups (by 4-tuple and cookie) of the rows in view and of a copy or an export, on
 * the sockets the earlier tests left out: IPv6 on {@code ::1} (not v4-mapped) and sockets tied to an
 * interface ({@code SO_BINDTODEVICE}: the kernel matches {@code idiag_if} too). Real loopback sockets,
 * found by their full 4-tuple; each lookup must give the kernel's counters for exactly the bytes moved.
 */
class ExactLookupsTest {
    @BeforeAll
    static void linux() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux");
    }

    @Test
    void ipv6LoopbackLookupsGiveTheKernelsCounters() throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        assumeTrue(Files.exists(Path.of("/proc/net/tcp6")), "no IPv6 here");
        int n = 120_000;
        try (LoopbackSockets lab = new LoopbackSockets(v6); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            Socket[] a = lab.established();
            ConnectionKey ak = LoopbackSockets.key(a[0]);
            assertTrue(ak.local().isIpv6() && ak.local().address().getAddress().length == 16, "an IPv6 socket: " + ak);
            send(a[0], a[1], n);
            checkLookups(netlink, ak, n);
        }
    }

    /** A python child's connection on 127.0.0.1 and one on ::1, both ends tied to "lo"; each end moves known bytes. */
    static final String BOUND_CHILD = """
            import socket, sys
            out = []
            keep = []
            for fam, host in ((socket.AF_INET, '127.0.0.1'), (socket.AF_INET6, '::1')):
                srv = socket.socket(fam, socket.SOCK_STREAM)
                srv.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'lo')
                srv.bind((host, 0)); srv.listen(4)
                c = socket.socket(fam, socket.SOCK_STREAM)
                c.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b'lo')
                c.connect((host, srv.getsockname()[1]))
                s, _ = srv.accept()
                n = 70000 if fam == socket.AF_INET else 90000
                c.sendall(b'x' * n)
                got = 0
                while got < n:
                    got += len(s.recv(65536))
                out.append('%s %d %d %d' % (host, c.getsockname()[1], srv.getsockname()[1], n))
                keep += [srv, c, s]
            print(';'.join(out), flush=True)
            sys.stdin.readline()
            """;

    @Test
    void interfaceBoundLookupsGiveTheKernelsCounters() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3");
        Process child = new ProcessBuilder("/usr/bin/python3", "-c", BOUND_CHILD).redirectErrorStream(true).start();
        try (NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            String line = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assumeTrue(line != null && line.contains(" "), "SO_BINDTODEVICE refused here: " + line);
            for (String one : line.strip().split(";")) {
                String[] f = one.split(" ");
                InetAddress host = InetAddress.getByName(f[0]);
                int clientPort = Integer.parseInt(f[1]), serverPort = Integer.parseInt(f[2]), bytes = Integer.parseInt(f[3]);
                netlink.setTcpInfoDemand(TcpInfoDemand.NONE);
                SocketEntry row = netlink.poll().sockets().stream()
                        .filter(e -> e.local().address().equals(host) && e.local().port() == clientPort
                                && e.remote().address().equals(host) && e.remote().port() == serverPort)
                        .findFirst().orElseThrow(() -> new AssertionError("no row for " + one));
                assertNotEquals(0, row.local().ifIndex() + row.remote().ifIndex(), "the kernel names the interface: " + row.key());
                checkLookups(netlink, row.key(), bytes);
            }
        } finally {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The connection's sending end, by 4-tuple: a poll naming its cookie reads its counters beside the table
     * (its row carries none), a lookup outside the polls reads the same, and a closed socket's lookup says so.
     */
    private static void checkLookups(NetlinkSource netlink, ConnectionKey key, int sent) throws Exception {
        netlink.setTcpInfoDemand(TcpInfoDemand.NONE);
        SocketEntry row = find(netlink.poll(), key);
        assertTrue(row.hasCookie(), row.toString());
        netlink.setTcpInfoDemand(TcpInfoDemand.only(row.cookie()));
        Snapshot s = netlink.poll();
        assertNull(find(s, key).tcpInfo(), "the row itself carries none");
        TcpInfo t = netlink.tcpInfoRead().get(row.cookie());
        assertNotNull(t, "the poll read the named socket's counters: " + netlink.tcpInfoRead() + " for " + key);
        assertEquals(sent, t.bytesSent() - t.bytesRetrans(), t.toString());
        assertEquals(sent + 1, t.bytesAcked(), "the SYN counts: " + t);
        TcpInfoReadings now = netlink.lookUpTcpInfo(List.of(find(s, key)));
        TcpInfo l = now.get(row.cookie());
        assertNotNull(l, "a lookup outside the polls reads it too: " + now);
        assertEquals(sent, l.bytesSent() - l.bytesRetrans(), l.toString());
        assertTrue(Double.isNaN(l.sendRate()), "no rate outside the polls");
        assertFalse(now.gone(row.cookie()));
    }

    @Test
    void aClosedSocketsLookupSaysItIsGone() throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            Socket[] a = lab.established(), b = lab.established();
            ConnectionKey ak = LoopbackSockets.key(a[0]), bk = LoopbackSockets.key(b[0]);
            send(b[0], b[1], 4_000);
            netlink.setTcpInfoDemand(TcpInfoDemand.NONE);
            Snapshot s = netlink.poll();
            SocketEntry ar = find(s, ak), br = find(s, bk);
            a[0].setSoLinger(true, 0); // RST: no TIME_WAIT row with this 4-tuple
            a[0].close();
            a[1].close();
            TcpInfoReadings r = netlink.lookUpTcpInfo(List.of(ar, br));
            assertTrue(r.gone(ar.cookie()), "closed since the poll: " + r);
            assertNull(r.get(ar.cookie()));
            assertEquals(4_000, r.get(br.cookie()).bytesSent() - r.get(br.cookie()).bytesRetrans());
        }
    }

    static SocketEntry find(Snapshot s, ConnectionKey key) {
        return TcpInfoAndCookieTest.find(s, key);
    }
}
