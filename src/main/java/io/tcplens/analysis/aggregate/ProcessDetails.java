package io.tcplens.analysis.aggregate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * A process's details on demand: command line, user and start time through the JDK's
 * {@link ProcessHandle.Info} (it reads /proc on Linux), open file descriptors counted in
 * /proc/PID/fd. A field the OS does not give (another user's process) is empty, never guessed.
 *
 * @param pid         the process id
 * @param alive       whether the process still exists
 * @param commandLine the full command line, or empty
 * @param user        the user name, or empty
 * @param start       when it started, or empty
 * @param openFds     how many file descriptors it has open, or empty (not readable)
 */
public record ProcessDetails(long pid, boolean alive, Optional<String> commandLine, Optional<String> user,
                             Optional<Instant> start, OptionalLong openFds) {

    public static ProcessDetails of(long pid) {
        return of(pid, Path.of("/proc"));
    }

    static ProcessDetails of(long pid, Path proc) {
        Optional<ProcessHandle> h = ProcessHandle.of(pid);
        if (h.isEmpty()) return new ProcessDetails(pid, false, Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty());
        ProcessHandle.Info info = h.get().info();
        OptionalLong fds;
        try (Stream<Path> s = Files.list(proc.resolve(Long.toString(pid)).resolve("fd"))) {
            fds = OptionalLong.of(s.count());
        } catch (IOException | SecurityException e) {
            fds = OptionalLong.empty();
        }
        return new ProcessDetails(pid, h.get().isAlive(), info.commandLine(), info.user(), info.startInstant(), fds);
    }
}
