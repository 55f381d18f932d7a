package io.tcplens.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcplens.analysis.StateCounts;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.export.SocketJson;
import io.tcplens.io.TerminalText;
import io.tcplens.model.TcpState;
import io.tcplens.analysis.alerts.AlertEvent;
import io.tcplens.analysis.alerts.AlertMonitor;
import io.tcplens.analysis.alerts.AlertRule;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.LinuxPortRangeReader;
import io.tcplens.analysis.ports.PortRangeReaders;
import io.tcplens.source.MachineFacts;
import io.tcplens.source.SocketTableSource;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.tcplens.source.events.BpftraceEvents;
import io.tcplens.source.events.EventSupport;
import io.tcplens.source.netns.NamespaceTarget;

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "One line (or JSON object) per poll: counts, changes since the last poll and the poll's cost; with --alert, a line per threshold crossed or cleared.")
public final class WatchCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    @Mixin SourceOption source;

    @Option(names = "--interval", paramLabel = "D", defaultValue = "1s",
            description = "Time between polls, e.g. 250ms, 1s, 2.5s. Default: ${DEFAULT-VALUE}.")
    String interval;

    @Option(names = "--count", paramLabel = "N", description = "Stop after N polls (default: until interrupted).")
    Integer count;

    @Option(names = "--json", description = "One JSON object per line.")
    boolean json;

    @Option(names = "--events", description = "Also merge the kernel's state-change events (see `tcplens events`): every"
            + " transition between polls is counted; when they cannot run, one line says why and polling goes on.")
    boolean events;

    @Option(names = "--alert", paramLabel = "RULE",
            description = "Print an alert line when RULE starts to hold and a cleared line when it stops (once per crossing; "
                    + "it clears 10%% of the threshold back): STATE>N (CLOSE_WAIT>100, TIME_WAIT>=20000, total>50000), "
                    + "headroom<P%% (per destination, free ephemeral ports), closewait-growth>N/D (per process, e.g. "
                    + "closewait-growth>20/5m). Repeatable.")
    List<String> alerts = new ArrayList<>();

    @Option(names = "--alerts-only", description = "Print only alert lines, not one line per poll (needs --alert).")
    boolean alertsOnly;

    @Option(names = "--exit-on-alert", description = "Stop at the first alert that fires, with exit code 3 (needs --alert).")
    boolean exitOnAlert;

    /** Exit code of --exit-on-alert. */
    public static final int ALERT_EXIT = 3;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Duration d = Durations.parse(interval);
        if (count != null && count < 1) throw new CliException("--count must be at least 1");
        List<AlertRule> rules = new ArrayList<>();
        for (String a : alerts) {
            try {
                rules.add(AlertRule.parse(a));
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), 2);
            }
        }
        if ((alertsOnly || exitOnAlert) && rules.isEmpty())
            throw new CliException((alertsOnly ? "--alerts-only" : "--exit-on-alert") + " needs at least one --alert RULE", 2);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        try (PollingEngine engine = new PollingEngine(source.open(), d)) {
            if (events) {
                BpftraceEvents feed = BpftraceEvents.start(
                        eventsNetns(), BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(60));
                err.println("tcplens: " + feed.status());
                err.flush();
                if (feed.on()) engine.attachEvents(feed);
                else feed.close();
            }
            SocketTableSource src = engine.source();
            AlertMonitor monitor = new AlertMonitor(rules, () -> portRange(src));
            for (int i = 0; count == null || i < count; i++) {
                long start = System.nanoTime();
                PollResult r = engine.pollOnce();
                if (r.error() != null) {
                    // the engine repeats the last good table: never printed again as if it were new
                    failed++;
                    err.println("tcplens: warning: poll failed, no data for " + TIME.format(Instant.now()) + ": "
                            + TerminalText.oneLine(r.error()));
                    err.flush();
                } else {
                    if (!alertsOnly) print(out, r);
                    boolean fired = false;
                    for (AlertEvent a : monitor.observe(r)) {
                        printAlert(out, a);
                        fired |= a.fired();
                    }
                    if (fired && exitOnAlert) {
                        out.flush();
                        return out.checkError() ? 1 : ALERT_EXIT;
                    }
                }
                out.flush();
                // a closed or full standard output ends the command (the caller says why)
                if (out.checkError()) return 1;
                if (count != null && i == count - 1) break;
                long sleep = d.toMillis() - (System.nanoTime() - start) / 1_000_000;
                if (sleep > 0) Thread.sleep(sleep);
            }
        }
        if (failed > 0) throw new CliException(failed + " poll(s) failed (see the warnings above)", 1);
        return 0;
    }

    /** The ephemeral port range of the machine the source shows (a namespace's, a server's), else this one's. */
    private static EphemeralPortRange portRange(SocketTableSource src) {
        if (src instanceof MachineFacts f) return new LinuxPortRangeReader(f.sysctlRoot()).read();
        return PortRangeReaders.forThisPlatform().read();
    }

    private void printAlert(PrintWriter out, AlertEvent a) {
        if (json) {
            ObjectNode n = SocketJson.MAPPER.createObjectNode();
            n.put("time", Instant.ofEpochMilli(a.atMillis()).toString());
            n.put("alert", a.fired() ? "fired" : "cleared");
            n.put("rule", a.rule().toString());
            if (a.subject() == null) n.putNull("subject"); else n.put("subject", a.subject());
            if (a.pid() != null) n.put("pid", a.pid());
            if (a.rule().kind() == AlertRule.Kind.HEADROOM) {
                n.put("value", Math.round(a.value() * 10) / 10.0);
                n.put("threshold", a.rule().threshold());
            } else {
                n.put("value", Math.round(a.value()));
                n.put("threshold", Math.round(a.rule().threshold()));
            }
            n.put("source", a.source().label());
            out.println(n.toString());
        } else {
            out.println(TIME.format(Instant.ofEpochMilli(a.atMillis())) + " " + TerminalText.oneLine(a.describe()));
        }
    }

    private void print(PrintWriter out, PollResult r) {
        Map<TcpState, Integer> counts = StateCounts.count(r.snapshot().sockets(), e -> true);
        if (json) {
            ObjectNode n = SocketJson.MAPPER.createObjectNode();
            n.put("time", Instant.ofEpochMilli(r.snapshot().timestampMillis()).toString());
            n.put("source", r.snapshot().source().label());
            n.put("sockets", r.snapshot().sockets().size());
            ObjectNode c = n.putObject("counts");
            counts.forEach((k, v) -> c.put(k.name(), v));
            n.put("opened", r.diff().opened().size());
            n.put("closed", r.diff().closed().size());
            n.put("transitions", r.diff().transitions().size());
            n.put("pollMs", Math.round(r.pollMillis() * 100) / 100.0);
            if (r.diff().events() != null) {
                ObjectNode ev = n.putObject("events");
                ev.put("observed", r.diff().events().transitions().size());
                ev.put("lost", r.diff().events().lost());
                ev.put("complete", r.diff().events().complete());
            }
            n.put("error", r.error());
            out.println(n.toString());
        } else {
            String cs = counts.entrySet().stream().sorted(Map.Entry.<TcpState, Integer>comparingByValue().reversed())
                    .map(e -> e.getKey().name() + "=" + e.getValue()).collect(Collectors.joining(" "));
            out.printf(Locale.ROOT, "%s total=%d %s | +%d opened -%d closed ~%d transitions | poll %.2f ms%s%n",
                    TIME.format(Instant.ofEpochMilli(r.snapshot().timestampMillis())), r.snapshot().sockets().size(), cs,
                    r.diff().opened().size(), r.diff().closed().size(), r.diff().transitions().size(), r.pollMillis(),
                    eventsText(r));
        }
    }

    /** " | events: N observed" (or how many were lost: the interval is inferred), empty without events. */
    private static String eventsText(PollResult r) {
        var ev = r.diff().events();
        if (ev == null) return "";
        return ev.complete() ? " | events: " + ev.transitions().size() + " observed"
                : " | events: " + (ev.lost() > 0 ? ev.lost() + " lost, " : "") + "interval inferred";
    }

    /** The namespace the events follow: the one --netns names, else this process's. */
    private long eventsNetns() {
        if (source.netns == null) return EventSupport.ownNetns();
        try {
            return EventSupport.netnsInode(
                    NamespaceTarget.parse(source.netns).path());
        } catch (IllegalArgumentException e) {
            return EventSupport.ownNetns();
        }
    }
}
