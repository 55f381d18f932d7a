package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A fixed plan used by the golden tests: known time and host, a mix of families, merges and exclusions. */
final class FirewallFixtures {
    private FirewallFixtures() {}

    static final ExportHeader HEADER = new ExportHeader(Instant.parse("2026-11-25T11:40:00Z"), "build-host",
            "live · Linux /proc/net/tcp{,6}", "remotes with at least 10 SYN_RECV on local port 80");

    static IPAddress ip(String s) {
        try {
            return StrictAddresses.parse(s);
        } catch (InvalidAddressException e) {
            throw new AssertionError(e);
        }
    }

    static List<IPAddress> ips(String... s) {
        List<IPAddress> l = new ArrayList<>();
        for (String x : s) l.add(ip(x));
        return l;
    }

    /** 198.51.100.0/25 + .128/25 merge to a /24; a duplicate; a gateway, loopback and an allowlisted address excluded. */
    static BlockPlan plan() {
        SafetyRules rules = new SafetyRules(
                List.of(new ProtectedNetwork(ip("192.0.2.1"), ExclusionReason.GATEWAY, "192.0.2.1 via eth0"),
                        new ProtectedNetwork(ip("192.0.2.10"), ExclusionReason.OWN_ADDRESS, "eth0")),
                ips("203.0.113.128/25"));
        return BlockPlan.build(ips("198.51.100.0/25", "198.51.100.128/25", "203.0.113.7", "203.0.113.7",
                "203.0.113.200", "192.0.2.1", "127.0.0.1", "2001:db8:1::/64", "2001:db8:2::5"), rules, false, HEADER);
    }

    static BlockPlan v4Only() {
        return BlockPlan.build(ips("203.0.113.7", "198.51.100.0/24"), SafetyRules.builtInOnly(List.of()), false, HEADER);
    }

    static BlockPlan v6Only() {
        return BlockPlan.build(ips("2001:db8::1", "2001:db8:1::/48"), SafetyRules.builtInOnly(List.of()), false, HEADER);
    }
}
