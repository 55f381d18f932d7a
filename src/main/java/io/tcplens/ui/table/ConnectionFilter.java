package io.tcplens.ui.table;

import io.tcplens.common.Ports;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Function;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import io.tcplens.export.firewall.InvalidAddressException;
import io.tcplens.export.firewall.StrictAddresses;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table's filters, combined with AND: states (empty = all), port (local or remote), address or
 * CIDR (local or remote), process name or PID substring. Immutable; built from user text by
 * {@link #parse}, which reports a clear error for a bad port or address.
 */
public record ConnectionFilter(Set<TcpState> states, Integer port, IPAddress network, String addressText,
                               String process, Search search) {
    public static final ConnectionFilter NONE = new ConnectionFilter(Set.of(), null, null, "", "");

    /** The filters without a search. */
    public ConnectionFilter(Set<TcpState> states, Integer port, IPAddress network, String addressText, String process) {
        this(states, port, network, addressText, process, Search.NONE);
    }

    /** This filter with a search across every column ({@link Search}). */
    public ConnectionFilter withSearch(Search s) {
        return new ConnectionFilter(states, port, network, addressText, process, s == null ? Search.NONE : s);
    }

    /**
     * Search across every column, TCPView's filter box or htop's {@code /}: each word of the text
     * (case-insensitive) must occur in some column of the row — state (also the kernel's name and
     * RFC 9293's, e.g. {@code TIME-WAIT}), local and remote endpoint as shown, process name, PID, UID, inode,
     * queues, timer, socket cookie (hex, as {@code ss -e}'s {@code sk:}) and the reverse-DNS name of
     * either end, as far as it was resolved ({@code hostNames} is a cache lookup that never blocks).
     */
    public record Search(String text, List<String> words, Function<InetAddress, String> hostNames) {
        public static final Search NONE = new Search("", List.of(), a -> null);

        public static Search of(String text, Function<InetAddress, String> hostNames) {
            String t = text == null ? "" : text.strip();
            List<String> words = t.isEmpty() ? List.of() : List.of(t.toLowerCase(Locale.ROOT).split("\\s+"));
            return new Search(t, words, hostNames == null ? a -> null : hostNames);
        }

        public boolean isEmpty() {
            return words.isEmpty();
        }

        public boolean matches(SocketEntry e) {
            for (String w : words) if (!anyColumn(e, w)) return false;
            return true;
        }

        private boolean anyColumn(SocketEntry e, String w) {
            if (has(e.state().name(), w) || has(e.state().rfcName(), w)) return true;
            if (e.kernelState() != null && has(e.kernelState().name(), w)) return true;
            if (has(e.local().toString(), w) || has(e.remote().toString(), w)) return true;
            if (e.process() != null && has(e.process(), w)) return true;
            if (e.pid() != null && has(Integer.toString(e.pid()), w)) return true;
            if (e.hasUid() && has(Integer.toString(e.uid()), w)) return true;
            if (e.inode() != 0 && has(Long.toString(e.inode()), w)) return true;
            if (e.hasSendQueue() && has(Long.toString(e.sendQueue()), w)) return true;
            if (e.hasReceiveQueue() && has(Long.toString(e.receiveQueue()), w)) return true;
            if (e.timer() != null && has(e.timer().ssName(), w)) return true;
            if (e.hasCookie() && has(e.cookieHex(), w)) return true;
            if (e.lab() && has("lab", w)) return true;
            String h = hostNames.apply(e.remote().address());
            if (h != null && has(h, w)) return true;
            h = hostNames.apply(e.local().address());
            return h != null && has(h, w);
        }

        private static boolean has(String field, String word) {
            return field.toLowerCase(Locale.ROOT).contains(word);
        }
    }

    private static final ConcurrentHashMap<InetAddress, IPAddress> CACHE = new ConcurrentHashMap<>();

    public ConnectionFilter {
        states = states.isEmpty() ? Set.of() : Set.copyOf(states);
        addressText = addressText == null ? "" : addressText;
        process = process == null ? "" : process.strip();
        search = search == null ? Search.NONE : search;
    }

    public boolean isEmpty() {
        return states.isEmpty() && port == null && network == null && process.isEmpty() && search.isEmpty();
    }

    /** Thrown by parse with a message naming the bad input. */
    public static final class InvalidFilterException extends Exception {
        public InvalidFilterException(String message) {
            super(message);
        }
    }

    private static final Pattern ENDPOINT =
            Pattern.compile("(?:\\[([0-9A-Fa-f:.%a-z]+)\\]|([0-9.]+)):(\\d{1,5})");

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
            if (!Ports.isPort(port)) throw new InvalidFilterException("port out of range: " + port);
        }
        IPAddress net = null;
        if (addressText != null && !addressText.isBlank()) {
            String text = addressText.strip();
            // the form the table shows: 127.0.0.1:20003 or [::1]:443 — address AND port
            Matcher m = ENDPOINT.matcher(text);
            if (m.matches()) {
                text = m.group(1) != null ? m.group(1) : m.group(2);
                int p = Integer.parseInt(m.group(3));
                if (!Ports.isPort(p)) throw new InvalidFilterException("port out of range: " + p);
                if (port != null && port != p)
                    throw new InvalidFilterException("two different ports: " + port + " and " + p);
                port = p;
            }
            // the same strict reading as the command line (issue 15 item 12): no "*" (it was a
            // NullPointerException), no 127.1 or 010.1.1.1, no masks or ranges; ::ffff:a.b.c.d is IPv4
            try {
                net = StrictAddresses.parse(text);
            } catch (InvalidAddressException e) {
                throw new InvalidFilterException(e.getMessage());
            }
        }
        return new ConnectionFilter(states.isEmpty() ? Set.of() : EnumSet.copyOf(states), port, net,
                addressText == null ? "" : addressText.strip(), processText);
    }

    public ConnectionFilter withStates(Set<TcpState> s) {
        return new ConnectionFilter(s, port, network, addressText, process, search);
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
        return search.isEmpty() || search.matches(e);
    }

    private boolean contains(InetAddress a) {
        IPAddress x = CACHE.computeIfAbsent(a, StrictAddresses::of);
        if (CACHE.size() > 100_000) CACHE.clear();
        return x != null && x.getIPVersion() == network.getIPVersion() && network.contains(x);
    }
}
