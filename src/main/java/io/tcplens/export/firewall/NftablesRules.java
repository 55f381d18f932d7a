package io.tcplens.export.firewall;

import inet.ipaddr.IPAddress;
import java.time.Duration;
import java.util.List;

/**
 * nftables: one table {@code inet tcplens_block} holding a named interval set per family and one
 * drop rule per set in an input-hook chain. Ready for {@code nft -f}; loading it again replaces the
 * earlier TcpLens table (and nothing else). Undo: delete that table.
 */
public final class NftablesRules {
    private NftablesRules() {}

    public static final String TABLE = "tcplens_block";

    public static String generate(BlockPlan plan) {
        RuleText t = new RuleText("#");
        t.header("nftables", plan, List.of(
                "Load (as root): nft -f FILE ; check first with: nft -c -f FILE",
                "Loading replaces any earlier TcpLens table inet " + TABLE + "; other tables are untouched."));
        // declare-then-delete makes the file replace an earlier copy of this table without failing when none exists
        t.line("table inet " + TABLE);
        t.line("delete table inet " + TABLE);
        t.blank();
        t.line("table inet " + TABLE + " {");
        set(t, "blocked_v4", "ipv4_addr", plan.blocks().ipv4(), plan.timeout());
        set(t, "blocked_v6", "ipv6_addr", plan.blocks().ipv6(), plan.timeout());
        t.line("\tchain input {");
        t.line("\t\ttype filter hook input priority -10; policy accept;");
        if (!plan.blocks().ipv4().isEmpty()) t.line("\t\tip saddr @blocked_v4 counter drop");
        if (!plan.blocks().ipv6().isEmpty()) t.line("\t\tip6 saddr @blocked_v6 counter drop");
        t.line("\t}");
        t.line("}");
        t.undoHeading();
        t.commandComment("nft delete table inet " + TABLE);
        return t.toString();
    }

    private static void set(RuleText t, String name, String type, List<IPAddress> blocks, Duration timeout) {
        if (blocks.isEmpty()) return;
        t.line("\tset " + name + " {");
        t.line("\t\ttype " + type);
        if (timeout == null) t.line("\t\tflags interval");
        else {
            t.line("\t\tflags interval, timeout");
            t.line("\t\ttimeout " + timeout.toSeconds() + "s");
        }
        t.line("\t\telements = {");
        for (int i = 0; i < blocks.size(); i++)
            t.line("\t\t\t" + StrictAddresses.canonical(blocks.get(i)) + (i < blocks.size() - 1 ? "," : ""));
        t.line("\t\t}");
        t.line("\t}");
    }
}
