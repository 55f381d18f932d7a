package io.tcplens.analysis.ports;

import io.tcplens.model.Addresses;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import java.net.InetAddress;

/**
 * The bucket an outgoing connection's local port is drawn from: one local address towards one
 * remote address and port. Linux picks ephemeral ports per such bucket, so the range runs dry per
 * destination, not per machine.
 */
public record Destination(InetAddress localAddress, Endpoint remote) implements Comparable<Destination> {

    public static Destination of(SocketEntry e) {
        return new Destination(e.local().address(), e.remote());
    }

    public String localHost() {
        return Addresses.format(localAddress);
    }

    @Override
    public String toString() {
        return localHost() + " → " + remote;
    }

    @Override
    public int compareTo(Destination o) {
        int c = remote.compareTo(o.remote);
        return c != 0 ? c : Addresses.compare(localAddress, o.localAddress);
    }
}
