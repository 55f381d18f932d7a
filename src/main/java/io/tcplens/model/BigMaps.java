package io.tcplens.model;

/**
 * The load factor of the maps that hold one entry per socket ({@link KeySlots}: the tracker's tracks, the
 * incident recorder's ids, the alert tally's slots; sized as HPPC sizes its maps). HPPC's default, 0.75, doubles a
 * map's arrays at 98,304 entries: a 100k table's map then has 2^18 slots, and each of its key and value
 * arrays is 1 MB and 16 bytes, 16 bytes too many for a G1 region of 1 MB (the heap's region size under the
 * launchers' {@code -Xmx768m}): two humongous regions each, one of them holding 16 bytes. At 0.85 the
 * arrays double at 111,411 entries, and a 100k table's arrays of 2^17 slots take one region each
 * (issue 11: ~8 regions less at 100k). Lookups stay short at up to 85 % full: the hash is mixed, and a probe
 * past another key compares bits of its hash kept beside it before reading it.
 */
public final class BigMaps {
    public static final double LOAD_FACTOR = 0.85;
    /** The arrays' length at the start (HPPC's own default). */
    public static final int INITIAL = 4;

    /**
     * The most elements an array of 4-byte elements (ints, references) holds below G1's humongous size: half a
     * 1 MB region, less the array header. Columns indexed by a socket's slot hold, within an update, the slots of
     * the sockets closed since the last one and of those opened (at 100k sockets the TIME_WAIT remake's 28k of
     * each: 128k); grown by half past this (to 152k–160k), each took a whole region for good (1 MB against 0.4 MB).
     */
    public static final int SLOTS_BELOW_HUMONGOUS = ((512 << 10) - 16) / 4;

    /** The next length of per-slot columns of {@code length}: by half, but first only up to {@link #SLOTS_BELOW_HUMONGOUS}. */
    public static int grownColumns(int length) {
        return belowHumongous(length + 1, length + (length >> 1) + 16);
    }

    /**
     * {@code wanted}, or {@link #SLOTS_BELOW_HUMONGOUS} when that is less and still holds {@code needed}: per-row
     * arrays sized with room to spare stop below G1's humongous size while what they must hold fits there.
     */
    public static int belowHumongous(int needed, int wanted) {
        return needed <= SLOTS_BELOW_HUMONGOUS && wanted > SLOTS_BELOW_HUMONGOUS ? SLOTS_BELOW_HUMONGOUS : wanted;
    }

    /**
     * The first length of per-slot columns for a table of {@code n} sockets: room for a remake of ~31 % of it. An
     * update takes the new sockets' slots before it frees the gone ones' (at 100k the burst table's TIME_WAIT remake,
     * 28k gone and 28k new in one poll, needs 128k slots), so columns sized to the first table alone were regrown at the
     * window's first remake, a new array allocated and filled while the old one was still live, in the slowest poll,
     * whose young pauses promote what it holds (issue 11: the burst table's 60-s resident peak). Not past
     * {@link #SLOTS_BELOW_HUMONGOUS} for a table below it (a 100k table's columns stay under half a G1 region).
     */
    public static int columnsFor(int n) {
        int room = n + (n >> 2) + (n >> 4) + 16;
        return n < SLOTS_BELOW_HUMONGOUS && room > SLOTS_BELOW_HUMONGOUS ? SLOTS_BELOW_HUMONGOUS : room;
    }

    private BigMaps() {}

    /**
     * The array of places for a table of {@code n} sockets: {@code spare} (the last but one table's) when it is long
     * enough and not sized to a table long gone (over four times this one's), else a new one of {@code newLength}.
     */
    public static int[] placesFor(int[] spare, int n, int newLength) {
        return spare.length >= n && spare.length <= 4 * (n + 16) ? spare : new int[newLength];
    }

    /**
     * Whether the table being read listed slot {@code x} already: its place ({@code placeOf[x]}) is among the
     * {@code count} places given so far in {@code places} and holds it (a place below {@code count} was written by
     * this table, so a place kept from an earlier one does not count): no column of generations beside.
     */
    public static boolean listed(int[] placeOf, int x, int[] places, int count) {
        int p = placeOf[x];
        return p >= 0 && p < count && places[p] == x;
    }
}
