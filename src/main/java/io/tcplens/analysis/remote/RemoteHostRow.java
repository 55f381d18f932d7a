package io.tcplens.analysis.remote;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.TcpState;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;

/**
 * One remote address or network and what it is doing to this machine.
 *
 * @param address        the address, or the network address of the group (host bits zero)
 * @param prefixLength   32/128 for one address, 24/64 for a network
 * @param label          e.g. "203.0.113.7" or "203.0.113.0/24"
 * @param total          its counted sockets
 * @param byState        counted sockets per state (only states present)
 * @param matched        sockets that count against the query's threshold (the query's state, or total)
 * @param overThreshold  the query has a threshold and {@code matched} reaches it
 * @param localPorts     local ports it is connected to, ascending
 * @param processes      local processes involved (names; last-known owners included), sorted
 * @param firstSeenMillis when the table first saw this remote (kept across its connections while it stays active)
 * @param lastNewMillis  when the newest of its current connections first appeared
 * @param newPerSecond   new connections per second over the recent window; NaN until two polls were seen
 * @param connections    the 4-tuples of its counted sockets, each once (for cross-view selection)
 */
public record RemoteHostRow(InetAddress address, int prefixLength, String label, int total, Map<TcpState, Integer> byState,
                            int matched, boolean overThreshold, List<Integer> localPorts, List<String> processes,
                            long firstSeenMillis, long lastNewMillis, double newPerSecond, List<ConnectionKey> connections) {

    public int count(TcpState s) {
        return byState.getOrDefault(s, 0);
    }

    public boolean isNetwork() {
        return prefixLength != address.getAddress().length * 8;
    }

    /** The address or CIDR as text, ready for {@code --ip} or the export. */
    public String cidr() {
        return label;
    }
}
