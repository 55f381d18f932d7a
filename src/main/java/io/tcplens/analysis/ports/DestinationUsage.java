package io.tcplens.analysis.ports;

import io.tcplens.model.TcpState;
import java.util.Map;

/**
 * Ephemeral-port use towards one destination.
 *
 * @param destination   local address → remote address:port
 * @param inUse         sockets holding an ephemeral port of this bucket (one port each)
 * @param outsideRange  sockets towards it whose local port was bound explicitly outside the ephemeral range
 * @param byState       those sockets per state (in range and outside)
 * @param usable        ports the OS can pick, or 0 when the range is unknown
 * @param closesPerSecond active closes (entries into TIME_WAIT) per second, measured over the window
 * @param steadyStateTimeWait TIME_WAIT sockets this rate keeps alive: rate × duration
 * @param forecast      headroom maths, or null when the range is unknown
 * @param level         how close to running out
 * @param coarse        set when the poll interval is too coarse for the takeovers measured towards it (the
 *                      close rate may then be higher than measured), else null
 */
public record DestinationUsage(Destination destination, int inUse, int outsideRange, Map<TcpState, Integer> byState,
                               int usable, double closesPerSecond, double steadyStateTimeWait,
                               ExhaustionForecast forecast, Level level, CloseRateMeter.Coarse coarse) {

    public enum Level {
        /** Plenty of headroom. */
        OK,
        /** Half the range is held, or the steady state reaches 80 %, or exhaustion within 10 minutes. */
        WARNING,
        /** Out of ports now, within a minute, or 90 % held. */
        CRITICAL
    }

    public DestinationUsage {
        byState = Map.copyOf(byState);
    }

    /** Fraction of usable ports held, or NaN when the range is unknown. */
    public double fraction() {
        return usable > 0 ? (double) inUse / usable : Double.NaN;
    }

    public int timeWait() {
        return byState.getOrDefault(TcpState.TIME_WAIT, 0);
    }

    /** Share of a destination's usable ports held from which it is a WARNING / CRITICAL: the one rule for every view. */
    public static final double WARNING_SHARE = 0.5, CRITICAL_SHARE = 0.9;

    /**
     * The level for {@code held} of {@code usable} ports alone (no rate): what the header tile and the
     * TIME_WAIT tab both use. OK when {@code usable} is not positive (unknown range).
     */
    public static Level levelOfShare(int held, int usable) {
        if (usable <= 0) return Level.OK;
        double frac = (double) held / usable;
        return frac >= CRITICAL_SHARE ? Level.CRITICAL : frac >= WARNING_SHARE ? Level.WARNING : Level.OK;
    }

    static Level level(ExhaustionForecast f) {
        if (f == null) return Level.OK;
        Level share = levelOfShare(f.inUseNow(), f.usable());
        Double t = f.secondsToExhaustion();
        if ((t != null && t < 60) || share == Level.CRITICAL) return Level.CRITICAL;
        if ((t != null && t <= 600) || share == Level.WARNING || f.steadyState() >= 0.8 * f.usable()) return Level.WARNING;
        return Level.OK;
    }
}
