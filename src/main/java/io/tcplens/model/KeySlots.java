package io.tcplens.model;

import com.carrotsearch.hppc.ObjectIntHashMap;

/**
 * A socket's slot by its 4-tuple, for a stage that walks a table against the previous one (the tracker's tracks,
 * the incident recorder's diff, the alert tally): an HPPC map of keys to ints whose new keys wait beside it until
 * the update {@link #settle}s, after the gone keys were {@link #remove}d. Put at once, a table's new keys went in
 * before its gone ones left: at the burst table's remake (100k sockets, 28k TIME_WAIT made and as many expiring)
 * each such map held ~128k keys for a moment, past the 111k an array of 2^17 slots holds at
 * {@link BigMaps#LOAD_FACTOR}, and doubled its key and value arrays to 2^18 (1 MB and a few bytes each: two G1
 * regions each, with the old arrays alive during the rehash) and kept them for good (issue 11: the resident peak
 * after a minute). Here the main map holds at most the previous table's keys; the new ones wait in a small map
 * (28k at the remake: 64k slots, let go after). A table long shrunk (a quarter of the main map's room for
 * {@link #SHRINK_AFTER} updates running) gets a main map sized to it. Not thread-safe.
 */
public final class KeySlots {
    /** Updates a table stays small before its map is made again to its size. */
    static final int SHRINK_AFTER = 30;
    /** A waiting map this long (keys array) is let go after an update rather than kept for the next. */
    private static final int KEEP_WAITING_UP_TO = 4096;

    private ObjectIntHashMap<ConnectionKey> main = new ObjectIntHashMap<>(BigMaps.INITIAL, BigMaps.LOAD_FACTOR);
    private ObjectIntHashMap<ConnectionKey> waiting = new ObjectIntHashMap<>(BigMaps.INITIAL, BigMaps.LOAD_FACTOR);
    private int smallFor;

    /** The slot of {@code k}, or -1. */
    public int get(ConnectionKey k) {
        int at = main.indexOf(k);
        if (at >= 0) return main.indexGet(at);
        return waiting.isEmpty() ? -1 : waiting.getOrDefault(k, -1);
    }

    /** Gives {@code k} (not here) slot {@code slot}: in the map from the next {@link #settle}, found by {@link #get} already. */
    public void add(ConnectionKey k, int slot) {
        waiting.put(k, slot);
    }

    /** Takes {@code k} out (nothing when it is not here). */
    public void remove(ConnectionKey k) {
        int at = main.indexOf(k);
        if (at >= 0) main.indexRemove(at);
        else if (!waiting.isEmpty()) waiting.remove(k);
    }

    /** Takes {@code k} out only if it has slot {@code slot}. */
    public void remove(ConnectionKey k, int slot) {
        int at = main.indexOf(k);
        if (at >= 0) {
            if (main.indexGet(at) == slot) main.indexRemove(at);
        } else if (!waiting.isEmpty() && waiting.getOrDefault(k, -1) == slot) {
            waiting.remove(k);
        }
    }

    /** Keys here, the waiting ones too. */
    public int size() {
        return main.size() + waiting.size();
    }

    /**
     * The end of an update (its gone keys removed): the waiting keys go into the map, and a map long too big for
     * its table is made again to its size.
     */
    public void settle() {
        if (!waiting.isEmpty() && main.isEmpty() && waiting.keys.length > KEEP_WAITING_UP_TO) {
            // a first table (or one all new): the waiting map is the map, nothing copied
            ObjectIntHashMap<ConnectionKey> m = main;
            main = waiting;
            waiting = m;
            waiting.release();
        } else if (!waiting.isEmpty()) {
            // room for all first: keys taken in one map's slot order and put into a smaller one that grows as they
            // come pile up in runs (HPPC's known clustering: the first 100k table took seconds to settle under C1)
            main.ensureCapacity(main.size() + waiting.size());
            Object[] ks = waiting.keys;
            int[] vs = waiting.values;
            for (int i = 0; i < ks.length; i++) {
                if (ks[i] != null) main.put((ConnectionKey) ks[i], vs[i]);
            }
            if (ks.length > KEEP_WAITING_UP_TO) waiting.release();
            else waiting.clear();
        }
        int room = main.keys.length - 1;
        if (room > 1024 && main.size() < room * BigMaps.LOAD_FACTOR / 4) {
            if (++smallFor >= SHRINK_AFTER) shrink();
        } else {
            smallFor = 0;
        }
    }

    private void shrink() {
        smallFor = 0;
        // (sized for all at once: no growing while keys come in the old map's slot order)
        ObjectIntHashMap<ConnectionKey> m = new ObjectIntHashMap<>(Math.max(BigMaps.INITIAL, main.size()), BigMaps.LOAD_FACTOR);
        Object[] ks = main.keys;
        int[] vs = main.values;
        for (int i = 0; i < ks.length; i++) {
            if (ks[i] != null) m.put((ConnectionKey) ks[i], vs[i]);
        }
        main = m;
    }

    /** The slots of the map's arrays (tests, benchmarks): 2^17 holds up to 111k keys. */
    public int capacity() {
        return main.keys.length - 1;
    }
}
