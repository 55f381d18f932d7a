package io.tcplens.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tcplens.analysis.aggregate.ProcessDetails;
import io.tcplens.analysis.aggregate.StateAggregates;
import io.tcplens.common.Units;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.TcpState;
import io.tcplens.source.SourceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "processes", mixinStandardHelpOptions = true,
        header = "Sockets per owning process (or local port) and state, most CLOSE_WAIT first.",
        description = "Counts the TCP table per owning process x state and per local port x state (client sockets under "
                + "port 0, 'ephemeral'), most CLOSE_WAIT first, with the oldest CLOSE_WAIT seen; --details adds each "
                + "process's command line, user, start time and open descriptors. Where a leak hunt starts.")
public final class ProcessesCommand implements Callable<Integer> {
    @Mixin SourceOption source;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--ports", description = "Print the local-port table instead of the process table.")
    boolean ports;

    @Option(names = "--details", description = "Add command line, user, start time and open descriptors per process.")
    boolean details;

    @Option(names = "--top", paramLabel = "N", description = "Only the first N rows (default: all).")
    int top = Integer.MAX_VALUE;

    @Spec CommandSpec spec;

    private static final JsonFactory JSON = new JsonFactory();
    private static final List<TcpState> COLUMNS = List.of(TcpState.ESTABLISHED, TcpState.CLOSE_WAIT, TcpState.TIME_WAIT,
            TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, TcpState.SYN_SENT, TcpState.SYN_RECV, TcpState.LAST_ACK,
            TcpState.CLOSING, TcpState.LISTEN);

    @Override
    public Integer call() throws SourceException, IOException {
        if (top <= 0) throw new CliException("--top must be positive: " + top);
        PollResult r;
        try (PollingEngine engine = new PollingEngine(source.open(), Duration.ofSeconds(1))) {
            r = engine.pollOnce();
        }
        if (r.error() != null) throw new CliException(r.error(), 1);
        StateAggregates.Report rep = new StateAggregates().report(r);
        List<StateAggregates.Row> rows = ports ? rep.ports() : rep.processes();
        rows = rows.subList(0, Math.min(top, rows.size()));
        PrintWriter out = spec.commandLine().getOut();
        if (json) json(out, rows);
        else text(out, rows);
        out.flush();
        Warnings.print(spec, r.snapshot());
        return 0;
    }

    private void text(PrintWriter out, List<StateAggregates.Row> rows) {
        StringBuilder h = new StringBuilder(ports ? String.format("%-10s", "PORT") : String.format("%-8s %-20s", "PID", "PROCESS"));
        h.append(String.format(" %7s", "TOTAL"));
        for (TcpState s : COLUMNS) h.append(String.format(" %11s", s.name()));
        h.append(String.format(" %s", "OLDEST_CLOSE_WAIT"));
        out.println(h);
        for (StateAggregates.Row row : rows) {
            StringBuilder b = new StringBuilder(ports
                    ? String.format("%-10s", row.localPort() == StateAggregates.EPHEMERAL ? "ephemeral" : Integer.toString(row.localPort()))
                    : String.format("%-8s %-20s", row.pid() == null ? "-" : row.pid(), row.pid() == null ? "(no owner)" : row.process()));
            b.append(String.format(" %7d", row.total()));
            for (TcpState s : COLUMNS) b.append(String.format(" %11d", row.count(s)));
            b.append(' ').append(row.oldestCloseWaitMillis() < 0 ? "-" : row.oldestObserved() ? Units.duration(row.oldestCloseWaitMillis())
                    : row.oldestCloseWaitMillis() == 0 ? "?" : ">=" + Units.duration(row.oldestCloseWaitMillis()));
            out.println(b);
            if (details && row.pid() != null) {
                ProcessDetails d = ProcessDetails.of(row.pid());
                out.println("    command: " + d.commandLine().orElse("?") + " | user: " + d.user().orElse("?")
                        + " | started: " + d.start().map(Object::toString).orElse("?")
                        + " | open fds: " + (d.openFds().isPresent() ? Long.toString(d.openFds().getAsLong()) : "?"));
            }
        }
    }

    private void json(PrintWriter out, List<StateAggregates.Row> rows) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeArrayFieldStart(ports ? "ports" : "processes");
            for (StateAggregates.Row row : rows) {
                g.writeStartObject();
                if (ports) g.writeNumberField("localPort", row.localPort());
                else {
                    if (row.pid() == null) g.writeNullField("pid");
                    else g.writeNumberField("pid", row.pid());
                    g.writeStringField("process", row.process());
                    if (row.uid() >= 0) g.writeNumberField("uid", row.uid());
                    if (row.shared() > 0) g.writeNumberField("shared", row.shared()); // held with other processes too, counted for each
                }
                g.writeNumberField("total", row.total());
                g.writeObjectFieldStart("states");
                for (TcpState s : TcpState.values()) if (row.count(s) > 0) g.writeNumberField(s.name(), row.count(s));
                g.writeEndObject();
                if (row.oldestCloseWaitMillis() >= 0) g.writeNumberField("oldestCloseWaitMillis", row.oldestCloseWaitMillis());
                if (details && row.pid() != null) {
                    ProcessDetails d = ProcessDetails.of(row.pid());
                    g.writeObjectFieldStart("details");
                    g.writeBooleanField("alive", d.alive());
                    if (d.commandLine().isPresent()) g.writeStringField("commandLine", d.commandLine().get());
                    if (d.user().isPresent()) g.writeStringField("user", d.user().get());
                    if (d.start().isPresent()) g.writeStringField("start", d.start().get().toString());
                    if (d.openFds().isPresent()) g.writeNumberField("openFds", d.openFds().getAsLong());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.println();
    }
}
