package io.tcplens.source.oshi;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.testutil.ForkedHolders;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 14 item 7 on OSHI, which cannot list several owners: its connection has one owning pid and
 * no inode (on Linux its inode → pid map keeps one holder). What it must do, on real sockets a
 * python3 parent and its two forked children hold on loopback (found by 4-tuple): name one of the
 * holders {@code ss -tanp} names, list no {@code SocketHolders}, say so in its one-line notice
 * ({@code tcplens sources}), and never name a holder that ended — not at the next poll either.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OshiSharedOwnersTest {
    @Test
    void namesOneLivingHolderAndSaysItCannotListThemAll() throws Exception {
        assumeTrue(System.getProperty("os.name").toLowerCase().startsWith("linux"), "the sockets are made with Linux tools");
        assertTrue(new OshiSourceProvider().description().contains("one owner per socket"), new OshiSourceProvider().description());
        try (ForkedHolders f = new ForkedHolders(List.of()); OshiSource src = new OshiSource()) {
            TreeSet<Integer> all = new TreeSet<>(f.pids);
            f.awaitSs(all);
            int named = check(src.poll(), f, all, "oshi");
            f.kill(named); // whichever OSHI named: a zombie child, or the parent (reaped by this JVM)
            all.remove(named);
            f.awaitSs(all);
            assertNotEquals(named, check(src.poll(), f, all, "oshi after the named holder ended"));
        }
    }

    /** Every shared socket names one of {@code holders}; returns the listener's. */
    private static int check(Snapshot s, ForkedHolders f, TreeSet<Integer> holders, String what) throws Exception {
        assertTrue(s.holders().isEmpty(), what + ": OSHI cannot tell several holders: " + s.holders());
        Map<String, TreeSet<Integer>> ss = f.ss();
        Integer listener = null;
        for (Map.Entry<String, Predicate<SocketEntry>> c : f.sockets().entrySet()) {
            SocketEntry e = s.sockets().stream().filter(c.getValue()).findFirst().orElseThrow(() -> new AssertionError(what + ": no " + c.getKey()));
            TreeSet<Integer> want = ss.get(f.ssKeys().get(c.getKey()));
            assertEquals(holders, want, what + ": ss of the " + c.getKey());
            assertNotNull(e.pid(), what + ": " + e);
            assertTrue(want.contains(e.pid()), what + ": the " + c.getKey() + " names a holder ss names " + want + ": " + e);
            assertEquals("python3", e.process());
            if (c.getKey().equals("listener")) listener = e.pid();
        }
        return listener;
    }
}
