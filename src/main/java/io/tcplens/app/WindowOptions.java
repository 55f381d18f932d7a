package io.tcplens.app;

import io.tcplens.ui.theme.Theme;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The window's options, parsed by picocli in this one place (the launcher to choose the window, the
 * application to apply them): {@code --source SPEC}, {@code --light} or {@code --dark},
 * {@code --presentation}. Anything else is refused with one line.
 */
@Command(name = "tcplens", description = "Opens the window.")
public final class WindowOptions {
    /** The names that make a command line the window's rather than a command's. */
    static final Set<String> NAMES = Set.of("--source", "--light", "--dark", "--presentation");

    @Option(names = "--source", paramLabel = "SPEC", description = "Where the socket table comes from (see `tcplens sources`).")
    String source;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    ThemeChoice theme;

    @Option(names = "--presentation", description = "Start in presentation mode (full screen, large type; F11 leaves).")
    boolean presentation;

    static final class ThemeChoice {
        @Option(names = "--light", description = "Light theme.")
        boolean light;

        @Option(names = "--dark", description = "Dark theme.")
        boolean dark;
    }

    /** Parses window options; throws with a one-line message for anything else. */
    public static WindowOptions parse(String... args) throws ParameterException {
        WindowOptions o = new WindowOptions();
        if (args.length == 0) return o; // the usual start: picocli's 170 classes stay unloaded (issue 13)
        new CommandLine(o).parseArgs(args);
        return o;
    }

    /** Whether these arguments are meant for the window (they start with a window option). */
    static boolean forTheWindow(String... args) {
        if (args.length == 0) return true;
        String first = args[0];
        int eq = first.indexOf('=');
        return NAMES.contains(eq < 0 ? first : first.substring(0, eq));
    }

    /** The one line to print when {@link #parse} refused the arguments. */
    static String problem(ParameterException e) {
        return "tcplens: " + e.getMessage().replace('\n', ' ').strip()
                + " (window options: --source SPEC, --light, --dark, --presentation; commands: tcplens --help)";
    }

    /** The source to open, or null for the one remembered from last time. */
    public String source() {
        return source;
    }

    /** The theme asked for, or null for the remembered one. */
    public Theme theme() {
        if (theme == null) return null;
        return theme.dark ? Theme.DARK : theme.light ? Theme.LIGHT : null;
    }

    public boolean presentation() {
        return presentation;
    }
}
