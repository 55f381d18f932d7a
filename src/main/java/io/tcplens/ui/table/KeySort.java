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
        if (split < 0 || split > n) throw new IllegalArgumentException("split " + split + " of " + n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        int[] tmp = new int[Math.max(split, n - split)];
        int[][] count = new int[1][];
        sortRange(order, 0, split, tmp, count, keys);
        sortRange(order, split, n, tmp, count, keys);
        return order;
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
