package io.tcplens.analysis.timewait;

import io.tcplens.model.ConnectionKey;

/**
 * One TIME_WAIT socket on the 2MSL timeline.
 *
 * @param key            its 4-tuple
 * @param entryMillis    when it entered TIME_WAIT
 * @param entrySource    how that time is known
 * @param expiryMillis   when the kernel frees it
 * @param expiryFromKernel true when the expiry is the kernel's own timer, false when estimated from entry + duration
 * @param pid            last known owner, or null
 * @param process        last known owner's name, or null
 * @param outbound       true when this machine opened the connection (its local port is ephemeral, not a listening port)
 */
public record TimeWaitEntry(ConnectionKey key, long entryMillis, EntrySource entrySource, long expiryMillis,
                            boolean expiryFromKernel, Integer pid, String process, boolean outbound) {

    /** How the entry time is known. */
    public enum EntrySource {
        /** The tracker saw the socket change into TIME_WAIT (to within one poll interval). */
        OBSERVED,
        /** Derived from the kernel's remaining timer: now − (duration − remaining). */
        KERNEL_TIMER,
        /** Neither: the time it was first seen (the source gives no timer). */
        FIRST_SEEN
    }

    public long remainingMillis(long nowMillis) {
        return Math.max(0, expiryMillis - nowMillis);
    }

    public long ageMillis(long nowMillis) {
        return Math.max(0, nowMillis - entryMillis);
    }
}
