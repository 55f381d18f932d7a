package io.tcplens.source.oshi;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SocketTableSourceProvider;
import io.tcplens.source.SourceException;
import java.util.Optional;

/** {@code --source oshi}: OSHI's connection list (the default on Windows and macOS). */
public final class OshiSourceProvider implements SocketTableSourceProvider {
    @Override
    public String name() {
        return "oshi";
    }

    @Override
    public String description() {
        return "OSHI cross-platform connection list (Windows, macOS, Linux); one owner per socket, even one several processes hold";
    }

    @Override
    public Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public int autoPriority() {
        return 10;
    }

    @Override
    public SocketTableSource create(String argument) throws SourceException {
        try {
            return new OshiSource();
        } catch (RuntimeException | LinkageError e) {
            throw new SourceException("OSHI could not start on this platform: " + e.getMessage(), e);
        }
    }
}
