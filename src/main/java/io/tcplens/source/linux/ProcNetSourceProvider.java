package io.tcplens.source.linux;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SocketTableSourceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** {@code --source proc}: Linux /proc/net/tcp{,6}. */
public final class ProcNetSourceProvider implements SocketTableSourceProvider {
    @Override
    public String name() {
        return "proc";
    }

    @Override
    public String description() {
        return "Linux /proc/net/tcp and tcp6, owners from /proc/PID/fd";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Files.isReadable(Path.of("/proc/net/tcp")) ? Optional.empty()
                : Optional.of("/proc/net/tcp is not readable (not Linux?)");
    }

    @Override
    public int autoPriority() {
        return 50;
    }

    @Override
    public SocketTableSource create(String argument) {
        return argument == null || argument.isBlank() ? new ProcNetSource()
                : new ProcNetSource(Path.of(argument), true);
    }
}
