package io.tcplens.cli;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import picocli.CommandLine.Option;

/** {@code --source}, shared by every command that reads the table. */
public final class SourceOption {
    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "auto",
            description = "Where to read the TCP table: auto (best for this OS), proc, oshi, or NAME:ARG (see `tcplens sources`). Default: ${DEFAULT-VALUE}.")
    public String source = "auto";

    @Option(names = "--netns", paramLabel = "NAME|pid:PID",
            description = "Read the table of another network namespace: an `ip netns` name or pid:PID (that process's namespace, e.g. a container's). Needs root (CAP_SYS_ADMIN); --source then picks netlink or proc.")
    public String netns;

    public SocketTableSource open() {
        try {
            if (netns != null) return Sources.open(io.tcplens.source.netns.NamespaceSourceProvider.spec(netns, source));
            return Sources.open(source);
        } catch (SourceException e) {
            throw new CliException(e.getMessage());
        }
    }
}
