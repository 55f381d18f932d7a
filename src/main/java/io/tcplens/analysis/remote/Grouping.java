package io.tcplens.analysis.remote;

/** How remote addresses are grouped into rows. */
public enum Grouping {
    /** One row per remote address. */
    ADDRESS,
    /** One row per remote network: /24 for IPv4, /64 for IPv6. */
    NETWORK;

    public static final int IPV4_PREFIX = 24;
    public static final int IPV6_PREFIX = 64;
}
