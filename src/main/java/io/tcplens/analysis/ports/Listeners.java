package io.tcplens.analysis.ports;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * Tells the server side of a connection from the client side: a connection whose local port has a
 * LISTEN socket was accepted (its local port is the service's port, not an ephemeral one).
 */
public final class Listeners {
    private final Set<Integer> ports;

    private Listeners(Set<Integer> ports) {
        this.ports = ports;
    }

    public static Listeners of(Collection<SocketEntry> sockets) {
        Set<Integer> p = new HashSet<>();
        for (SocketEntry e : sockets) if (e.state() == TcpState.LISTEN) p.add(e.local().port());
        return new Listeners(Set.copyOf(p));
    }

    /** Local ports with a listener. */
    public Set<Integer> ports() {
        return ports;
    }

    /** True for connections accepted on a listening port (this machine is the server). */
    public boolean isInbound(SocketEntry e) {
        return e.state() != TcpState.LISTEN && ports.contains(e.local().port());
    }

    /** True for connections this machine opened (local port not a listening port, remote not wildcard). */
    public boolean isOutbound(SocketEntry e) {
        return e.state() != TcpState.LISTEN && e.state() != TcpState.CLOSED && !e.remote().isWildcard()
                && e.remote().port() != 0 && !ports.contains(e.local().port());
    }
}
