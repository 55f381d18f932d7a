package io.tcplens.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Locale;

/**
 * Ways to read a netlink receive buffer (native memory, 4-byte aligned records) timed against each other under
 * the JIT the launchers run (C1 only: {@code -XX:TieredStopAtLevel=1}), for the parser's hot path: per record
 * the header's length, type and sequence, the cookie's two words, a hash of the record's 8-byte words but
 * {@code idiag_expires}, and {@code idiag_expires}. Each way that reads a heap array pays its bulk copy of the
 * datagram out of the native buffer in its time.
 *
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java -XX:TieredStopAtLevel=1 -cp target/test-classes io.tcplens.bench.SegmentReadBenchmark [ROUNDS]
 * </pre>
 * Prints the thread's CPU ns per record (p50 and min of ROUNDS rounds, default 40, each over a 100k-record poll's
 * worth of datagrams) for: the segment through unaligned host-order layouts (the parser of main 43389ba), the
 * segment through {@code MemorySegment.get} of aligned int layouts, a copy into a {@code byte[]} read by a
 * little-endian heap {@code ByteBuffer}, a copy into a {@code byte[]} read by a byte-array view
 * {@code VarHandle}, a copy into a {@code byte[]} read by explicit shifts, and a copy into an {@code int[]} (the
 * records are 4-byte aligned: every field is an int or within one) read as array elements, and the view
 * {@code VarHandle} again behind small static helpers (one more inlining level for C1).
 */
public final class SegmentReadBenchmark {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfLong HOST_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfInt ALIGNED_INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.nativeOrder());
    private static final VarHandle BYTES_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BYTES_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long K = 0x9E3779B97F4A7C15L;
    private static final int RECORD = 16 + 108, GRAM = 32 * 1024, EXPIRES_AT = 16 + 52;

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) throw new IllegalStateException("written for a little-endian host");
        int perGram = GRAM / RECORD, grams = 100_000 / perGram + 1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment[] native_ = new MemorySegment[grams];
            long seed = 42;
            for (int g = 0; g < grams; g++) {
                MemorySegment m = arena.allocate(64 * 1024, 8);
                for (int r = 0; r < perGram; r++) {
                    long off = (long) r * RECORD;
                    m.set(HOST_INT, off, RECORD);
                    m.set(HOST_SHORT, off + 4, (short) 20);
                    m.set(HOST_INT, off + 8, 7);
                    for (long a = off + 16; a < off + RECORD; a += 4) {
                        seed = seed * 6364136223846793005L + 1442695040888963407L;
                        m.set(HOST_INT, a, (int) (seed >>> 32));
                    }
                }
                native_[g] = m;
            }
            int len = perGram * RECORD;
            String[] names = {"segment unaligned layouts", "segment aligned int layouts", "byte[] + ByteBuffer LE", "byte[] + VarHandle view",
                    "byte[] + shifts", "int[] copy, elements", "byte[] + VarHandle helpers"};
            double[][] t = new double[names.length][rounds];
            byte[] bytes = new byte[64 * 1024];
            int[] ints = new int[16 * 1024];
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            long sink = 0;
            long[] check = new long[names.length];
            for (int r = -10; r < rounds; r++) {
                for (int w = 0; w < names.length; w++) {
                    long t0 = CPU.getCurrentThreadCpuTime();
                    long s = 0;
                    for (MemorySegment m : native_) {
                        s += switch (w) {
                            case 0 -> segmentUnaligned(m, len);
                            case 1 -> segmentAlignedInts(m, len);
                            case 2 -> { MemorySegment.copy(m, ValueLayout.JAVA_BYTE, 0, bytes, 0, len); yield byteBuffer(bb, len); }
                            case 3 -> { MemorySegment.copy(m, ValueLayout.JAVA_BYTE, 0, bytes, 0, len); yield varHandle(bytes, len); }
                            case 4 -> { MemorySegment.copy(m, ValueLayout.JAVA_BYTE, 0, bytes, 0, len); yield shifts(bytes, len); }
                            case 5 -> { MemorySegment.copy(m, ALIGNED_INT, 0, ints, 0, len >> 2); yield intArray(ints, len); }
                            default -> { MemorySegment.copy(m, ValueLayout.JAVA_BYTE, 0, bytes, 0, len); yield helpers(bytes, len); }
                        };
                    }
                    long t1 = CPU.getCurrentThreadCpuTime();
                    if (r >= 0) t[w][r] = (t1 - t0) / (double) (grams * perGram);
                    check[w] = s;
                    sink += s;
                }
            }
            for (int w = 1; w < names.length; w++)
                if (check[w] != check[0]) throw new IllegalStateException(names[w] + " read other values: " + check[w] + " against " + check[0]);
            System.out.printf(Locale.ROOT, "%-30s %12s %12s%n", "way (records of " + (RECORD - 16) + " bytes)", "ns/rec p50", "ns/rec min");
            for (int w = 0; w < names.length; w++) {
                Arrays.sort(t[w]);
                System.out.printf(Locale.ROOT, "%-30s %12.1f %12.1f%n", names[w], t[w][rounds / 2], t[w][0]);
            }
            if (sink == 1) System.out.println();
        }
    }

    private static long mix(long h, long w) {
        return Long.rotateLeft(h ^ w, 27) * K;
    }

    private static final long KEEP = 0xFFFFFFFFL;

    private static long segmentUnaligned(MemorySegment m, long length) {
        long s = 0;
        for (long off = 0; off + 16 <= length; ) {
            long len = Integer.toUnsignedLong(m.get(HOST_INT, off));
            int type = m.get(HOST_SHORT, off + 4) & 0xFFFF;
            int seq = m.get(HOST_INT, off + 8);
            long p = off + 16;
            long cookie = (Integer.toUnsignedLong(m.get(HOST_INT, p + 48)) << 32) | Integer.toUnsignedLong(m.get(HOST_INT, p + 44));
            long h = len;
            for (long a = p; a + 8 <= off + len; a += 8) {
                long w = m.get(HOST_LONG, a);
                h = mix(h, a == p + 48 ? w & KEEP : w);
            }
            if (((len - 16) & 4) != 0) h = mix(h, Integer.toUnsignedLong(m.get(HOST_INT, off + len - 4)));
            s += h ^ cookie ^ type ^ seq ^ m.get(HOST_INT, off + EXPIRES_AT);
            off += (len + 3) & ~3L;
        }
        return s;
    }

    private static long segmentAlignedInts(MemorySegment m, long length) {
        long s = 0;
        for (long off = 0; off + 16 <= length; ) {
            long len = Integer.toUnsignedLong(m.get(ALIGNED_INT, off));
            int type = m.get(ALIGNED_INT, off + 4) & 0xFFFF;
            int seq = m.get(ALIGNED_INT, off + 8);
            long p = off + 16;
            long cookie = (Integer.toUnsignedLong(m.get(ALIGNED_INT, p + 48)) << 32) | Integer.toUnsignedLong(m.get(ALIGNED_INT, p + 44));
            long h = len;
            for (long a = p; a + 8 <= off + len; a += 8) {
                long w = Integer.toUnsignedLong(m.get(ALIGNED_INT, a)) | ((long) m.get(ALIGNED_INT, a + 4) << 32);
                h = mix(h, a == p + 48 ? w & KEEP : w);
            }
            if (((len - 16) & 4) != 0) h = mix(h, Integer.toUnsignedLong(m.get(ALIGNED_INT, off + len - 4)));
            s += h ^ cookie ^ type ^ seq ^ m.get(ALIGNED_INT, off + EXPIRES_AT);
            off += (len + 3) & ~3L;
        }
        return s;
    }

    private static long byteBuffer(ByteBuffer m, int length) {
        long s = 0;
        for (int off = 0; off + 16 <= length; ) {
            long len = Integer.toUnsignedLong(m.getInt(off));
            int type = m.getShort(off + 4) & 0xFFFF;
            int seq = m.getInt(off + 8);
            int p = off + 16;
            long cookie = (Integer.toUnsignedLong(m.getInt(p + 48)) << 32) | Integer.toUnsignedLong(m.getInt(p + 44));
            long h = len;
            for (int a = p; a + 8 <= off + len; a += 8) {
                long w = m.getLong(a);
                h = mix(h, a == p + 48 ? w & KEEP : w);
            }
            if (((len - 16) & 4) != 0) h = mix(h, Integer.toUnsignedLong(m.getInt((int) (off + len - 4))));
            s += h ^ cookie ^ type ^ seq ^ m.getInt(off + EXPIRES_AT);
            off += (int) ((len + 3) & ~3L);
        }
        return s;
    }

    private static long varHandle(byte[] m, int length) {
        long s = 0;
        for (int off = 0; off + 16 <= length; ) {
            long len = Integer.toUnsignedLong((int) BYTES_INT.get(m, off));
            int type = (int) BYTES_INT.get(m, off + 4) & 0xFFFF;
            int seq = (int) BYTES_INT.get(m, off + 8);
            int p = off + 16;
            long cookie = (Integer.toUnsignedLong((int) BYTES_INT.get(m, p + 48)) << 32) | Integer.toUnsignedLong((int) BYTES_INT.get(m, p + 44));
            long h = len;
            for (int a = p; a + 8 <= off + len; a += 8) {
                long w = (long) BYTES_LONG.get(m, a);
                h = mix(h, a == p + 48 ? w & KEEP : w);
            }
            if (((len - 16) & 4) != 0) h = mix(h, Integer.toUnsignedLong((int) BYTES_INT.get(m, (int) (off + len - 4))));
            s += h ^ cookie ^ type ^ seq ^ (int) BYTES_INT.get(m, off + EXPIRES_AT);
            off += (int) ((len + 3) & ~3L);
        }
        return s;
    }

    private static int i32(byte[] m, int at) {
        return (int) BYTES_INT.get(m, at);
    }

    private static long i64(byte[] m, int at) {
        return (long) BYTES_LONG.get(m, at);
    }

    private static long helpers(byte[] m, int length) {
        long s = 0;
        for (int off = 0; off + 16 <= length; ) {
            long len = Integer.toUnsignedLong(i32(m, off));
            int type = i32(m, off + 4) & 0xFFFF;
            int seq = i32(m, off + 8);
            int p = off + 16;
            long cookie = (Integer.toUnsignedLong(i32(m, p + 48)) << 32) | Integer.toUnsignedLong(i32(m, p + 44));
            long h = len;
            for (int a = p; a + 8 <= off + len; a += 8) {
                long w = i64(m, a);
                h = mix(h, a == p + 48 ? w & KEEP : w);
            }
            if (((len - 16) & 4) != 0) h = mix(h, Integer.toUnsignedLong(i32(m, (int) (off + len - 4))));
            s += h ^ cookie ^ type ^ seq ^ i32(m, off + EXPIRES_AT);
            off += (int) ((len + 3) & ~3L);
        }
        return s;
    }

    private static int int32(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | b[i + 3] << 24;
    }

    private static long shifts(byte[] m, int length) {
        long s = 0;
        for (int off = 0; off + 16 <= length; ) {
            long len = Integer.toUnsignedLong(int32(m, off));
            int type = int32(m, off + 4) & 0xFFFF;
            int seq = int32(m, off + 8);
            int p = off + 16;
            long cookie = (Integer.toUnsignedLong(int32(m, p + 48)) << 32) | Integer.toUnsignedLong(int32(m, p + 44));
            long h = len;
            for (int a = p; a + 8 <= off + len; a += 8) {
                long w = Integer.toUnsignedLong(int32(m, a)) | ((long) int32(m, a + 4) << 32);
                h = mix(h, a == p + 48 ? w & KEEP : w);
            }
            if (((len - 16) & 4) != 0) h = mix(h, Integer.toUnsignedLong(int32(m, (int) (off + len - 4))));
            s += h ^ cookie ^ type ^ seq ^ int32(m, off + EXPIRES_AT);
            off += (int) ((len + 3) & ~3L);
        }
        return s;
    }

    private static long intArray(int[] m, int length) {
        long s = 0;
        for (int off = 0; off + 16 <= length; ) {
            int w0 = off >> 2;
            long len = Integer.toUnsignedLong(m[w0]);
            int type = m[w0 + 1] & 0xFFFF;
            int seq = m[w0 + 2];
            int p = w0 + 4;
            long cookie = (Integer.toUnsignedLong(m[p + 12]) << 32) | Integer.toUnsignedLong(m[p + 11]);
            long h = len;
            int end = (int) ((off + len) >> 2);
            for (int a = p; a + 2 <= end; a += 2) {
                long w = Integer.toUnsignedLong(m[a]) | ((long) m[a + 1] << 32);
                h = mix(h, a == p + 12 ? w & KEEP : w);
            }
            if (((len - 16) & 4) != 0) h = mix(h, Integer.toUnsignedLong(m[end - 1]));
            s += h ^ cookie ^ type ^ seq ^ m[(off + EXPIRES_AT) >> 2];
            off += (int) ((len + 3) & ~3L);
        }
        return s;
    }
}
