package io.tcplens.analysis.ports;

import io.tcplens.common.Units;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.TimeWaitDuration;
import java.util.List;
import java.util.Locale;

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
 * @param coarse            set when the poll interval is too coarse for the TIME_WAIT takeovers measured in the
 *                          whole table (timeWaitEntryRate may then be low), else null
 */
public record PortReport(SourceInfo source, long atMillis, EphemeralPortRange range, TimeWaitDuration timeWait,
                         double windowSeconds, List<DestinationUsage> destinations, int outboundSockets,
                         int inboundTimeWait, double timeWaitEntryRate, CloseRateMeter.Coarse coarse) {

    public PortReport {
        destinations = List.copyOf(destinations);
    }

    /** The highest sustainable rate of new connections closed first towards one destination: usable ÷ duration. */
    public double maxSustainableRate() {
        return range.known() ? range.usable() / (timeWait.millis() / 1000.0) : Double.NaN;
    }

    /**
     * One line for a coarse interval: what it misses and what to poll at instead (English, for the
     * command line; the window words it from its own bundle).
     */
    public static String coarseText(CloseRateMeter.Coarse c) {
        return String.format(Locale.ROOT, "the poll interval (%s) is too coarse for this rate: each of its %d TIME_WAIT"
                        + " 4-tuple(s) is taken over every %s or more often (%.1f takeovers/s measured), and one taken over twice"
                        + " between two polls counts once, so the true close rate may be higher; poll every %s or faster",
                shortDuration(c.intervalMillis()), c.tuples(), shortDuration(c.tupleEveryMillis()),
                c.takeoversPerSecond(), shortDuration(c.suggestedMillis()));
    }

    /** {@code 600 ms}, {@code 2.5 s}, {@code 12 s}: sub-second intervals must not round to whole seconds. */
    public static String shortDuration(long ms) {
        if (ms < 1000) return ms + " ms";
        if (ms < 10_000) return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        return Units.duration(ms);
    }

    public boolean rateMeasured() {
        return windowSeconds > 0;
    }

    /** The most pressed destination, if any. */
    public DestinationUsage worst() {
        return destinations.isEmpty() ? null : destinations.get(0);
    }
}
