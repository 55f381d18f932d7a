package io.tcplens.analysis.advisor;

import io.tcplens.analysis.ports.Listeners;
import io.tcplens.analysis.ports.PortSpan;
import io.tcplens.common.Units;
import io.tcplens.model.Addresses;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/** What several rules need: the largest group, owner names, networks, counter deltas. */
final class RuleSupport {
    private RuleSupport() {}

    /**
     * Kernel sources with inodes (they name the kernel state) mark an orphan by inode 0; sources
     * without inodes by the missing owner. The uid is no sign: TIME_WAIT and request sockets have none.
     */
    static boolean isOrphan(SocketEntry e) {
        if (e.hasUid() || e.kernelState() != null) return e.inode() == 0;
        return e.pid() == null;
    }

    /** Who owns the socket, as a grouping key: "java (pid 1234)", "pid 1234" or "" when unknown. */
    static String ownerKey(SocketEntry e) {
        if (e.process() != null && e.pid() != null) return e.process() + " (pid " + e.pid() + ")";
        if (e.pid() != null) return "pid " + e.pid();
        return "";
    }

    /** The owner for a sentence. */
    static Text owner(SocketEntry e) {
        if (e.process() != null && e.pid() != null) return Text.of("advice.owner", e.process(), e.pid());
        if (e.pid() != null) return Text.of("advice.ownerPid", e.pid());
        return Text.of("advice.ownerUnknown");
    }

    /** The /24 of an IPv4 address or the /64 of an IPv6 one. */
    static String network(Endpoint ep) {
        InetAddress a = ep.address();
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + ".0/24";
        byte[] m = new byte[16];
        System.arraycopy(b, 0, m, 0, 8);
        return Addresses.format(Addresses.fromBytes(m)) + "/64";
    }

    /** Listening ports in [first, last] not yet covered by {@code already}, added to it; empty when none. */
    static List<PortSpan> listenersIn(Listeners l, int first, int last, List<PortSpan> already) {
        List<PortSpan> out = new ArrayList<>(already);
        for (int p : new TreeSet<>(l.ports())) {
            if (p < first || p > last) continue;
            boolean covered = false;
            for (PortSpan s : already) covered |= s.contains(p);
            if (!covered) out.add(new PortSpan(p, p));
        }
        return out.size() == already.size() ? List.of() : out;
    }

    /** The largest group (ties: the smallest key as text). */
    static <K> Map.Entry<K, Integer> top(Map<K, Integer> m) {
        Map.Entry<K, Integer> best = null;
        for (Map.Entry<K, Integer> e : m.entrySet())
            if (best == null || e.getValue() > best.getValue()
                    || (e.getValue().equals(best.getValue()) && e.getKey().toString().compareTo(best.getKey().toString()) < 0))
                best = e;
        return best;
    }

    /** "TIME_WAIT 30, ESTABLISHED 2": states by count, largest first. */
    static String states(Map<TcpState, Integer> m) {
        List<String> parts = new ArrayList<>();
        m.entrySet().stream().sorted(Map.Entry.<TcpState, Integer>comparingByValue().reversed())
                .forEach(e -> parts.add(e.getKey().name() + " " + Units.count(e.getValue())));
        return String.join(", ", parts);
    }

    static boolean positive(OptionalLong v) {
        return v.isPresent() && v.getAsLong() > 0;
    }

    /** A count, or "?" when unknown. */
    static String count(OptionalLong v) {
        return v.isPresent() ? Units.count(v.getAsLong()) : "?";
    }

    /** "+9", "-2", "+0". */
    static String signed(long growth) {
        return (growth >= 0 ? "+" : "") + growth;
    }
}
