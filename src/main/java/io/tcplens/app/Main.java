package io.tcplens.app;

import io.tcplens.cli.TcpLensCommand;

/**
 * Entry point of {@code tcplens.jar} and the installed {@code tcplens} command. With no arguments
 * (or only window options) it opens the window; otherwise it runs the command line. It does not
 * extend {@code Application}, so JavaFX can load from the class path.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        if (args.length == 0 || isWindowOnly(args)) {
            TcpLensApp.launchWindow(args);
            return;
        }
        System.exit(TcpLensCommand.run(args));
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
