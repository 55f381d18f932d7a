package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * TcpInfo holds its five u32 counters in ints: every value in [0, 2^32) and {@link TcpInfo#UNKNOWN} reads back
 * as given (0xFFFFFFFF is not "unknown"), and it equals, hashes and prints as the record it was.
 */
class TcpInfoCompactTest {
    /** The record TcpInfo was, component for component. */
    record AsRecord(long bytesSent, long bytesRetrans, long bytesAcked, long bytesReceived, long segsOut, long segsIn,
                    long totalRetrans, long rttMicros, long rttVarMicros, double sendRate, double receiveRate) {}

    private static final long[] EDGES = {TcpInfo.UNKNOWN, 0, 1, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL};

    private static long u32(Random r) {
        return r.nextBoolean() ? EDGES[r.nextInt(EDGES.length)] : r.nextLong(0x1_0000_0000L);
    }

    private static long u64(Random r) {
        return r.nextInt(4) == 0 ? TcpInfo.UNKNOWN : r.nextBoolean() ? Long.MAX_VALUE - r.nextInt(3) : r.nextLong(Long.MAX_VALUE);
    }

    private static double rate(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> Double.NaN;
            case 1 -> 0.0;
            case 2 -> -0.0;
            default -> r.nextDouble() * 1e9;
        };
    }

    @Property(tries = 3000)
    void readsBackEqualsAndPrintsAsTheRecord(@ForAll long seed) {
        Random r = new Random(seed);
        AsRecord a = new AsRecord(u64(r), u64(r), u64(r), u64(r), u32(r), u32(r), u32(r), u32(r), u32(r), rate(r), rate(r));
        TcpInfo t = of(a);
        assertEquals(a, back(t));
        assertEquals(a.toString().replace("AsRecord[", "TcpInfo["), t.toString());
        assertEquals(t, of(a));
        assertEquals(t.hashCode(), of(a).hashCode());
        // another record differs exactly when the records differ
        Random r2 = new Random(seed ^ 0x5DEECE66DL);
        AsRecord b = r2.nextBoolean() ? a : new AsRecord(a.bytesSent(), a.bytesRetrans(), a.bytesAcked(), a.bytesReceived(),
                r2.nextBoolean() ? a.segsOut() : u32(r2), a.segsIn(), a.totalRetrans(),
                r2.nextBoolean() ? a.rttMicros() : u32(r2), a.rttVarMicros(), a.sendRate(), rate(r2));
        assertEquals(a.equals(b), t.equals(of(b)), a + " vs " + b);
        TcpInfo rated = t.withRates(12.5, Double.NaN);
        assertEquals(new AsRecord(a.bytesSent(), a.bytesRetrans(), a.bytesAcked(), a.bytesReceived(), a.segsOut(), a.segsIn(),
                a.totalRetrans(), a.rttMicros(), a.rttVarMicros(), 12.5, Double.NaN), back(rated));
        assertEquals(true, rated.hasRates());
    }

    @Test
    void largestU32IsNotUnknown() {
        TcpInfo t = new TcpInfo(1, 2, 3, 4, 0xFFFF_FFFFL, TcpInfo.UNKNOWN, 0xFFFF_FFFFL, TcpInfo.UNKNOWN, 0);
        assertEquals(0xFFFF_FFFFL, t.segsOut());
        assertEquals(TcpInfo.UNKNOWN, t.segsIn());
        assertEquals(0xFFFF_FFFFL, t.totalRetrans());
        assertEquals(TcpInfo.UNKNOWN, t.rttMicros());
        assertEquals(0, t.rttVarMicros());
        assertNotEquals(t, new TcpInfo(1, 2, 3, 4, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFFL, TcpInfo.UNKNOWN, 0));
        assertEquals(false, t.hasRates());
    }

    @Test
    void aCounterOutsideU32IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TcpInfo(0, 0, 0, 0, 0x1_0000_0000L, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TcpInfo(0, 0, 0, 0, 0, -2, 0, 0, 0));
    }

    private static TcpInfo of(AsRecord a) {
        return new TcpInfo(a.bytesSent(), a.bytesRetrans(), a.bytesAcked(), a.bytesReceived(), a.segsOut(), a.segsIn(),
                a.totalRetrans(), a.rttMicros(), a.rttVarMicros(), a.sendRate(), a.receiveRate());
    }

    private static AsRecord back(TcpInfo t) {
        return new AsRecord(t.bytesSent(), t.bytesRetrans(), t.bytesAcked(), t.bytesReceived(), t.segsOut(), t.segsIn(),
                t.totalRetrans(), t.rttMicros(), t.rttVarMicros(), t.sendRate(), t.receiveRate());
    }
}
