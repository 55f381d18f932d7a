package io.tcplens.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcplens.analysis.ports.CloseRateMeter;
import io.tcplens.analysis.ports.DestinationUsage;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.analysis.ports.PortSpan;
import io.tcplens.analysis.ports.PortUsageAnalyzer;
import io.tcplens.common.Units;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.export.SocketJson;
import io.tcplens.io.TerminalText;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "ports", mixinStandardHelpOptions = true,
        header = "Ephemeral ports per destination, and the time until connect() fails with EADDRNOTAVAIL.",
        description = "Ephemeral-port use per destination (local address -> remote address:port): ports held and by which states, "
                + "the close rate measured while watching, steady-state TIME_WAIT (rate x duration), the highest sustainable rate "
                + "(usable ports / duration) and the time until connect() fails with errno 99 (EADDRNOTAVAIL).")
public final class PortsCommand implements Callable<Integer> {
    @Mixin SourceOption source;
    @Mixin SamplingOptions sampling;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20", description = "Show the N most pressed destinations. Default: ${DEFAULT-VALUE}.")
    int top;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        if (top < 1) throw new CliException("--top must be at least 1");
        Duration step = Durations.parse(sampling.interval);
        PortReport report;
        CloseRateMeter.SlowPolls slow;
        SocketTableSource src = source.open();
        // ports needs neither owners nor traffic counters: without them a poll is the kernel's read alone,
        // and the close rate dates each TIME_WAIT entry from its timer to within one poll's duration
        // (an owner scan of every process made those polls take seconds on a busy machine)
        src.setOwnersWanted(false);
        src.setTcpInfoWanted(false);
        try (PollingEngine engine = new PollingEngine(src, step)) {
            EphemeralPortRange range = sampling.portRange(engine.source());
            PortUsageAnalyzer analyzer = new PortUsageAnalyzer(Math.max(PortUsageAnalyzer.DEFAULT_WINDOW_MILLIS,
                    sampling.sampleDuration().toMillis() + 1000), engine.source().timeWaitDuration().millis());
            PollResult last = sampling.watch(engine, analyzer::observe);
            report = analyzer.report(last, range, engine.source().timeWaitDuration());
            slow = analyzer.meter().slowPolls();
            Warnings.print(spec, last.snapshot());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) out.println(toJson(report, top, slow).toString());
        else print(out, report, top, slow);
        out.flush();
        return 0;
    }

    static ObjectNode toJson(PortReport r, int top, CloseRateMeter.SlowPolls slow) {
        ObjectNode n = SocketJson.MAPPER.createObjectNode();
        n.put("source", r.source().label());
        n.put("time", Instant.ofEpochMilli(r.atMillis()).toString());
        ObjectNode range = n.putObject("ephemeralRange");
        range.put("known", r.range().known());
        if (r.range().known()) {
            range.put("first", r.range().first());
            range.put("last", r.range().last());
            range.put("usable", r.range().usable());
            range.put("reserved", PortSpan.format(r.range().reserved()));
        }
        range.put("origin", r.range().origin());
        range.put("timeWaitReuse", r.range().reuse().describe());
        ObjectNode tw = n.putObject("timeWait");
        tw.put("seconds", r.timeWait().millis() / 1000.0);
        tw.put("origin", r.timeWait().origin());
        n.put("windowSeconds", r.windowSeconds());
        if (r.range().known()) n.put("maxSustainableRate", round(r.maxSustainableRate()));
        else n.putNull("maxSustainableRate");
        n.put("timeWaitEntryRate", round(r.timeWaitEntryRate()));
        n.put("outboundSockets", r.outboundSockets());
        n.put("inboundTimeWait", r.inboundTimeWait());
        ArrayNode arr = n.putArray("destinations");
        for (DestinationUsage u : r.destinations().subList(0, Math.min(top, r.destinations().size()))) {
            ObjectNode d = arr.addObject();
            d.put("local", u.destination().localHost());
            d.put("remote", u.destination().remote().toString());
            d.put("level", u.level().name());
            d.put("inUse", u.inUse());
            d.put("outsideRange", u.outsideRange());
            if (u.usable() > 0) {
                d.put("usable", u.usable());
                d.put("fraction", round(u.fraction()));
            } else {
                d.putNull("usable");
                d.putNull("fraction");
            }
            // what connect() can still get towards it: usable minus the ports held (TIME_WAIT slots the
            // kernel would take over are not held)
            if (u.forecast() != null) {
                d.put("held", u.forecast().inUseNow());
                d.put("free", Math.max(0, u.forecast().usable() - u.forecast().inUseNow()));
            } else {
                d.putNull("held");
                d.putNull("free");
            }
            ObjectNode st = d.putObject("byState");
            u.byState().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> st.put(e.getKey().name(), e.getValue()));
            d.put("closesPerSecond", round(u.closesPerSecond()));
            d.put("steadyStateTimeWait", round(u.steadyStateTimeWait()));
            if (u.forecast() != null && u.forecast().willExhaust()) d.put("secondsToExhaustion", round(u.forecast().secondsToExhaustion()));
            else d.putNull("secondsToExhaustion");
            coarse(d, u.coarse());
        }
        n.put("destinationsTotal", r.destinations().size());
        coarse(n, r.coarse());
        if (slow == null) n.putNull("pollsTooSlow");
        else {
            ObjectNode o = n.putObject("pollsTooSlow");
            o.put("marginMs", slow.marginMillis());
            o.put("uncertainTakeovers", slow.uncertain());
            o.put("uncertainPerSecond", round(slow.uncertainPerSecond()));
            o.put("message", slow.text());
        }
        return n;
    }

    /** {@code intervalTooCoarse}: null, or what the interval misses (issue 14: say when it is too coarse for the rate). */
    private static void coarse(ObjectNode n, CloseRateMeter.Coarse c) {
        if (c == null) {
            n.putNull("intervalTooCoarse");
            return;
        }
        ObjectNode o = n.putObject("intervalTooCoarse");
        o.put("intervalMs", c.intervalMillis());
        o.put("timeWaitTuples", c.tuples());
        o.put("takeoversPerSecond", round(c.takeoversPerSecond()));
        o.put("tupleTakenOverEveryMs", c.tupleEveryMillis());
        o.put("suggestedIntervalMs", c.suggestedMillis());
        o.put("message", PortReport.coarseText(c));
    }

    static void print(PrintWriter out, PortReport r, int top, CloseRateMeter.SlowPolls slow) {
        out.println("source: " + TerminalText.oneLine(r.source().label()));
        out.println("ephemeral ports: " + r.range().describe() + " — " + r.range().origin());
        out.println("TIME_WAIT takeover by connect(): " + r.range().reuse().describe());
        out.printf(Locale.ROOT, "TIME_WAIT lasts %.0f s — %s%n", r.timeWait().millis() / 1000.0, r.timeWait().origin());
        if (r.range().known())
            out.printf(Locale.ROOT, "highest sustainable rate per destination: %s ÷ %.0f s = %.1f new connections/s closed first%n",
                    Units.count(r.range().usable()), r.timeWait().millis() / 1000.0, r.maxSustainableRate());
        if (r.rateMeasured())
            out.printf(Locale.ROOT, "watched %.1f s: %.1f sockets/s entered TIME_WAIT; %s TIME_WAIT on listening ports (server closed first, no ephemeral port used)%n",
                    r.windowSeconds(), r.timeWaitEntryRate(), Units.count(r.inboundTimeWait()));
        else out.println("close rates not measured (use --sample 3s or longer)");
        if (r.coarse() != null) out.println("warning: all sockets: " + PortReport.coarseText(r.coarse()));
        if (slow != null) out.println("warning: " + slow.text());
        if (r.destinations().isEmpty()) {
            out.println("no outgoing connections");
            return;
        }
        out.println();
        out.printf(Locale.ROOT, "%-8s %8s %8s %6s %9s %8s %11s  %s%n", "LEVEL", "IN USE", "USABLE", "USE%", "CLOSES/s",
                "STEADY", "EXHAUSTION", "DESTINATION  (states)");
        for (DestinationUsage u : r.destinations().subList(0, Math.min(top, r.destinations().size()))) {
            String exh = u.forecast() == null ? "unknown" : u.forecast().exhaustedNow() ? "NOW"
                    : u.forecast().willExhaust() ? Units.duration(Math.round(u.forecast().secondsToExhaustion() * 1000)) : "never";
            String states = u.byState().entrySet().stream().sorted(Map.Entry.<TcpState, Integer>comparingByValue().reversed())
                    .map(e -> e.getKey().name() + " " + e.getValue()).collect(Collectors.joining(", "));
            out.printf(Locale.ROOT, "%-8s %8d %8s %6s %9.1f %8.0f %11s  %s  (%s%s)%n", u.level(), u.inUse(),
                    u.usable() > 0 ? Integer.toString(u.usable()) : "?",
                    u.usable() > 0 ? String.format(Locale.ROOT, "%.1f", 100 * u.fraction()) : "?",
                    u.closesPerSecond(), u.steadyStateTimeWait(), exh, u.destination(), states,
                    u.outsideRange() > 0 ? "; " + u.outsideRange() + " bound outside the range" : "");
        }
        if (r.destinations().size() > top) out.println("… " + (r.destinations().size() - top) + " more (use --top)");
        for (DestinationUsage u : r.destinations().subList(0, Math.min(top, r.destinations().size())))
            if (u.coarse() != null) out.println("warning: " + u.destination() + ": " + PortReport.coarseText(u.coarse()));
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
