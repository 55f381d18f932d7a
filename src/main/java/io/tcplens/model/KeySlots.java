package io.tcplens.model;

import java.util.Arrays;

/**
 * A socket's slot by its 4-tuple, for a stage that walks a table against the previous one (the tracker's tracks,
 * the incident recorder's diff, the alert tally): an open-addressing map of keys to ints whose new keys wait beside it
 * until the update {@link #settle}s, after the gone keys were {@link #remove}d. Put at once, a table's new keys went in
 * before its gone ones left: at the burst table's remake (100k sockets, 28k TIME_WAIT made and as many expiring)
 * each such map held ~128k keys for a moment, past the 111k an array of 2^17 slots holds at
 * {@link BigMaps#LOAD_FACTOR}, and doubled its key and value arrays to 2^18 (1 MB and a few bytes each: two G1
 * regions each, with the old arrays alive during the rehash) and kept them for good (issue 11: the resident peak
 * after a minute). Here the main map holds at most the previous table's keys; the new ones wait in a small map
 * (28k at the remake: 64k slots, let go after). A table long shrunk (a quarter of the main map's room for
 * {@link #SHRINK_AFTER} updates running) gets a main map sized to it. Not thread-safe.
 *
 * <p>Each slot of the map also keeps 15 bits of its key's hash (a {@code short} beside the key; 256 KB at 2^17 slots,
 * below G1's humongous size): a probe past another key compares those bits and reads that key only when they match
 * (1 in 32,768 for another key). The remake's 28k new keys each miss in a main map 76 % full: through an HPPC map each
 * probe read the key it passed (a cache miss, ~9 a miss), which made a remake poll 40–70 ms dearer in each stage.
 */
public final class KeySlots {
    /** Updates a table stays small before its map is made again to its size. */
    static final int SHRINK_AFTER = 30;
    /** A waiting map this long (keys array) is let go after an update rather than kept for the next. */
    private static final int KEEP_WAITING_UP_TO = 4096;

    private Table main = new Table(0);
    private Table waiting = new Table(0);
    private int smallFor;

    /** The slot of {@code k}, or -1. */
    public int get(ConnectionKey k) {
        int at = main.indexOf(k);
        if (at >= 0) return main.values[at];
        if (waiting.size == 0) return -1;
        at = waiting.indexOf(k);
        return at >= 0 ? waiting.values[at] : -1;
    }

    /** Gives {@code k} (not here) slot {@code slot}: in the map from the next {@link #settle}, found by {@link #get} already. */
    public void add(ConnectionKey k, int slot) {
        waiting.put(k, slot);
    }

    /** Takes {@code k} out (nothing when it is not here). */
    public void remove(ConnectionKey k) {
        int at = main.indexOf(k);
        if (at >= 0) {
            main.removeAt(at);
        } else if (waiting.size != 0) {
            at = waiting.indexOf(k);
            if (at >= 0) waiting.removeAt(at);
        }
    }

    /** Takes {@code k} out only if it has slot {@code slot}. */
    public void remove(ConnectionKey k, int slot) {
        int at = main.indexOf(k);
        if (at >= 0) {
            if (main.values[at] == slot) main.removeAt(at);
        } else if (waiting.size != 0) {
            at = waiting.indexOf(k);
            if (at >= 0 && waiting.values[at] == slot) waiting.removeAt(at);
        }
    }

    /** Keys here, the waiting ones too. */
    public int size() {
        return main.size + waiting.size;
    }

    /**
     * The end of an update (its gone keys removed): the waiting keys go into the map, and a map long too big for
     * its table is made again to its size.
     */
    public void settle() {
        if (waiting.size != 0 && main.size == 0 && waiting.keys.length > KEEP_WAITING_UP_TO) {
            // a first table (or one all new): the waiting map is the map, nothing copied
            main = waiting;
            waiting = new Table(0);
        } else if (waiting.size != 0) {
            // room for all first: keys taken in one map's slot order and put into a smaller one that grows as they
            // come pile up in runs (the first 100k table took seconds to settle under C1)
            main.ensureCapacity(main.size + waiting.size);
            main.putAll(waiting);
            if (waiting.keys.length > KEEP_WAITING_UP_TO) waiting = new Table(0);
            else waiting.clear();
        }
        int room = main.keys.length;
        if (room > 1024 && main.size < room * BigMaps.LOAD_FACTOR / 4) {
            if (++smallFor >= SHRINK_AFTER) shrink();
        } else {
            smallFor = 0;
        }
    }

    private void shrink() {
        smallFor = 0;
        // (sized for all at once: no growing while keys come in the old map's slot order)
        Table m = new Table(main.size);
        m.putAll(main);
        main = m;
    }

    /** The slots of the map's arrays (tests, benchmarks): 2^17 holds up to 111k keys. */
    public int capacity() {
        return main.keys.length;
    }

    /**
     * Linear probing over three arrays by slot: the key, its value and 15 bits of its hash (never 0: 0 is an empty
     * slot), so that a probe reads a key only when those bits match. A removal moves the keys after it back (no
     * tombstones). Sized as HPPC sizes its maps: a power of two, grown before it would pass {@link BigMaps#LOAD_FACTOR}.
     */
    private static final class Table {
        private static final int PHI = 0x9E3779B9;

        ConnectionKey[] keys;
        int[] values;
        short[] tags;
        int size;
        private int mask;
        private int growAt;

        Table(int expected) {
            allocate(lengthFor(expected));
        }

        private static int lengthFor(int expected) {
            long length = (long) Math.ceil(expected / BigMaps.LOAD_FACTOR);
            if (length == expected) length++;
            return (int) Math.max(BigMaps.INITIAL, Long.highestOneBit(Math.max(1, length - 1)) << 1);
        }

        private void allocate(int length) {
            keys = new ConnectionKey[length];
            values = new int[length];
            tags = new short[length];
            mask = length - 1;
            growAt = Math.min(length - 1, (int) Math.ceil(length * BigMaps.LOAD_FACTOR));
        }

        private static int mixed(ConnectionKey k) {
            return k.hashCode() * PHI;
        }

        private static short tagOf(int h) {
            return (short) ((h >>> 16) | 1);
        }

        private int home(int h) {
            return (h ^ (h >>> 16)) & mask;
        }

        /** The slot holding {@code k}, or -1. */
        int indexOf(ConnectionKey k) {
            int h = mixed(k);
            short tag = tagOf(h);
            short[] ts = tags;
            int m = mask;
            for (int i = home(h); ; i = (i + 1) & m) {
                short t = ts[i];
                if (t == 0) return -1;
                if (t == tag) {
                    ConnectionKey x = keys[i];
                    if (x == k || x.equals(k)) return i;
                }
            }
        }

        void put(ConnectionKey k, int value) {
            if (size >= growAt) grow(size + 1);
            int h = mixed(k);
            short tag = tagOf(h);
            int i = home(h);
            for (short t; (t = tags[i]) != 0; i = (i + 1) & mask) {
                if (t == tag) {
                    ConnectionKey x = keys[i];
                    if (x == k || x.equals(k)) {
                        values[i] = value;
                        return;
                    }
                }
            }
            keys[i] = k;
            values[i] = value;
            tags[i] = tag;
            size++;
        }

        void putAll(Table from) {
            ConnectionKey[] ks = from.keys;
            for (int i = 0; i < ks.length; i++) {
                if (ks[i] != null) put(ks[i], from.values[i]);
            }
        }

        void removeAt(int at) {
            ConnectionKey[] ks = keys;
            short[] ts = tags;
            int m = mask, gap = at;
            // the keys after it up to an empty slot: each moves back into the gap unless its own place lies after
            // the gap (a key is found from its place onwards with no empty slot between)
            for (int j = (at + 1) & m; ts[j] != 0; j = (j + 1) & m) {
                int from = home(mixed(ks[j]));
                if (((j - from) & m) >= ((j - gap) & m)) {
                    ks[gap] = ks[j];
                    values[gap] = values[j];
                    ts[gap] = ts[j];
                    gap = j;
                }
            }
            ks[gap] = null;
            ts[gap] = 0;
            size--;
        }

        void ensureCapacity(int expected) {
            if (expected > growAt) grow(expected);
        }

        private void grow(int expected) {
            ConnectionKey[] ks = keys;
            int[] vs = values;
            allocate(Math.max(lengthFor(expected), keys.length * 2));
            size = 0;
            for (int i = 0; i < ks.length; i++) {
                if (ks[i] != null) put(ks[i], vs[i]);
            }
        }

        void clear() {
            Arrays.fill(keys, null);
            Arrays.fill(tags, (short) 0);
            size = 0;
        }
    }
}
