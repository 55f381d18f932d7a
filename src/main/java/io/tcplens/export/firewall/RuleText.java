package io.tcplens.export.firewall;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * A rule file being written: lines, comments in the format's own syntax, the shared header and the
 * undo section. Everything that goes into a comment passes {@link Comments#sanitize}.
 */
final class RuleText {
    private static final DateTimeFormatter TAG = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final StringBuilder sb = new StringBuilder();
    private final String commentPrefix;

    RuleText(String commentPrefix) {
        this.commentPrefix = commentPrefix;
    }

    RuleText line(String s) {
        sb.append(s).append('\n');
        return this;
    }

    RuleText blank() {
        sb.append('\n');
        return this;
    }

    RuleText comment(String s) {
        String c = Comments.sanitize(s);
        sb.append(commentPrefix);
        if (!c.isEmpty()) sb.append(' ').append(c);
        sb.append('\n');
        return this;
    }

    /** A comment line whose text is an exact command (not sanitized: only ever built from validated parts). */
    RuleText commandComment(String command) {
        if (command.indexOf('\n') >= 0 || command.indexOf('\r') >= 0)
            throw new IllegalArgumentException("multi-line command in a comment");
        sb.append(commentPrefix).append("   ").append(command).append('\n');
        return this;
    }

    /** The header every format starts with. */
    RuleText header(String formatName, BlockPlan plan, List<String> loadInstructions) {
        ExportHeader h = plan.header();
        CidrSet b = plan.blocks();
        comment("TcpLens block rules: " + formatName);
        comment("Generated " + h.time() + " on host " + h.host());
        comment("Source: " + h.source());
        comment("Selection: " + h.selection());
        comment("Requested " + plan.requested() + " address(es) or network(s); " + plan.excluded().size()
                + " excluded; the rest merged into " + b.size() + " entr" + (b.size() == 1 ? "y" : "ies") + " ("
                + b.ipv4().size() + " IPv4, " + b.ipv6().size() + " IPv6)");
        comment("Effect: drops all inbound traffic from these addresses"
                + (plan.timeout() == null ? "." : "; entries expire " + BlockTimeout.format(plan.timeout()) + " after loading."));
        if (!plan.excluded().isEmpty()) {
            comment("Excluded for safety (not blocked; force to override):");
            for (Exclusion e : plan.excluded()) comment("- " + e.explanation());
        }
        if (!plan.forced().isEmpty()) {
            comment("WARNING: forced in despite the safety rules:");
            for (Exclusion e : plan.forced()) comment("- " + e.explanation());
        }
        for (String l : loadInstructions) comment(l);
        comment("The undo section at the end removes exactly what this adds.");
        return blank();
    }

    RuleText undoHeading() {
        blank();
        return comment("---- Undo: run these to remove exactly what this file adds ----");
    }

    /** A name tag from the export time, e.g. 20261125T114000Z. */
    static String tag(BlockPlan plan) {
        return TAG.format(plan.header().time());
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
