package io.tcplens.source;

import java.util.Optional;

/**
 * A kind of source, found through {@link java.util.ServiceLoader} (META-INF/services): new
 * sources (netlink, replay, lab) plug in by adding a provider, not by editing a factory.
 */
public interface SocketTableSourceProvider {
    /** The name used in {@code --source NAME[:ARGUMENT]}, e.g. "proc", "oshi", "replay". */
    String name();

    /** One line for --help. */
    String description();

    /** Whether this source can run on this machine now; empty if yes, otherwise the reason. */
    Optional<String> unavailableReason();

    /** Preference for {@code --source auto}: higher wins among available providers; negative = never auto. */
    int autoPriority();

    /** Creates the source; {@code argument} is what followed "name:" (null when absent). */
    SocketTableSource create(String argument) throws SourceException;
}
