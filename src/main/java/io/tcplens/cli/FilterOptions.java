package io.tcplens.cli;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import inet.ipaddr.AddressStringException;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import picocli.CommandLine.Option;

/** --state, --port, --address filters shared by commands. */
public final class FilterOptions {
    @Option(names = "--state", paramLabel = "STATE",
            description = "Only sockets in this state (repeatable): ESTABLISHED, TIME_WAIT, FIN_WAIT1, SYN_RECV, … (ss names like ESTAB also work).")
    List<String> states = new ArrayList<>();

    @Option(names = "--port", paramLabel = "P", description = "Only sockets whose local or remote port is P (like grep \":P\").")
    Integer port;

    @Option(names = "--address", paramLabel = "A",
            description = "Only sockets whose local or remote address is A or inside CIDR A (e.g. 10.0.0.0/8, ::1).")
    String address;

    public Predicate<SocketEntry> predicate() {
        Predicate<SocketEntry> p = e -> true;
        if (!states.isEmpty()) {
            Set<TcpState> set = EnumSet.noneOf(TcpState.class);
            for (String s : states)
                set.add(TcpState.parse(s).orElseThrow(() -> new CliException("unknown state '" + s + "' (try ESTABLISHED, TIME_WAIT, CLOSE_WAIT, LISTEN, …)")));
            p = p.and(e -> set.contains(e.state()));
        }
        if (port != null) {
            if (port < 0 || port > 65535) throw new CliException("port out of range: " + port);
            int pp = port;
            p = p.and(e -> e.local().port() == pp || e.remote().port() == pp);
        }
        if (address != null) {
            IPAddress net = parseAddressOrCidr(address);
            p = p.and(e -> contains(net, e.local().address()) || contains(net, e.remote().address()));
        }
        return p;
    }

    static boolean contains(IPAddress net, java.net.InetAddress a) {
        IPAddress x = new IPAddressString(a.getHostAddress()).getAddress();
        return x != null && net.getIPVersion() == x.getIPVersion() && net.contains(x);
    }

    /** Strict parse of an address or CIDR (no DNS); a clear error naming the input otherwise. */
    public static IPAddress parseAddressOrCidr(String text) {
        try {
            IPAddress a = new IPAddressString(text.strip()).toAddress();
            return a.isPrefixed() ? a.toPrefixBlock() : a;
        } catch (AddressStringException e) {
            throw new CliException("not an IP address or CIDR: '" + text + "' (" + e.getMessage() + ")");
        }
    }
}
