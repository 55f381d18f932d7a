package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * firewalld: one permanent rich rule {@code rule family=... source address=... drop} per block in the
 * default zone, then a reload. Undo: remove the same rich rules, reload.
 */
public final class FirewalldRules {
    private FirewalldRules() {}

    public static String generate(BlockPlan plan) {
        RuleText t = new RuleText("#");
        t.line("#!/bin/sh");
        t.header("firewalld rich rules", plan, List.of("Load (as root): sh FILE   (rules go into the default zone)"));
        t.line("set -e");
        for (IPAddress a : plan.blocks().all()) t.line("firewall-cmd --permanent --add-rich-rule='" + rich(a) + "'");
        t.line("firewall-cmd --reload");
        t.undoHeading();
        for (IPAddress a : plan.blocks().all()) t.commandComment("firewall-cmd --permanent --remove-rich-rule='" + rich(a) + "'");
        t.commandComment("firewall-cmd --reload");
        return t.toString();
    }

    private static String rich(IPAddress a) {
        return "rule family=\"" + (a.isIPv4() ? "ipv4" : "ipv6") + "\" source address=\"" + StrictAddresses.cidr(a) + "\" drop";
    }
}
