package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * ipset + iptables {@code -m set --match-set}: one {@code hash:net} set per family filled through
 * {@code ipset restore -exist}, and one DROP rule per set first in INPUT (added only if missing).
 * Running it again refills the sets. Undo: remove the rules, destroy the sets.
 */
public final class IpsetRules {
    private IpsetRules() {}

    public static final String SET_V4 = "tcplens-block-v4";
    public static final String SET_V6 = "tcplens-block-v6";

    public static String generate(BlockPlan plan) {
        RuleText t = new RuleText("#");
        t.line("#!/bin/sh");
        t.header("ipset + iptables match-set", plan, List.of("Load (as root): sh FILE"));
        t.line("set -e");
        t.line("ipset restore -exist <<'" + IptablesRules.EOF_MARK + "'");
        set(t, SET_V4, "inet", plan.blocks().ipv4(), plan);
        set(t, SET_V6, "inet6", plan.blocks().ipv6(), plan);
        t.line(IptablesRules.EOF_MARK);
        rule(t, "iptables", SET_V4, plan.blocks().ipv4());
        rule(t, "ip6tables", SET_V6, plan.blocks().ipv6());
        t.undoHeading();
        if (!plan.blocks().ipv4().isEmpty()) t.commandComment("iptables " + match("-D", SET_V4));
        if (!plan.blocks().ipv6().isEmpty()) t.commandComment("ip6tables " + match("-D", SET_V6));
        if (!plan.blocks().ipv4().isEmpty()) t.commandComment("ipset destroy " + SET_V4);
        if (!plan.blocks().ipv6().isEmpty()) t.commandComment("ipset destroy " + SET_V6);
        return t.toString();
    }

    private static void set(RuleText t, String name, String family, List<IPAddress> blocks, BlockPlan plan) {
        if (blocks.isEmpty()) return;
        int max = Math.max(65536, Integer.highestOneBit(blocks.size()) * 2);
        t.line("create " + name + " hash:net family " + family + " maxelem " + max
                + (plan.timeout() == null ? "" : " timeout " + plan.timeout().toSeconds()));
        t.line("flush " + name);
        for (IPAddress a : blocks) t.line("add " + name + " " + StrictAddresses.cidr(a));
    }

    private static void rule(RuleText t, String tool, String set, List<IPAddress> blocks) {
        if (blocks.isEmpty()) return;
        t.line(tool + " " + match("-C", set) + " 2>/dev/null || " + tool + " " + match("-I", set).replace("-I INPUT", "-I INPUT 1"));
    }

    private static String match(String op, String set) {
        return op + " INPUT -m set --match-set " + set + " src -j DROP";
    }
}
