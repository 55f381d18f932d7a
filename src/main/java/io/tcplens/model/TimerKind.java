package io.tcplens.model;

/** The kernel timer pending on a socket (the {@code tr} column of /proc/net/tcp, ss's timer:). */
public enum TimerKind {
    /** Retransmission (also the SYN-ACK timer of a request socket). */
    RETRANSMIT("on"),
    /** Keep-alive, or the FIN_WAIT2 timer of an orphaned socket. */
    KEEPALIVE("keepalive"),
    /** The 2MSL timer of a TIME_WAIT socket. */
    TIME_WAIT("timewait"),
    /** Zero-window probe. */
    PROBE("persist");

    private final String ssName;

    TimerKind(String ssName) {
        this.ssName = ssName;
    }

    /** The name {@code ss -o} prints. */
    public String ssName() {
        return ssName;
    }

    /** Maps the /proc/net/tcp {@code tr} code; 0 (no timer) and unknown codes give null. */
    public static TimerKind fromProcCode(int code) {
        return switch (code) {
            case 1 -> RETRANSMIT;
            case 2 -> KEEPALIVE;
            case 3 -> TIME_WAIT;
            case 4 -> PROBE;
            default -> null;
        };
    }
}
