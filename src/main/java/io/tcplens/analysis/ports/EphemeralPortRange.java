package io.tcplens.analysis.ports;

import io.tcplens.common.Ports;
import io.tcplens.common.Units;
import java.util.BitSet;
import java.util.List;

/**
 * The local ports the OS picks from for outgoing connections that did not bind a port, and where
 * that figure came from. When the platform's range cannot be read, {@link #known()} is false and
 * every count is unknown: nothing is assumed.
 *
 * @param known    whether the range was read
 * @param first    lowest port (inclusive); 0 when unknown
 * @param last     highest port (inclusive); 0 when unknown
 * @param reserved ports inside the range the OS will not pick (Linux {@code ip_local_reserved_ports})
 * @param origin   where the figures came from, or why they are unknown
 * @param reuse    when connect() may take over a TIME_WAIT port ({@link TimeWaitReuse#NONE} when unknown)
 */
public record EphemeralPortRange(boolean known, int first, int last, List<PortSpan> reserved, String origin,
                                 TimeWaitReuse reuse) {

    public EphemeralPortRange(boolean known, int first, int last, List<PortSpan> reserved, String origin) {
        this(known, first, last, reserved, origin, TimeWaitReuse.NONE);
    }

    /** This range with the platform's TIME_WAIT takeover rule. */
    public EphemeralPortRange withReuse(TimeWaitReuse r) {
        return new EphemeralPortRange(known, first, last, reserved, origin, r);
    }

    public EphemeralPortRange {
        reserved = List.copyOf(reserved);
        if (reuse == null) reuse = TimeWaitReuse.NONE;
        if (known && !Ports.isRange(first, last))
            throw new IllegalArgumentException("bad ephemeral port range " + first + "-" + last);
    }

    public static EphemeralPortRange of(int first, int last, List<PortSpan> reserved, String origin) {
        return new EphemeralPortRange(true, first, last, reserved, origin);
    }

    public static EphemeralPortRange unknown(String why) {
        return new EphemeralPortRange(false, 0, 0, List.of(), why);
    }

    /** Ports in the range, reserved ones included. */
    public int size() {
        return known ? last - first + 1 : 0;
    }

    /** Ports the OS can actually pick: the range minus reserved ports inside it; 0 when unknown. */
    public int usable() {
        if (!known) return 0;
        BitSet r = new BitSet();
        for (PortSpan s : reserved) {
            int a = Math.max(s.first(), first), b = Math.min(s.last(), last);
            if (a <= b) r.set(a, b + 1);
        }
        return size() - r.cardinality();
    }

    /** Whether the OS could have picked this port by itself (in range and not reserved). */
    public boolean isEphemeral(int port) {
        if (!known || port < first || port > last) return false;
        // by index: an iterator per call was 5 MB a minute at 100k (the port report asks per socket)
        for (int i = 0; i < reserved.size(); i++) if (reserved.get(i).contains(port)) return false;
        return true;
    }

    /** "32768–60999 (28,232 usable)" or "unknown". */
    public String describe() {
        if (!known) return "unknown";
        String r = first + "–" + last + " (" + Units.count(usable()) + " usable";
        return reserved.isEmpty() ? r + ")" : r + ", reserved " + PortSpan.format(reserved) + ")";
    }
}
