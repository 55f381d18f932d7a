package io.tcplens.source.netns;

import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SocketTableSourceProvider;
import io.tcplens.source.SourceException;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code --source netns:TARGET[/READER]}: the table of another network namespace. TARGET is an
 * {@code ip netns} name or {@code pid:PID}; READER is netlink (default, /proc when sock_diag does
 * not answer) or proc. The CLI's {@code --netns TARGET} builds this spec.
 */
public final class NamespaceSourceProvider implements SocketTableSourceProvider {
    public static final String NAME = "netns";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "another network namespace (netns:NAME or netns:pid:PID, optionally /proc or /netlink); needs root";
    }

    @Override
    public Optional<String> unavailableReason() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux") ? Optional.empty()
                : Optional.of("network namespaces exist only on Linux");
    }

    @Override
    public int autoPriority() {
        return -1;
    }

    @Override
    public SocketTableSource create(String argument) throws SourceException {
        if (argument == null || argument.isBlank())
            throw new SourceException("netns needs a namespace: netns:NAME or netns:pid:PID");
        String target = argument;
        NamespaceSource.Reader reader = null;
        int slash = argument.lastIndexOf('/');
        if (slash >= 0) {
            target = argument.substring(0, slash);
            String r = argument.substring(slash + 1).toLowerCase(Locale.ROOT);
            reader = switch (r) {
                case "netlink" -> NamespaceSource.Reader.NETLINK;
                case "proc" -> NamespaceSource.Reader.PROC;
                case "auto", "" -> null;
                default -> throw new SourceException("'" + r + "' is not a way to read a namespace's table (netlink, proc)");
            };
        }
        NamespaceTarget t;
        try {
            t = NamespaceTarget.parse(target);
        } catch (IllegalArgumentException e) {
            throw new SourceException(e.getMessage());
        }
        return new NamespaceSource(t, reader, true);
    }

    /** The spec for {@code --netns TARGET} with {@code --source BASE} (auto, netlink or proc). */
    public static String spec(String target, String base) throws SourceException {
        String b = base == null ? "auto" : base;
        if (!b.equals("auto") && !b.equals("netlink") && !b.equals("proc"))
            throw new SourceException("--netns reads the namespace with netlink or proc, not '" + b + "'");
        return NAME + ":" + target + (b.equals("auto") ? "" : "/" + b);
    }
}
