package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpInfo;
import io.tcplens.source.Sources;
import io.tcplens.testutil.LoopbackSockets;
import io.tcplens.testutil.TestNetns;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The kernel's own numbers on netlink rows: {@code tcp_info} byte counters of a loopback connection
 * that moved a known number of bytes, the rates between two polls, and the socket cookie against
 * the {@code sk:} that {@code ss -e} prints. The test's sockets are found by their full 4-tuple.
 */
class TcpInfoAndCookieTest {
    @BeforeAll
    static void linux() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux");
    }

    @Test
    void bytesSentAndReceivedAreWhatMoved() throws Exception {
        int n = 100_000;
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            Socket[] pair = lab.established();
            ConnectionKey client = LoopbackSockets.key(pair[0]);
            ConnectionKey server = new ConnectionKey(client.remote(), client.local());
            send(pair[0], pair[1], n);

            Snapshot s1 = netlink.poll();
            TcpInfo c1 = find(s1, client).tcpInfo(), v1 = find(s1, server).tcpInfo();
            assertNotNull(c1, "netlink rows of full sockets carry tcp_info");
            // tcpi_bytes_sent counts retransmitted bytes again: on a busy machine a tail-loss probe can resend on loopback
            assertEquals(n, c1.bytesSent() - c1.bytesRetrans(), "tcpi_bytes_sent less tcpi_bytes_retrans: every byte the client wrote: " + c1);
            assertEquals(n + 1, c1.bytesAcked(), "tcpi_bytes_acked: the bytes plus the SYN's sequence number");
            assertEquals(n, v1.bytesReceived(), "tcpi_bytes_received on the accepting side");
            assertEquals(0, c1.bytesReceived());
            assertTrue(c1.segsOut() >= 3 && c1.segsIn() >= 1, "segments: SYN, ACK and data at least: " + c1);
            assertTrue(c1.rttMicros() > 0, "a smoothed RTT was measured: " + c1);
            assertTrue(Double.isNaN(c1.sendRate()), "no rate on the first poll that sees the connection");

            // a second batch: the rate is the difference over the time between the two polls
            int m = 300_000;
            send(pair[0], pair[1], m);
            Snapshot s2 = netlink.poll();
            TcpInfo c2 = find(s2, client).tcpInfo(), v2 = find(s2, server).tcpInfo();
            assertEquals(n + m, c2.bytesSent() - c2.bytesRetrans(), c2.toString());
            assertEquals(n + m + 1, c2.bytesAcked(), c2.toString());
            assertEquals(n + m, v2.bytesReceived());
            double seconds = (s2.timestampMillis() - s1.timestampMillis()) / 1000.0;
            assumeTrue(seconds > 0, "the two polls fell in the same millisecond");
            double sent = c2.bytesSent() - c1.bytesSent(); // m, plus whatever was resent
            assertEquals(sent / seconds, c2.sendRate(), 1e-6 * sent / seconds, "send rate = bytes between the polls / time between them");
            assertEquals(m / seconds, v2.receiveRate(), 1e-6 * m / seconds);
            assertEquals(0.0, c2.receiveRate(), 0.0, "nothing came back");
        }
    }

    /**
     * Real sockets: an idle connection's row, tcp_info included, is the same object poll after poll (the
     * parser gives it again: its counters did not move, though its tcp_info's timestamps did); once it
     * sends, the next poll's row is a new one whose counters moved by what was sent.
     */
    @Test
    void anIdleConnectionsRowIsGivenAgainAndOneThatSentIsNot() throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            Socket[] pair = lab.established();
            ConnectionKey client = LoopbackSockets.key(pair[0]);
            send(pair[0], pair[1], 10_000);
            // the first poll has no rates, the next has 0 (a new row): wait until one row is given again
            SocketEntry before = find(netlink.poll(), client), now = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                now = find(netlink.poll(), client);
                if (now == before) break;
                before = now;
            }
            assertSame(before, now, "an idle connection's row is the same object at the next poll");
            assertNotNull(now.tcpInfo());
            assertEquals(0.0, now.tcpInfo().sendRate(), "idle: nothing sent between the polls");

            int m = 50_000;
            send(pair[0], pair[1], m);
            SocketEntry moved = find(netlink.poll(), client);
            assertNotSame(now, moved, "it sent: a new row");
            TcpInfo a = now.tcpInfo(), b = moved.tcpInfo();
            assertEquals(m, (b.bytesSent() - b.bytesRetrans()) - (a.bytesSent() - a.bytesRetrans()), "the counter moved by what was sent: " + b);
            assertTrue(b.sendRate() > 0, "a send rate: " + b);
            assertSame(now.key(), moved.key());
        }
    }

    @Test
    void procRowsHaveNoCookieAndNoTcpInfo() throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets()) {
            Socket[] pair = lab.established();
            Snapshot p = new ProcNetSource(Path.of("/proc"), false).poll();
            SocketEntry e = find(p, LoopbackSockets.key(pair[0]));
            assertFalse(e.hasCookie());
            assertNull(e.tcpInfo());
        }
    }

    @Test
    void cookieIsWhatSsCallsSk() throws Exception {
        assumeTrue(TestNetns.usable(), "needs root and ip netns");
        try (TestNetns ns = new TestNetns(3, 2, 1);
             var source = Sources.open("netns:" + ns.name() + "/netlink")) {
            Snapshot s = source.poll();
            Map<String, String> ssCookies = ssCookies(ns.name());
            assertTrue(ssCookies.size() >= 12, "listeners, 3 pairs, TIME_WAIT, CLOSE_WAIT/FIN_WAIT2: " + ssCookies);
            int compared = 0;
            for (SocketEntry e : s.sockets()) {
                String tuple = e.local().host() + ":" + e.local().port() + " " + e.remote().host() + ":" + e.remote().port();
                String sk = ssCookies.get(tuple);
                if (sk == null) continue;
                assertTrue(e.hasCookie(), "netlink always has a cookie: " + e);
                assertEquals(sk, e.cookieHex(), "cookie of " + tuple + " (" + e.state() + ")");
                compared++;
            }
            assertEquals(ssCookies.size(), compared, "every socket ss listed was compared");
            long distinct = s.sockets().stream().mapToLong(SocketEntry::cookie).distinct().count();
            assertEquals(s.sockets().size(), distinct, "one cookie per kernel socket");
        }
    }

    /** "local:port peer:port" → the hex of ss's sk: field, from {@code ss -tanHe} inside the namespace. */
    private static Map<String, String> ssCookies(String ns) throws Exception {
        Process p = new ProcessBuilder("ip", "netns", "exec", ns, "ss", "-tanHe").start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        Pattern sk = Pattern.compile("\\bsk:([0-9a-f]+)");
        Map<String, String> m = new HashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) continue;
            Matcher x = sk.matcher(line);
            if (!x.find()) continue;
            m.put(norm(f[3]) + " " + norm(f[4]), x.group(1));
        }
        return m;
    }

    /** ss prints [::1]:8443 and 0.0.0.0:* / [::]:*; the rows print ::1:8443 and port 0. */
    private static String norm(String endpoint) {
        int c = endpoint.lastIndexOf(':');
        String host = endpoint.substring(0, c), port = endpoint.substring(c + 1);
        if (host.startsWith("[")) host = host.substring(1, host.length() - 1);
        if (host.equals("*")) host = "0.0.0.0";
        if (host.startsWith("::ffff:")) host = host.substring(7);
        return host + ":" + ("*".equals(port) ? "0" : port);
    }

    static void send(Socket from, Socket to, int n) throws Exception {
        byte[] data = new byte[n];
        OutputStream out = from.getOutputStream();
        InputStream in = to.getInputStream();
        Thread writer = Thread.ofVirtual().start(() -> {
            try {
                out.write(data);
                out.flush();
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        byte[] buf = new byte[64 * 1024];
        int read = 0;
        while (read < n) {
            int k = in.read(buf);
            assertTrue(k > 0, "stream ended after " + read + " bytes");
            read += k;
        }
        writer.join(5000);
        // all read by the peer; the last ACK may still be on its way: wait until the sender has no unacknowledged byte
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (NetlinkSource s = new NetlinkSource(Path.of("/proc"), false)) {
                SocketEntry e = find(s.poll(), LoopbackSockets.key(from));
                if (e.sendQueue() == 0) return;
            }
            Thread.sleep(5);
        }
        fail("the sender's queue did not drain");
    }

    @Test
    void aCallerThatNeedsNoTrafficCountersGetsNone() throws Exception {
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            ConnectionKey client = LoopbackSockets.key(lab.established()[0]);
            netlink.setTcpInfoWanted(false); // what `counts` does: the kernel is not asked for tcp_info
            assertNull(find(netlink.poll(), client).tcpInfo());
            netlink.setTcpInfoWanted(true);
            assertNotNull(find(netlink.poll(), client).tcpInfo());
        }
    }

    static SocketEntry find(Snapshot s, ConnectionKey key) {
        List<SocketEntry> rows = s.sockets().stream().filter(e -> e.key().equals(key)).toList();
        assertEquals(1, rows.size(), "exactly one row for " + key + ": " + rows);
        return rows.get(0);
    }
}
