package io.tcplens.export.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import inet.ipaddr.IPAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The nftables output passes the real {@code nft -c -f} (parse + kernel dry run, nothing applied).
 * Skips, saying why, when nft is missing or the kernel refuses even a trivial known-good ruleset
 * (no CAP_NET_ADMIN, no nf_tables); the negative test proves the check can fail.
 */
class NftCheckTest {
    static Path nft;

    @TempDir Path dir;

    @BeforeAll
    static void needNft(@TempDir Path tmp) throws Exception {
        nft = ExternalTool.find("nft");
        assumeTrue(nft != null, "nft is not installed (apt-get install -y nftables)");
        Path known = tmp.resolve("known.nft");
        Files.writeString(known, "table inet tcplens_probe {\n\tchain c {\n\t\ttype filter hook input priority 0; policy accept;\n\t}\n}\n");
        ExternalTool.Result r = ExternalTool.run(List.of(nft.toString(), "-c", "-f", known.toString()), null);
        assumeTrue(r.exit() == 0, "nft -c refuses even a trivial ruleset here (" + r.output() + ")");
    }

    private ExternalTool.Result check(String ruleset) throws Exception {
        Path f = dir.resolve("rules.nft");
        Files.writeString(f, ruleset, StandardCharsets.UTF_8);
        return ExternalTool.run(List.of(nft.toString(), "-c", "-f", f.toString()), null);
    }

    @Test
    void goldenPlanPasses() throws Exception {
        ExternalTool.Result r = check(FirewallFormat.NFT.generate(FirewallFixtures.plan()));
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    void singleFamilyPlansPass() throws Exception {
        for (BlockPlan p : List.of(FirewallFixtures.v4Only(), FirewallFixtures.v6Only())) {
            ExternalTool.Result r = check(FirewallFormat.NFT.generate(p));
            assertEquals(0, r.exit(), r.output());
        }
    }

    @Test
    void twoThousandRandomAddressesPass() throws Exception {
        Random rnd = new Random(42);
        List<IPAddress> l = new ArrayList<>();
        for (int i = 0; i < 1500; i++)
            l.add(FirewallFixtures.ip("203.0." + rnd.nextInt(256) + "." + rnd.nextInt(256)));
        for (int i = 0; i < 500; i++)
            l.add(FirewallFixtures.ip("2001:db8:" + Integer.toHexString(rnd.nextInt(65536)) + "::/64"));
        BlockPlan p = BlockPlan.build(l, SafetyRules.builtInOnly(List.of()), false, FirewallFixtures.HEADER);
        ExternalTool.Result r = check(FirewallFormat.NFT.generate(p));
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    void expiringSetsPass() throws Exception {
        BlockPlan p = FirewallFixtures.plan();
        BlockPlan timed = new BlockPlan(p.blocks(), p.excluded(), p.forced(), p.requested(), p.header(), Duration.ofMinutes(30));
        ExternalTool.Result r = check(FirewallFormat.NFT.generate(timed));
        assertEquals(0, r.exit(), r.output());
    }

    @Test
    void theCheckCanFail() throws Exception {
        // overlapping intervals in one set: what an unmerged export would produce
        String bad = FirewallFormat.NFT.generate(FirewallFixtures.v4Only()).replace("198.51.100.0/24", "198.51.100.0/24,\n\t\t\t198.51.100.0/25");
        assertNotEquals(0, check(bad).exit());
    }
}
