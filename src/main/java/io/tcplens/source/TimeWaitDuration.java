package io.tcplens.source;

/**
 * How long the platform keeps a socket in TIME_WAIT.
 *
 * @param millis the duration
 * @param origin where the figure came from, for display
 */
public record TimeWaitDuration(long millis, String origin) {
    /** Linux: TCP_TIMEWAIT_LEN, fixed at 60 s in include/net/tcp.h (not a sysctl). */
    public static final TimeWaitDuration LINUX = new TimeWaitDuration(60_000,
            "Linux TCP_TIMEWAIT_LEN (fixed 60 s, include/net/tcp.h)");
    /** Windows default when TcpTimedWaitDelay is not set. */
    public static final TimeWaitDuration WINDOWS_DEFAULT = new TimeWaitDuration(120_000,
            "Windows default (TcpTimedWaitDelay not set: 120 s)");
}
