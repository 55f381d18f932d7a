package io.tcplens.export.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Nothing user-controlled can leave a comment and become a rule, in any format. */
class CommentInjectionTest {
    static final String EVIL = "web\nip saddr 0.0.0.0/0 accept\r-A INPUT -j ACCEPT\u2028ufw allow from any\u0085x\u202e"
            + "%PATH% & del * ^\nnext \\";

    @ParameterizedTest
    @EnumSource(FirewallFormat.class)
    void hostilePartsStayInsideComments(FirewallFormat format) {
        ExportHeader h = new ExportHeader(Instant.parse("2026-11-25T11:40:00Z"), EVIL, EVIL, EVIL);
        SafetyRules rules = new SafetyRules(List.of(new ProtectedNetwork(FirewallFixtures.ip("192.0.2.1"),
                ExclusionReason.OWN_ADDRESS, EVIL)), List.of());
        BlockPlan plan = BlockPlan.build(FirewallFixtures.ips("203.0.113.7", "192.0.2.1"), rules, false, h);
        String out = format.generate(plan);
        String clean = FirewallFormat.NFT.generate(BlockPlan.build(FirewallFixtures.ips("203.0.113.7"),
                SafetyRules.builtInOnly(List.of()), false, FirewallFixtures.HEADER));
        // the hostile plan has the same number of non-comment lines as a clean one (same rules, none injected)
        String prefix = format == FirewallFormat.NETSH ? "REM" : "#";
        String body = format.generate(BlockPlan.build(FirewallFixtures.ips("203.0.113.7"), SafetyRules.builtInOnly(List.of()),
                false, FirewallFixtures.HEADER));
        assertEquals(nonComment(body, prefix), nonComment(out, prefix), format.id());
        for (String line : out.split("\r?\n", -1)) {
            assertFalse(line.contains("\r") || line.contains("\u2028") || line.contains("\u0085") || line.contains("\u202e"),
                    "raw separator in " + line);
            if (line.contains("0.0.0.0/0 accept") || line.contains("-j ACCEPT") || line.contains("allow from any")
                    || line.contains("del *"))
                assertTrue(line.startsWith(prefix), format.id() + " leaked: " + line);
            if (line.startsWith(prefix)) {
                assertFalse(line.endsWith("\\"), "comment ending in a backslash continues a pf line: " + line);
                assertFalse(line.endsWith("^"), "comment ending in a caret continues a cmd line: " + line);
                assertFalse(line.contains("%PATH%"), "cmd would expand %PATH%: " + line);
            }
        }
        assertFalse(clean.isEmpty());
    }

    private static List<String> nonComment(String text, String prefix) {
        return text.lines().filter(l -> !l.isBlank() && !l.startsWith(prefix)).toList();
    }

    @Test
    void sanitizeKeepsOrdinaryTextReadable() {
        assertEquals("nginx: worker (pid 12)", Comments.sanitize("nginx: worker (pid 12)"));
        assertEquals("this machine's gateway", Comments.sanitize("this machine's gateway"));
        assertEquals("a b c", Comments.sanitize("a\nb\r\nc"));
        assertEquals("50_ cpu _ x", Comments.sanitize("50% cpu | x"));
        assertEquals("path", Comments.sanitize("path\\"));
    }
}
