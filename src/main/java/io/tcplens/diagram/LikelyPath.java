package io.tcplens.diagram;

import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The path a connection most probably took between two observed states, for the inferred (dashed)
 * steps of the diagram. Like {@link TcpState#shortestPath}, but rare edges (simultaneous open and
 * close, a half-open connection closed by its listener, SEND on a listener, a passive open that
 * makes a listener rather than a connection) cost more, so a connection first seen in TIME_WAIT is
 * shown coming through ESTABLISHED rather than through LISTEN and SYN-RECEIVED. Every result is a
 * chain of RFC 9293 edges; among equally likely paths the shortest wins.
 */
public final class LikelyPath {
    private LikelyPath() {}

    private static final Map<TcpState, Map<TcpState, List<TcpState.Edge>>> CACHE = new EnumMap<>(TcpState.class);

    static {
        for (TcpState from : TcpState.values()) {
            Map<TcpState, List<TcpState.Edge>> row = new EnumMap<>(TcpState.class);
            for (TcpState to : TcpState.values()) compute(from, to).ifPresent(p -> row.put(to, p));
            CACHE.put(from, row);
        }
    }

    /** The most likely chain of edges from {@code from} to {@code to}; empty list when equal, empty Optional when unreachable. */
    public static Optional<List<TcpState.Edge>> between(TcpState from, TcpState to) {
        return Optional.ofNullable(CACHE.get(from).get(to));
    }

    static double cost(TcpState.Edge e) {
        return switch (e.from().name() + ">" + e.to().name()) {
            case "CLOSED>LISTEN", "LISTEN>SYN_SENT", "SYN_SENT>SYN_RECV", "SYN_RECV>FIN_WAIT1",
                 "FIN_WAIT1>CLOSING", "CLOSING>TIME_WAIT", "SYN_RECV>LISTEN" -> 2.5;
            default -> 1;
        };
    }

    private static Optional<List<TcpState.Edge>> compute(TcpState from, TcpState to) {
        if (from == to) return Optional.of(List.of());
        Map<TcpState, Double> dist = new EnumMap<>(TcpState.class);
        Map<TcpState, TcpState.Edge> via = new EnumMap<>(TcpState.class);
        List<TcpState> open = new ArrayList<>();
        dist.put(from, 0.0);
        open.add(from);
        while (!open.isEmpty()) {
            TcpState best = open.get(0);
            for (TcpState s : open) if (dist.get(s) < dist.get(best)) best = s;
            open.remove(best);
            for (TcpState.Edge e : best.outgoing()) {
                if (e.to() == from) continue;
                double d = dist.get(best) + cost(e) + 1e-6; // tiny tie-breaker: fewer edges win
                Double old = dist.get(e.to());
                if (old == null || d < old - 1e-9) {
                    dist.put(e.to(), d);
                    via.put(e.to(), e);
                    if (!open.contains(e.to())) open.add(e.to());
                }
            }
        }
        if (!via.containsKey(to)) return Optional.empty();
        List<TcpState.Edge> path = new ArrayList<>();
        for (TcpState at = to; at != from; at = via.get(at).from()) path.add(via.get(at));
        Collections.reverse(path);
        return Optional.of(List.copyOf(path));
    }
}
