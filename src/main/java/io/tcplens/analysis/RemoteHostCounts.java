package io.tcplens.analysis;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/** Connections per remote address with a per-state breakdown (LISTEN sockets and wildcard remotes excluded). */
public final class RemoteHostCounts {
    private RemoteHostCounts() {}

    /** One remote address. */
    public record Row(InetAddress address, String host, int total, Map<TcpState, Integer> byState,
                      List<Integer> localPorts) {}

    public static List<Row> aggregate(Collection<SocketEntry> sockets, Predicate<SocketEntry> filter) {
        Map<InetAddress, Map<TcpState, Integer>> states = new HashMap<>();
        Map<InetAddress, TreeSet<Integer>> ports = new HashMap<>();
        Map<InetAddress, String> hosts = new HashMap<>();
        for (SocketEntry e : sockets) {
            if (e.state() == TcpState.LISTEN || e.remote().isWildcard() || !filter.test(e)) continue;
            InetAddress a = e.remote().address();
            states.computeIfAbsent(a, k -> new EnumMap<>(TcpState.class)).merge(e.state(), 1, Integer::sum);
            ports.computeIfAbsent(a, k -> new TreeSet<>()).add(e.local().port());
            hosts.putIfAbsent(a, e.remote().host());
        }
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<InetAddress, Map<TcpState, Integer>> en : states.entrySet()) {
            int total = en.getValue().values().stream().mapToInt(Integer::intValue).sum();
            rows.add(new Row(en.getKey(), hosts.get(en.getKey()), total, Collections.unmodifiableMap(en.getValue()),
                    List.copyOf(ports.get(en.getKey()))));
        }
        rows.sort((x, y) -> x.total() != y.total() ? Integer.compare(y.total(), x.total()) : x.host().compareTo(y.host()));
        return rows;
    }
}
