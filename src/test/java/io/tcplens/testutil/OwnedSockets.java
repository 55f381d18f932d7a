package io.tcplens.testutil;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The full 4-tuples of the sockets a test opened (both ends of each loopback connection, and its
 * listeners with their wildcard remote), so the test picks its own rows out of the host-wide table:
 * never by port alone, which another program's socket can share.
 */
public final class OwnedSockets {
    private final Set<ConnectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<Endpoint> listeners = ConcurrentHashMap.newKeySet();

    /**
     * A listener: local address:port and a wildcard remote with port 0. A JVM socket bound to an
     * IPv4 address is an IPv6 socket holding a mapped address, so the kernel may list its remote as
     * {@code ::} or {@code 0.0.0.0}: either wildcard matches.
     */
    public ConnectionKey listener(ServerSocket s) {
        return listener((InetSocketAddress) s.getLocalSocketAddress());
    }

    public ConnectionKey listener(InetSocketAddress local) {
        ConnectionKey k = new ConnectionKey(endpoint(local), new Endpoint(wildcardLike(local.getAddress()), 0));
        listeners.add(k.local());
        return k;
    }

    /** A connected socket: its own 4-tuple and the peer's (on loopback both are in the table). Returns its own. */
    public ConnectionKey connection(Socket s) {
        return connection((InetSocketAddress) s.getLocalSocketAddress(), (InetSocketAddress) s.getRemoteSocketAddress());
    }

    public ConnectionKey connection(InetSocketAddress local, InetSocketAddress remote) {
        ConnectionKey mine = new ConnectionKey(endpoint(local), endpoint(remote));
        keys.add(mine);
        keys.add(new ConnectionKey(mine.remote(), mine.local()));
        return mine;
    }

    public boolean owns(ConnectionKey k) {
        if (keys.contains(k)) return true;
        return k.remote().isWildcard() && k.remote().port() == 0 && listeners.contains(k.local());
    }

    public boolean owns(SocketEntry e) {
        return owns(e.key());
    }

    public boolean owns(Ss.Row r) {
        return owns(key(r));
    }

    /** The connections' 4-tuples (both ends), without the listeners. */
    public Set<ConnectionKey> connections() {
        return Set.copyOf(keys);
    }

    /** The 4-tuple of one line of {@code ss}: a listener's "*" peer is the wildcard of its family. */
    public static ConnectionKey key(Ss.Row r) {
        InetAddress local = InetAddress.ofLiteral(r.local().equals("*") ? "::" : r.local());
        InetAddress peer = r.peer().equals("*") ? wildcardLike(local) : InetAddress.ofLiteral(r.peer());
        return new ConnectionKey(new Endpoint(local, r.localPort()), new Endpoint(peer, r.peerPort()));
    }

    public static Endpoint endpoint(InetSocketAddress a) {
        return new Endpoint(a.getAddress(), a.getPort());
    }

    private static InetAddress wildcardLike(InetAddress a) {
        return InetAddress.ofLiteral(a instanceof Inet6Address ? "::" : "0.0.0.0");
    }
}
