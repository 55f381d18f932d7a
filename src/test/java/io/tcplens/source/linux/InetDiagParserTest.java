package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.source.SourceException;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** sock_diag replies built by hand, byte by byte, as the kernel lays them out. */
class InetDiagParserTest {
    static final int SEQ = 7;

    /** One nlmsghdr + payload, padded to 4 bytes. */
    static byte[] message(int type, int flags, int seq, byte[] payload) {
        int len = 16 + payload.length;
        ByteBuffer b = ByteBuffer.allocate((len + 3) & ~3).order(ByteOrder.nativeOrder());
        b.putInt(len).putShort((short) type).putShort((short) flags).putInt(seq).putInt(4242).put(payload);
        return b.array();
    }

    /** struct inet_diag_msg: ports and addresses big-endian, the rest in host order. */
    static byte[] diag(int family, int state, int timer, int retrans, String src, int sport, String dst, int dport,
            int expires, int rqueue, int wqueue, int uid, int inode) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(72).order(ByteOrder.nativeOrder());
        b.put((byte) family).put((byte) state).put((byte) timer).put((byte) retrans);
        b.order(ByteOrder.BIG_ENDIAN).putShort((short) sport).putShort((short) dport);
        b.put(Arrays16(InetAddress.getByName(src))).put(Arrays16(InetAddress.getByName(dst)));
        b.order(ByteOrder.nativeOrder()).putInt(1).putLong(0x1234_5678_9abcL); // if, cookie
        b.putInt(expires).putInt(rqueue).putInt(wqueue).putInt(uid).putInt(inode);
        return b.array();
    }

    /** The 16-byte src/dst field: an IPv4 address fills the first 4 bytes. */
    private static byte[] Arrays16(InetAddress a) {
        byte[] out = new byte[16];
        byte[] raw = a.getAddress();
        System.arraycopy(raw, 0, out, 0, raw.length);
        return out;
    }

    /** ::ffff:a.b.c.d as 16 raw bytes (InetAddress.getByName would give back an Inet4Address). */
    static byte[] diagMapped(int state, String v4, int sport) throws Exception {
        byte[] m = diag(10, state, 0, 0, "::", sport, "::", 0, 0, 0, 128, 1000, 99);
        byte[] a = InetAddress.getByName(v4).getAddress();
        m[4 + 4 + 10] = (byte) 0xff;
        m[4 + 4 + 11] = (byte) 0xff;
        System.arraycopy(a, 0, m, 4 + 4 + 12, 4);
        return m;
    }

    static byte[] done(int seq) {
        return message(InetDiagParser.NLMSG_DONE, InetDiagParser.NLM_F_MULTI, seq, new byte[4]);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    static InetDiagParser.Dump parse(byte[] datagram) throws SourceException {
        return parse(datagram, datagram.length, 1000);
    }

    static InetDiagParser.Dump parse(byte[] datagram, long length, int max) throws SourceException {
        return parseWith(new InetDiagParser(max), datagram, length);
    }

    /** A dump of one message per socket row ({@link #diag} …), then DONE: what one poll receives. */
    static byte[] dump(byte[]... rows) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        for (byte[] r : rows) o.writeBytes(message(20, 2, SEQ, r));
        o.writeBytes(done(SEQ));
        return o.toByteArray();
    }

    /** The poll's rows, each owned by process 4242 "srv", handed back to {@code p} as the owners stage does; returns them. */
    private static List<SocketEntry> adoptOwned(InetDiagParser p, InetDiagParser.Dump d) {
        List<SocketEntry> owned = d.sockets.stream().map(e -> e.withOwner(4242, "srv", false)).toList();
        p.adopt(d.sockets, owned);
        return owned;
    }

    /** A poll at {@code nowMillis} of {@code p} (the parser that remembers the last poll's sockets) over a dump of {@code rows}. */
    private static InetDiagParser.Dump poll(InetDiagParser p, long nowMillis, byte[]... rows) throws SourceException {
        p.startPoll(nowMillis);
        return parseWith(p, dump(rows));
    }

    /**
     * A socket seen again with nothing changed (same cookie, same fields) is the same row object as at
     * the previous poll, which later stages (owners, tracker, recorder) take as "unchanged" without
     * comparing fields; any changed field (a queue, the timer) gives a new row with the same key.
     */
    @Test
    void anUnchangedSocketIsTheSameRowObjectAgain() throws Exception {
        byte[] a = diag(2, 1, 0, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 0, 0, 0, 1000, 11);
        byte[] queued = diag(2, 1, 0, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 0, 5, 0, 1000, 11);
        byte[] timed = diag(2, 1, 2, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 7000, 5, 0, 1000, 11);
        for (byte[] x : new byte[][] {a, queued, timed}) Arrays.fill(x, 40, 44, (byte) 0); // no interface
        InetDiagParser p = new InetDiagParser(1000);
        byte[][] polls = {a, a, queued, queued, timed, timed};
        SocketEntry[] rows = new SocketEntry[polls.length];
        for (int i = 0; i < polls.length; i++) {
            InetDiagParser.Dump d = poll(p, 1000L * (i + 1), polls[i]);
            rows[i] = d.sockets.getFirst();
        }
        assertSame(rows[0], rows[1], "nothing changed: the same row");
        assertNotSame(rows[1], rows[2], "the receive queue changed");
        assertEquals(5, rows[2].receiveQueue());
        assertSame(rows[0].key(), rows[2].key(), "a changed row keeps its key");
        assertSame(rows[2], rows[3]);
        assertNotSame(rows[3], rows[4], "a timer started");
        assertEquals(7000L, rows[4].timerRemainingMs());
        assertSame(rows[4], rows[5], "the same time left");
    }

    /**
     * A TIME_WAIT socket's record changes at every poll only in {@code idiag_expires}, while its timer's
     * due time stays: its row carries that due time and is the same object at every poll (no row, and
     * downstream no tracking, made again per TIME_WAIT socket per poll); a timer set again (a jump of
     * more than {@link InetDiagParser#DUE_TOLERANCE_MILLIS}) gives a new row with the new due time. Each
     * row is equal field for field, the due time aside, to what a parser that never saw the socket makes
     * of the same bytes at that poll; any other change (here the receive queue, the uid, the state) takes
     * the full path and still reads every field.
     */
    @Test
    void onlyTheTimeLeftMovedKeepsTheRowOfTheSameDueTime() throws Exception {
        byte[][] polls = {
            diag(2, 6, 3, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 60000, 0, 0, 0, 0),
            diag(2, 6, 3, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 58999, 0, 0, 0, 0),
            diag(2, 6, 3, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 58100, 0, 0, 0, 0),
            diag(2, 6, 3, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 0x1_0000 + 57000, 0, 0, 0, 0),
            diag(2, 6, 3, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 56000, 3, 0, 0, 0),
            diag(2, 6, 3, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 55000, 3, 0, 1000, 0),
            diag(2, 1, 2, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 54000, 3, 0, 1000, 0),
        };
        for (byte[] x : polls) Arrays.fill(x, 40, 44, (byte) 0); // no interface
        InetDiagParser p = new InetDiagParser(1000);
        SocketEntry[] rows = new SocketEntry[polls.length];
        for (int i = 0; i < polls.length; i++) {
            long t = 1000L * (i + 1);
            p.startPoll(t);
            byte[] dg = dump(polls[i]);
            rows[i] = parseWith(p, dg).sockets.getFirst();
            InetDiagParser first = new InetDiagParser(1000);
            first.startPoll(t);
            SocketEntry fresh = parseWith(first, dg).sockets.getFirst();
            assertEquals(fresh.timerDueMillis() == SocketEntry.NO_DUE ? fresh : fresh.withTimerDue(rows[i].timerDueMillis()),
                    rows[i], "poll " + i + ": the same fields as a first sight of these bytes");
            if (fresh.timer() != null)
                assertTrue(Math.abs(fresh.timerRemainingMs(t) - rows[i].timerRemainingMs(t)) <= InetDiagParser.DUE_TOLERANCE_MILLIS,
                        "poll " + i + ": the time left at the poll, within the tolerance");
            if (i > 0) assertSame(rows[0].key(), rows[i].key(), "poll " + i + ": the socket keeps its key");
        }
        assertEquals(TcpState.TIME_WAIT, rows[1].state());
        assertEquals(61_000L, rows[0].timerDueMillis(), "the poll's time + idiag_expires");
        assertEquals(60_000L, rows[0].timerRemainingMs(1000));
        assertEquals(59_000L, rows[1].timerRemainingMs(2000), "the time left at the second poll, from the due time");
        assertSame(rows[0], rows[1], "the due time 1 ms earlier: the same row");
        assertSame(rows[1], rows[2], "the due time 100 ms later (read later in its dump): the same row");
        assertNotSame(rows[2], rows[3], "the timer set again (a change in a higher byte of idiag_expires)");
        assertEquals(4000L + 0x1_0000 + 57000L, rows[3].timerDueMillis());
        assertEquals(3, rows[4].receiveQueue());
        assertEquals(TcpState.ESTABLISHED, rows[6].state());
        assertEquals(SocketEntry.NO_DUE, rows[6].timerDueMillis(), "only TIME_WAIT rows carry a due time");
        assertEquals(54_000L, rows[6].timerRemainingMs());
    }

    /** A parse without a poll time (one-shot readers that do not track) stores the time left as read. */
    @Test
    void aParseWithoutAPollTimeStoresTheTimeLeft() throws Exception {
        byte[] tw = diag(2, 6, 3, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 42_000, 0, 0, 0, 0);
        Arrays.fill(tw, 40, 44, (byte) 0);
        InetDiagParser p = new InetDiagParser(1000);
        p.startPoll();
        SocketEntry row = parseWith(p, dump(tw)).sockets.getFirst();
        assertEquals(SocketEntry.NO_DUE, row.timerDueMillis());
        assertEquals(42_000L, row.timerRemainingMs());
    }

    /** A netlink attribute: length, type, value, padded to 4 bytes. */
    static byte[] attr(int type, byte[] value) {
        ByteBuffer b = ByteBuffer.allocate((4 + value.length + 3) & ~3).order(ByteOrder.nativeOrder());
        b.putShort((short) (4 + value.length)).putShort((short) type).put(value);
        return b.array();
    }

    /**
     * A full socket's record as a 6.x kernel sends it to root without tcp_info: inet_diag_msg, then
     * shutdown, mark, cgroup id and socket options, asked for or not (108 bytes). Up to this round
     * only records of at most 80 bytes were compared byte for byte, so such a socket took the full
     * path (every field read and compared) to be given again; now it takes the byte comparison.
     */
    @Test
    void aFullSocketsRecordWithTheAttributesAKernelAddsUnaskedIsTheSameRowAgain() throws Exception {
        byte[][] polls = new byte[3][];
        for (int i = 0; i < polls.length; i++) {
            byte[] msg = diag(10, 1, 0, 0, "::1", 40000, "::1", 8080, 0, i == 2 ? 9 : 0, 0, 1000, 11);
            Arrays.fill(msg, 40, 44, (byte) 0); // no interface
            polls[i] = concat(msg, attr(8, new byte[1]), attr(15, new byte[4]), attr(21, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                    attr(22, new byte[2]));
        }
        assertEquals(108, polls[0].length);
        InetDiagParser p = new InetDiagParser(1000);
        SocketEntry[] rows = new SocketEntry[polls.length];
        for (int i = 0; i < polls.length; i++) {
            rows[i] = poll(p, 1000L * (i + 1), polls[i]).sockets.getFirst();
        }
        assertEquals(KernelTcpState.ESTABLISHED, rows[0].kernelState(), "the shutdown attribute is found: a full socket");
        assertSame(rows[0], rows[1], "nothing changed: the same row");
        assertNotSame(rows[1], rows[2]);
        assertEquals(9, rows[2].receiveQueue());
    }

    /**
     * struct tcp_info as a 6.x kernel sends it (280 bytes): the counters a row shows at their offsets, and
     * {@code tcpi_last_data_sent} (44), {@code tcpi_last_ack_recv} (56) and {@code tcpi_busy_time} (168), which
     * move at every poll of even an idle connection, set from {@code clock}.
     */
    static byte[] tcpInfo(long sent, long received, int rtt, int clock) {
        ByteBuffer b = ByteBuffer.allocate(280).order(ByteOrder.nativeOrder());
        b.putInt(44, clock).putInt(56, clock * 3).putLong(168, clock * 7L);
        b.putInt(InetDiagParser.TCPI_RTT, rtt).putInt(InetDiagParser.TCPI_RTTVAR, rtt / 2);
        b.putLong(InetDiagParser.TCPI_BYTES_ACKED, sent + 1).putLong(InetDiagParser.TCPI_BYTES_RECEIVED, received);
        b.putInt(InetDiagParser.TCPI_SEGS_OUT, 10).putInt(InetDiagParser.TCPI_SEGS_IN, 9);
        b.putLong(InetDiagParser.TCPI_BYTES_SENT, sent);
        return b.array();
    }

    /** A full socket's record with tcp_info as a 6.x kernel sends it to root: 108 bytes, then INET_DIAG_INFO (392). */
    static byte[] withInfo(int state, int rqueue, byte[] info) throws Exception {
        byte[] msg = diag(10, state, 0, 0, "::1", 40000, "::1", 8080, 0, rqueue, 0, 1000, 11);
        Arrays.fill(msg, 40, 44, (byte) 0); // no interface
        return concat(msg, attr(8, new byte[1]), attr(15, new byte[4]), attr(21, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}),
                attr(22, new byte[2]), attr(InetDiagParser.INET_DIAG_INFO, info));
    }

    /**
     * A record with tcp_info, whose timestamps move at every poll, is the same row object again when the
     * counters a row shows did not move and its rates were already those of an idle connection (0), as
     * the full path would give it; a counter that moved (bytes, the RTT), or a field outside the tcp_info,
     * gives a new row with what moved, its rate over the time between the polls; a listener's row carries
     * no counters and is given again whatever its tcp_info says. Each row equals, rates aside, what a parser
     * that never saw the socket makes of the same bytes.
     */
    @Test
    void aRecordWithTcpInfoWhoseCountersDidNotMoveIsTheSameRowAgain() throws Exception {
        byte[][] polls = {
                withInfo(1, 0, tcpInfo(500, 70, 40, 1)),
                withInfo(1, 0, tcpInfo(500, 70, 40, 2)),   // rates NaN -> 0: a new row
                withInfo(1, 0, tcpInfo(500, 70, 40, 3)),   // idle: the same row
                withInfo(1, 0, tcpInfo(500, 70, 40, 4)),   // idle: the same row
                withInfo(1, 0, tcpInfo(2500, 70, 40, 5)),  // 2000 bytes sent: a new row, 2000 B/s
                withInfo(1, 0, tcpInfo(2500, 70, 40, 6)),  // rate 2000 -> 0: a new row
                withInfo(1, 0, tcpInfo(2500, 70, 40, 7)),  // idle: the same row
                withInfo(1, 0, tcpInfo(2500, 70, 55, 8)),  // the RTT moved: a new row
                withInfo(1, 0, tcpInfo(2500, 70, 55, 9)),  // the same row
                withInfo(1, 3, tcpInfo(2500, 70, 55, 10)), // the receive queue moved: a new row, the counters kept
                withInfo(1, 3, tcpInfo(2500, 90, 55, 11)), // 20 bytes received
        };
        assertEquals(392, polls[0].length);
        InetDiagParser p = new InetDiagParser(1000);
        SocketEntry[] rows = new SocketEntry[polls.length];
        for (int i = 0; i < polls.length; i++) {
            p.startPoll(1000L * (i + 1));
            rows[i] = parseWith(p, concat(message(20, 2, SEQ, polls[i]), done(SEQ))).sockets.getFirst();
            InetDiagParser fresh = new InetDiagParser(1000);
            fresh.startPoll(1000L * (i + 1));
            SocketEntry alone = parseWith(fresh, concat(message(20, 2, SEQ, polls[i]), done(SEQ))).sockets.getFirst();
            assertEquals(alone.tcpInfo().withRates(Double.NaN, Double.NaN), rows[i].tcpInfo().withRates(Double.NaN, Double.NaN),
                    "poll " + i + ": the counters of its bytes");
            assertEquals(alone.receiveQueue(), rows[i].receiveQueue());
        }
        assertTrue(Double.isNaN(rows[0].tcpInfo().sendRate()));
        assertNotSame(rows[0], rows[1], "the first rates");
        assertEquals(0.0, rows[1].tcpInfo().sendRate());
        assertSame(rows[1], rows[2], "idle: the same row, its tcp_info's timestamps moved");
        assertSame(rows[2], rows[3]);
        assertNotSame(rows[3], rows[4], "bytes were sent");
        assertEquals(2500, rows[4].tcpInfo().bytesSent());
        assertEquals(2000.0, rows[4].tcpInfo().sendRate(), 1e-9);
        assertNotSame(rows[4], rows[5], "the rate fell to 0");
        assertEquals(0.0, rows[5].tcpInfo().sendRate());
        assertSame(rows[5], rows[6]);
        assertNotSame(rows[6], rows[7], "the RTT moved");
        assertEquals(55, rows[7].tcpInfo().rttMicros());
        assertSame(rows[7], rows[8]);
        assertNotSame(rows[8], rows[9], "the receive queue moved");
        assertEquals(3, rows[9].receiveQueue());
        assertSame(rows[8].tcpInfo(), rows[9].tcpInfo(), "its counters did not");
        assertNotSame(rows[9], rows[10]);
        assertEquals(20.0, rows[10].tcpInfo().receiveRate(), 1e-9);
        assertSame(rows[0].key(), rows[10].key());

        // a listener: no counters on its row, whatever its tcp_info's bytes (backlog figures)
        InetDiagParser q = new InetDiagParser(1000);
        SocketEntry[] listener = new SocketEntry[3];
        for (int i = 0; i < listener.length; i++) {
            q.startPoll(1000L * (i + 1));
            listener[i] = parseWith(q, concat(message(20, 2, SEQ, withInfo(10, 0, tcpInfo(i, i, i, i))), done(SEQ))).sockets.getFirst();
        }
        assertNull(listener[0].tcpInfo());
        assertEquals(KernelTcpState.LISTEN, listener[0].kernelState());
        assertSame(listener[0], listener[1]);
        assertSame(listener[1], listener[2]);
    }

    static InetDiagParser.Dump parseWith(InetDiagParser p, byte[] dg) throws SourceException {
        return parseWith(p, dg, dg.length);
    }

    /** {@code p} parses the first {@code length} bytes of {@code dg}, from native memory as the source receives it. */
    private static InetDiagParser.Dump parseWith(InetDiagParser p, byte[] dg, long length) throws SourceException {
        InetDiagParser.Dump d = new InetDiagParser.Dump();
        try (Arena arena = Arena.ofConfined()) {
            // native memory, as the source receives it (MemorySegment.ofArray(byte[]) would work too)
            MemorySegment seg = arena.allocate(Math.max(1, dg.length));
            MemorySegment.copy(MemorySegment.ofArray(dg), 0, seg, 0, dg.length);
            p.parse(seg, length, SEQ, d);
        }
        return d;
    }

    /**
     * A socket seen again (same cookie, same 4-tuple) keeps its key object from one poll to the next,
     * so lookups by key compare references; a cookie whose 4-tuple differs (never from the kernel,
     * but nothing relies on that) gets a key of its own; a socket tied to an interface is never reused.
     */
    @Test
    void aSocketSeenAgainKeepsItsKeyObject() throws Exception {
        byte[] a = diag(2, 1, 0, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 0, 0, 0, 1000, 11);
        byte[] b = diag(2, 1, 0, 0, "127.0.0.1", 40000, "127.0.0.1", 8081, 0, 0, 0, 1000, 11);
        byte[] scoped = a.clone();
        for (byte[] x : new byte[][] {a, b}) Arrays.fill(x, 40, 44, (byte) 0); // idiag_if 0: no interface
        InetDiagParser p = new InetDiagParser(1000);
        ConnectionKey[] k = new ConnectionKey[5];
        byte[][] polls = {a, a, b, scoped, scoped};
        for (int i = 0; i < polls.length; i++) {
            p.startPoll();
            InetDiagParser.Dump d = parseWith(p, dump(polls[i]));
            k[i] = d.sockets.getFirst().key();
        }
        assertSame(k[0], k[1], "the same socket at the next poll: the same key object");
        assertEquals(8081, k[2].remote().port(), "another 4-tuple under the same cookie: a key of its own");
        assertNotEquals(k[1], k[2]);
        assertEquals(1, k[3].local().ifIndex());
        assertNotSame(k[3], k[4], "a socket tied to an interface gets a fresh key (its name may change)");
        assertEquals(k[3], k[4]);
    }

    /**
     * A socket the last poll did not list is forgotten when this poll's dump ends ({@code endPoll}), not a
     * poll later: its known state, row and key are not kept through the next interval. Sockets listed
     * again (by their unchanged bytes or the full way) stay known and give the same row object at the
     * next poll, with or without {@code endPoll}.
     */
    @Test
    void aSocketGoneIsForgottenWhenTheDumpEnds() throws Exception {
        byte[][] s = new byte[3][];
        for (int i = 0; i < 3; i++) s[i] = withCookie(diag(2, 1, 0, 0, "127.0.0.1", 40000, "127.0.0.1", 8080 + i, 0, 0, 0, 1000, 11), 1 + i);
        byte[] changed = withCookie(diag(2, 1, 0, 0, "127.0.0.1", 40000, "127.0.0.1", 8081, 0, 7, 0, 1000, 11), 2);
        InetDiagParser p = new InetDiagParser(1000);
        List<SocketEntry> first = poll(p, 1000, s[0], s[1], s[2]).sockets;
        p.endPoll();
        assertEquals(3, p.knownSockets());
        // the third socket is gone; the first is listed by its unchanged bytes, the second the full way
        List<SocketEntry> second = poll(p, 2000, s[0], changed).sockets;
        assertEquals(3, p.knownSockets(), "the dump is read, not yet ended");
        p.endPoll();
        assertEquals(2, p.knownSockets(), "the gone socket is forgotten when the dump ends");
        assertSame(first.get(0), second.get(0));
        assertSame(first.get(1).key(), second.get(1).key());
        // next polls: the same rows again, ended or not
        List<SocketEntry> third = poll(p, 3000, s[0], changed).sockets;
        List<SocketEntry> fourth = poll(p, 4000, s[0], changed).sockets;
        p.endPoll();
        assertEquals(2, p.knownSockets());
        for (List<SocketEntry> rows : List.of(third, fourth)) {
            assertSame(second.get(0), rows.get(0));
            assertSame(second.get(1), rows.get(1));
        }
        // the gone socket again (a new life under its old cookie is not the kernel's way, but a new socket is): a new key
        List<SocketEntry> fifth = poll(p, 5000, s[0], s[2]).sockets;
        p.endPoll();
        assertNotSame(first.get(2).key(), fifth.get(1).key());
        assertEquals(first.get(2).key(), fifth.get(1).key());
        assertEquals(2, p.knownSockets(), "the second socket, not listed, is forgotten");
    }

    /** {@code m} with another cookie (idiag_cookie, host order) and no interface. */
    private static byte[] withCookie(byte[] m, long cookie) {
        byte[] out = m.clone();
        ByteBuffer.wrap(out).order(ByteOrder.nativeOrder()).putInt(40, 0).putLong(44, cookie);
        return out;
    }

    /** A dual-stack (AF_INET6) record whose both addresses are IPv4-mapped, as Java's sockets make them. */
    private static byte[] bothMapped(int state, String src, int sport, String dst, int dport) throws Exception {
        byte[] m = diag(10, state, 0, 0, "::", sport, "::", dport, 0, 0, 0, 1000, 11);
        for (int at : new int[] {8, 24}) {
            m[at + 10] = (byte) 0xff;
            m[at + 11] = (byte) 0xff;
            System.arraycopy(InetAddress.getByName(at == 8 ? src : dst).getAddress(), 0, m, at + 12, 4);
        }
        return m;
    }

    /**
     * A dual-stack socket with IPv4-mapped addresses is kept as an IPv4 one (its identity checked
     * against its key): seen again it keeps its key; under the same cookie another port or another
     * mapped address gets a key of its own, equal to what a parser that never saw the cookie makes.
     */
    @Test
    void aMappedSocketKeepsItsKeyAndAnotherTupleUnderItsCookieGetsItsOwn() throws Exception {
        byte[] a = withCookie(bothMapped(1, "127.0.0.1", 40000, "127.0.0.2", 8080), 77);
        byte[] otherPort = withCookie(bothMapped(1, "127.0.0.1", 40001, "127.0.0.2", 8080), 77);
        byte[] otherAddress = withCookie(bothMapped(1, "127.0.0.1", 40001, "127.0.0.3", 8080), 77);
        InetDiagParser p = new InetDiagParser(1000);
        byte[][] polls = {a, a, otherPort, otherAddress, otherAddress};
        ConnectionKey[] k = new ConnectionKey[polls.length];
        for (int i = 0; i < polls.length; i++) {
            p.startPoll(1000L * (i + 1));
            byte[] dg = dump(polls[i]);
            k[i] = parseWith(p, dg).sockets.getFirst().key();
            assertEquals(parseWith(new InetDiagParser(1000), dg).sockets.getFirst().key(), k[i], "poll " + i);
            assertInstanceOf(Inet4Address.class, k[i].local().address());
        }
        assertSame(k[0], k[1]);
        assertEquals(40001, k[2].local().port());
        assertEquals(InetAddress.getByName("127.0.0.3"), k[3].remote().address());
        assertSame(k[3], k[4]);
    }

    /**
     * The rows a poll became once owners were added are what its unchanged sockets give again: the
     * owned row itself, poll after poll (one row object per socket, not a raw row and an owned copy);
     * a changed socket gets a new row without an owner (the owners are looked up again); after
     * {@link InetDiagParser#forgetRows} no row with an old owner is given.
     */
    @Test
    void adoptedOwnedRowsAreGivenAgainUntilForgotten() throws Exception {
        byte[] a = withCookie(diag(2, 1, 0, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 0, 0, 0, 1000, 11), 5);
        byte[] b = withCookie(diag(2, 1, 0, 0, "127.0.0.1", 40001, "127.0.0.1", 8080, 0, 0, 0, 1000, 12), 6);
        byte[] bQueued = withCookie(diag(2, 1, 0, 0, "127.0.0.1", 40001, "127.0.0.1", 8080, 0, 3, 0, 1000, 12), 6);
        InetDiagParser p = new InetDiagParser(1000);
        InetDiagParser.Dump d1 = poll(p, 1000, a, b);
        List<SocketEntry> owned = adoptOwned(p, d1);
        InetDiagParser.Dump d2 = poll(p, 2000, a, bQueued);
        assertSame(owned.get(0), d2.sockets.get(0), "unchanged: the owned row of the last poll");
        assertNotSame(owned.get(1), d2.sockets.get(1));
        assertNull(d2.sockets.get(1).pid(), "changed: a new row, whose owner is looked up again");
        assertEquals(3, d2.sockets.get(1).receiveQueue());
        p.forgetRows();
        InetDiagParser.Dump d3 = poll(p, 3000, a, bQueued);
        assertNull(d3.sockets.get(0).pid(), "forgotten: no old owner");
        assertEquals(d1.sockets.get(0), d3.sockets.get(0));
        assertSame(d1.sockets.get(0).key(), d3.sockets.get(0).key(), "the socket keeps its key");
    }

    /**
     * A socket whose adopted row named an owner enters TIME_WAIT (no inode), listed elsewhere in the
     * dump (the kernel lists TIME_WAIT sockets after the full ones): its row names that owner, marked
     * last known, and is given again as is; a new socket (another cookie) on the same 4-tuple names
     * none, nor does the same socket after {@link InetDiagParser#forgetRows}.
     */
    @Test
    void aSocketEnteringTimeWaitKeepsItsOwnerAsLastKnown() throws Exception {
        byte[] est = withCookie(diag(2, 1, 0, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 0, 0, 0, 1000, 11), 5);
        byte[] other = withCookie(diag(2, 1, 0, 0, "127.0.0.1", 40001, "127.0.0.1", 8080, 0, 0, 0, 1000, 12), 6);
        byte[] tw = withCookie(diag(2, 6, 3, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 60_000, 0, 0, 0, 0), 5);
        byte[] twNew = withCookie(diag(2, 6, 3, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 60_000, 0, 0, 0, 0), 9);
        InetDiagParser p = new InetDiagParser(1000);
        InetDiagParser.Dump d1 = poll(p, 1000, est, other);
        List<SocketEntry> owned = adoptOwned(p, d1);
        InetDiagParser.Dump d2 = poll(p, 2000, other, tw);
        SocketEntry r2 = d2.sockets.get(1);
        assertEquals(TcpState.TIME_WAIT, r2.state());
        assertEquals(4242, r2.pid(), "the owner its last row named");
        assertEquals("srv", r2.process());
        assertTrue(r2.ownerLastKnown());
        assertSame(d1.sockets.get(0).key(), r2.key(), "the same socket: its key");
        assertFalse(d2.sockets.get(0).ownerLastKnown(), "an unchanged socket keeps its live owner");
        p.adopt(d2.sockets, d2.sockets);
        InetDiagParser.Dump d3 = poll(p, 3000, other, tw);
        assertSame(r2, d3.sockets.get(1), "given again: the same row");
        InetDiagParser.Dump d4 = poll(p, 4000, other, twNew);
        assertNull(d4.sockets.get(1).pid(), "another socket on the 4-tuple: no owner named here");
        assertFalse(d4.sockets.get(1).ownerLastKnown());
        InetDiagParser q = new InetDiagParser(1000);
        InetDiagParser.Dump e1 = poll(q, 1000, est);
        adoptOwned(q, e1);
        q.forgetRows();
        assertNull(poll(q, 2000, tw).sockets.getFirst().pid(), "forgotten: no old owner");
    }

    /**
     * Sockets on a port something listens on (or below the ephemeral range) share one local or
     * remote endpoint object; a client's ephemeral endpoint is its own. Shared or not, the
     * endpoints are equal to those a fresh parser makes.
     */
    @Test
    void serverEndpointsAreOneObjectForEverySocket() throws Exception {
        byte[] listen = withCookie(diag(2, 10, 0, 0, "127.0.0.1", 45000, "0.0.0.0", 0, 0, 0, 128, 1000, 10), 1);
        byte[] in1 = withCookie(diag(2, 1, 0, 0, "127.0.0.1", 45000, "127.0.0.1", 50001, 0, 0, 0, 1000, 11), 2);
        byte[] in2 = withCookie(diag(2, 1, 0, 0, "127.0.0.1", 45000, "127.0.0.1", 50002, 0, 0, 0, 1000, 12), 3);
        byte[] out1 = withCookie(diag(2, 1, 0, 0, "127.0.0.1", 50001, "127.0.0.1", 45000, 0, 0, 0, 1000, 13), 4);
        byte[] web1 = withCookie(diag(2, 1, 0, 0, "127.0.0.1", 50003, "10.0.0.1", 443, 0, 0, 0, 1000, 14), 5);
        byte[] web2 = withCookie(diag(2, 1, 0, 0, "127.0.0.1", 50004, "10.0.0.1", 443, 0, 0, 0, 1000, 15), 6);
        byte[] dg = dump(listen, in1, in2, out1, web1, web2);
        InetDiagParser p = new InetDiagParser(1000);
        p.startPoll(1000);
        List<SocketEntry> rows = parseWith(p, dg).sockets;
        assertSame(rows.get(1).local(), rows.get(2).local(), "the listening port: one endpoint");
        assertSame(rows.get(1).local(), rows.get(3).remote(), "also as a loopback client's remote end");
        assertSame(rows.get(4).remote(), rows.get(5).remote(), "a port below the ephemeral range: one endpoint");
        assertNotSame(rows.get(1).remote(), rows.get(3).local(), "an ephemeral port: its own");
        List<SocketEntry> fresh = parseWith(new InetDiagParser(1000), dg).sockets;
        assertEquals(fresh, rows);
        for (int i = 0; i < rows.size(); i++) assertEquals(fresh.get(i).key().hashCode(), rows.get(i).key().hashCode());
    }

    /**
     * The hash an unchanged record is recognised by: any change within one 4-byte word (one field)
     * changes it, whatever the word and the new value; a change of {@code idiag_expires} alone does not.
     * Records of every length the fast path takes (72 to {@link InetDiagParser#SAME_BYTES_MAX} bytes, 4 apart;
     * 108 as root on a 6.x kernel, 100 otherwise), at an offset as in a datagram.
     */
    @Property(tries = 600)
    void aRecordsHashChangesWithAnyOneWordButTheTimeLeft(@ForAll @Size(value = InetDiagParser.SAME_BYTES_MAX + 16) byte[] bytes,
            @ForAll @IntRange(min = 18, max = InetDiagParser.SAME_BYTES_MAX / 4) int words, @ForAll @IntRange(min = 0, max = 3) int at,
            @ForAll @IntRange(min = 0, max = InetDiagParser.SAME_BYTES_MAX / 4 - 1) int word, @ForAll int value) {
        Assume.that(word < words);
        long p = 4L * at, len = 4L * words;
        MemorySegment a = MemorySegment.ofArray(bytes.clone());
        MemorySegment b = MemorySegment.ofArray(bytes.clone());
        int before = b.get(ValueLayout.JAVA_INT_UNALIGNED, p + 4L * word);
        b.set(ValueLayout.JAVA_INT_UNALIGNED, p + 4L * word, value);
        long ha = InetDiagParser.recordHash(a.toArray(ValueLayout.JAVA_BYTE), p, len), hb = InetDiagParser.recordHash(b.toArray(ValueLayout.JAVA_BYTE), p, len);
        if (4 * word == InetDiagParser.EXPIRES_AT || before == value) assertEquals(ha, hb);
        else assertNotEquals(ha, hb);
    }

    /**
     * A record with tcp_info (392 bytes as root on a 6.x kernel, its INET_DIAG_INFO attribute's header at
     * 108) hashed but its tcp_info's payload: a change within one 4-byte word there does not change the
     * hash, one anywhere else but {@code idiag_expires} (the attribute's header included) does.
     */
    @Property(tries = 600)
    void aRecordsHashWithoutItsTcpInfoChangesWithAnyOtherWord(@ForAll @Size(value = 416) byte[] bytes,
            @ForAll @IntRange(min = 0, max = 97) int word, @ForAll int value, @ForAll @IntRange(min = 0, max = 2) int tail) {
        long p = 4, info = p + 108, len = 392 + 4L * tail, end = info + 284;
        Assume.that(p + 4L * word + 4 <= p + len);
        MemorySegment a = MemorySegment.ofArray(bytes.clone());
        MemorySegment b = MemorySegment.ofArray(bytes.clone());
        long at = p + 4L * word;
        int before = b.get(ValueLayout.JAVA_INT_UNALIGNED, at);
        b.set(ValueLayout.JAVA_INT_UNALIGNED, at, value);
        long ha = InetDiagParser.recordHash(a.toArray(ValueLayout.JAVA_BYTE), p, len, info + 4, end), hb = InetDiagParser.recordHash(b.toArray(ValueLayout.JAVA_BYTE), p, len, info + 4, end);
        if (4 * word == InetDiagParser.EXPIRES_AT || before == value || (at >= info + 4 && at < end)) assertEquals(ha, hb);
        else assertNotEquals(ha, hb);
    }

    /** The bytes after the record do not count. */
    @Property(tries = 100)
    void aRecordsHashReadsOnlyItsOwnBytes(@ForAll @Size(value = 128) byte[] bytes, @ForAll @IntRange(min = 18, max = 27) int words,
            @ForAll byte after) {
        Assume.that(bytes[4 * words] != after);
        MemorySegment a = MemorySegment.ofArray(bytes.clone());
        MemorySegment b = MemorySegment.ofArray(bytes.clone());
        b.set(ValueLayout.JAVA_BYTE, 4L * words, after);
        assertEquals(InetDiagParser.recordHash(a.toArray(ValueLayout.JAVA_BYTE), 0, 4L * words), InetDiagParser.recordHash(b.toArray(ValueLayout.JAVA_BYTE), 0, 4L * words));
    }

    @Test
    void readsIpv4AndIpv6RecordsUntilDone() throws Exception {
        byte[] dg = concat(
                message(20, 2, SEQ, diag(2, 1, 0, 0, "127.0.0.1", 40000, "127.0.0.1", 8080, 0, 5, 7, 1000, 123456)),
                message(20, 2, SEQ, diag(10, 6, 3, 0, "::1", 40001, "::1", 443, 42_000, 0, 0, 0, 0)),
                message(20, 2, SEQ, diag(2, 2, 1, 3, "127.0.0.1", 40002, "127.0.0.2", 9, 800, 0, 1, 1000, 77)),
                done(SEQ));
        InetDiagParser.Dump d = parse(dg);
        assertTrue(d.done);
        assertEquals(0, d.malformed);
        assertEquals(0, d.kernelErrno);
        assertEquals(3, d.sockets.size());

        SocketEntry est = d.sockets.get(0);
        assertEquals(TcpState.ESTABLISHED, est.state());
        assertEquals(KernelTcpState.ESTABLISHED, est.kernelState());
        assertEquals("127.0.0.1", est.local().host());
        assertEquals(40000, est.local().port());
        assertEquals(8080, est.remote().port());
        assertEquals(5, est.receiveQueue());
        assertEquals(7, est.sendQueue());
        assertEquals(1000, est.uid());
        assertEquals(123456, est.inode());
        assertNull(est.timer());
        assertNull(est.timerRemainingMs());

        SocketEntry tw = d.sockets.get(1);
        assertInstanceOf(Inet6Address.class, tw.local().address());
        assertEquals("::1", tw.local().host());
        assertEquals(443, tw.remote().port());
        assertEquals(TcpState.TIME_WAIT, tw.state());
        assertEquals(TimerKind.TIME_WAIT, tw.timer());
        assertEquals(42_000L, tw.timeWaitRemainingMs(), "idiag_expires is already in ms");
        assertEquals(0, tw.inode());

        SocketEntry syn = d.sockets.get(2);
        assertEquals(TcpState.SYN_SENT, syn.state());
        assertEquals(TimerKind.RETRANSMIT, syn.timer());
        assertEquals(800L, syn.timerRemainingMs());
        assertEquals(3, syn.retransmits());
        assertEquals("127.0.0.2", syn.remote().host());
    }

    @Test
    void highPortsAndNewSynRecvKeepTheirMeaning() throws Exception {
        byte[] dg = dump(diag(2, 12, 1, 0, "10.0.0.1", 65535, "192.0.2.9", 50000, 900, 0, 0, 0, 0));
        SocketEntry e = parse(dg).sockets.get(0);
        assertEquals(65535, e.local().port(), "ports are unsigned big-endian");
        assertEquals(50000, e.remote().port());
        assertEquals(KernelTcpState.NEW_SYN_RECV, e.kernelState());
        assertEquals(TcpState.SYN_RECV, e.state());
    }

    @Test
    void v4MappedListenerIsIpv4WithAnIpv4Wildcard() throws Exception {
        byte[] dg = dump(diagMapped(10, "127.0.0.1", 8080));
        SocketEntry l = parse(dg).sockets.get(0);
        assertInstanceOf(Inet4Address.class, l.local().address());
        assertEquals("127.0.0.1", l.local().host());
        assertEquals("0.0.0.0", l.remote().host(), "same as ProcNetTcpParser for a dual-stack listener");
        assertEquals(TcpState.LISTEN, l.state());
        assertEquals(128, l.sendQueue(), "LISTEN: wqueue is the backlog limit, as tx_queue in /proc");
    }

    @Test
    void wildcardIpv6ListenerStaysIpv6() throws Exception {
        byte[] dg = dump(diag(10, 10, 0, 0, "::", 22, "::", 0, 0, 0, 128, 0, 5));
        SocketEntry l = parse(dg).sockets.get(0);
        assertEquals("::", l.local().host());
        assertEquals("::", l.remote().host());
    }

    @Test
    void shortRecordIsSkippedAndCountedAndTheRestIsRead() throws Exception {
        byte[] full = diag(2, 1, 0, 0, "127.0.0.1", 1, "127.0.0.1", 2, 0, 0, 0, 0, 1);
        byte[] cut = Arrays.copyOf(full, 40);
        byte[] dg = dump(cut, full);
        InetDiagParser.Dump d = parse(dg);
        assertEquals(1, d.malformed);
        assertTrue(d.firstMalformed.contains("40 bytes"), d.firstMalformed);
        assertEquals(1, d.sockets.size());
        assertTrue(d.done);
    }

    @Test
    void unknownStateOrFamilyIsSkipped() throws Exception {
        byte[] dg = concat(
                message(20, 2, SEQ, diag(2, 99, 0, 0, "127.0.0.1", 1, "127.0.0.1", 2, 0, 0, 0, 0, 1)),
                message(20, 2, SEQ, diag(7, 1, 0, 0, "127.0.0.1", 1, "127.0.0.1", 2, 0, 0, 0, 0, 1)),
                done(SEQ));
        InetDiagParser.Dump d = parse(dg);
        assertEquals(2, d.malformed);
        assertEquals("unknown TCP state code 99", d.firstMalformed);
        assertTrue(d.sockets.isEmpty());
    }

    @Test
    void truncatedHeaderGivesOneClearSentence() throws Exception {
        byte[] good = message(20, 2, SEQ, diag(2, 1, 0, 0, "127.0.0.1", 1, "127.0.0.1", 2, 0, 0, 0, 0, 1));
        byte[] dg = concat(good, good);
        SourceException e = assertThrows(SourceException.class, () -> parse(dg, dg.length - 30, 1000));
        assertEquals("malformed netlink reply: a message claims 88 bytes at offset 88 of a 146-byte datagram", e.getMessage());

        byte[] zero = concat(good, new byte[16]); // nlmsg_len 0 would loop forever if accepted
        assertTrue(assertThrows(SourceException.class, () -> parse(zero)).getMessage().contains("claims 0 bytes"));
    }

    @Test
    void trailingBytesShorterThanAHeaderAreIgnored() throws Exception {
        byte[] dg = concat(message(20, 2, SEQ, diag(2, 1, 0, 0, "127.0.0.1", 1, "127.0.0.1", 2, 0, 0, 0, 0, 1)), new byte[8]);
        InetDiagParser.Dump d = parse(dg);
        assertEquals(1, d.sockets.size());
        assertFalse(d.done, "no DONE yet: the source reads the next datagram");
    }

    @Test
    void kernelErrorEndsTheDumpWithItsErrno() throws Exception {
        byte[] err = ByteBuffer.allocate(4 + 16).order(ByteOrder.nativeOrder()).putInt(-13).array();
        InetDiagParser.Dump d = parse(message(InetDiagParser.NLMSG_ERROR, 0, SEQ, err));
        assertTrue(d.done);
        assertEquals(13, d.kernelErrno);
        assertTrue(NetlinkSocket.errnoName(13).startsWith("EACCES"));

        byte[] doneErr = ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(-12).array();
        InetDiagParser.Dump d2 = parse(message(InetDiagParser.NLMSG_DONE, 2, SEQ, doneErr));
        assertEquals(12, d2.kernelErrno);

        assertThrows(SourceException.class, () -> parse(message(InetDiagParser.NLMSG_OVERRUN, 0, SEQ, new byte[0])));
    }

    @Test
    void repliesToAnotherRequestAreIgnoredAndInterruptedDumpsFlagged() throws Exception {
        byte[] dg = concat(
                message(20, 2, SEQ - 1, diag(2, 1, 0, 0, "127.0.0.1", 1, "127.0.0.1", 2, 0, 0, 0, 0, 1)),
                done(SEQ - 1),
                message(20, 2 | InetDiagParser.NLM_F_DUMP_INTR, SEQ, diag(2, 10, 0, 0, "127.0.0.1", 3, "0.0.0.0", 0, 0, 0, 0, 0, 2)),
                done(SEQ));
        InetDiagParser.Dump d = parse(dg);
        assertEquals(1, d.sockets.size());
        assertEquals(3, d.sockets.get(0).local().port());
        assertTrue(d.interrupted);
        assertTrue(d.done);
    }

    @Test
    void boundsAreEnforced() throws Exception {
        byte[] one = message(20, 2, SEQ, diag(2, 1, 0, 0, "127.0.0.1", 1, "127.0.0.1", 2, 0, 0, 0, 0, 1));
        SourceException e = assertThrows(SourceException.class, () -> parse(concat(one, one, one), 3L * one.length, 2));
        assertTrue(e.getMessage().contains("more than 2 sockets"), e.getMessage());
        assertThrows(SourceException.class, () -> parse(one, one.length + 1, 10), "a reply longer than the buffer (MSG_TRUNC)");
    }

    @Test
    void requestIsAnInetDiagReqV2ForEveryState() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(NetlinkSource.REQUEST_LEN);
            NetlinkSource.fillRequest(m, InetDiagParser.AF_INET6, NetlinkSource.ALL_STATES, 99);
            ByteBuffer b = m.asByteBuffer().order(ByteOrder.nativeOrder());
            assertEquals(72, b.getInt(0));
            assertEquals(20, b.getShort(4));
            assertEquals(0x301, b.getShort(6), "NLM_F_REQUEST | NLM_F_DUMP");
            assertEquals(99, b.getInt(8));
            assertEquals(10, b.get(16));
            assertEquals(6, b.get(17), "IPPROTO_TCP");
            assertEquals(0, b.get(18));
            assertEquals(-1, b.getInt(20), "all states, TIME_WAIT and NEW_SYN_RECV included");
            for (int i = 24; i < 72; i++) assertEquals(0, b.get(i));
        }
    }

    /** Whatever the bytes, the parser returns or throws SourceException: never anything else. */
    @Property(tries = 400)
    void garbageNeverCrashes(@ForAll @Size(max = 400) byte[] noise) {
        try {
            parse(noise);
        } catch (SourceException expected) {
            assertFalse(expected.getMessage().isBlank());
        }
    }

    /** A valid datagram with one byte changed anywhere: same guarantee. */
    @Property(tries = 400)
    void corruptedDatagramNeverCrashes(@ForAll @IntRange(min = 0, max = 251) int at, @ForAll byte value) throws Exception {
        byte[] dg = concat(
                message(20, 2, SEQ, diag(10, 6, 3, 0, "::1", 40001, "::1", 443, 42_000, 0, 0, 0, 0)),
                message(20, 2, SEQ, diagMapped(10, "127.0.0.1", 80)),
                done(SEQ));
        dg[at % dg.length] = value;
        try {
            InetDiagParser.Dump d = parse(dg);
            assertTrue(d.sockets.size() <= 2);
        } catch (SourceException expected) {
            assertFalse(expected.getMessage().isBlank());
        }
    }
}
