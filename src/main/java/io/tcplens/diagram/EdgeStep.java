package io.tcplens.diagram;

import io.tcplens.model.TcpState;
import java.util.List;
import java.util.Map;
import java.util.HashMap;

/**
 * One step of a token's journey along one RFC 9293 edge.
 *
 * @param edgeIndex position of the edge in {@link TcpState#edges()}
 * @param inferred  true when the step was not seen: states were skipped between two polls (or the
 *                  connection was first seen mid-way) and the shortest legal path stands in for it
 * @param atMillis  time of the poll that revealed the step
 */
public record EdgeStep(int edgeIndex, boolean inferred, long atMillis) {

    private static final Map<TcpState.Edge, Integer> INDEX = new HashMap<>();

    static {
        List<TcpState.Edge> edges = TcpState.edges();
        for (int i = 0; i < edges.size(); i++) INDEX.put(edges.get(i), i);
    }

    public static EdgeStep of(TcpState.Edge e, boolean inferred, long atMillis) {
        return new EdgeStep(INDEX.get(e), inferred, atMillis);
    }

    public static int indexOf(TcpState.Edge e) {
        return INDEX.get(e);
    }

    public TcpState.Edge edge() {
        return TcpState.edges().get(edgeIndex);
    }

    public TcpState from() {
        return edge().from();
    }

    public TcpState to() {
        return edge().to();
    }
}
