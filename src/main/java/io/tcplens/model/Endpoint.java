package io.tcplens.model;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address and port. IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}) are held as the IPv4
 * address they carry, as the JDK's {@link InetAddress#getByAddress(byte[])} already does.
 */
public record Endpoint(InetAddress address, int port) implements Comparable<Endpoint> {

    public Endpoint {
        Objects.requireNonNull(address, "address");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
    }

    /** The address as text, without brackets or scope, e.g. {@code 127.0.0.1} or {@code ::1}. */
    public String host() {
        return Addresses.format(address);
    }

    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    public boolean isWildcard() {
        return address.isAnyLocalAddress();
    }

    // Explicit equals/hashCode: the table is looked up by 4-tuple several times per socket per poll,
    // and comparing the port first is far cheaper than the generic record implementation.
    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && e.port == port && e.address.equals(address);
    }

    @Override
    public int hashCode() {
        return address.hashCode() * 65537 + port;
    }

    @Override
    public String toString() {
        return isIpv6() ? "[" + host() + "]:" + port : host() + ":" + port;
    }

    @Override
    public int compareTo(Endpoint o) {
        int c = Addresses.compare(address, o.address);
        return c != 0 ? c : Integer.compare(port, o.port);
    }
}
