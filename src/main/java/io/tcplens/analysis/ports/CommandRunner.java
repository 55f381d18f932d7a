package io.tcplens.analysis.ports;

import io.tcplens.io.BoundedCommand;
import java.util.List;
import java.util.Optional;

/** Runs a short OS command and returns its output lines (empty when it fails). Tests substitute captured text. */
@FunctionalInterface
public interface CommandRunner {
    List<String> run(String... command);

    /**
     * Runs the command from the system's own folder (never through PATH: a program of the same name
     * earlier on the PATH is not run instead), with a 5 s limit that a child holding its output open
     * cannot escape ({@link BoundedCommand}); any failure gives an empty list.
     */
    static CommandRunner system() {
        return command -> {
            Optional<String> exe = BoundedCommand.systemProgram(command[0]);
            if (exe.isEmpty()) return List.of();
            String[] cmd = command.clone();
            cmd[0] = exe.get();
            BoundedCommand.Result r = BoundedCommand.run(BoundedCommand.DEFAULT_LIMIT, cmd);
            return r.ok() ? r.lines() : List.of();
        };
    }
}
