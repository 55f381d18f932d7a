package io.tcplens.cli;

import io.tcplens.io.TerminalText;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SocketTableSourceProvider;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import io.tcplens.source.netns.NamespaceSourceProvider;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --source}, shared by every command that reads the table. */
public final class SourceOption {
    @Option(names = "--source", paramLabel = "SOURCE", defaultValue = "auto",
            description = "Where to read the TCP table: auto (best for this OS), proc, oshi, or NAME:ARG (see `tcplens sources`). Default: ${DEFAULT-VALUE}.")
    public String source = "auto";

    @Option(names = "--netns", paramLabel = "NAME|pid:PID",
            description = "Read the table of another network namespace: an `ip netns` name or pid:PID (that process's namespace, e.g. a container's). Needs root (CAP_SYS_ADMIN); --source then picks netlink or proc.")
    public String netns;

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    /**
     * Opens the source. When "auto" had to pass over a better source that does not work here (e.g.
     * netlink refused), says so on stderr and names the source that answers instead.
     */
    public SocketTableSource open() {
        SocketTableSource src;
        try {
            src = netns != null ? Sources.open(NamespaceSourceProvider.spec(netns, source)) : Sources.open(source);
        } catch (SourceException e) {
            // a misspelt source is a usage error (2); a source that fails (a damaged recording) is not
            String spec = source == null ? "auto" : source;
            String name = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
            boolean usage = netns != null || (name.equals("auto") ? spec.contains(":") : Sources.provider(name).isEmpty());
            throw new CliException(e.getMessage(), usage ? 2 : 1);
        }
        // on Linux every live source should work; elsewhere the Linux ones are expected to be missing
        boolean linux = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux");
        if (mixee != null && linux && (source == null || source.isBlank() || source.equals("auto"))) {
            int chosen = Sources.provider(src.info().name()).map(SocketTableSourceProvider::autoPriority).orElse(Integer.MAX_VALUE);
            for (SocketTableSourceProvider p : Sources.providers()) {
                Optional<String> why = p.autoPriority() > chosen ? p.unavailableReason() : Optional.empty();
                if (why.isPresent())
                    mixee.commandLine().getErr().println("tcplens: note: source '" + p.name() + "' is not available ("
                            + TerminalText.oneLine(why.get()) + "); reading from " + TerminalText.oneLine(src.info().label()));
            }
        }
        return src;
    }
}
