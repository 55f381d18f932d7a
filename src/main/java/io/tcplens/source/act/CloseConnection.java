package io.tcplens.source.act;

import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.SourceException;
import io.tcplens.source.linux.SockDestroy;
import io.tcplens.source.netns.NamespaceTarget;
import io.tcplens.source.netns.NamespaceThread;
import java.util.Locale;
import java.util.Optional;

/**
 * Closing one connection, for the window and the command line alike: on Linux, sock_diag
 * {@code SOCK_DESTROY} as {@code ss -K} does ({@link SockDestroy}), in the network namespace the
 * rows came from (a {@code netns:} source's namespace is entered on a thread of its own).
 *
 * <p>Refused, each with the bundle key of its reason (io/tcplens/ui/messages.properties, shared with
 * the CLI): on a replay or simulated source (its rows are not this machine's sockets now), on a remote
 * (SSH) source, on a source that cannot act (OSHI off Linux), for a row without a peer (a listener:
 * ending it is a matter for its process), and — from the kernel — without CAP_NET_ADMIN or on a kernel
 * without CONFIG_INET_DIAG_DESTROY. {@link #command} gives the equivalent {@code ss -K} for people
 * who prefer to run it themselves.
 */
public final class CloseConnection {
    private CloseConnection() {}

    /** What happened: closed or not, the bundle key of the message (argument {0}: the connection, {1}: detail). */
    public record Outcome(boolean closed, String messageKey, String detail) {}

    /** Why no connection of this source can be closed from here (a bundle key), or empty when it may be tried. */
    public static Optional<String> refusal(SourceInfo source) {
        if (source == null) return Optional.of("close.refused.noSource");
        if (source.kind() == SourceInfo.Kind.REPLAY || source.kind() == SourceInfo.Kind.SIMULATED)
            return Optional.of("close.refused.notLive");
        if (!isLinux()) return Optional.of("close.refused.notLinux");
        String n = source.name();
        if (n.startsWith("ssh:") || n.contains("://")) return Optional.of("close.refused.remote");
        if (n.equals("oshi") || n.equals("netlink") || n.equals("proc") || n.equals("lab") || n.equals("live")
                || namespaceSpec(source).isPresent())
            return Optional.empty();
        return Optional.of("close.refused.source");
    }

    /** Why this row cannot be closed (a bundle key), or empty. */
    public static Optional<String> refusal(SourceInfo source, SocketEntry e) {
        Optional<String> s = refusal(source);
        if (s.isPresent()) return s;
        if (e.state() == TcpState.LISTEN || (e.remote().isWildcard() && e.remote().port() == 0))
            return Optional.of("close.refused.listener");
        return Optional.empty();
    }

    /** Tries to close the connection (after {@link #refusal} said nothing); blocks for a netlink round trip. */
    public static Outcome close(SourceInfo source, SocketEntry e) {
        Optional<String> no = refusal(source, e);
        if (no.isPresent()) return new Outcome(false, no.get(), "");
        SockDestroy.Result r;
        Optional<String> ns = namespaceSpec(source);
        if (ns.isPresent()) {
            try (NamespaceThread t = new NamespaceThread(NamespaceTarget.parse(ns.get()))) {
                r = t.call(() -> SockDestroy.destroy(e));
            } catch (SourceException | IllegalArgumentException ex) {
                return new Outcome(false, "close.failed", String.valueOf(ex.getMessage()));
            }
        } else {
            r = SockDestroy.destroy(e);
        }
        return switch (r.status()) {
            case CLOSED -> new Outcome(true, "close.done", "");
            case GONE -> new Outcome(false, "close.gone", "");
            case REPLACED -> new Outcome(false, "close.replaced", r.detail());
            case NO_PERMISSION -> new Outcome(false, "close.refused.permission", r.detail());
            case NOT_SUPPORTED -> new Outcome(false, "close.refused.kernel", r.detail());
            case FAILED -> new Outcome(false, "close.failed", r.detail());
        };
    }

    /**
     * The {@code ss -K} command that closes exactly this connection (a filter on both ends; run as
     * root), prefixed with {@code ip netns exec NAME} for a named namespace's source.
     */
    public static String command(SourceInfo source, SocketEntry e) {
        String prefix = "";
        Optional<String> ns = source == null ? Optional.empty() : namespaceSpec(source);
        if (ns.isPresent()) {
            NamespaceTarget t = NamespaceTarget.parse(ns.get());
            prefix = t.name() != null ? "ip netns exec " + t.name() + " " : "nsenter -t " + t.pid() + " -n ";
        }
        return prefix + "ss -K -t "
                + "src " + host(e.local()) + " sport = :" + e.local().port()
                + " dst " + host(e.remote()) + " dport = :" + e.remote().port();
    }

    private static String host(Endpoint p) {
        return p.isIpv6() ? "[" + p.hostWithZone() + "]" : p.host();
    }

    /** The namespace spec ("NAME" or "pid:PID") of a netns source, from its name "netns:SPEC/READER". */
    static Optional<String> namespaceSpec(SourceInfo source) {
        String n = source.name();
        if (!n.startsWith("netns:")) return Optional.empty();
        String spec = n.substring("netns:".length());
        int slash = spec.lastIndexOf('/');
        if (slash > 0) spec = spec.substring(0, slash);
        try {
            NamespaceTarget.parse(spec);
            return Optional.of(spec);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux");
    }
}
