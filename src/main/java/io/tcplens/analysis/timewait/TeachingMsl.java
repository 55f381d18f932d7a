package io.tcplens.analysis.timewait;

/**
 * A Maximum Segment Lifetime chosen by the user to explain 2MSL (e.g. RFC 793's 2 minutes). It is
 * drawn as marks on the timeline and always labelled as a teaching value; it never replaces the
 * kernel's own timer, which decides when a live socket leaves TIME_WAIT.
 *
 * @param millis one MSL
 * @param label  what it is, e.g. "RFC 793: MSL = 2 min (teaching value)"
 */
public record TeachingMsl(long millis, String label) {
    /** RFC 793 section 3.3 suggested an MSL of 2 minutes (RFC 9293 keeps MSL as a parameter). */
    public static final TeachingMsl RFC_793 = new TeachingMsl(120_000, "RFC 793 MSL = 2 min (teaching value, not this kernel's timer)");

    public TeachingMsl {
        if (millis <= 0) throw new IllegalArgumentException("MSL must be positive");
    }

    /** An MSL equal to half the platform's TIME_WAIT, which is how the platforms define it (Linux 60 s = 2 × 30 s). */
    public static TeachingMsl halfOf(long timeWaitMillis, String origin) {
        return new TeachingMsl(timeWaitMillis / 2, "MSL = TIME_WAIT ÷ 2 = " + (timeWaitMillis / 2000) + " s (" + origin + ")");
    }

    public long twoMsl() {
        return 2 * millis;
    }
}
