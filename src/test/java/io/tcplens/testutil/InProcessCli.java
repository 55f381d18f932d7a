package io.tcplens.testutil;

import io.tcplens.cli.TcpLensCommand;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code tcplens}'s command line in this JVM, as {@code io.tcplens.app.Main} does in its own
 * process: {@link TcpLensCommand#run(OutputStream, OutputStream, String...)} with standard output a
 * real file or device opened by the test (so /dev/full fails the writes as it does for the process),
 * standard error captured. For tests that are not about the launcher: a JVM start less per command.
 * {@link CliProcess} stays for what needs a process (a closed pipe, JVM options, the launcher's path).
 */
public final class InProcessCli {
    private InProcessCli() {}

    /** Runs {@code args} with stdout written to {@code stdout} (null: captured into the result). */
    public static synchronized CliProcess.Result run(File stdout, String... args) throws IOException {
        ByteArrayOutputStream captured = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        PrintStream oldOut = System.out, oldErr = System.err;
        try (OutputStream out = stdout == null ? captured : new FileOutputStream(stdout)) {
            // anything written around the command's own streams goes where the process's would
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = TcpLensCommand.run(out, err, args);
            return new CliProcess.Result(code, captured.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    /** Runs {@code args} with stdout captured. */
    public static CliProcess.Result run(String... args) throws IOException {
        return run(null, args);
    }
}
