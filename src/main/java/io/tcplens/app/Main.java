package io.tcplens.app;

import io.tcplens.cli.TcpLensCommand;
import io.tcplens.ui.shell.UiPreferences;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ParameterException;

/**
 * Entry point of {@code tcplens.jar} and the installed {@code tcplens} command. With no arguments
 * (or only window options, {@link WindowOptions}) it opens the window; otherwise it runs the command line. It does not
 * extend {@code Application}, so JavaFX can load from the class path.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        String[] recording = openedRecording(args);
        if (recording != null) {
            CompilerPriority.lowerInBackground();
            StartupHeap.relax();
            TcpLensApp.launchWindow(recording);
            return;
        }
        if (WindowOptions.forTheWindow(args)) {
            WindowOptions o = null;
            try {
                o = WindowOptions.parse(args);
            } catch (ParameterException e) {
                System.err.println(WindowOptions.problem(e));
                System.exit(2);
            }
            CompilerPriority.lowerInBackground(); // the JIT's C2 yields to the first frame (issue 13)
            StartupHeap.relax(); // the heap does not shrink while the window starts (issue 13)
            // the first source opens and reads while JavaFX starts (issue 13)
            UiPreferences prefs = new UiPreferences();
            EarlySource.begin(o.source() != null ? o.source() : prefs.source(), prefs.intervalMillis());
            TcpLensApp.launchWindow(args);
            return;
        }
        // the process's own descriptors: a write error (full disk, closed pipe) comes back with its reason
        System.exit(TcpLensCommand.run(new FileOutputStream(FileDescriptor.out), new FileOutputStream(FileDescriptor.err), args));
    }

    /**
     * A desktop opens a {@code .tcplens} recording (file association of the installers) by starting
     * the launcher with the file as the only argument: that means the window replaying it.
     * Returns the window arguments for it, or null when the arguments are something else.
     */
    static String[] openedRecording(String[] args) {
        if (args.length != 1 || !args[0].endsWith(".tcplens")) return null;
        Path file = Path.of(args[0]);
        if (!Files.isRegularFile(file)) return null;
        return new String[] {"--source", "replay:" + file.toAbsolutePath()};
    }
}
