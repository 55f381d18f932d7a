package io.tcplens.export.prometheus;

import io.tcplens.common.Ports;
import io.tcplens.model.Addresses;
import java.net.InetAddress;

/**
 * Where the exporter listens: an IP literal and a port, e.g. {@code 127.0.0.1:9464},
 * {@code [::1]:9464} or {@code 0.0.0.0:9464}. No name lookup: a host name is refused, so the
 * address bound is exactly the one written.
 */
public record ListenAddress(InetAddress address, int port) {
    public static final ListenAddress DEFAULT = parse("127.0.0.1:9464");

    public static ListenAddress parse(String text) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1)
            throw new IllegalArgumentException("--listen wants ADDRESS:PORT, e.g. 127.0.0.1:9464 or [::1]:9464, not '" + text + "'");
        String host = t.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":"))
            throw new IllegalArgumentException("--listen: put an IPv6 address in brackets, e.g. [::1]:9464, not '" + text + "'");
        int port;
        try {
            port = Integer.parseInt(t.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--listen: not a port number in '" + text + "'");
        }
        if (!Ports.isPort(port)) throw new IllegalArgumentException("--listen: port out of range in '" + text + "'");
        InetAddress a;
        try {
            a = InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--listen: '" + host + "' is not an IP address (names are not looked up)");
        }
        return new ListenAddress(a, port);
    }

    public boolean isLoopback() {
        return address.isLoopbackAddress();
    }

    @Override
    public String toString() {
        String h = Addresses.format(address);
        return (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }
}
