package io.tcplens.model;

import java.util.Objects;

/**
 * A TCP connection's identity: its 4-tuple (local and remote endpoint), with the interface when the
 * kernel ties the socket to one (a link-local scope), so the same link-local 4-tuple on two interfaces
 * is two keys. Immutable; the hash is
 * computed once, because the tracker looks every row of every poll up by its key.
 */
public final class ConnectionKey implements Comparable<ConnectionKey> {
    private final Endpoint local;
    private final Endpoint remote;
    private final int hash;

    public ConnectionKey(Endpoint local, Endpoint remote) {
        this.local = Objects.requireNonNull(local, "local");
        this.remote = Objects.requireNonNull(remote, "remote");
        int h = local.hashCode() * 31 + remote.hashCode();
        this.hash = h ^ (h >>> 15);
    }

    public Endpoint local() {
        return local;
    }

    public Endpoint remote() {
        return remote;
    }

    @Override
    public int compareTo(ConnectionKey o) {
        int c = local.compareTo(o.local);
        return c != 0 ? c : remote.compareTo(o.remote);
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
