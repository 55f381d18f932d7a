package io.tcplens.export.firewall;

import static io.tcplens.export.firewall.FirewallFixtures.HEADER;
import static io.tcplens.export.firewall.FirewallFixtures.ip;
import static io.tcplens.export.firewall.FirewallFixtures.ips;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafetyRulesTest {
    private final SafetyRules rules = new SafetyRules(
            List.of(new ProtectedNetwork(ip("192.0.2.1"), ExclusionReason.GATEWAY, "192.0.2.1 via eth0"),
                    new ProtectedNetwork(ip("192.0.2.10"), ExclusionReason.OWN_ADDRESS, "eth0"),
                    new ProtectedNetwork(ip("2001:db8::10"), ExclusionReason.OWN_ADDRESS, "eth0")),
            ips("198.51.100.0/24"));

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, UNSPECIFIED", "::, UNSPECIFIED",
            "127.0.0.1, LOOPBACK", "127.0.0.53, LOOPBACK", "127.0.0.0/8, LOOPBACK", "::1, LOOPBACK",
            "::ffff:127.0.0.1, LOOPBACK",
            "169.254.10.1, LINK_LOCAL", "fe80::1, LINK_LOCAL",
            "224.0.0.251, MULTICAST", "ff02::1, MULTICAST", "255.255.255.255, BROADCAST",
            "192.0.2.1, GATEWAY", "192.0.2.10, OWN_ADDRESS", "2001:db8::10, OWN_ADDRESS",
            "198.51.100.77, ALLOWLIST", "198.51.100.0/25, ALLOWLIST",
            // blocks that contain something protected are excluded too
            "192.0.2.0/24, GATEWAY", "0.0.0.0/0, UNSPECIFIED", "126.0.0.0/7, LOOPBACK", "2001:db8::/64, OWN_ADDRESS",
            "198.51.0.0/16, ALLOWLIST"})
    void excludesEachProtectedKind(String address, ExclusionReason reason) {
        Optional<Exclusion> e = rules.check(StrictAddresses.normalise(ip(address)));
        assertTrue(e.isPresent(), address);
        assertEquals(reason, e.get().reason(), e.get().explanation());
    }

    @Test
    void explanationsNameTheAddressAndTheRule() {
        assertEquals("127.0.0.1 is loopback (127.0.0.0/8)", rules.check(ip("127.0.0.1")).orElseThrow().explanation());
        assertEquals("192.0.2.0/24 contains 192.0.2.1, this machine's default gateway (192.0.2.1 via eth0)",
                rules.check(ip("192.0.2.0/24")).orElseThrow().explanation());
        assertEquals("198.51.100.77 is on the allowlist (allowlist entry 198.51.100.0/24)",
                rules.check(ip("198.51.100.77")).orElseThrow().explanation());
    }

    @Test
    void ordinaryAddressesPass() {
        for (String a : List.of("203.0.113.7", "203.0.113.0/24", "2001:db8:1::/64", "8.8.8.8", "192.0.2.2"))
            assertFalse(rules.check(ip(a)).isPresent(), a);
    }

    @Test
    void planListsExclusionsAndForceKeepsThemWithAWarning() {
        BlockPlan safe = BlockPlan.build(ips("127.0.0.1", "203.0.113.7", "192.0.2.1"), rules, false, HEADER);
        assertEquals(List.of("203.0.113.7"), safe.blocks().texts());
        assertEquals(List.of("127.0.0.1", "192.0.2.1"), safe.excluded().stream().map(Exclusion::address).toList());
        assertTrue(safe.forced().isEmpty());

        BlockPlan forced = BlockPlan.build(ips("127.0.0.1", "203.0.113.7", "192.0.2.1"), rules, true, HEADER);
        assertEquals(List.of("127.0.0.1", "192.0.2.1", "203.0.113.7"), forced.blocks().texts());
        assertTrue(forced.excluded().isEmpty());
        assertEquals(2, forced.forced().size());
        String nft = FirewallFormat.NFT.generate(forced);
        assertTrue(nft.contains("# WARNING: forced in despite the safety rules:"), nft);
        assertTrue(nft.contains("# - 127.0.0.1 is loopback (127.0.0.0/8)"), nft);
    }

    @Test
    void everyFormatListsExcludedAddressesWithReasons() {
        BlockPlan plan = FirewallFixtures.plan();
        for (FirewallFormat f : FirewallFormat.values()) {
            String out = f.generate(plan);
            for (Exclusion e : plan.excluded()) assertTrue(out.contains(e.explanation()), f + ": " + e.explanation());
            assertFalse(out.contains("127.0.0.1/32"), f.id());
        }
    }

    @Test
    void thisMachinesOwnLoopbackInterfaceIsListed() {
        List<ProtectedNetwork> own = MachineAddresses.ownAddresses();
        assertTrue(own.stream().anyMatch(p -> StrictAddresses.canonical(p.block()).equals("127.0.0.1")), own.toString());
        SafetyRules machine = SafetyRules.forThisMachine(List.of());
        for (ProtectedNetwork p : own) assertTrue(machine.check(p.block()).isPresent(), p.toString());
    }

    @Test
    void readsDefaultGatewaysFromProcRoutes(@TempDir Path proc) throws IOException {
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("net/route"), """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
                eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
                wlan0\t0000A8C0\t0100A8C0\t0003\t0\t0\t0\t0000FFFF\t0\t0\t0
                """);
        Files.writeString(proc.resolve("net/ipv6_route"), """
                fd000000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0
                00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000002 00000000 00000003     eth0
                00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo
                """);
        List<ProtectedNetwork> gws = MachineAddresses.defaultGateways(proc);
        assertEquals(List.of("192.0.2.1", "fe80::1"), gws.stream().map(p -> StrictAddresses.canonical(p.block())).toList());
        assertEquals("via eth0", gws.get(0).detail());
    }

    @Test
    void realGatewayOfThisMachineIsExcluded() throws Exception {
        List<ProtectedNetwork> gws = MachineAddresses.defaultGateways(Path.of("/proc"));
        Assumptions.assumeFalse(gws.isEmpty(), "this machine has no IPv4/IPv6 default route in /proc");
        SafetyRules machine = SafetyRules.forThisMachine(List.of());
        InetAddress gw = gws.get(0).block().getLower().toInetAddress();
        assertEquals(ExclusionReason.GATEWAY, machine.check(StrictAddresses.of(gw)).orElseThrow().reason());
    }

    @Test
    void dnsServersAndTheSshClientAreProtected(@TempDir Path etc) throws IOException {
        Path resolv = Files.writeString(etc.resolve("resolv.conf"), """
                # generated
                search example.org
                nameserver 198.51.100.53
                nameserver fe80::1%eth0
                nameserver not-an-address
                options edns0
                """);
        List<ProtectedNetwork> dns = MachineAddresses.dnsServers(resolv);
        assertEquals(List.of("198.51.100.53", "fe80::1"), dns.stream().map(p -> StrictAddresses.canonical(p.block())).toList());
        List<ProtectedNetwork> ssh = MachineAddresses.sshPeer("203.0.113.9 52144 192.0.2.10 22", null);
        assertEquals("203.0.113.9", StrictAddresses.canonical(ssh.get(0).block()));
        assertEquals("2001:db8::5", StrictAddresses.canonical(MachineAddresses.sshPeer(null, "2001:db8::5 52144 22").get(0).block()));
        assertTrue(MachineAddresses.sshPeer("", "garbage").isEmpty());

        List<ProtectedNetwork> machine = new ArrayList<>(dns);
        machine.addAll(ssh);
        SafetyRules r = new SafetyRules(machine, List.of());
        assertEquals(ExclusionReason.DNS_SERVER, r.check(ip("198.51.100.53")).orElseThrow().reason());
        assertEquals("203.0.113.0/24 contains 203.0.113.9, the SSH client of this session (SSH_CONNECTION)",
                r.check(ip("203.0.113.0/24")).orElseThrow().explanation());
    }
}
