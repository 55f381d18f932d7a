package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpInfo;
import io.tcplens.source.SourceException;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parser keeps what it knows of each socket in slots that gone sockets hand on to new ones, and cuts its
 * columns back when the table shrinks a lot: over many polls of a table whose sockets come and go (IPv4, IPv6,
 * IPv4-mapped, TIME_WAIT with running timers, tcp_info whose counters move or not, interface-bound ones, a
 * socket listed twice by a racing dump), every row it gives must be what a fresh parser makes of the same
 * dump (by 4-tuple and cookie, field by field), with the rates from that socket's own last counters, the same
 * row object again for an unchanged socket, the same key object for one seen again (a new one when tied to an
 * interface), and nothing kept of the sockets gone.
 */
class ParserSlotReuseTest {
    private static final int SEQ = 7;
    private static final int ESTABLISHED = 1, TIME_WAIT = 6, LISTEN = 10;

    /** A socket of the simulated table, as the kernel would describe it. */
    private static final class Sock {
        final long cookie;
        final int family; // 4, 6 (2001:db8::), 46 (IPv4-mapped)
        final int sport, dport, host;
        final int ifIndex;
        int state = ESTABLISHED, timer, expires, rqueue, wqueue, inode;
        boolean info;
        long sent, received;

        Sock(long cookie, int family, int sport, int dport, int host, int ifIndex) {
            this.cookie = cookie;
            this.family = family;
            this.sport = sport;
            this.dport = dport;
            this.host = host;
            this.ifIndex = ifIndex;
        }

        byte[] record() throws Exception {
            boolean full = state != TIME_WAIT;
            ByteBuffer b = ByteBuffer.allocate(72 + (full ? 8 : 0) + (info ? 236 : 0)).order(ByteOrder.nativeOrder());
            b.put((byte) (family == 4 ? InetDiagParser.AF_INET : InetDiagParser.AF_INET6)).put((byte) state)
                    .put((byte) timer).put((byte) 0);
            b.order(ByteOrder.BIG_ENDIAN).putShort((short) sport).putShort((short) dport);
            b.put(address(true)).put(address(false));
            b.order(ByteOrder.nativeOrder()).putInt(ifIndex).putInt((int) cookie).putInt((int) (cookie >>> 32));
            b.putInt(expires).putInt(rqueue).putInt(wqueue).putInt(full ? 1000 : 0).putInt(inode);
            if (full) b.putShort((short) 5).putShort((short) InetDiagParser.INET_DIAG_SHUTDOWN).putInt(0);
            if (info) {
                int at = b.position() + 4;
                b.putShort((short) 236).putShort((short) InetDiagParser.INET_DIAG_INFO);
                b.putLong(at + InetDiagParser.TCPI_BYTES_RECEIVED, received);
                b.putLong(at + InetDiagParser.TCPI_BYTES_SENT, sent);
                b.putInt(at + InetDiagParser.TCPI_SEGS_OUT, (int) (sent / 100));
                b.putInt(at + InetDiagParser.TCPI_RTT, 50 + (int) (cookie % 7));
            }
            return b.array();
        }

        private byte[] address(boolean local) throws Exception {
            byte[] out = new byte[16];
            int last = local ? host : host + 1;
            switch (family) {
                case 4 -> System.arraycopy(InetAddress.getByName("127.0.0." + last).getAddress(), 0, out, 0, 4);
                case 6 -> System.arraycopy(InetAddress.getByName("2001:db8::" + Integer.toHexString(last)).getAddress(), 0, out, 0, 16);
                default -> {
                    out[10] = (byte) 0xff;
                    out[11] = (byte) 0xff;
                    System.arraycopy(InetAddress.getByName("127.0.1." + last).getAddress(), 0, out, 12, 4);
                }
            }
            return out;
        }
    }

    private final Random random = new Random(20);
    private long nextCookie = 0x1_0000_0001L;
    private int nextPort = 33_000;

    private Sock newSock() {
        int r = random.nextInt(20);
        int family = r < 14 ? 4 : r < 17 ? 46 : 6;
        int ifIndex = r == 19 ? 1 : 0; // tied to lo (SO_BINDTODEVICE)
        Sock s = new Sock(nextCookie++, family, nextPort++, 8080, 1 + random.nextInt(3), ifIndex);
        if (nextPort > 65_000) nextPort = 33_000;
        s.inode = 5_000 + (int) (s.cookie & 0xFFFF);
        s.info = random.nextInt(3) > 0;
        s.sent = random.nextInt(1_000_000);
        return s;
    }

    /** One poll's changes: some sockets go, some come (at random places), some change, TIME_WAIT timers run. */
    private void churn(List<Sock> table, int target) {
        int goes = table.size() / 12 + Math.max(0, table.size() - target) / 2;
        for (int i = 0; i < goes && !table.isEmpty(); i++) table.remove(random.nextInt(table.size()));
        int comes = table.size() / 12 + Math.max(0, target - table.size()) / 2 + 1;
        for (int i = 0; i < comes; i++) table.add(random.nextInt(table.size() + 1), newSock());
        table.removeIf(s -> s.state == TIME_WAIT && s.expires <= 1000); // its timer ran out: the kernel let it go
        for (Sock s : table) {
            if (s.state == TIME_WAIT) {
                s.expires -= 1000; // the same due time, one poll (1 s) later
                continue;
            }
            int r = random.nextInt(40);
            if (r == 0) s.wqueue += 10;
            else if (r == 1) s.sent += 1_000 + random.nextInt(5_000);
            else if (r == 2) s.received += 700;
            else if (r == 3) s.info = !s.info;
            else if (r == 4) { // closes first: its end waits in TIME_WAIT, with no owner inode
                s.state = TIME_WAIT;
                s.timer = 3;
                s.expires = 60_000;
                s.inode = 0;
                s.info = false;
            } else if (r == 5) {
                s.timer = 2; // keepalive: its time left moves at every poll
                s.expires = 7_000 + random.nextInt(1_000);
            }
        }
    }

    @Test
    void slotsReusedOverManyPollsGiveWhatAFreshParseGives() throws Exception {
        InetDiagParser kept = new InetDiagParser(1_000_000);
        List<Sock> table = new ArrayList<>();
        Map<Long, SocketEntry> lastRow = new HashMap<>();
        Map<Long, ConnectionKey> lastKey = new HashMap<>();
        Map<Long, TcpInfo> lastCounters = new HashMap<>();
        Map<Long, byte[]> lastRecord = new HashMap<>();
        int sameRows = 0, sameKeys = 0, rated = 0, capacityAtPeak = 0, capacityAfter = 0;
        // grows to 20,000 sockets, shrinks to 400 (the columns are cut back), grows again to 3,000, then 300
        // sockets for more than 256 polls (the polls a slot was listed and read at are kept in 8 bits)
        int[] targets = new int[360];
        for (int i = 0; i < targets.length; i++) targets[i] = i < 14 ? 20_000 : i < 40 ? 400 : i < 70 ? 3_000 : 300;
        for (int poll = 0; poll < targets.length; poll++) {
            long now = 1_000_000L + poll * 1000L;
            churn(table, targets[poll]);
            List<Sock> listed = new ArrayList<>(table);
            if (poll % 7 == 3 && !listed.isEmpty()) listed.add(listed.get(random.nextInt(listed.size()))); // a racing dump
            List<byte[]> records = new ArrayList<>();
            for (Sock s : listed) records.add(s.record());
            byte[] dg = dump(records);

            kept.startPoll(now);
            InetDiagParser.Dump got = parse(kept, dg);
            kept.endPoll();
            InetDiagParser fresh = new InetDiagParser(1_000_000);
            fresh.startPoll(now);
            InetDiagParser.Dump want = parse(fresh, dg);
            assertEquals(0, got.malformed);
            assertEquals(want.sockets.size(), got.sockets.size());
            assertEquals(listed.size(), got.sockets.size());

            // the owners stage: every row with an inode is owned; the parser gives the owned rows again
            List<SocketEntry> owned = got.sockets.stream().map(e -> e.inode() == 0 ? e : e.withOwner(4242, "srv", false)).toList();
            kept.adopt(got.sockets, owned);

            Map<Long, SocketEntry> rows = new HashMap<>();
            Map<Long, TcpInfo> counters = new HashMap<>();
            Map<Long, byte[]> recordsNow = new HashMap<>();
            for (int i = 0; i < listed.size(); i++) {
                Sock s = listed.get(i);
                SocketEntry g = got.sockets.get(i), w = want.sockets.get(i);
                String at = "poll " + poll + ", row " + i + ", cookie " + Long.toHexString(s.cookie) + ": " + g + " vs " + w;
                assertEquals(s.cookie, g.cookie(), at);
                assertEquals(w.key(), g.key(), at);
                assertEquals(w.kernelState(), g.kernelState(), at);
                assertEquals(w.timer(), g.timer(), at);
                assertEquals(w.timerRemainingMs(), g.timerRemainingMs(), at);
                assertEquals(w.timerDueMillis(), g.timerDueMillis(), at);
                assertEquals(w.sendQueue(), g.sendQueue(), at);
                assertEquals(w.receiveQueue(), g.receiveQueue(), at);
                assertEquals(w.uid(), g.uid(), at);
                assertEquals(w.inode(), g.inode(), at);
                assertEquals(w.tcpInfo() == null, g.tcpInfo() == null, at);
                boolean again = lastRow.containsKey(s.cookie);
                if (w.tcpInfo() != null) {
                    TcpInfo gi = g.tcpInfo(), wi = w.tcpInfo();
                    assertEquals(wi.bytesSent(), gi.bytesSent(), at);
                    assertEquals(wi.bytesReceived(), gi.bytesReceived(), at);
                    assertEquals(wi.segsOut(), gi.segsOut(), at);
                    assertEquals(wi.rttMicros(), gi.rttMicros(), at);
                    TcpInfo before = lastCounters.get(s.cookie);
                    if (before != null) { // read at the last poll, a second ago: the socket's own rate
                        assertEquals(gi.bytesSent() - before.bytesSent(), gi.sendRate(), 1e-9, at);
                        assertEquals(gi.bytesReceived() - before.bytesReceived(), gi.receiveRate(), 1e-9, at);
                        rated++;
                    } else {
                        assertTrue(Double.isNaN(gi.sendRate()), at);
                    }
                    counters.put(s.cookie, gi);
                }
                // owned rows given again keep the owner: a row with an inode carries the adopted owner
                if (again && g.inode() != 0 && g == lastRow.get(s.cookie)) assertEquals(4242, g.pid(), at);
                if (again && s.ifIndex == 0) {
                    assertSame(lastKey.get(s.cookie), g.key(), at);
                    sameKeys++;
                } else if (again) {
                    assertNotSame(lastKey.get(s.cookie), g.key(), "an interface-bound socket's key is made again: " + at);
                }
                if (again && s.ifIndex == 0 && Arrays.equals(lastRecord.get(s.cookie), s.record())
                        && s.state != TIME_WAIT && s.timer == 0 && (!s.info || counters.get(s.cookie).equals(lastCounters.get(s.cookie)))) {
                    assertSame(lastRow.get(s.cookie), g, "an unchanged socket's row is the same object: " + at);
                    sameRows++;
                }
                rows.put(s.cookie, owned.get(i));
                recordsNow.put(s.cookie, s.record());
            }
            // what the parser keeps is the sockets of this poll, no more
            assertEquals(rows.size(), kept.knownSockets(), "poll " + poll);
            Map<Long, Integer> latest = new HashMap<>(); // a socket listed twice: its latest listing
            for (int i = 0; i < listed.size(); i++) latest.put(listed.get(i).cookie, i);
            for (Sock s : listed) {
                assertEquals(latest.get(s.cookie), kept.placeOf(s.cookie, got.sockets), "poll " + poll);
                if (s.ifIndex == 0) assertSame(got.sockets.get(latest.get(s.cookie)).key(), kept.keyOf(s.cookie));
            }
            if (poll == 13) capacityAtPeak = kept.slotCapacity();
            if (poll == 69) capacityAfter = kept.slotCapacity();
            lastRow = rows;
            lastKey = new HashMap<>();
            for (var e : rows.entrySet()) lastKey.put(e.getKey(), e.getValue().key());
            lastCounters = counters;
            lastRecord = recordsNow;
        }
        assertTrue(capacityAtPeak >= 20_000, "the columns held the peak: " + capacityAtPeak);
        assertEquals(InetDiagParser.BLOCK, capacityAfter, "cut back to one block after the table shrank to 400 and grew to 3,000");
        assertTrue(sameRows > 10_000, sameRows + " rows given again");
        assertTrue(sameKeys > 50_000, sameKeys + " keys kept");
        assertTrue(rated > 10_000, rated + " rates");
    }

    private static byte[] dump(List<byte[]> records) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] r : records) o.writeBytes(message(InetDiagParser.SOCK_DIAG_BY_FAMILY, InetDiagParser.NLM_F_MULTI, r));
        o.writeBytes(message(InetDiagParser.NLMSG_DONE, InetDiagParser.NLM_F_MULTI, new byte[4]));
        return o.toByteArray();
    }

    private static byte[] message(int type, int flags, byte[] payload) {
        int len = 16 + payload.length;
        ByteBuffer b = ByteBuffer.allocate((len + 3) & ~3).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) type).putShort((short) flags).putInt(SEQ).putInt(4242).put(payload);
        return b.array();
    }

    private static InetDiagParser.Dump parse(InetDiagParser p, byte[] dg) throws SourceException {
        InetDiagParser.Dump d = new InetDiagParser.Dump();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment seg = arena.allocate(dg.length);
            MemorySegment.copy(MemorySegment.ofArray(dg), 0, seg, 0, dg.length);
            p.parse(seg, dg.length, SEQ, d);
        }
        return d;
    }
}
