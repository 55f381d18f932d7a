package io.tcplens.cli;

import io.tcplens.source.SocketTableSourceProvider;
import io.tcplens.source.Sources;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "sources", mixinStandardHelpOptions = true, description = "Lists the sources this build knows and whether each works here.")
public final class SourcesCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        for (SocketTableSourceProvider p : Sources.providers()) {
            String status = p.unavailableReason().map(r -> "unavailable: " + r).orElse("available");
            out.printf("%-8s %s (%s)%n", p.name(), p.description(), status);
        }
        return 0;
    }
}
