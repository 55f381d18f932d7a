package io.tcplens.model;

import io.tcplens.common.Ports;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * An address and port, and the interface the kernel tied the socket to when it says so. IPv4-mapped
 * IPv6 addresses ({@code ::ffff:a.b.c.d}) are held as the IPv4 address they carry, as the JDK's
 * {@link InetAddress#getByAddress(byte[])} already does.
 *
 * <p>The interface ({@code ifIndex}, 0 = none) is part of the identity: the same link-local 4-tuple
 * on two interfaces is two connections. sock_diag gives it ({@code idiag_if}: the scope of a
 * link-local socket, or the device of an {@code SO_BINDTODEVICE} one); {@code /proc/net/tcp6} and
 * OSHI have no such column, so their endpoints have index 0 and link-local addresses carry no zone.
 * The name is for display only and is not compared (an interface can be renamed).
 *
 * <p>It has a record's accessors ({@code address()}, {@code port()}, {@code ifIndex()}: the interface index,
 * 0 when none or unknown; {@code ifName()}: the interface's name when {@code ifIndex} is set and the name
 * could be found, else null) and the equality, hash and text it had as a record. A class, not a record, so
 * that an endpoint is 24 bytes instead of 32 (one per client port in a 100k table): the index and name are
 * one object that only an endpoint tied to an interface has.
 */
public final class Endpoint implements Comparable<Endpoint> {
    private final InetAddress address;
    private final int port;
    /** The interface (index and name), or null when none. */
    private final BoundInterface iface;

    private record BoundInterface(int index, String name) {}

    /**
     * @param address the address
     * @param port    the port
     * @param ifIndex the interface index, 0 when none or unknown
     * @param ifName  the interface's name when {@code ifIndex} is set and the name could be found, else null
     *                (ignored when {@code ifIndex} is 0)
     */
    public Endpoint(InetAddress address, int port, int ifIndex, String ifName) {
        Objects.requireNonNull(address, "address");
        if (!Ports.isPort(port)) throw new IllegalArgumentException("port out of range: " + port);
        if (ifIndex < 0) throw new IllegalArgumentException("interface index out of range: " + ifIndex);
        this.address = address;
        this.port = port;
        this.iface = ifIndex == 0 ? null : new BoundInterface(ifIndex, ifName);
    }

    public InetAddress address() {
        return address;
    }

    public int port() {
        return port;
    }

    /** The interface index, 0 when none or unknown. */
    public int ifIndex() {
        return iface == null ? 0 : iface.index;
    }

    /** The interface's name when {@link #ifIndex()} is set and the name could be found, else null. */
    public String ifName() {
        return iface == null ? null : iface.name;
    }

    /** An endpoint with no interface. */
    public Endpoint(InetAddress address, int port) {
        this(address, port, 0, null);
    }

    /** The address as text, without brackets or zone, e.g. {@code 127.0.0.1} or {@code fe80::77}. */
    public String host() {
        return Addresses.format(address);
    }

    /**
     * The address with its zone when the socket is tied to an interface, RFC 4007 / RFC 6874
     * style: {@code fe80::77%veth0} (the index, {@code fe80::77%3}, when the name is unknown).
     * Without an interface this is {@link #host()}.
     */
    public String hostWithZone() {
        return iface == null ? host() : host() + "%" + zone();
    }

    /** The zone text: the interface name, or its index when the name is unknown; null without an interface. */
    public String zone() {
        return iface == null ? null : iface.name != null ? iface.name : Integer.toString(iface.index);
    }

    public boolean isIpv6() {
        return address instanceof Inet6Address;
    }

    public boolean isWildcard() {
        return address.isAnyLocalAddress();
    }

    // Explicit equals/hashCode: the table is looked up by 4-tuple several times per socket per poll,
    // and comparing the port first is far cheaper than the generic record implementation.
    // The name is not compared: it is a label of the index.
    @Override
    public boolean equals(Object o) {
        return o instanceof Endpoint e && e.port == port && e.ifIndex() == ifIndex() && e.address.equals(address);
    }

    @Override
    public int hashCode() {
        return (address.hashCode() * 65537 + port) * 31 + ifIndex();
    }

    /** {@code 10.0.0.1:80}, {@code [::1]:80}, {@code [fe80::77%veth0]:80} (RFC 6874 without the URI's %25). */
    @Override
    public String toString() {
        return isIpv6() ? "[" + hostWithZone() + "]:" + port : hostWithZone() + ":" + port;
    }

    @Override
    public int compareTo(Endpoint o) {
        int c = Addresses.compare(address, o.address);
        if (c != 0) return c;
        c = Integer.compare(port, o.port);
        return c != 0 ? c : Integer.compare(ifIndex(), o.ifIndex());
    }
}
