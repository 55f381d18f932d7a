package io.tcplens.source.linux;

import static io.tcplens.source.linux.TcpInfoAndCookieTest.find;
import static io.tcplens.source.linux.TcpInfoAndCookieTest.send;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpInfo;
import io.tcplens.source.TcpInfoDemand;
import io.tcplens.testutil.LoopbackSockets;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * tcp_info for the rows in view only ({@link TcpInfoDemand#only}): the dump comes without it, and the
 * sockets named by cookie are looked up alone. Real loopback sockets, found by their full 4-tuple; the
 * counters are checked against the bytes moved and against {@code ss -tin} for the same 4-tuple.
 */
class VisibleRowsTcpInfoTest {
    @BeforeAll
    static void linux() {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux");
    }

    @Test
    void onlyTheNamedSocketsCarryCountersAndTheyAreTheKernels() throws Exception {
        int n = 200_000, k = 50_000;
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), false)) {
            Socket[] a = lab.established(), b = lab.established();
            ConnectionKey ak = LoopbackSockets.key(a[0]), bk = LoopbackSockets.key(b[0]);
            ConnectionKey akServer = new ConnectionKey(ak.remote(), ak.local());
            send(a[0], a[1], n);
            send(b[0], b[1], k);

            netlink.setTcpInfoDemand(TcpInfoDemand.NONE);
            Snapshot s0 = netlink.poll();
            long aCookie = find(s0, ak).cookie(), bCookie = find(s0, bk).cookie();
            assertNull(find(s0, ak).tcpInfo());

            netlink.setTcpInfoDemand(TcpInfoDemand.only(aCookie, 12345L)); // 12345: no such socket
            Snapshot s1 = netlink.poll();
            TcpInfo a1 = info(netlink, s1, ak);
            assertNotNull(a1, "the named socket's counters are read beside the table");
            assertNull(find(s1, ak).tcpInfo(), "no row carries them: the rows are the dump's, not copies");
            assertEquals(n, a1.bytesSent() - a1.bytesRetrans(), a1.toString());
            assertEquals(n + 1, a1.bytesAcked(), a1.toString());
            assertNull(info(netlink, s1, bk), "a socket not named: the dump came without tcp_info");
            assertNull(info(netlink, s1, akServer), "the other end of the named connection is another socket");
            long named = s1.sockets().stream().filter(e -> e.tcpInfo() != null).count();
            assertEquals(0, named, "no row with counters: " + named);
            assertEquals(1, netlink.tcpInfoRead().size(), "one socket's counters read: " + netlink.tcpInfoRead());
            assertEquals(1, netlink.lastStages()[6], "one lookup: the unknown cookie is not asked for");
            assertEquals(sent(ak), a1.bytesAcked(), "bytes_acked as ss -tin shows it for this 4-tuple");

            // the same row, next poll: the rate between the two readings
            int m = 300_000;
            send(a[0], a[1], m);
            Snapshot s2 = netlink.poll();
            TcpInfo a2 = info(netlink, s2, ak);
            assertEquals(n + m, a2.bytesSent() - a2.bytesRetrans(), a2.toString());
            double seconds = (s2.timestampMillis() - s1.timestampMillis()) / 1000.0;
            assumeTrue(seconds > 0, "the two polls fell in the same millisecond");
            double sent = a2.bytesSent() - a1.bytesSent();
            assertEquals(sent / seconds, a2.sendRate(), 1e-6 * sent / seconds, "bytes between the readings / time between the polls");

            // b comes into view: its counters at once, no rate until its second reading (never a rate over minutes)
            netlink.setTcpInfoDemand(TcpInfoDemand.only(bCookie));
            Snapshot s3 = netlink.poll();
            TcpInfo b3 = info(netlink, s3, bk);
            assertEquals(k, b3.bytesSent() - b3.bytesRetrans(), b3.toString());
            assertTrue(Double.isNaN(b3.sendRate()), "first reading: no rate yet");
            assertNull(info(netlink, s3, ak), "a row out of view keeps no stale counters");
            send(b[0], b[1], m);
            Snapshot s4 = netlink.poll();
            TcpInfo b4 = info(netlink, s4, bk);
            assertFalse(Double.isNaN(b4.sendRate()), "second reading: a rate " + b4);
            assertEquals(m, b4.bytesSent() - b4.bytesRetrans() - k, b4.toString());

            // a came back into view after a poll without it: counters, but its old reading makes no rate
            netlink.setTcpInfoDemand(TcpInfoDemand.only(aCookie, bCookie));
            Snapshot s5 = netlink.poll();
            TcpInfo a5 = info(netlink, s5, ak);
            assertEquals(n + m, a5.bytesSent() - a5.bytesRetrans());
            assertTrue(Double.isNaN(a5.sendRate()), "the last reading was two polls ago");
            assertNotNull(info(netlink, s5, bk));

            // an idle row in view: the same row object poll after poll (the tracker and the table see it unchanged)
            Snapshot i1 = netlink.poll();
            TcpInfo idle1 = info(netlink, i1, bk);
            Snapshot i2 = netlink.poll();
            assertSame(find(i1, bk), find(i2, bk), "an idle connection's row is given again");
            assertSame(idle1, info(netlink, i2, bk), "and its counters are the same object");

            // everything: a full dump with tcp_info, as before
            netlink.setTcpInfoDemand(TcpInfoDemand.ALL);
            Snapshot s6 = netlink.poll();
            assertNotNull(find(s6, akServer).tcpInfo());
            assertEquals(0, netlink.lastStages()[6], "no lookup in a full dump");
            long full = s6.sockets().stream().filter(e -> e.tcpInfo() != null).count();
            assertTrue(netlink.countersKept() >= full, netlink.countersKept() + " kept after a full read of " + full);

            // back to the rows in view: the counters of the full read are let go (kept one poll, for the rows in view's rates)
            netlink.setTcpInfoDemand(TcpInfoDemand.only(bCookie));
            netlink.poll();
            Snapshot s8 = netlink.poll();
            assertFalse(Double.isNaN(info(netlink, s8, bk).sendRate()), "the row in view keeps its rate");
            assertEquals(1, netlink.countersKept(), "only the row in view's counters are kept");
        }
    }

    @Test
    void unknownCookiesAreAskedForInVainAndThePollStandsWithOwners() throws Exception {
        // with owners, as the window polls: the rows are the owned copies (the dump's own array is let go)
        try (LoopbackSockets lab = new LoopbackSockets(); NetlinkSource netlink = new NetlinkSource(Path.of("/proc"), true)) {
            Socket[] a = lab.established();
            ConnectionKey ak = LoopbackSockets.key(a[0]);
            netlink.setTcpInfoDemand(TcpInfoDemand.NONE);
            long cookie = find(netlink.poll(), ak).cookie();
            Socket[] c = lab.established();
            ConnectionKey ck = LoopbackSockets.key(c[0]);
            long other = find(netlink.poll(), ck).cookie();
            // many named sockets, most unknown: more than one datagram of requests
            long[] names = new long[100];
            for (int i = 0; i < names.length; i++) names[i] = 1_000_000L + i;
            names[0] = cookie;
            names[1] = other;
            netlink.setTcpInfoDemand(TcpInfoDemand.only(names));
            Snapshot s = netlink.poll();
            assertNotNull(info(netlink, s, ak));
            assertNotNull(info(netlink, s, ck));
            assertEquals(ProcessHandle.current().pid(), (long) find(s, ak).pid(), "the row keeps its owner");
            assertTrue(s.warnings().stream().noneMatch(w -> w.contains("traffic")), s.warnings().toString());
        }
    }

    /** The counters of the row with this 4-tuple: its own (a full dump), or those read beside the last poll. */
    static TcpInfo info(NetlinkSource netlink, Snapshot s, ConnectionKey key) {
        SocketEntry e = find(s, key);
        return e.tcpInfo() != null ? e.tcpInfo() : netlink.tcpInfoRead().get(e.cookie());
    }

    /** tcpi_bytes_acked of the 4-tuple as {@code ss -tin} prints it (-1 when ss is missing). */
    private static long sent(ConnectionKey key) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("ss", "-tinH", "src", key.local().address().getHostAddress() + ":" + key.local().port(),
                    "dst", key.remote().address().getHostAddress() + ":" + key.remote().port()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            assumeTrue(false, "no ss here");
            return -1;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        Matcher m = Pattern.compile("bytes_acked:(\\d+)").matcher(out);
        assertTrue(m.find(), "ss -tin for " + key + ": " + out);
        return Long.parseLong(m.group(1));
    }
}
