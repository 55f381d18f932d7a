package io.tcplens.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcplens.analysis.StateCounts;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.export.SocketJson;
import io.tcplens.io.TerminalText;
import io.tcplens.model.TcpState;
import java.io.PrintWriter;
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

@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "One line (or JSON object) per poll: counts, opened/closed/transitions since the last poll, and the poll's own cost.")
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

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Duration d = Durations.parse(interval);
        if (count != null && count < 1) throw new CliException("--count must be at least 1");
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        int failed = 0;
        try (PollingEngine engine = new PollingEngine(source.open(), d)) {
            if (events) {
                io.tcplens.source.events.BpftraceEvents feed = io.tcplens.source.events.BpftraceEvents.start(
                        eventsNetns(), io.tcplens.source.events.BpftraceEvents.DEFAULT_CAPACITY, Duration.ofSeconds(60));
                err.println("tcplens: " + feed.status());
                err.flush();
                if (feed.on()) engine.attachEvents(feed);
                else feed.close();
            }
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
                    print(out, r);
                }
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
        if (source.netns == null) return io.tcplens.source.events.EventSupport.ownNetns();
        try {
            return io.tcplens.source.events.EventSupport.netnsInode(
                    io.tcplens.source.netns.NamespaceTarget.parse(source.netns).path());
        } catch (IllegalArgumentException e) {
            return io.tcplens.source.events.EventSupport.ownNetns();
        }
    }
}
