package io.tcplens.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code tcplens} command line. Without a command the launcher opens the window instead. */
@Command(name = "tcplens", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Shows what every TCP connection on this machine is doing.%n"
                + "Run without a command to open the window.",
        subcommands = {
                CountsCommand.class,
                SnapshotCommand.class,
                RemotesCommand.class,
                WatchCommand.class,
                SourcesCommand.class,
                PortsCommand.class,
                AdviseCommand.class,
                RecordCommand.class,
                LabCommand.class,
                ExportRulesCommand.class,
                ExplainCommand.class,
                ProcessesCommand.class,
                CommandLine.HelpCommand.class,
        })
public final class TcpLensCommand implements Runnable {
    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces on errors.")
    boolean debug;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line; returns the exit code. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new TcpLensCommand());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean dbg = parsed.matchedOption("--debug") != null
                    || parsed.subcommands().stream().anyMatch(p -> p.matchedOption("--debug") != null);
            if (dbg) ex.printStackTrace(cmd.getErr());
            else cmd.getErr().println("tcplens: " + Messages.oneLine(ex));
            return ex instanceof CliException ce ? ce.exitCode() : 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("tcplens: " + ex.getMessage().replace('\n', ' ').strip()
                    + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return cl.execute(args);
    }
}
