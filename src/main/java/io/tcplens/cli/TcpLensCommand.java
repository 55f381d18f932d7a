package io.tcplens.cli;

import io.tcplens.io.TerminalText;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.logging.Level;
import java.util.logging.Logger;
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
                ServeCommand.class,
                NamespacesCommand.class,
                ExplainCommand.class,
                ProcessesCommand.class,
                CloseCommand.class,
                EventsCommand.class,
                LifetimesCommand.class,
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

    /** Runs the command line on {@link System#out} and {@link System#err}; returns the exit code. */
    public static int run(String... args) {
        return run(System.out, System.err, args);
    }

    /**
     * Runs the command line; returns the exit code. Text goes through {@link TerminalText#filter}
     * (control characters escaped). A write error on standard output (full disk, closed pipe) makes
     * the exit code non-zero with the reason on standard error.
     */
    public static int run(OutputStream stdout, OutputStream stderr, String... args) {
        quietPreferencesLog();
        StdStream out = new StdStream(stdout, "standard output");
        StdStream err = new StdStream(stderr, "standard error");
        PrintWriter o = writer(out, stdout, "stdout.encoding");
        PrintWriter e = writer(err, stderr, "stderr.encoding");
        CommandLine cl = new CommandLine(new TcpLensCommand());
        cl.setOut(o);
        cl.setErr(e);
        // no @file expansion: through sudo it would print a file's lines (e.g. /etc/shadow) in the error
        cl.setExpandAtFiles(false);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            boolean dbg = parsed.matchedOption("--debug") != null
                    || parsed.subcommands().stream().anyMatch(p -> p.matchedOption("--debug") != null);
            if (out.failure() != null) return 1; // reported below
            if (dbg) ex.printStackTrace(cmd.getErr());
            else cmd.getErr().println("tcplens: " + Messages.oneLine(ex));
            return ex instanceof CliException ce ? ce.exitCode() : 1;
        });
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("tcplens: " + TerminalText.oneLine(ex.getMessage().replace('\n', ' ').strip())
                    + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        int code = cl.execute(args);
        o.flush();
        if (out.failure() != null) {
            e.println("tcplens: " + out.describeFailure());
            code = code == 0 ? 1 : code;
        }
        e.flush();
        return code;
    }

    private static PrintWriter writer(StdStream checked, OutputStream target, String encodingProperty) {
        Charset cs = target instanceof PrintStream ps ? ps.charset() : charset(System.getProperty(encodingProperty));
        return new PrintWriter(TerminalText.filter(new BufferedWriter(new OutputStreamWriter(checked, cs))), false);
    }

    private static Charset charset(String name) {
        try {
            return name == null ? Charset.defaultCharset() : Charset.forName(name);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    // held: java.util.logging keeps loggers weakly
    private static final Logger PREFS_LOG = Logger.getLogger("java.util.prefs");

    /** A first run's "Created user preferences directory." is not the user's business. */
    private static void quietPreferencesLog() {
        PREFS_LOG.setLevel(Level.WARNING);
    }
}
