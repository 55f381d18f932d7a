package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The addresses block rules must never include unless forced: loopback, link-local, multicast,
 * broadcast and unspecified addresses (built in), this machine's own addresses and default
 * gateways, and the user's allowlist. A requested block is excluded when it overlaps any of them —
 * both when it lies inside a protected network and when it contains a protected address (blocking
 * 0.0.0.0/0 would lock out localhost too).
 */
public final class SafetyRules {
    private static final List<ProtectedNetwork> BUILT_IN = List.of(
            builtIn("0.0.0.0", ExclusionReason.UNSPECIFIED),
            builtIn("::", ExclusionReason.UNSPECIFIED),
            builtIn("127.0.0.0/8", ExclusionReason.LOOPBACK),
            builtIn("::1", ExclusionReason.LOOPBACK),
            builtIn("169.254.0.0/16", ExclusionReason.LINK_LOCAL),
            builtIn("fe80::/10", ExclusionReason.LINK_LOCAL),
            builtIn("224.0.0.0/4", ExclusionReason.MULTICAST),
            builtIn("ff00::/8", ExclusionReason.MULTICAST),
            builtIn("255.255.255.255", ExclusionReason.BROADCAST));

    private final List<ProtectedNetwork> rules;

    private static ProtectedNetwork builtIn(String cidr, ExclusionReason reason) {
        try {
            return new ProtectedNetwork(StrictAddresses.parse(cidr), reason, "");
        } catch (InvalidAddressException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Built-in rules plus {@code machine} (own addresses, gateways) and the allowlist. */
    public SafetyRules(Collection<ProtectedNetwork> machine, Collection<IPAddress> allowlist) {
        List<ProtectedNetwork> all = new ArrayList<>(BUILT_IN);
        all.addAll(machine);
        for (IPAddress a : allowlist)
            all.add(new ProtectedNetwork(a, ExclusionReason.ALLOWLIST, "allowlist entry " + StrictAddresses.canonical(a)));
        this.rules = List.copyOf(all);
    }

    /** This machine's addresses and gateways (read now) plus the allowlist. */
    public static SafetyRules forThisMachine(Collection<IPAddress> allowlist) {
        return new SafetyRules(MachineAddresses.read(), allowlist);
    }

    /** Only the built-in rules and the allowlist (for tests and for exports meant for another machine). */
    public static SafetyRules builtInOnly(Collection<IPAddress> allowlist) {
        return new SafetyRules(List.of(), allowlist);
    }

    public List<ProtectedNetwork> rules() {
        return rules;
    }

    /** The first rule {@code block} breaks, if any. */
    public Optional<Exclusion> check(IPAddress block) {
        for (ProtectedNetwork p : rules) {
            if (p.block().getIPVersion() != block.getIPVersion()) continue;
            if (p.block().contains(block))
                return Optional.of(new Exclusion(block, p.reason(), StrictAddresses.canonical(block) + " is " + p.describe()));
            if (block.contains(p.block()))
                return Optional.of(new Exclusion(block, p.reason(), StrictAddresses.canonical(block) + " contains "
                        + StrictAddresses.canonical(p.block()) + ", " + p.describe()));
        }
        return Optional.empty();
    }
}
