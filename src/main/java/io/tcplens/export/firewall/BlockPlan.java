package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * What an export will block, and what it leaves out and why: the input of every rule format.
 *
 * @param blocks    the merged CIDR set to block
 * @param excluded  requested addresses left out, each with its reason
 * @param forced    requested addresses kept although a safety rule objects (only with force)
 * @param requested how many distinct addresses/blocks were asked for
 * @param header    time, host, source and selection for the header comment
 */
public record BlockPlan(CidrSet blocks, List<Exclusion> excluded, List<Exclusion> forced, int requested,
                        ExportHeader header) {
    public BlockPlan {
        excluded = List.copyOf(excluded);
        forced = List.copyOf(forced);
    }

    /** Screens {@code requested} through {@code rules} (unless {@code force}) and merges what is left. */
    public static BlockPlan build(Collection<IPAddress> requested, SafetyRules rules, boolean force, ExportHeader header) {
        LinkedHashSet<IPAddress> distinct = new LinkedHashSet<>();
        for (IPAddress a : requested) distinct.add(StrictAddresses.normalise(a));
        List<IPAddress> keep = new ArrayList<>();
        List<Exclusion> excluded = new ArrayList<>(), forced = new ArrayList<>();
        for (IPAddress a : distinct) {
            Optional<Exclusion> why = rules.check(a);
            if (why.isEmpty()) keep.add(a);
            else if (force) {
                keep.add(a);
                forced.add(why.get());
            } else excluded.add(why.get());
        }
        return new BlockPlan(CidrSet.of(keep), excluded, forced, distinct.size(), header);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }
}
