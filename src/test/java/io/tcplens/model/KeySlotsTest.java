package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.testutil.RemakeTable;
import java.lang.reflect.Field;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The per-socket key map: new keys wait until the gone ones left, so the burst table's remake (100k sockets, 28k
 * gone and 28k new in one table) keeps its arrays at 2^17 slots instead of doubling them to 2^18 for good; a table
 * long shrunk gets a map of its size. Also through the tracker, which keeps its tracks' slots in one.
 */
class KeySlotsTest {
    private static ConnectionKey key(int i) {
        return RemakeTable.row(i, false).key();
    }

    @Test
    void newKeysAreFoundBeforeTheySettleAndRemovedOnlyWithTheirSlot() {
        KeySlots m = new KeySlots();
        m.add(key(1), 10);
        assertEquals(10, m.get(key(1)), "waiting, found");
        assertEquals(-1, m.get(key(2)));
        assertEquals(1, m.size());
        m.settle();
        assertEquals(10, m.get(key(1)));
        m.add(key(2), 20);
        m.remove(key(1), 11);
        assertEquals(10, m.get(key(1)), "another slot: kept");
        m.remove(key(2), 20);
        assertEquals(-1, m.get(key(2)), "waiting, removed");
        m.remove(key(1));
        m.settle();
        assertEquals(-1, m.get(key(1)));
        assertEquals(0, m.size());
    }

    /**
     * Random adds, removals (with and without a slot) and settles against a {@link HashMap}: every key's slot as the
     * reference has it after each step, through growth, removals that move the keys after them back, and shrinks.
     */
    @Test
    void randomUpdatesGiveTheSlotsAHashMapGives() {
        Random rnd = new Random(11);
        KeySlots m = new KeySlots();
        Map<Integer, Integer> ref = new HashMap<>();
        for (int update = 0; update < 120; update++) {
            int keys = update < 60 ? 3_000 : 300; // then a shrunk table (its map made again to its size)
            int changes = rnd.nextInt(update % 10 == 0 ? keys : 200);
            Map<Integer, Integer> waiting = new HashMap<>();
            for (int c = 0; c < changes; c++) {
                int k = rnd.nextInt(keys * 2);
                Integer was = ref.containsKey(k) ? ref.get(k) : waiting.get(k);
                assertEquals(was == null ? -1 : was, m.get(key(k)), "update " + update);
                if (was == null) {
                    int slot = rnd.nextInt(1 << 20);
                    m.add(key(k), slot);
                    waiting.put(k, slot);
                } else if (rnd.nextBoolean()) {
                    m.remove(key(k));
                    if (ref.remove(k) == null) waiting.remove(k);
                } else {
                    int slot = rnd.nextBoolean() ? was : was + 1;
                    m.remove(key(k), slot);
                    if (slot == was && ref.remove(k) == null) waiting.remove(k);
                }
            }
            if (update >= 60) for (int k = keys * 2; k < 6_000; k++) if (ref.remove(k) != null) m.remove(key(k));
            m.settle();
            ref.putAll(waiting);
            assertEquals(ref.size(), m.size(), "update " + update);
            for (int k = 0; k < 6_000; k++) assertEquals(ref.getOrDefault(k, -1), m.get(key(k)), "update " + update + ", key " + k);
        }
        assertTrue(m.capacity() <= 1024, "shrunk: " + m.capacity());
    }

    @Test
    void theRemakeDoesNotDoubleTheMapAndALongShrunkTableLetsGo() {
        int n = 100_000;
        KeySlots m = new KeySlots();
        for (int i = 0; i < n; i++) m.add(key(i), i);
        m.settle();
        assertEquals(1 << 17, m.capacity());
        // the remake: 28k new put while the 28k gone are still in, then the gone removed
        for (int i = 0; i < n; i++) if (RemakeTable.timeWait(i)) m.add(key(n + i), n + i);
        for (int i = 0; i < n; i++) if (RemakeTable.timeWait(i)) m.remove(key(i));
        m.settle();
        assertEquals(n, m.size());
        assertEquals(1 << 17, m.capacity(), "2^17 slots hold 111k: not doubled at the remake");
        for (int i = 0; i < n; i++) assertEquals(RemakeTable.timeWait(i) ? n + i : i, m.get(key(RemakeTable.timeWait(i) ? n + i : i)));
        // shrunk to 1,000 sockets: the map is made again to that size after a while, not at once
        for (int i = 1000; i < n; i++) m.remove(key(RemakeTable.timeWait(i) ? n + i : i));
        for (int k = 1; k < KeySlots.SHRINK_AFTER; k++) m.settle();
        assertEquals(1 << 17, m.capacity(), "not at once");
        m.settle();
        assertTrue(m.capacity() <= 2048, "a table long shrunk: " + m.capacity());
        for (int i = 0; i < 1000; i++) assertEquals(RemakeTable.timeWait(i) ? n + i : i, m.get(key(RemakeTable.timeWait(i) ? n + i : i)));
    }

    @Test
    void theTrackersMapDoesNotDoubleAtTheRemake() throws Exception {
        List<SocketEntry> before = RemakeTable.before(100_000);
        List<SocketEntry> after = RemakeTable.after(before);
        ConnectionTracker t = new ConnectionTracker(60_000);
        t.update(TrackerRepublishTest.snap(1_000, before));
        ConnectionTracker.Update u = t.update(TrackerRepublishTest.snap(2_000, after));
        assertEquals(28_000, u.diff().closed().size());
        assertEquals(28_000, u.diff().opened().size());
        assertEquals(100_000, u.connections().size());
        for (SocketEntry e : after) assertEquals(e.key(), u.connections().get(e.key()).entry().key());
        Field f = ConnectionTracker.class.getDeclaredField("live");
        f.setAccessible(true);
        assertEquals(1 << 17, ((KeySlots) f.get(t)).capacity(), "the tracker's map: not doubled at the remake");
    }
}
