package io.tcplens.analysis.remote;

import io.tcplens.common.Ports;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;

/**
 * Which sockets a remote-host table counts and which rows it picks out.
 *
 * @param grouping  per address, or per /24 (IPv4) and /64 (IPv6) network
 * @param localPort only sockets on this local port (the classic ":80"), or null for all
 * @param state     the state that is counted against the threshold (null: every state)
 * @param threshold a row is "over threshold" when its matched count is at least this (0: no threshold)
 */
public record RemoteQuery(Grouping grouping, Integer localPort, TcpState state, int threshold) {
    public RemoteQuery {
        if (grouping == null) grouping = Grouping.ADDRESS;
        if (localPort != null && !Ports.isPort(localPort))
            throw new IllegalArgumentException("port out of range: " + localPort);
        if (threshold < 0) throw new IllegalArgumentException("threshold must not be negative: " + threshold);
    }

    public static RemoteQuery all() {
        return new RemoteQuery(Grouping.ADDRESS, null, null, 0);
    }

    public RemoteQuery withGrouping(Grouping g) {
        return new RemoteQuery(g, localPort, state, threshold);
    }

    /** Counted at all: a connection (not LISTEN, a real remote) on the chosen local port. */
    public boolean counts(SocketEntry e) {
        if (e.state() == TcpState.LISTEN || e.remote().isWildcard()) return false;
        return localPort == null || e.local().port() == localPort;
    }

    /** Picked by this query: has matching sockets and reaches the threshold (when there is one). */
    public boolean selects(RemoteHostRow r) {
        return r.matched() > 0 && r.matched() >= threshold;
    }

    /** e.g. "remotes with at least 10 SYN_RECV connections on local port 80, per /24 and /64 network". */
    public String describe() {
        StringBuilder sb = new StringBuilder("remotes with ");
        sb.append(threshold > 0 ? "at least " + threshold : "any number of");
        sb.append(state == null ? " connections" : " " + state.name() + " connections");
        sb.append(localPort == null ? " on any local port" : " on local port " + localPort);
        if (grouping == Grouping.NETWORK) sb.append(", grouped per /" + Grouping.IPV4_PREFIX + " (IPv4) and /"
                + Grouping.IPV6_PREFIX + " (IPv6) network");
        return sb.toString();
    }
}
