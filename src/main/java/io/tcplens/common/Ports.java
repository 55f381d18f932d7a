package io.tcplens.common;

/**
 * The one definition of what a TCP port number is, for every parser and option check: 0 to 65535, and
 * 1 to 65535 where a real port is meant (0 is "any" to {@code bind()}, never a connection's port).
 */
public final class Ports {
    /** The highest TCP port. */
    public static final int MAX = 65535;

    private Ports() {}

    /** 0..65535: a port field as the kernel stores it (0 for a wildcard remote). */
    public static boolean isPort(long p) {
        return p >= 0 && p <= MAX;
    }

    /** 1..65535: a port something can listen on or connect to. */
    public static boolean isUsablePort(long p) {
        return p >= 1 && p <= MAX;
    }

    /** {@code first..last}, both usable ports, in order: a port range such as the ephemeral one. */
    public static boolean isRange(long first, long last) {
        return isUsablePort(first) && isUsablePort(last) && first <= last;
    }
}
