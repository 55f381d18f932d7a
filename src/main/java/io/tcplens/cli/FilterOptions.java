package io.tcplens.cli;

import io.tcplens.common.Ports;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import inet.ipaddr.IPAddress;
import io.tcplens.export.firewall.InvalidAddressException;
import io.tcplens.export.firewall.StrictAddresses;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import picocli.CommandLine.Option;
import java.net.InetAddress;
import java.util.BitSet;

/** --state, --port, --address filters shared by commands. */
public final class FilterOptions {
    @Option(names = "--state", paramLabel = "STATE",
            description = "Only sockets in this state (repeatable): ESTABLISHED, TIME_WAIT, FIN_WAIT1, SYN_RECV, … (ss names like ESTAB also work).")
    List<String> states = new ArrayList<>();

    @Option(names = "--port", paramLabel = "P", split = ",",
            description = "Only sockets whose local or remote port is P (like grep \":P\"); several as 80,443 or --port repeated.")
    List<Integer> ports = new ArrayList<>();

    @Option(names = "--address", paramLabel = "A",
            description = "Only sockets whose local or remote address is A or inside CIDR A (e.g. 10.0.0.0/8, ::1).")
    String address;

    /** Sockets whose local or remote port is one of these (all sockets when there are none). */
    static Predicate<SocketEntry> ports(List<Integer> ports) {
        if (ports.isEmpty()) return e -> true;
        BitSet set = new BitSet(65536);
        for (int port : ports) {
            if (!Ports.isPort(port)) throw new CliException("port out of range: " + port);
            set.set(port);
        }
        return e -> set.get(e.local().port()) || set.get(e.remote().port());
    }

    public Predicate<SocketEntry> predicate() {
        Predicate<SocketEntry> p = e -> true;
        if (!states.isEmpty()) {
            Set<TcpState> set = EnumSet.noneOf(TcpState.class);
            for (String s : states)
                set.add(TcpState.parse(s).orElseThrow(() -> new CliException("unknown state '" + s + "' (try ESTABLISHED, TIME_WAIT, CLOSE_WAIT, LISTEN, …)")));
            p = p.and(e -> set.contains(e.state()));
        }
        if (!ports.isEmpty()) p = p.and(ports(ports));
        if (address != null) {
            IPAddress net = parseAddressOrCidr(address);
            p = p.and(e -> contains(net, e.local().address()) || contains(net, e.remote().address()));
        }
        return p;
    }

    static boolean contains(IPAddress net, InetAddress a) {
        // the socket's address as the filter sees it: ::ffff:a.b.c.d is the IPv4 address it carries
        IPAddress x = StrictAddresses.of(a);
        return net.getIPVersion() == x.getIPVersion() && net.contains(x);
    }

    /**
     * Strict parse of an address or CIDR (no DNS, no short forms, leading zeros, masks, ranges or
     * wildcards; ::ffff:a.b.c.d means a.b.c.d); a clear error naming the input otherwise.
     */
    public static IPAddress parseAddressOrCidr(String text) {
        try {
            return StrictAddresses.parse(text);
        } catch (InvalidAddressException e) {
            throw new CliException(e.getMessage());
        }
    }
}
