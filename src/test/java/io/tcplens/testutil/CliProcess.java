package io.tcplens.testutil;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code tcplens} as its own process (the installed launcher's entry point, this test run's
 * class path), so a test can give it a real stdout: /dev/full, a closed pipe, a file.
 */
public final class CliProcess {
    private CliProcess() {}

    public record Result(int code, String out, String err) {}

    /** The command line for a child JVM running io.tcplens.app.Main with {@code jvmOptions} and {@code args}. */
    public static List<String> command(List<String> jvmOptions, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dtcplens.prefs.node=tcplens-test");
        String prefsRoot = System.getProperty("java.util.prefs.userRoot"); // the test JVM's own (one per Surefire fork)
        if (prefsRoot != null) cmd.add("-Djava.util.prefs.userRoot=" + prefsRoot);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.tcplens.app.Main");
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** Runs with stdout sent to {@code stdout} (a file or a device such as /dev/full); waits at most {@code seconds}. */
    public static Result run(File stdout, long seconds, List<String> jvmOptions, String... args)
            throws IOException, InterruptedException {
        Path err = Files.createTempFile("tcplens-err", ".txt");
        Path out = stdout == null ? Files.createTempFile("tcplens-out", ".txt") : null;
        try {
            ProcessBuilder pb = new ProcessBuilder(command(jvmOptions, args));
            pb.redirectOutput(stdout != null ? stdout : out.toFile());
            pb.redirectError(err.toFile());
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError("tcplens " + String.join(" ", args) + " still running after " + seconds + " s; stderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(p.exitValue(), out == null ? "" : Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(err);
            if (out != null) Files.deleteIfExists(out);
        }
    }

    public static Result run(long seconds, String... args) throws IOException, InterruptedException {
        return run(null, seconds, List.of(), args);
    }
}
