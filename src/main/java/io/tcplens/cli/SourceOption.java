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

    public SocketTableSource open() {
        try {
            return Sources.open(source);
        } catch (SourceException e) {
            throw new CliException(e.getMessage());
        }
    }
}
