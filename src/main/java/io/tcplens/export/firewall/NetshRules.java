package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Windows netsh advfirewall as a batch file: inbound block rules named from the export time, each
 * with up to {@value #PER_RULE} remote addresses (cmd.exe limits a line to 8191 characters). Undo:
 * {@code delete rule name=} of exactly those names.
 */
public final class NetshRules {
    private NetshRules() {}

    static final int PER_RULE = 100;

    public static String generate(BlockPlan plan) {
        RuleText t = new RuleText("REM");
        t.line("@echo off");
        t.header("Windows netsh advfirewall", plan, List.of("Load: run from an elevated command prompt: FILE.cmd"));
        List<List<IPAddress>> chunks = Chunks.of(plan.blocks().all(), PER_RULE);
        String tag = RuleText.tag(plan);
        for (int i = 0; i < chunks.size(); i++) {
            String ips = chunks.get(i).stream().map(StrictAddresses::cidr).collect(Collectors.joining(","));
            t.line("netsh advfirewall firewall add rule name=\"" + PowerShellRules.name(tag, i + 1)
                    + "\" dir=in action=block profile=any remoteip=" + ips);
        }
        t.undoHeading();
        for (int i = 0; i < chunks.size(); i++)
            t.commandComment("netsh advfirewall firewall delete rule name=\"" + PowerShellRules.name(tag, i + 1) + "\"");
        return t.toString().replace("\n", "\r\n");
    }
}
