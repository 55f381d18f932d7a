package io.tcplens.model;

import java.net.Inet4Address;
import java.util.Objects;

/**
 * A TCP connection's identity: its 4-tuple (local and remote endpoint), with the interface when the
 * kernel ties the socket to one (a link-local scope), so the same link-local 4-tuple on two interfaces
 * is two keys. Immutable; the hash is computed once, because the tracker looks every row of every
 * poll up by its key. The sort key per endpoint (an IPv4 address and port packed in a long) is worked out
 * when asked (two field reads): the connections table reads it once per row per sort into arrays of its
 * own, so keeping it here (16 bytes a key, one key per socket) bought nothing — a key is 24 bytes, not 40.
 */
public final class ConnectionKey implements Comparable<ConnectionKey> {
    private final Endpoint local;
    private final Endpoint remote;
    private final int hash;
    /** The sort key of every IPv6 endpoint: above every IPv4 one, ties resolved by {@link Endpoint#compareTo}. */
    private static final long V6 = Long.MAX_VALUE;

    public ConnectionKey(Endpoint local, Endpoint remote) {
        this.local = Objects.requireNonNull(local, "local");
        this.remote = Objects.requireNonNull(remote, "remote");
        int h = local.hashCode() * 31 + remote.hashCode();
        this.hash = h ^ (h >>> 15);
    }

    /** Address (unsigned, an Inet4Address's hash code is its address) and port in one long; V6 otherwise. */
    private static long order(Endpoint e) {
        return e.address() instanceof Inet4Address a ? (Integer.toUnsignedLong(a.hashCode()) << 16) | e.port() : V6;
    }

    public Endpoint local() {
        return local;
    }

    /**
     * The local endpoint as one long that sorts as the endpoints do when both are IPv4 (address, then
     * port); {@code Long.MAX_VALUE} for every IPv6 endpoint, whose order {@link #compareTo} resolves.
     */
    public long localOrder() {
        return order(local);
    }

    /** {@link #localOrder()} for the remote endpoint. */
    public long remoteOrder() {
        return order(remote);
    }

    public Endpoint remote() {
        return remote;
    }

    @Override
    public int compareTo(ConnectionKey o) {
        // the same order as comparing the endpoints (address, then port), from two longs for IPv4
        long localOrder = order(local), otherLocal = order(o.local);
        if (localOrder != otherLocal) return Long.compare(localOrder, otherLocal);
        if (localOrder == V6) {
            int c = local.compareTo(o.local);
            if (c != 0) return c;
        }
        long remoteOrder = order(remote), otherRemote = order(o.remote);
        if (remoteOrder != otherRemote) return Long.compare(remoteOrder, otherRemote);
        return remoteOrder == V6 ? remote.compareTo(o.remote) : 0;
    }

    @Override
    public boolean equals(Object o) {
        if (o == this) return true;
        return o instanceof ConnectionKey k && k.hash == hash && k.local.port() == local.port()
                && k.remote.port() == remote.port() && k.local.ifIndex() == local.ifIndex()
                && k.remote.ifIndex() == remote.ifIndex() && k.local.address().equals(local.address())
                && k.remote.address().equals(remote.address());
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return local + " -> " + remote;
    }
}
