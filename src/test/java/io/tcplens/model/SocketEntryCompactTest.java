package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * SocketEntry packs its components (u32 queues and inode in ints, the timer in one long, enums, flags and
 * retransmits in one int): every value a row may hold reads back as given, and it equals, hashes and prints as the
 * record it was. Endpoint likewise keeps its interface in one object: the same accessors and equality.
 */
class SocketEntryCompactTest {
    /** The record SocketEntry was, component for component. */
    record AsRecord(ConnectionKey key, TcpState state, KernelTcpState kernelState, long sendQueue, long receiveQueue,
                    TimerKind timer, Long timerRemainingMs, int retransmits, int uid, long inode, Integer pid,
                    String process, boolean ownerLastKnown, boolean lab, long cookie, TcpInfo tcpInfo, long timerDueMillis) {}

    private static final long[] U32 = {0, 1, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL};
    private static final ConnectionKey KEY = new ConnectionKey(new Endpoint(InetAddress.getLoopbackAddress(), 80),
            new Endpoint(InetAddress.getLoopbackAddress(), 40000));

    private static <T> T pick(Random r, T[] values) {
        return r.nextInt(5) == 0 ? null : values[r.nextInt(values.length)];
    }

    private static long u32(Random r) {
        return r.nextBoolean() ? U32[r.nextInt(U32.length)] : r.nextLong(0x1_0000_0000L);
    }

    private static AsRecord random(Random r) {
        TimerKind timer = pick(r, TimerKind.values());
        int mode = timer == null ? r.nextInt(2) : r.nextInt(3); // 0 none, 1 time left, 2 due
        Long left = mode == 1 ? Long.valueOf(r.nextBoolean() ? r.nextLong() : r.nextInt(200)) : null;
        long due = mode == 2 ? r.nextLong(Long.MAX_VALUE) : SocketEntry.NO_DUE;
        return new AsRecord(KEY, TcpState.values()[r.nextInt(TcpState.values().length)], pick(r, KernelTcpState.values()),
                r.nextInt(4) == 0 ? SocketEntry.UNKNOWN_QUEUE : u32(r), r.nextInt(4) == 0 ? SocketEntry.UNKNOWN_QUEUE : u32(r),
                timer, left, r.nextBoolean() ? r.nextInt(256) : r.nextInt(SocketEntry.MAX_RETRANSMITS + 1),
                r.nextBoolean() ? SocketEntry.UNKNOWN_UID : r.nextInt(), u32(r),
                r.nextBoolean() ? null : Integer.valueOf(r.nextInt()), r.nextBoolean() ? null : "p" + r.nextInt(9),
                r.nextBoolean(), r.nextBoolean(), r.nextLong(),
                r.nextBoolean() ? null : new TcpInfo(1, 2, 3, 4, 5, 6, 7, 8, 9), due);
    }

    private static SocketEntry of(AsRecord a) {
        return new SocketEntry(a.key(), a.state(), a.kernelState(), a.sendQueue(), a.receiveQueue(), a.timer(),
                a.timerRemainingMs(), a.retransmits(), a.uid(), a.inode(), a.pid(), a.process(), a.ownerLastKnown(), a.lab(),
                a.cookie(), a.tcpInfo(), a.timerDueMillis());
    }

    @Property(tries = 3000)
    void readsBackEqualsHashesAndPrintsAsTheRecord(@ForAll long seed) {
        Random r = new Random(seed);
        AsRecord a = random(r);
        SocketEntry e = of(a);
        assertEquals(a.key(), e.key());
        assertEquals(a.state(), e.state());
        assertEquals(a.kernelState(), e.kernelState());
        assertEquals(a.sendQueue(), e.sendQueue());
        assertEquals(a.receiveQueue(), e.receiveQueue());
        assertEquals(a.timer(), e.timer());
        if (a.timerDueMillis() == SocketEntry.NO_DUE) assertEquals(a.timerRemainingMs(), e.timerRemainingMs());
        assertEquals(a.retransmits(), e.retransmits());
        assertEquals(a.uid(), e.uid());
        assertEquals(a.inode(), e.inode());
        assertSame(a.pid(), e.pid());
        assertEquals(a.process(), e.process());
        assertEquals(a.ownerLastKnown(), e.ownerLastKnown());
        assertEquals(a.lab(), e.lab());
        assertEquals(a.cookie(), e.cookie());
        assertSame(a.tcpInfo(), e.tcpInfo());
        assertEquals(a.timerDueMillis(), e.timerDueMillis());
        assertEquals(a.sendQueue() >= 0, e.hasSendQueue());
        assertEquals(a.timerRemainingMs() != null || a.timerDueMillis() != SocketEntry.NO_DUE, e.hasTimerTime());
        assertEquals(a.toString().replace("AsRecord[", "SocketEntry["), e.toString());
        assertEquals(a.hashCode(), e.hashCode());
        assertEquals(e, of(a));
        // another row differs exactly when the records differ
        Random r2 = new Random(seed ^ 0x5DEECE66DL);
        AsRecord b = r2.nextBoolean() ? a : random(r2);
        assertEquals(a.equals(b), e.equals(of(b)), a + " vs " + b);
        // the copies change one component each
        SocketEntry owned = e.withOwner(7, "x", !a.ownerLastKnown());
        assertEquals(7, owned.pid());
        assertEquals("x", owned.process());
        assertEquals(!a.ownerLastKnown(), owned.ownerLastKnown());
        assertEquals(e.withLab(!a.lab()).withLab(a.lab()), e);
        assertEquals(e.withTimerRemaining(5L).timerRemainingMs(), 5L);
        assertEquals(e.withTimerRemaining(null).hasTimerTime(), false);
        if (a.timer() != null) assertEquals(1234L, e.withTimerRemaining(null).withTimerDue(1234L).timerDueMillis());
    }

    @Test
    void refusesWhatARowCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> row(0x1_0000_0000L, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> row(-2, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> row(0, 0x1_0000_0000L, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> row(0, 0, 0x1_0000_0000L, 0));
        assertThrows(IllegalArgumentException.class, () -> row(0, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> row(0, 0, 0, SocketEntry.MAX_RETRANSMITS + 1));
        assertThrows(IllegalArgumentException.class, () -> row(0, 0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> row(0, 0, 0, 0).withTimerDue(5));
        assertEquals(0xFFFF_FFFFL, row(0xFFFF_FFFFL, 0, 0xFFFF_FFFFL, SocketEntry.MAX_RETRANSMITS).sendQueue());
    }

    private static SocketEntry row(long send, long receive, long inode, int retransmits) {
        return new SocketEntry(KEY, TcpState.ESTABLISHED, null, send, receive, null, null, retransmits, 0, inode, null, null, false);
    }

    @Test
    void endpointKeepsItsInterfaceAndEquality() {
        InetAddress a = InetAddress.getLoopbackAddress();
        Endpoint plain = new Endpoint(a, 80), zoned = new Endpoint(a, 80, 3, "veth0"), renamed = new Endpoint(a, 80, 3, "eth9");
        assertEquals(0, plain.ifIndex());
        assertNull(plain.ifName());
        assertEquals(3, zoned.ifIndex());
        assertEquals("veth0", zoned.ifName());
        assertNull(new Endpoint(a, 80, 0, "ignored").ifName());
        assertEquals(zoned, renamed); // the name is a label of the index
        assertEquals(zoned.hashCode(), renamed.hashCode());
        assertEquals(false, plain.equals(zoned));
        assertEquals(plain, new Endpoint(a, 80, 0, null));
        assertEquals("127.0.0.1:80", plain.toString());
        assertEquals("127.0.0.1%veth0:80", zoned.toString());
    }
}
