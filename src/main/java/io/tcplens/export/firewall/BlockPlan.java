package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.time.Duration;
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
 * @param timeout   how long entries last where the format can expire them (nft, ipset), or null for no expiry
 */
public record BlockPlan(CidrSet blocks, List<Exclusion> excluded, List<Exclusion> forced, int requested,
                        ExportHeader header, Duration timeout) {
    public BlockPlan {
        excluded = List.copyOf(excluded);
        forced = List.copyOf(forced);
    }

    /** Screens {@code requested} through {@code rules} (unless {@code force}) and merges what is left; no expiry. */
    public static BlockPlan build(Collection<IPAddress> requested, SafetyRules rules, boolean force, ExportHeader header) {
        return build(requested, rules, force, header, null);
    }

    /** As {@link #build(Collection, SafetyRules, boolean, ExportHeader)}, with entries expiring after {@code timeout}. */
    public static BlockPlan build(Collection<IPAddress> requested, SafetyRules rules, boolean force, ExportHeader header,
                                  Duration timeout) {
        if (timeout != null && (timeout.toSeconds() < 1 || timeout.compareTo(BlockTimeout.MAX) > 0))
            throw new IllegalArgumentException("timeout out of range: " + timeout);
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
        return new BlockPlan(CidrSet.of(keep), excluded, forced, distinct.size(), header, timeout);
    }

    public boolean isEmpty() {
        return blocks.isEmpty();
    }
}
