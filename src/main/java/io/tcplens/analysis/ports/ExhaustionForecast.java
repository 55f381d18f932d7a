package io.tcplens.analysis.ports;

import java.util.Arrays;

/**
 * When a destination's ephemeral ports run out if connections keep closing at the measured rate.
 * Model: ports held by other states stay held; each existing TIME_WAIT socket frees its port when
 * its timer runs out; each new active close holds a port for the full TIME_WAIT duration. So usage
 * at time t (seconds from now) is {@code other + alive(t) + rate·min(t, D)}, which settles at the
 * steady state {@code other + rate·D}.
 *
 * @param usable             ports the OS can pick
 * @param inUseNow           ports in use now
 * @param steadyState        ports in use once the rate has run for a full TIME_WAIT duration
 * @param maxSustainableRate new connections per second that can be closed first without running out (usable ÷ D)
 * @param secondsToExhaustion seconds until every usable port is held, 0 when already; null when the rate never gets there
 */
public record ExhaustionForecast(int usable, int inUseNow, double steadyState, double maxSustainableRate,
                                 Double secondsToExhaustion) {

    public boolean exhaustedNow() {
        return secondsToExhaustion != null && secondsToExhaustion == 0;
    }

    public boolean willExhaust() {
        return secondsToExhaustion != null;
    }

    /**
     * @param usable           ports the OS can pick (> 0)
     * @param otherInUse       ports held by sockets not in TIME_WAIT
     * @param timeWaitRemainingMs remaining time of each TIME_WAIT socket holding one of these ports
     * @param ratePerSecond    active closes per second (entries into TIME_WAIT)
     * @param durationMs       the platform's TIME_WAIT duration
     */
    public static ExhaustionForecast compute(int usable, int otherInUse, long[] timeWaitRemainingMs,
                                             double ratePerSecond, long durationMs) {
        long[] rem = timeWaitRemainingMs.clone();
        return computeSorting(usable, otherInUse, rem, rem.length, ratePerSecond, durationMs);
    }

    /**
     * As {@link #compute} on the first {@code n} values of {@code timeWaitRemainingMs}, which it clamps and
     * sorts in place (a caller's scratch array: no copy per destination and report).
     */
    static ExhaustionForecast computeSorting(int usable, int otherInUse, long[] timeWaitRemainingMs, int n,
                                             double ratePerSecond, long durationMs) {
        if (usable <= 0) throw new IllegalArgumentException("usable ports must be positive");
        if (durationMs <= 0) throw new IllegalArgumentException("TIME_WAIT duration must be positive");
        double d = durationMs / 1000.0;
        double rate = Math.max(0, ratePerSecond);
        long[] rem = timeWaitRemainingMs;
        for (int i = 0; i < n; i++) rem[i] = Math.min(Math.max(0, rem[i]), durationMs);
        Arrays.sort(rem, 0, n);
        int inUse = otherInUse + n;
        double steady = otherInUse + rate * d;
        double maxRate = usable / d;
        Double when = null;
        if (inUse >= usable) when = 0.0;
        else if (rate > 0) {
            // walk the segments between expiries: alive is constant inside each
            double start = 0;
            for (int i = 0; i <= n && when == null; i++) {
                double end = i < n ? rem[i] / 1000.0 : d;
                int alive = n - i;
                double t = (usable - otherInUse - alive) / rate;
                if (t < start) t = start; // reached at the very start of this segment
                if (t < end || (i == n && t <= end)) when = t;
                start = end;
            }
        }
        return new ExhaustionForecast(usable, inUse, steady, maxRate, when);
    }
}
