package io.tcplens.model;

/** A TCP connection's identity: its 4-tuple (local and remote endpoint). */
public record ConnectionKey(Endpoint local, Endpoint remote) implements Comparable<ConnectionKey> {
    @Override
    public int compareTo(ConnectionKey o) {
        int c = local.compareTo(o.local);
        return c != 0 ? c : remote.compareTo(o.remote);
    }

    @Override
    public String toString() {
        return local + " -> " + remote;
    }
}
