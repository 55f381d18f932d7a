package io.tcplens.ui.table;

import java.util.Arrays;

/**
 * Positions {@code 0..n-1} in ascending order of up to three signed {@code long} keys per row (the first
 * the most significant): a least-significant-digit radix sort on 16-bit digits, stable, that skips the
 * digits every row shares (a state column varies in one digit, an IPv4 endpoint in three). The table
 * sorts 100k rows per poll; a comparison merge sort reading the same arrays took 1.7M comparisons.
 * HPPC and the JDK sort primitives or objects by comparisons only, hence this one.
 */
final class KeySort {
    private static final int BITS = 16;
    private static final int RADIX = 1 << BITS;

    private KeySort() {}

    /** The positions of {@code n} rows sorted by {@code keys[0]}, then {@code keys[1]}, …; equal rows keep their order. */
    static int[] ascending(int n, long[]... keys) {
        return ascending(n, n, keys);
    }

    /**
     * The positions of {@code n} rows: rows {@code 0..split-1} sorted by the keys, then rows {@code split..n-1}
     * sorted by them (the connections table's live rows, then its closed ones), each part stable.
     */
    static int[] ascending(int n, int split, long[]... keys) {
        return ascending(n, split, null, null, keys);
    }

    /**
     * {@link #ascending(int, int, long[]...)} into {@code into} (its first {@code n} places; null: an array of
     * its own), with the other buffer and the digit counts kept in {@code scratch} from call to call (null: made
     * for this call). At 100k rows the order and the other buffer are 400 KB each, the counts 256 KB.
     */
    static int[] ascending(int n, int split, int[] into, Scratch scratch, long[]... keys) {
        if (split < 0 || split > n) throw new IllegalArgumentException("split " + split + " of " + n);
        if (into != null && into.length < n) throw new IllegalArgumentException(into.length + " places for " + n + " rows");
        int[] order = into != null ? into : new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Scratch sc = scratch != null ? scratch : new Scratch();
        int[] tmp = sc.tmp(Math.max(split, n - split));
        sortRange(order, 0, split, tmp, sc.count, keys);
        sortRange(order, split, n, tmp, sc.count, keys);
        return order;
    }

    /** The sort's buffers kept from call to call: the other buffer the rows move to and from, and the digit counts. */
    static final class Scratch {
        private int[] tmp = new int[0];
        /** The counts of one digit's values ({@code RADIX + 1}), made at the first digit sorted. */
        private final int[][] count = new int[1][];

        private int[] tmp(int n) {
            if (tmp.length < n || tmp.length > 2 * n + 1024) tmp = new int[n + (n >>> 3)];
            return tmp;
        }
    }

    /** Sorts {@code order[from..to)} (row positions) by the keys, with {@code tmp} as the other buffer. */
    private static void sortRange(int[] order, int from, int to, int[] tmp, int[][] countHolder, long[]... keys) {
        int n = to - from;
        if (n < 2) return;
        // the rows move between order[from..to) and tmp[0..n)
        int[] src = order, dst = tmp;
        int srcAt = from, dstAt = 0;
        for (int k = keys.length - 1; k >= 0; k--) {
            long[] key = keys[k];
            long first = key[from], varying = 0; // the range holds rows from..to-1, in some order
            for (int i = from + 1; i < to; i++) varying |= key[i] ^ first;
            for (int shift = 0; shift < Long.SIZE; shift += BITS) {
                if (((varying >>> shift) & (RADIX - 1)) == 0) continue; // every row has this digit
                int[] count = countHolder[0];
                if (count == null) count = countHolder[0] = new int[RADIX + 1];
                else Arrays.fill(count, 0);
                // the sign bit flipped: signed order as unsigned digits
                for (int i = 0; i < n; i++) count[digit(key[src[srcAt + i]], shift) + 1]++;
                for (int d = 0; d < RADIX; d++) count[d + 1] += count[d];
                for (int i = 0; i < n; i++) {
                    int row = src[srcAt + i];
                    dst[dstAt + count[digit(key[row], shift)]++] = row;
                }
                int[] t = src;
                src = dst;
                dst = t;
                int a = srcAt;
                srcAt = dstAt;
                dstAt = a;
            }
        }
        if (src != order) System.arraycopy(src, srcAt, order, from, n);
    }

    private static int digit(long v, int shift) {
        return (int) (((v ^ Long.MIN_VALUE) >>> shift) & (RADIX - 1));
    }
}
