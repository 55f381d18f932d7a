package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * ufw: one {@code deny from ADDRESS to any} rule per block, put first. It uses {@code ufw prepend},
 * which inserts at position 1 of the rule's own family list: {@code ufw insert 1} fails for an IPv6
 * rule when rule 1 is IPv4 ("Invalid position '1'"). Undo: {@code ufw delete} of each rule.
 */
public final class UfwRules {
    private UfwRules() {}

    public static String generate(BlockPlan plan) {
        RuleText t = new RuleText("#");
        t.line("#!/bin/sh");
        t.header("ufw", plan, List.of("Load (as root): sh FILE   (needs ufw 0.36 or later for prepend)",
                "Each rule goes first in its family's list, like ufw insert 1, but also works for IPv6."));
        t.line("set -e");
        for (IPAddress a : plan.blocks().all())
            t.line("ufw prepend deny from " + StrictAddresses.cidr(a) + " to any comment 'tcplens block'");
        t.undoHeading();
        for (IPAddress a : plan.blocks().all())
            t.commandComment("ufw delete deny from " + StrictAddresses.cidr(a) + " to any");
        return t.toString();
    }
}
