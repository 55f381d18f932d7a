package io.tcplens.source.linux;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SocketTableSourceProvider;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code --source netlink}: Linux sock_diag over netlink, preferred by {@code auto}; when the
 * socket cannot be opened or the kernel does not answer, {@code auto} falls back to "proc".
 * The optional argument is the /proc root used to find owners.
 */
public final class NetlinkSourceProvider implements SocketTableSourceProvider {
    private final String osName;
    private final Supplier<Optional<String>> probe;

    public NetlinkSourceProvider() {
        this(System.getProperty("os.name", ""), NetlinkSource::probe);
    }

    /** For tests: another OS name, or a probe that fails. */
    NetlinkSourceProvider(String osName, Supplier<Optional<String>> probe) {
        this.osName = osName;
        this.probe = probe;
    }

    @Override
    public String name() {
        return "netlink";
    }

    @Override
    public String description() {
        return "Linux netlink sock_diag (fast, as ss does), owners from /proc/PID/fd";
    }

    @Override
    public Optional<String> unavailableReason() {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) return Optional.of("netlink sock_diag exists only on Linux");
        return probe.get();
    }

    @Override
    public int autoPriority() {
        return 60;
    }

    @Override
    public SocketTableSource create(String argument) {
        return argument == null || argument.isBlank() ? new NetlinkSource() : new NetlinkSource(Path.of(argument), true);
    }
}
