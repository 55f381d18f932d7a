package io.tcplens.cli;

import io.tcplens.io.TerminalText;
import io.tcplens.model.Snapshot;
import picocli.CommandLine.Model.CommandSpec;

/** Source warnings go to stderr so stdout stays machine-readable. */
final class Warnings {
    private Warnings() {}

    static void print(CommandSpec spec, Snapshot s) {
        for (String w : s.warnings()) spec.commandLine().getErr().println("tcplens: warning: " + TerminalText.oneLine(w));
    }
}
