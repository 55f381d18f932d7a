package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * Windows PowerShell: inbound Block rules made with {@code New-NetFirewallRule}, each named uniquely
 * from the export time and holding up to {@value #PER_RULE} remote addresses. Undo:
 * {@code Remove-NetFirewallRule -Name} of exactly those names.
 */
public final class PowerShellRules {
    private PowerShellRules() {}

    static final int PER_RULE = 1000;

    public static String generate(BlockPlan plan) {
        RuleText t = new RuleText("#");
        t.header("Windows PowerShell (New-NetFirewallRule)", plan,
                List.of("Load: run in an elevated PowerShell:  powershell -ExecutionPolicy Bypass -File FILE"));
        t.line("$ErrorActionPreference = 'Stop'");
        List<List<IPAddress>> chunks = Chunks.of(plan.blocks().all(), PER_RULE);
        String tag = RuleText.tag(plan);
        for (int i = 0; i < chunks.size(); i++) {
            String name = name(tag, i + 1);
            t.line("New-NetFirewallRule -Name '" + name + "' -DisplayName 'TcpLens block " + tag + " (" + (i + 1) + "/"
                    + chunks.size() + ")' -Group 'TcpLens' -Direction Inbound -Action Block -Profile Any -RemoteAddress @(");
            List<IPAddress> c = chunks.get(i);
            for (int j = 0; j < c.size(); j++)
                t.line("    '" + StrictAddresses.cidr(c.get(j)) + "'" + (j < c.size() - 1 ? "," : ""));
            t.line(") | Out-Null");
        }
        t.undoHeading();
        for (int i = 0; i < chunks.size(); i++) t.commandComment("Remove-NetFirewallRule -Name '" + name(tag, i + 1) + "'");
        return t.toString();
    }

    static String name(String tag, int n) {
        return "TcpLens-Block-" + tag + "-" + n;
    }
}
