package io.tcplens.bench;

import inet.ipaddr.IPAddress;
import io.tcplens.analysis.remote.Grouping;
import io.tcplens.analysis.remote.RemoteHostTable;
import io.tcplens.analysis.remote.RemoteQuery;
import io.tcplens.engine.PollResult;
import io.tcplens.export.firewall.BlockPlan;
import io.tcplens.export.firewall.ExportHeader;
import io.tcplens.export.firewall.FirewallFormat;
import io.tcplens.export.firewall.SafetyRules;
import io.tcplens.export.firewall.StrictAddresses;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.GeneratedTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * What the remote-IP view costs per poll off the FX thread (accept + rows for a query, including
 * the sort), and what building a block plan and rule text costs for many addresses.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.RemoteHostBenchmark</pre>
 */
public final class RemoteHostBenchmark {
    public static void main(String[] args) throws Exception {
        System.out.printf(Locale.ROOT, "%-8s %-8s %8s %14s %14s %14s%n", "sockets", "group", "rows", "accept p50 ms", "rows p50 ms", "rows p99 ms");
        for (int size : new int[] {20_000, 100_000}) {
            for (Grouping g : Grouping.values()) {
                GeneratedTable src = new GeneratedTable(size, size / 10);
                ConnectionTracker tracker = new ConnectionTracker();
                RemoteHostTable table = new RemoteHostTable();
                RemoteQuery q = new RemoteQuery(g, 443, TcpState.ESTABLISHED, 5);
                List<Long> accept = new ArrayList<>(), rows = new ArrayList<>();
                int n = 0;
                for (int i = 0; i < 30; i++) {
                    ConnectionTracker.Update u = tracker.update(src.poll());
                    PollResult r = new PollResult(i + 1, u.snapshot(), u.diff(), u.connections(), 0, null);
                    long t0 = System.nanoTime();
                    table.accept(r);
                    long t1 = System.nanoTime();
                    n = table.rows(q).size();
                    long t2 = System.nanoTime();
                    if (i >= 10) {
                        accept.add(t1 - t0);
                        rows.add(t2 - t1);
                    }
                }
                System.out.printf(Locale.ROOT, "%-8d %-8s %8d %14.2f %14.2f %14.2f%n", size, g, n, q(accept, 0.5), q(rows, 0.5), q(rows, 0.99));
            }
        }
        System.out.printf(Locale.ROOT, "%n%-10s %10s %14s %14s %12s%n", "addresses", "entries", "plan p50 ms", "nft p50 ms", "nft bytes");
        for (int count : new int[] {1_000, 10_000, 50_000}) {
            Random rnd = new Random(1);
            List<IPAddress> l = new ArrayList<>();
            for (int i = 0; i < count; i++)
                l.add(StrictAddresses.parse((rnd.nextInt(200) + 1) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256) + "." + rnd.nextInt(256)));
            List<Long> plan = new ArrayList<>(), gen = new ArrayList<>();
            int entries = 0, bytes = 0;
            SafetyRules rules = SafetyRules.forThisMachine(List.of());
            for (int i = 0; i < 7; i++) {
                long t0 = System.nanoTime();
                BlockPlan p = BlockPlan.build(l, rules, false, ExportHeader.now("benchmark", "random addresses"));
                long t1 = System.nanoTime();
                String s = FirewallFormat.NFT.generate(p);
                long t2 = System.nanoTime();
                if (i >= 2) {
                    plan.add(t1 - t0);
                    gen.add(t2 - t1);
                }
                entries = p.blocks().size();
                bytes = s.length();
            }
            System.out.printf(Locale.ROOT, "%-10d %10d %14.1f %14.1f %12d%n", count, entries, q(plan, 0.5), q(gen, 0.5), bytes);
        }
    }

    private static double q(List<Long> ns, double p) {
        long[] a = ns.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a[Math.min(a.length - 1, (int) Math.floor(p * a.length))] / 1e6;
    }
}
