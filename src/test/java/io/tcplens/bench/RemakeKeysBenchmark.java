package io.tcplens.bench;

import com.sun.management.ThreadMXBean;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.KeySlots;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.testutil.RemakeTable;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The burst table's remake in the per-socket key maps ({@link KeySlots}: the tracker's, the incident recorder's and
 * the alert tally's): {@code n} sockets (100k) of which 28 % are TIME_WAIT, gone and remade under new 4-tuples in one
 * table, back and forth. Per remake it times, on this thread's CPU, what each of those maps does: look up every new
 * key (a miss in a map as full as the last table left it), add it, remove the gone ones, settle; and the tracker's
 * whole update at the remake and at a quiet poll. Run it under the launchers' JIT ({@code -XX:TieredStopAtLevel=1})
 * and heap ({@code -Xmx768m}); compiled against another build's classes (its jar first on the class path) it measures
 * that build the same way.
 *
 * <pre>java -XX:TieredStopAtLevel=1 -Xmx768m -cp target/test-classes:target/classes:target/lib/* io.tcplens.bench.RemakeKeysBenchmark 100000</pre>
 */
public final class RemakeKeysBenchmark {
    private static final SourceInfo SIM = new SourceInfo(SourceInfo.Kind.SIMULATED, "sim", "simulated");

    public static void main(String[] args) {
        int n = args.length == 0 ? 100_000 : Integer.parseInt(args[0]);
        int rounds = Integer.getInteger("rounds", 12);
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        List<SocketEntry> before = RemakeTable.before(n);
        List<SocketEntry> after = RemakeTable.after(before);
        List<ConnectionKey> tw = new ArrayList<>(), remade = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (RemakeTable.timeWait(i)) {
                tw.add(before.get(i).key());
                remade.add(after.get(i).key());
            }
        }
        KeySlots slots = new KeySlots();
        for (int i = 0; i < n; i++) slots.add(before.get(i).key(), i);
        slots.settle();
        ConnectionTracker tracker = new ConnectionTracker();
        long t = 1_000;
        tracker.update(new Snapshot(t += 1000, before, SIM, List.of()));
        double[] miss = new double[rounds], settle = new double[rounds], hit = new double[rounds], remake = new double[rounds],
                quiet = new double[rounds], remakeKb = new double[rounds];
        double firstRemakeKb = 0;
        for (int r = -4; r < rounds; r++) {
            boolean there = Math.floorMod(r, 2) == 0;
            List<ConnectionKey> gone = there ? tw : remade, come = there ? remade : tw;
            // a map as one stage uses it at the remake: each new key looked up (a miss), added; the gone ones removed
            long c0 = mx.getCurrentThreadCpuTime();
            int found = 0;
            for (int i = 0; i < come.size(); i++) {
                if (slots.get(come.get(i)) >= 0) found++;
                slots.add(come.get(i), n + i);
            }
            long c1 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < gone.size(); i++) slots.remove(gone.get(i));
            slots.settle();
            long c2 = mx.getCurrentThreadCpuTime();
            // and a quiet poll's lookups of the same many keys (each found)
            for (int i = 0; i < come.size(); i++) if (slots.get(come.get(i)) < 0) found++;
            long c3 = mx.getCurrentThreadCpuTime();
            if (found != 0) throw new AssertionError("keys misplaced: " + found);
            // the tracker's whole update at the remake, then at a quiet poll
            List<SocketEntry> table = there ? after : before;
            long a0 = mx.getCurrentThreadAllocatedBytes();
            tracker.update(new Snapshot(t += 1000, table, SIM, List.of()));
            long c4 = mx.getCurrentThreadCpuTime(), a1 = mx.getCurrentThreadAllocatedBytes();
            tracker.update(new Snapshot(t += 1000, table, SIM, List.of()));
            long c5 = mx.getCurrentThreadCpuTime();
            if (r == -4) firstRemakeKb = (a1 - a0) / 1024.0; // the first remake: where columns sized to the first table alone were regrown
            if (r >= 0) {
                miss[r] = (c1 - c0) / 1e6;
                settle[r] = (c2 - c1) / 1e6;
                hit[r] = (c3 - c2) / 1e6;
                remake[r] = (c4 - c3) / 1e6;
                quiet[r] = (c5 - c4) / 1e6;
                remakeKb[r] = (a1 - a0) / 1024.0;
            }
        }
        System.out.printf(Locale.ROOT, "%,d sockets, %,d remade, map capacity %,d; CPU ms p50 (min..max) of %d remakes:%n", n, tw.size(),
                slots.capacity(), rounds);
        print("keys: look up + add the new (misses)", miss);
        print("keys: remove the gone + settle", settle);
        print("keys: look up the same keys, found", hit);
        print("tracker update at the remake", remake);
        print("tracker update, quiet poll", quiet);
        print("tracker at the remake, KB allocated", remakeKb);
        System.out.printf(Locale.ROOT, "  %-40s %8.1f%n", "tracker at the first remake, KB allocated", firstRemakeKb);
    }

    private static void print(String what, double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "  %-40s %8.1f  (%.1f..%.1f)%n", what, s[s.length / 2], s[0], s[s.length - 1]);
    }
}
