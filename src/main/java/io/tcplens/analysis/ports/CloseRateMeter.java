package io.tcplens.analysis.ports;

import io.tcplens.engine.PollResult;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.StateChange;
import io.tcplens.model.TcpState;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Measures, from the diffs of consecutive polls over a rolling window, how fast connections enter
 * TIME_WAIT (each such entry is an active close that holds its 4-tuple for the TIME_WAIT duration)
 * per destination, on the client side and the server side, and how fast connections disappear.
 * A connection that opened and reached TIME_WAIT between two polls is counted (it shows up as
 * opened in TIME_WAIT), so short connections are not missed. Not thread-safe.
 */
public final class CloseRateMeter {
    private record Sample(long fromMillis, long toMillis, Map<Destination, Integer> outbound, int outboundTotal,
                          int inbound, int closed) {}

    private final long windowMillis;
    private final Deque<Sample> samples = new ArrayDeque<>();

    public CloseRateMeter(long windowMillis) {
        if (windowMillis <= 0) throw new IllegalArgumentException("window must be positive");
        this.windowMillis = windowMillis;
    }

    public long windowMillis() {
        return windowMillis;
    }

    /** Adds one poll; the first poll of a session (no earlier snapshot) only starts the clock. */
    public void observe(PollResult r) {
        observe(r.diff(), Listeners.of(r.snapshot().sockets()));
    }

    public void observe(SnapshotDiff diff, Listeners listeners) {
        if (diff.fromMillis() <= 0 || diff.toMillis() <= diff.fromMillis()) return;
        Map<Destination, Integer> out = new HashMap<>();
        int[] counts = new int[2];
        for (StateChange c : diff.transitions())
            if (c.to() == TcpState.TIME_WAIT) count(c.current(), listeners, out, counts);
        for (SocketEntry e : diff.opened())
            if (e.state() == TcpState.TIME_WAIT) count(e, listeners, out, counts);
        samples.addLast(new Sample(diff.fromMillis(), diff.toMillis(), out, counts[0], counts[1], diff.closed().size()));
        while (samples.size() > 1 && diff.toMillis() - samples.peekFirst().toMillis() >= windowMillis)
            samples.removeFirst();
    }

    private static void count(SocketEntry e, Listeners l, Map<Destination, Integer> out, int[] counts) {
        if (l.isInbound(e)) counts[1]++;
        else if (l.isOutbound(e)) {
            out.merge(Destination.of(e), 1, Integer::sum);
            counts[0]++;
        }
    }

    /** Milliseconds the window covers now (0 before two polls). */
    public long spanMillis() {
        if (samples.isEmpty()) return 0;
        return samples.peekLast().toMillis() - samples.peekFirst().fromMillis();
    }

    public boolean hasRate() {
        return spanMillis() > 0;
    }

    /** Outgoing connections to {@code d} that entered TIME_WAIT within the window. */
    public int outboundEntries(Destination d) {
        int n = 0;
        for (Sample s : samples) n += s.outbound.getOrDefault(d, 0);
        return n;
    }

    /** Active closes per second towards {@code d} (entries into TIME_WAIT on this side); 0 before two polls. */
    public double outboundRate(Destination d) {
        long span = spanMillis();
        return span == 0 ? 0 : outboundEntries(d) * 1000.0 / span;
    }

    /** Destinations with at least one entry into TIME_WAIT in the window. */
    public Set<Destination> destinations() {
        Map<Destination, Integer> all = new HashMap<>();
        for (Sample s : samples) s.outbound.forEach((k, v) -> all.merge(k, v, Integer::sum));
        return all.keySet();
    }

    /** Entries into TIME_WAIT per second, all sockets (client and server side). */
    public double timeWaitEntryRate() {
        long span = spanMillis();
        if (span == 0) return 0;
        long n = 0;
        for (Sample s : samples) n += s.outboundTotal + s.inbound;
        return n * 1000.0 / span;
    }

    /** Entries into TIME_WAIT per second on accepted (server-side) connections. */
    public double inboundTimeWaitRate() {
        long span = spanMillis();
        if (span == 0) return 0;
        long n = 0;
        for (Sample s : samples) n += s.inbound;
        return n * 1000.0 / span;
    }

    /** Connections that left the table per second (any reason: TIME_WAIT expiry, LAST_ACK done, reset). */
    public double disappearRate() {
        long span = spanMillis();
        if (span == 0) return 0;
        long n = 0;
        for (Sample s : samples) n += s.closed;
        return n * 1000.0 / span;
    }
}
