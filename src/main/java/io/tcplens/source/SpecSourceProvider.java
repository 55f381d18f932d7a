package io.tcplens.source;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A source opened only when a spec names it ({@code NAME:ARGUMENT}: ssh, replay, lab, script), never
 * picked by {@code auto}, and available wherever TcpLens runs: a name, a help line, and how the
 * argument opens the source ({@link #create}).
 */
public abstract class SpecSourceProvider implements SocketTableSourceProvider {
    private final String name;
    private final Supplier<String> description;

    /** @param description computed when --help asks (it may list scenarios or scripts) */
    protected SpecSourceProvider(String name, Supplier<String> description) {
        this.name = name;
        this.description = description;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description.get();
    }

    @Override
    public final Optional<String> unavailableReason() {
        return Optional.empty();
    }

    @Override
    public final int autoPriority() {
        return -1;
    }

    /** The argument, or a one-line {@link SourceException} naming the usage when it is missing or blank. */
    protected static String required(String argument, String usage) throws SourceException {
        if (argument == null || argument.isBlank()) throw new SourceException(usage);
        return argument;
    }
}
