package io.tcplens.export.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The iptables output's restore inputs pass the real {@code iptables-restore --test --noflush} and
 * {@code ip6tables-restore --test --noflush}; the script as a whole passes {@code sh -n}. Skips with
 * the reason when the tools are missing or refuse a trivial known-good input.
 */
class IptablesRestoreCheckTest {

    private static String tool(String name) throws Exception {
        var p = ExternalTool.find(name);
        assumeTrue(p != null, name + " is not installed (apt-get install -y iptables)");
        ExternalTool.Result r = ExternalTool.run(List.of(p.toString(), "--test", "--noflush"), "*filter\n-A INPUT -s 192.0.2.1 -j DROP\nCOMMIT\n".replace("192.0.2.1", name.startsWith("ip6") ? "2001:db8::1" : "192.0.2.1"));
        assumeTrue(r.exit() == 0, name + " --test refuses even a trivial input here (" + r.output() + ")");
        return p.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"iptables-restore", "ip6tables-restore"})
    void restoreInputsPass(String name) throws Exception {
        String exe = tool(name);
        for (BlockPlan plan : List.of(FirewallFixtures.plan(), FirewallFixtures.v4Only(), FirewallFixtures.v6Only())) {
            String script = FirewallFormat.IPTABLES.generate(plan);
            List<String> bodies = ExternalTool.heredocs(script, name);
            boolean hasFamily = name.startsWith("ip6") ? !plan.blocks().ipv6().isEmpty() : !plan.blocks().ipv4().isEmpty();
            assertEquals(hasFamily ? 1 : 0, bodies.size(), script);
            for (String body : bodies) {
                ExternalTool.Result r = ExternalTool.run(List.of(exe, "--test", "--noflush"), body);
                assertEquals(0, r.exit(), r.output() + "\n" + body);
            }
        }
    }

    @Test
    void theCheckCanFail() throws Exception {
        String exe = tool("iptables-restore");
        String body = ExternalTool.heredocs(FirewallFormat.IPTABLES.generate(FirewallFixtures.v4Only()), "iptables-restore").get(0);
        ExternalTool.Result r = ExternalTool.run(List.of(exe, "--test", "--noflush"),
                body.replace("198.51.100.0/24", "2001:db8::/64")); // an IPv6 block given to iptables
        assertNotEquals(0, r.exit());
    }

    @Test
    void scriptsAreValidShell() throws Exception {
        var sh = ExternalTool.find("sh");
        assumeTrue(sh != null, "no sh");
        for (FirewallFormat f : List.of(FirewallFormat.IPTABLES, FirewallFormat.IPSET, FirewallFormat.UFW, FirewallFormat.FIREWALLD)) {
            ExternalTool.Result r = ExternalTool.run(List.of(sh.toString(), "-n"), f.generate(FirewallFixtures.plan()));
            assertEquals(0, r.exit(), f + ": " + r.output());
        }
    }
}
