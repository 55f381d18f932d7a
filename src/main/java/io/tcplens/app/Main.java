package io.tcplens.app;

import io.tcplens.cli.TcpLensCommand;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Entry point of {@code tcplens.jar} and the installed {@code tcplens} command. With no arguments
 * (or only window options) it opens the window; otherwise it runs the command line. It does not
 * extend {@code Application}, so JavaFX can load from the class path.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        String[] recording = openedRecording(args);
        if (recording != null) {
            TcpLensApp.launchWindow(recording);
            return;
        }
        if (args.length == 0 || isWindowOnly(args)) {
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

    /** Window options: --source X, --source=X, --light, --dark. */
    static boolean isWindowOnly(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--source") && i + 1 < args.length) {
                i++;
                continue;
            }
            if (a.startsWith("--source=") || a.equals("--light") || a.equals("--dark") || a.equals("--presentation")) continue;
            return false;
        }
        return true;
    }
}
