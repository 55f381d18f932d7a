package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.util.List;

/**
 * macOS pf: a persistent table {@code <tcplens_block>} and one {@code block drop in quick} rule, loaded
 * into the anchor {@code com.apple/tcplens} (which the stock pf.conf already evaluates). Undo: flush
 * that anchor's rules and kill its table.
 */
public final class PfRules {
    private PfRules() {}

    public static final String ANCHOR = "com.apple/tcplens";
    public static final String TABLE = "tcplens_block";

    public static String generate(BlockPlan plan) {
        RuleText t = new RuleText("#");
        t.header("macOS pf (table + rule)", plan, List.of(
                "Load: sudo pfctl -a " + ANCHOR + " -f FILE   (and sudo pfctl -E if pf is not enabled)"));
        List<IPAddress> all = plan.blocks().all();
        t.line("table <" + TABLE + "> persist { \\");
        for (int i = 0; i < all.size(); i++)
            t.line("    " + StrictAddresses.cidr(all.get(i)) + (i < all.size() - 1 ? ", \\" : " }"));
        t.line("block drop in quick from <" + TABLE + "> to any");
        t.undoHeading();
        t.commandComment("sudo pfctl -a " + ANCHOR + " -F rules");
        t.commandComment("sudo pfctl -a " + ANCHOR + " -t " + TABLE + " -T kill");
        return t.toString();
    }
}
