package io.tcplens.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tcplens.analysis.StateCounts;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.tcplens.model.SocketEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

@Command(name = "counts", mixinStandardHelpOptions = true,
        description = "Sockets per state, ascending, like `netstat -nat | awk '{print $NF}' | sort | uniq -c | sort -n`.")
public final class CountsCommand implements Callable<Integer> {
    @Mixin SourceOption source;

    @Option(names = "--port", paramLabel = "P", split = ",",
            description = "Only sockets whose local or remote port is P; several as 80,443 or --port repeated.")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--json", description = "Print a JSON object from state to count.")
    boolean json;

    private static final JsonFactory JSON = new JsonFactory();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws SourceException {
        Predicate<SocketEntry> which = FilterOptions.ports(ports);
        Snapshot s;
        try (SocketTableSource src = source.open()) {
            src.setOwnersWanted(false); // counting needs no owners, no tracking and no diff
            src.setTcpInfoWanted(false); // nor traffic counters
            s = src.poll();
        }
        Map<TcpState, Integer> counts = StateCounts.count(s.distinctSockets(), which);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            // jackson-core's streaming writer: databind's ObjectMapper would load ~430 classes to
            // print eleven numbers, a third of this command's start-up
            try (JsonGenerator g = JSON.createGenerator(out)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                for (Map.Entry<TcpState, Integer> c : counts.entrySet()) g.writeNumberField(c.getKey().name(), c.getValue());
                g.writeEndObject();
            } catch (IOException e) {
                throw new CliException("cannot write the counts: " + e.getMessage());
            }
            out.println();
        } else {
            counts.forEach((k, v) -> out.printf("%7d %s%n", v, k.name()));
            // one line per state with sockets, as uniq -c prints: nothing at all would leave a person guessing
            if (counts.values().stream().allMatch(v -> v == 0))
                spec.commandLine().getErr().println("tcplens: no TCP sockets" + (ports.isEmpty() ? "" : " on those ports")
                        + " (" + s.source().label() + ")");
        }
        Warnings.print(spec, s);
        return 0;
    }
}
