package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * iptables + ip6tables as a POSIX shell script: one {@code iptables-restore --noflush} input per family
 * (so the rest of the ruleset is kept) filling a chain {@code TCPLENS-BLOCK}, and one jump to it
 * first in INPUT, added only if missing. Running it again refills the chain. Undo: remove the jump,
 * flush and delete the chain.
 */
public final class IptablesRules {
    private IptablesRules() {}

    public static final String CHAIN = "TCPLENS-BLOCK";
    /** The heredoc delimiter around each restore input (tests extract the restore input by it). */
    public static final String EOF_MARK = "TCPLENS_EOF";

    public static String generate(BlockPlan plan) {
        RuleText t = new RuleText("#");
        t.line("#!/bin/sh");
        t.header("iptables + ip6tables (iptables-restore format)", plan, List.of(
                "Load (as root): sh FILE",
                "Uses iptables-restore --noflush, which keeps every other rule; never feed it to a plain iptables-restore."));
        t.line("set -e");
        family(t, "iptables", plan.blocks().ipv4());
        family(t, "ip6tables", plan.blocks().ipv6());
        t.undoHeading();
        for (String tool : new String[] {"iptables", "ip6tables"}) {
            List<IPAddress> l = tool.equals("iptables") ? plan.blocks().ipv4() : plan.blocks().ipv6();
            if (l.isEmpty()) continue;
            t.commandComment(tool + " -D INPUT -j " + CHAIN);
            t.commandComment(tool + " -F " + CHAIN);
            t.commandComment(tool + " -X " + CHAIN);
        }
        return t.toString();
    }

    private static void family(RuleText t, String tool, List<IPAddress> blocks) {
        if (blocks.isEmpty()) return;
        t.blank();
        t.line(tool + "-restore --noflush <<'" + EOF_MARK + "'");
        t.line("*filter");
        t.line(":" + CHAIN + " - [0:0]");
        t.line("-F " + CHAIN);
        for (IPAddress a : blocks) t.line("-A " + CHAIN + " -s " + StrictAddresses.cidr(a) + " -j DROP");
        t.line("COMMIT");
        t.line(EOF_MARK);
        t.line(tool + " -C INPUT -j " + CHAIN + " 2>/dev/null || " + tool + " -I INPUT 1 -j " + CHAIN);
    }
}
