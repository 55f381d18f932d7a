package io.tcplens.model;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The connection states of RFC 9293 (section 3.3.2, figure 5), named as {@code netstat} and
 * {@code /proc/net/tcp} name them. Kernel-only states are mapped onto these by {@link KernelTcpState}.
 */
public enum TcpState {
    /** No connection: before it was opened or after its TCB was deleted. */
    CLOSED("CLOSED"),
    /** Waiting for a connection request from any remote TCP peer. */
    LISTEN("LISTEN"),
    /** SYN sent; waiting for a matching connection request (SYN,ACK). */
    SYN_SENT("SYN-SENT"),
    /** SYN received and SYN,ACK sent; waiting for the ACK that completes the handshake. */
    SYN_RECV("SYN-RECEIVED"),
    /** An open connection: data flows both ways. */
    ESTABLISHED("ESTABLISHED"),
    /** We closed (sent FIN); waiting for its ACK or the peer's FIN. */
    FIN_WAIT1("FIN-WAIT-1"),
    /** Our FIN was acknowledged; waiting for the peer's FIN. */
    FIN_WAIT2("FIN-WAIT-2"),
    /** The peer closed (we received FIN); waiting for the local application to close. */
    CLOSE_WAIT("CLOSE-WAIT"),
    /** Both sides closed at the same time; waiting for the ACK of our FIN. */
    CLOSING("CLOSING"),
    /** The peer closed first and we have now closed too; waiting for the ACK of our FIN. */
    LAST_ACK("LAST-ACK"),
    /**
     * We closed first and have acknowledged the peer's FIN; waiting 2 MSL so that a lost final
     * ACK can be re-sent and old duplicate segments die out.
     */
    TIME_WAIT("TIME-WAIT");

    private final String rfcName;

    TcpState(String rfcName) {
        this.rfcName = rfcName;
    }

    /** The name RFC 9293 uses, e.g. {@code FIN-WAIT-1}. */
    public String rfcName() {
        return rfcName;
    }

    /** Parses our own names, RFC names and the names {@code ss} prints (ESTAB, SYN-RECV, …). */
    public static Optional<TcpState> parse(String text) {
        if (text == null) return Optional.empty();
        String t = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        switch (t) {
            case "ESTAB": return Optional.of(ESTABLISHED);
            case "SYN_RECEIVED": case "SYN_RCVD": return Optional.of(SYN_RECV);
            case "FIN_WAIT_1": return Optional.of(FIN_WAIT1);
            case "FIN_WAIT_2": return Optional.of(FIN_WAIT2);
            case "CLOSE": case "UNCONN": return Optional.of(CLOSED);
            default:
        }
        for (TcpState s : values()) if (s.name().equals(t)) return Optional.of(s);
        try {
            return Optional.of(KernelTcpState.valueOf(t).rfcState());
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** One edge of the RFC 9293 state diagram. */
    public record Edge(TcpState from, TcpState to, String event, String action) {
        /** "event / action", as printed in the RFC's figure. */
        public String label() {
            return event + " / " + action;
        }
    }

    private static final List<Edge> EDGES = List.of(
            new Edge(CLOSED, LISTEN, "passive OPEN", "create TCB"),
            new Edge(CLOSED, SYN_SENT, "active OPEN", "snd SYN"),
            new Edge(LISTEN, CLOSED, "CLOSE", "delete TCB"),
            new Edge(LISTEN, SYN_RECV, "rcv SYN", "snd SYN,ACK"),
            new Edge(LISTEN, SYN_SENT, "SEND", "snd SYN"),
            new Edge(SYN_SENT, CLOSED, "CLOSE", "delete TCB"),
            new Edge(SYN_SENT, SYN_RECV, "rcv SYN", "snd ACK"),
            new Edge(SYN_SENT, ESTABLISHED, "rcv SYN,ACK", "snd ACK"),
            new Edge(SYN_RECV, LISTEN, "rcv RST", "x"),
            new Edge(SYN_RECV, ESTABLISHED, "rcv ACK of SYN", "x"),
            new Edge(SYN_RECV, FIN_WAIT1, "CLOSE", "snd FIN"),
            new Edge(ESTABLISHED, FIN_WAIT1, "CLOSE", "snd FIN"),
            new Edge(ESTABLISHED, CLOSE_WAIT, "rcv FIN", "snd ACK"),
            new Edge(FIN_WAIT1, FIN_WAIT2, "rcv ACK of FIN", "x"),
            new Edge(FIN_WAIT1, CLOSING, "rcv FIN", "snd ACK"),
            new Edge(FIN_WAIT2, TIME_WAIT, "rcv FIN", "snd ACK"),
            new Edge(CLOSING, TIME_WAIT, "rcv ACK of FIN", "x"),
            new Edge(CLOSE_WAIT, LAST_ACK, "CLOSE", "snd FIN"),
            new Edge(LAST_ACK, CLOSED, "rcv ACK of FIN", "x"),
            new Edge(TIME_WAIT, CLOSED, "Timeout=2MSL", "delete TCB"));

    private static final Map<TcpState, List<Edge>> OUT = new EnumMap<>(TcpState.class);

    static {
        for (TcpState s : values()) OUT.put(s, new ArrayList<>());
        for (Edge e : EDGES) OUT.get(e.from()).add(e);
        OUT.replaceAll((k, v) -> List.copyOf(v));
    }

    /** {@link #edgeTo}'s answers by the two states' ordinals (the first edge of the RFC's order, as the walk found). */
    @SuppressWarnings("unchecked")
    private static final Optional<Edge>[][] DIRECT = new Optional[values().length][values().length];

    static {
        for (Optional<Edge>[] row : DIRECT) Arrays.fill(row, Optional.empty());
        for (int i = EDGES.size() - 1; i >= 0; i--) { // from the last, so the first edge of a pair is kept
            Edge e = EDGES.get(i);
            DIRECT[e.from().ordinal()][e.to().ordinal()] = Optional.of(e);
        }
    }

    /** Every edge of RFC 9293's figure 5. */
    public static List<Edge> edges() {
        return EDGES;
    }

    /** The edges leaving this state. */
    public List<Edge> outgoing() {
        return OUT.get(this);
    }

    /**
     * The direct edge from this state to {@code to}, if the RFC has one. From a table made once (the diagram
     * asks for every step of every poll: an iterator over the edges and an Optional made per step, issue 11).
     */
    public Optional<Edge> edgeTo(TcpState to) {
        return DIRECT[ordinal()][to.ordinal()];
    }

    /**
     * The shortest legal path of edges from {@code from} to {@code to} (breadth first; ties broken
     * by the RFC's edge order). Empty when {@code from == to}; empty Optional when unreachable.
     */
    public static Optional<List<Edge>> shortestPath(TcpState from, TcpState to) {
        if (from == to) return Optional.of(List.of());
        Map<TcpState, Edge> via = new EnumMap<>(TcpState.class);
        ArrayDeque<TcpState> queue = new ArrayDeque<>();
        queue.add(from);
        while (!queue.isEmpty()) {
            TcpState s = queue.poll();
            for (Edge e : OUT.get(s)) {
                if (e.to() == from || via.containsKey(e.to())) continue;
                via.put(e.to(), e);
                if (e.to() == to) {
                    List<Edge> path = new ArrayList<>();
                    for (TcpState at = to; at != from; at = via.get(at).from()) path.add(via.get(at));
                    Collections.reverse(path);
                    return Optional.of(List.copyOf(path));
                }
                queue.add(e.to());
            }
        }
        return Optional.empty();
    }
}
