package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The smallest set of CIDR blocks covering exactly the given addresses and blocks, per family:
 * duplicates and blocks inside other blocks disappear, adjacent blocks merge (two /25 halves make a
 * /24). The maths is IPAddress's {@code mergeToPrefixBlocks}.
 *
 * @param ipv4 merged IPv4 blocks, ascending
 * @param ipv6 merged IPv6 blocks, ascending
 */
public record CidrSet(List<IPAddress> ipv4, List<IPAddress> ipv6) {
    public CidrSet {
        ipv4 = List.copyOf(ipv4);
        ipv6 = List.copyOf(ipv6);
    }

    public static final CidrSet EMPTY = new CidrSet(List.of(), List.of());

    public static CidrSet of(Collection<IPAddress> blocks) {
        List<IPAddress> v4 = new ArrayList<>(), v6 = new ArrayList<>();
        for (IPAddress a : blocks) (a.isIPv4() ? v4 : v6).add(a);
        return new CidrSet(merge(v4), merge(v6));
    }

    private static List<IPAddress> merge(List<IPAddress> family) {
        if (family.isEmpty()) return List.of();
        IPAddress first = family.get(0);
        IPAddress[] rest = family.subList(1, family.size()).toArray(new IPAddress[0]);
        List<IPAddress> out = new ArrayList<>(List.of(first.mergeToPrefixBlocks(rest)));
        out.sort(Comparator.comparing(a -> a.getLower().withoutPrefixLength()));
        return out;
    }

    public int size() {
        return ipv4.size() + ipv6.size();
    }

    public boolean isEmpty() {
        return ipv4.isEmpty() && ipv6.isEmpty();
    }

    /** IPv4 blocks then IPv6 blocks. */
    public List<IPAddress> all() {
        List<IPAddress> l = new ArrayList<>(ipv4);
        l.addAll(ipv6);
        return l;
    }

    /** Canonical text of each block, IPv4 first ({@code 203.0.113.7}, {@code 203.0.113.0/24}). */
    public List<String> texts() {
        return all().stream().map(StrictAddresses::canonical).toList();
    }
}
