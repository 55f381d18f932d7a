package io.tcplens.analysis.alerts;

import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.ObjectIntHashMap;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Keys counted by the rows that hold them, each with a small int id while its count is above 0: a row
 * keeps the id, not the key, and gives it back when it no longer counts; an id whose count falls to 0 is
 * freed for the next new key. {@link AlertTally}'s destinations (ports held) and processes (CLOSE_WAIT
 * sockets) are two of these. Not thread-safe.
 */
final class CountedIds<K> {
    private final ObjectIntHashMap<K> idOf = new ObjectIntHashMap<>();
    private Object[] keys = new Object[16];
    private int[] counts = new int[16];
    private int made;
    private final IntArrayList free = new IntArrayList();

    /** Counts one more row for {@code k}; returns its id. */
    int acquire(K k) {
        int at = idOf.indexOf(k);
        int id;
        if (at >= 0) {
            id = idOf.indexGet(at);
        } else {
            if (!free.isEmpty()) {
                id = free.removeLast();
            } else {
                id = made++;
                if (id == keys.length) {
                    int cap = id + (id >> 1) + 16;
                    keys = Arrays.copyOf(keys, cap);
                    counts = Arrays.copyOf(counts, cap);
                }
            }
            keys[id] = k;
            idOf.indexInsert(at, k, id);
        }
        counts[id]++;
        return id;
    }

    /** One row fewer for id {@code id} (none when -1); at 0 the key goes and the id is free. */
    void release(int id) {
        if (id >= 0 && --counts[id] == 0) {
            idOf.remove(key(id));
            keys[id] = null;
            free.add(id);
        }
    }

    /** Past the highest id; ids below with {@link #count(int)} 0 are free. */
    int ids() {
        return made;
    }

    /** Rows counted for id {@code id} (0: no key has it now). */
    int count(int id) {
        return counts[id];
    }

    @SuppressWarnings("unchecked")
    K key(int id) {
        return (K) keys[id];
    }

    /** The id of a key counted now, or -1. */
    int idOf(K k) {
        return idOf.getOrDefault(k, -1);
    }

    /** The count of every key counted now. */
    Map<K, Integer> counts() {
        Map<K, Integer> m = new HashMap<>();
        for (int id = 0; id < made; id++) if (counts[id] > 0) m.put(key(id), counts[id]);
        return m;
    }
}
