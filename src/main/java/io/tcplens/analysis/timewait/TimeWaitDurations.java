package io.tcplens.analysis.timewait;

import io.tcplens.model.SourceInfo;
import io.tcplens.source.TimeWaitDuration;
import java.util.Locale;

/**
 * The TIME_WAIT duration to assume for a snapshot when only its {@link SourceInfo} is at hand (the
 * source object itself answers {@code timeWaitDuration()} exactly; prefer that where available).
 * The origin text says it is assumed, so the figure is never passed off as read.
 */
public final class TimeWaitDurations {
    private TimeWaitDurations() {}

    public static TimeWaitDuration assumedFor(SourceInfo source) {
        String name = source == null ? "" : source.name();
        if (name.equals("oshi")) {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (os.contains("win")) return new TimeWaitDuration(120_000,
                    "Windows default 120 s (assumed: TcpTimedWaitDelay not read here)");
            if (os.contains("mac")) return new TimeWaitDuration(30_000,
                    "macOS default 2 × net.inet.tcp.msl 15 s (assumed: not read here)");
        }
        return TimeWaitDuration.LINUX;
    }
}
