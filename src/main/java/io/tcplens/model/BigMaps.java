package io.tcplens.model;

/**
 * The load factor of the HPPC maps that hold one entry per socket (the tracker's tracks, the incident
 * recorder's ids, the alert tally's slots, the parser's rows by cookie). HPPC's default, 0.75, doubles a
 * map's arrays at 98,304 entries: a 100k table's map then has 2^18 slots, and each of its key and value
 * arrays is 1 MB and 16 bytes, 16 bytes too many for a G1 region of 1 MB (the heap's region size under the
 * launchers' {@code -Xmx768m}): two humongous regions each, one of them holding 16 bytes. At 0.85 the
 * arrays double at 111,411 entries, and a 100k table's arrays of 2^17 slots take one region each
 * (issue 11: ~8 regions less at 100k). Lookups stay short at up to 85 % full (HPPC mixes the hash).
 */
public final class BigMaps {
    public static final double LOAD_FACTOR = 0.85;
    /** The arrays' length at the start (HPPC's own default). */
    public static final int INITIAL = 4;

    private BigMaps() {}
}
