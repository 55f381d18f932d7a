package io.tcplens.ui.table;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The table's filters, combined with AND: states (empty = all), port (local or remote), address or
 * CIDR (local or remote), process name or PID substring. Immutable; built from user text by
 * {@link #parse}, which reports a clear error for a bad port or address.
 */
public record ConnectionFilter(Set<TcpState> states, Integer port, IPAddress network, String addressText,
                               String process) {
    public static final ConnectionFilter NONE = new ConnectionFilter(Set.of(), null, null, "", "");

    private static final ConcurrentHashMap<InetAddress, IPAddress> CACHE = new ConcurrentHashMap<>();

    public ConnectionFilter {
        states = states.isEmpty() ? Set.of() : Set.copyOf(states);
        addressText = addressText == null ? "" : addressText;
        process = process == null ? "" : process.strip();
    }

    public boolean isEmpty() {
        return states.isEmpty() && port == null && network == null && process.isEmpty();
    }

    /** Thrown by parse with a message naming the bad input. */
    public static final class InvalidFilterException extends Exception {
        public InvalidFilterException(String message) {
            super(message);
        }
    }

    private static final java.util.regex.Pattern ENDPOINT =
            java.util.regex.Pattern.compile("(?:\\[([0-9A-Fa-f:.%a-z]+)\\]|([0-9.]+)):(\\d{1,5})");

    public static ConnectionFilter parse(Set<TcpState> states, String portText, String addressText, String processText)
            throws InvalidFilterException {
        Integer port = null;
        if (portText != null && !portText.isBlank()) {
            String p = portText.strip();
            if (p.startsWith(":")) p = p.substring(1);
            try {
                port = Integer.valueOf(p);
            } catch (NumberFormatException e) {
                throw new InvalidFilterException("not a port: '" + portText.strip() + "'");
            }
            if (port < 0 || port > 65535) throw new InvalidFilterException("port out of range: " + port);
        }
        IPAddress net = null;
        if (addressText != null && !addressText.isBlank()) {
            String text = addressText.strip();
            // the form the table shows: 127.0.0.1:20003 or [::1]:443 — address AND port
            java.util.regex.Matcher m = ENDPOINT.matcher(text);
            if (m.matches()) {
                text = m.group(1) != null ? m.group(1) : m.group(2);
                int p = Integer.parseInt(m.group(3));
                if (p > 65535) throw new InvalidFilterException("port out of range: " + p);
                if (port != null && port != p)
                    throw new InvalidFilterException("two different ports: " + port + " and " + p);
                port = p;
            }
            // the same strict reading as the command line (issue 15 item 12): no "*" (it was a
            // NullPointerException), no 127.1 or 010.1.1.1, no masks or ranges; ::ffff:a.b.c.d is IPv4
            try {
                net = io.tcplens.export.firewall.StrictAddresses.parse(text);
            } catch (io.tcplens.export.firewall.InvalidAddressException e) {
                throw new InvalidFilterException(e.getMessage());
            }
        }
        return new ConnectionFilter(states.isEmpty() ? Set.of() : EnumSet.copyOf(states), port, net,
                addressText == null ? "" : addressText.strip(), processText);
    }

    public ConnectionFilter withStates(Set<TcpState> s) {
        return new ConnectionFilter(s, port, network, addressText, process);
    }

    public boolean test(SocketEntry e) {
        if (!states.isEmpty() && !states.contains(e.state())) return false;
        if (port != null && e.local().port() != port && e.remote().port() != port) return false;
        if (network != null && !contains(e.local().address()) && !contains(e.remote().address())) return false;
        if (!process.isEmpty()) {
            String p = process.toLowerCase(Locale.ROOT);
            boolean name = e.process() != null && e.process().toLowerCase(Locale.ROOT).contains(p);
            boolean pid = e.pid() != null && String.valueOf(e.pid()).equals(p);
            if (!name && !pid) return false;
        }
        return true;
    }

    private boolean contains(InetAddress a) {
        IPAddress x = CACHE.computeIfAbsent(a, io.tcplens.export.firewall.StrictAddresses::of);
        if (CACHE.size() > 100_000) CACHE.clear();
        return x != null && x.getIPVersion() == network.getIPVersion() && network.contains(x);
    }
}
