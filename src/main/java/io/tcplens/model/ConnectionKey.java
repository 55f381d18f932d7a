package io.tcplens.model;

/** A TCP connection's identity: its 4-tuple (local and remote endpoint). */
public record ConnectionKey(Endpoint local, Endpoint remote) implements Comparable<ConnectionKey> {
    @Override
    public int compareTo(ConnectionKey o) {
        int c = local.compareTo(o.local);
        return c != 0 ? c : remote.compareTo(o.remote);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConnectionKey k && k.local.port() == local.port() && k.remote.port() == remote.port()
                && k.local.address().equals(local.address()) && k.remote.address().equals(remote.address());
    }

    @Override
    public int hashCode() {
        int h = local.hashCode() * 31 + remote.hashCode();
        return h ^ (h >>> 15);
    }

    @Override
    public String toString() {
        return local + " -> " + remote;
    }
}
