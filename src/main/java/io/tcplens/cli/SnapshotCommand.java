package io.tcplens.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.tcplens.export.SocketCsv;
import io.tcplens.export.SocketJson;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.tcplens.io.TerminalText;
import io.tcplens.model.SocketHolders;
import java.util.Locale;

@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "One entry per socket, now.")
public final class SnapshotCommand implements Callable<Integer> {
    enum Format { table, json, csv }

    @Mixin SourceOption source;
    @Mixin FilterOptions filter;

    @Option(names = "--format", defaultValue = "table", description = "table, json or csv. Default: ${DEFAULT-VALUE}.")
    Format format;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws SourceException, IOException {
        var predicate = filter.predicate();
        Snapshot s;
        try (SocketTableSource src = source.open()) {
            s = src.poll();
        }
        List<SocketEntry> rows = s.sockets().stream().filter(predicate)
                .sorted(Comparator.comparing(SocketEntry::key)).toList();
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case json -> {
                ArrayNode arr = SocketJson.MAPPER.createArrayNode();
                rows.forEach(e -> arr.add(SocketJson.toJson(e, s.holders())));
                out.println(arr.toString());
            }
            case csv -> SocketCsv.write(out, rows, s.holders());
            case table -> table(out, rows, s.holders());
        }
        out.flush();
        Warnings.print(spec, s);
        return 0;
    }

    static void table(PrintWriter out, List<SocketEntry> rows) {
        table(out, rows, SocketHolders.NONE);
    }

    /** A socket several processes hold lists each, {@code name/pid,name/pid}, as ss -p does. */
    static void table(PrintWriter out, List<SocketEntry> rows, SocketHolders holders) {
        out.printf("%-12s %-46s %-46s %8s %8s %-24s %s%n", "State", "Local", "Remote", "Send-Q", "Recv-Q", "Process", "Timer");
        for (SocketEntry e : rows) {
            String proc = e.pid() == null ? "-" : (e.process() == null ? "?" : TerminalText.oneLine(e.process())) + "/" + e.pid()
                    + (e.ownerLastKnown() ? " (last known)" : "");
            List<SocketHolders.Holder> all = holders.of(e.inode());
            if (!all.isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (var h : all) sb.append(sb.isEmpty() ? "" : ",").append(h.name() == null ? "?" : TerminalText.oneLine(h.name())).append('/').append(h.pid());
                proc = sb.toString();
            }
            String timer = e.timer() == null ? "" : e.timer().ssName() + " " + fmtMs(e.timerRemainingMs());
            out.printf("%-12s %-46s %-46s %8s %8s %-24s %s%n", e.state().name(), e.local(), e.remote(),
                    e.hasSendQueue() ? Long.toString(e.sendQueue()) : "-",
                    e.hasReceiveQueue() ? Long.toString(e.receiveQueue()) : "-", proc, timer);
        }
    }

    static String fmtMs(Long ms) {
        if (ms == null) return "";
        return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
