package io.tcplens.analysis.ports;

import io.tcplens.model.SourceInfo;
import io.tcplens.source.TimeWaitDuration;
import java.util.List;

/**
 * Ephemeral-port headroom of every destination this machine connects to.
 *
 * @param source            where the sockets came from
 * @param atMillis          time of the snapshot
 * @param range             the ephemeral range and where it came from (maybe unknown)
 * @param timeWait          the platform's TIME_WAIT duration and its origin
 * @param windowSeconds     how much time the measured rates cover (0 = no rate yet)
 * @param destinations      per destination, most used first
 * @param outboundSockets   connections this machine opened
 * @param inboundTimeWait   TIME_WAIT sockets on listening ports (the server here closed first; they use no ephemeral port)
 * @param timeWaitEntryRate entries into TIME_WAIT per second, all sockets
 */
public record PortReport(SourceInfo source, long atMillis, EphemeralPortRange range, TimeWaitDuration timeWait,
                         double windowSeconds, List<DestinationUsage> destinations, int outboundSockets,
                         int inboundTimeWait, double timeWaitEntryRate) {

    public PortReport {
        destinations = List.copyOf(destinations);
    }

    /** The highest sustainable rate of new connections closed first towards one destination: usable ÷ duration. */
    public double maxSustainableRate() {
        return range.known() ? range.usable() / (timeWait.millis() / 1000.0) : Double.NaN;
    }

    public boolean rateMeasured() {
        return windowSeconds > 0;
    }

    /** The most pressed destination, if any. */
    public DestinationUsage worst() {
        return destinations.isEmpty() ? null : destinations.get(0);
    }
}
