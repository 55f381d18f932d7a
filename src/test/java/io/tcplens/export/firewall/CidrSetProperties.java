package io.tcplens.export.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import inet.ipaddr.IPAddress;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * CIDR merging checked against brute force: random small sets of blocks inside one /24 (IPv4) or
 * one /120 (IPv6) are expanded address by address; the merged set must cover exactly the same
 * addresses, with disjoint blocks, and be minimal (no two blocks are the halves of one larger block).
 */
class CidrSetProperties {

    record Block(int offset, int prefix) {}

    @Provide
    Arbitrary<List<Block>> blocks() {
        Arbitrary<Block> one = Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(24, 32))
                .as((off, p) -> new Block(off & ~((1 << (32 - p)) - 1) & 0xff, p));
        return one.list().ofMinSize(0).ofMaxSize(12);
    }

    @Property(tries = 400)
    void ipv4MergeCoversExactlyTheSameAddresses(@ForAll("blocks") List<Block> input) {
        check(input, "198.51.100.", 32);
    }

    @Property(tries = 200)
    void ipv6MergeCoversExactlyTheSameAddresses(@ForAll("blocks") List<Block> input) {
        check(input, "2001:db8::", 128);
    }

    private static void check(List<Block> input, String base, int bits) {
        List<IPAddress> blocks = new ArrayList<>();
        TreeSet<BigInteger> expected = new TreeSet<>();
        for (Block b : input) {
            int prefix = b.prefix() + (bits - 32);
            String text = bits == 32 ? base + b.offset() + "/" + prefix : base + Integer.toHexString(b.offset()) + "/" + prefix;
            IPAddress a = FirewallFixtures.ip(text);
            blocks.add(a);
            expected.addAll(expand(a));
        }
        CidrSet merged = CidrSet.of(blocks);
        List<IPAddress> out = bits == 32 ? merged.ipv4() : merged.ipv6();
        assertTrue((bits == 32 ? merged.ipv6() : merged.ipv4()).isEmpty());
        TreeSet<BigInteger> actual = new TreeSet<>();
        long total = 0;
        for (IPAddress a : out) {
            assertTrue(a.isSinglePrefixBlock(), a + " is a CIDR block");
            List<BigInteger> e = expand(a);
            total += e.size();
            actual.addAll(e);
        }
        assertEquals(expected, actual, "same addresses");
        assertEquals(actual.size(), total, "blocks are disjoint");
        for (int i = 0; i < out.size(); i++)
            for (int j = i + 1; j < out.size(); j++) {
                IPAddress x = out.get(i), y = out.get(j);
                boolean buddies = x.getNetworkPrefixLength().equals(y.getNetworkPrefixLength())
                        && x.getNetworkPrefixLength() > 0
                        && x.toPrefixBlock(x.getNetworkPrefixLength() - 1).equals(y.toPrefixBlock(y.getNetworkPrefixLength() - 1));
                assertFalse(buddies, x + " and " + y + " should have merged");
            }
        for (int i = 1; i < out.size(); i++)
            assertTrue(out.get(i - 1).getLower().getValue().compareTo(out.get(i).getLower().getValue()) < 0, "ascending");
    }

    private static List<BigInteger> expand(IPAddress block) {
        List<BigInteger> l = new ArrayList<>();
        for (BigInteger v = block.getLower().getValue(); v.compareTo(block.getUpper().getValue()) <= 0; v = v.add(BigInteger.ONE))
            l.add(v);
        return l;
    }

    @Test
    void examples() {
        assertEquals(List.of("198.51.100.0/24"), CidrSet.of(FirewallFixtures.ips("198.51.100.0/25", "198.51.100.128/25")).texts());
        assertEquals(List.of("198.51.100.0/31"), CidrSet.of(FirewallFixtures.ips("198.51.100.1", "198.51.100.0", "198.51.100.1")).texts());
        assertEquals(List.of("198.51.100.1", "198.51.100.2"), CidrSet.of(FirewallFixtures.ips("198.51.100.2", "198.51.100.1")).texts());
        assertEquals(List.of("10.0.0.0/8", "2001:db8::/32"),
                CidrSet.of(FirewallFixtures.ips("2001:db8:5::1", "10.2.3.4", "10.0.0.0/8", "2001:db8::/32")).texts());
        assertTrue(CidrSet.of(List.of()).isEmpty());
    }
}
