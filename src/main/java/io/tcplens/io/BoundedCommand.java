package io.tcplens.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a short OS command by its absolute path, with a hard time limit that nothing the command does
 * can escape: its output goes to a private temporary file (not a pipe a child could hold open
 * without writing), and when the limit passes the command and every process it started are killed.
 * Output is capped at 64 KB. Issue 15 #19.
 */
public final class BoundedCommand {
    /** The limit every caller uses unless it says otherwise. */
    public static final Duration DEFAULT_LIMIT = Duration.ofSeconds(5);
    private static final int MAX_OUTPUT = 64 * 1024;

    private BoundedCommand() {}

    /** The outcome: exit code (-1 when killed or not started) and stdout+stderr lines. */
    public record Result(int exitCode, List<String> lines, boolean timedOut) {
        public boolean ok() {
            return exitCode == 0 && !timedOut;
        }
    }

    /**
     * Runs {@code command}, whose first element must be an absolute path (no PATH lookup: a program
     * of the same name in a directory on the PATH is never run instead). Never throws; a command that
     * cannot start gives exit code -1 and no lines.
     */
    public static Result run(Duration limit, String... command) {
        if (command.length == 0 || !Path.of(command[0]).isAbsolute())
            throw new IllegalArgumentException("not an absolute path: " + (command.length == 0 ? "" : command[0]));
        if (!Files.isExecutable(Path.of(command[0]))) return new Result(-1, List.of(), false);
        Path out = null;
        Process p;
        try {
            // output to a private temp file, not a pipe: a child (or a grandchild it leaves behind)
            // that keeps the pipe open without writing would block a reader; a file blocks no one
            out = Files.createTempFile("tcplens-cmd", ".out");
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
            p.getOutputStream().close(); // no input
        } catch (IOException | UnsupportedOperationException e) {
            deleteQuietly(out);
            return new Result(-1, List.of(), false);
        }
        boolean timedOut;
        try {
            timedOut = !p.waitFor(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            timedOut = true;
        }
        if (timedOut) kill(p);
        String text = "";
        try (InputStream in = Files.newInputStream(out)) {
            text = new String(in.readNBytes(MAX_OUTPUT), Charset.defaultCharset());
        } catch (IOException e) {
            // unreadable: no lines
        } finally {
            deleteQuietly(out);
        }
        return new Result(timedOut ? -1 : p.exitValue(), text.lines().toList(), timedOut);
    }

    private static void deleteQuietly(Path f) {
        if (f == null) return;
        try {
            Files.deleteIfExists(f);
        } catch (IOException e) {
            // a temp file left behind is harmless
        }
    }

    /** Kills the command and every process it started (found before the command dies, while they are still its descendants). */
    private static void kill(Process p) {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        p.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
    }

    /** The first of {@code candidates} that is an executable file, e.g. /usr/sbin/sysctl then /sbin/sysctl. */
    public static Optional<String> firstExecutable(String... candidates) {
        for (String c : candidates) if (c != null && Files.isExecutable(Path.of(c))) return Optional.of(c);
        return Optional.empty();
    }

    /**
     * Where the OS keeps {@code name}, never found through PATH: an absolute path as given;
     * netsh and reg in %SystemRoot%\System32; sysctl in /usr/sbin or /sbin. Empty when not there.
     */
    public static Optional<String> systemProgram(String name) {
        if (Path.of(name).isAbsolute()) return firstExecutable(name);
        String root = System.getenv("SystemRoot");
        return switch (name) {
            case "netsh", "reg" -> root == null ? Optional.empty() : firstExecutable(Path.of(root, "System32", name + ".exe").toString());
            case "sysctl" -> firstExecutable("/usr/sbin/sysctl", "/sbin/sysctl");
            default -> Optional.empty();
        };
    }
}
