package io.tcplens.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcplens.analysis.RemoteHostCounts;
import io.tcplens.export.SocketJson;
import io.tcplens.model.Snapshot;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.tcplens.model.SocketEntry;
import java.util.ArrayList;
import java.util.function.Predicate;

@Command(name = "remotes", mixinStandardHelpOptions = true,
        header = "Connections per remote address with a per-state breakdown, most first.",
        description = "Connections per remote address with a per-state breakdown, most first "
                + "(the `netstat -nat | grep :80 | awk '{print $5}' | … | uniq -c` of the old how-tos). LISTEN sockets are not counted.")
public final class RemotesCommand implements Callable<Integer> {
    @Mixin SourceOption source;

    @Option(names = "--port", paramLabel = "P", split = ",",
            description = "Only connections whose local or remote port is P; several as 80,443 or --port repeated.")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--top", paramLabel = "N", description = "Only the N busiest remotes.")
    Integer top;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws SourceException {
        Predicate<SocketEntry> which = FilterOptions.ports(ports);
        if (top != null && top < 1) throw new CliException("--top must be at least 1");
        Snapshot s;
        try (SocketTableSource src = source.open()) {
            s = src.poll();
        }
        List<RemoteHostCounts.Row> rows = RemoteHostCounts.aggregate(s.sockets(), which);
        if (top != null && rows.size() > top) rows = rows.subList(0, top);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ArrayNode arr = SocketJson.MAPPER.createArrayNode();
            for (RemoteHostCounts.Row r : rows) {
                ObjectNode n = arr.addObject();
                n.put("remoteAddress", r.host());
                n.put("total", r.total());
                ObjectNode st = n.putObject("states");
                r.byState().forEach((k, v) -> st.put(k.name(), v));
                ArrayNode ports = n.putArray("localPorts");
                r.localPorts().forEach(ports::add);
            }
            out.println(arr.toString());
        } else {
            out.printf("%7s  %-40s %s%n", "Total", "Remote address", "States");
            for (RemoteHostCounts.Row r : rows) out.printf("%7d  %-40s %s%n", r.total(), r.host(), states(r.byState()));
        }
        Warnings.print(spec, s);
        return 0;
    }

    private static String states(Map<TcpState, Integer> m) {
        return m.entrySet().stream().sorted(Map.Entry.<TcpState, Integer>comparingByValue().reversed())
                .map(e -> e.getKey().name() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }
}
