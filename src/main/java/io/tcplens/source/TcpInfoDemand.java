package io.tcplens.source;

import java.util.Arrays;

/**
 * Which connections' traffic counters (the kernel's {@code tcp_info}) a poll must carry: none, every
 * full socket's ({@link #ALL}: what a sort by Sent or an export needs), or only those of the sockets
 * with these cookies ({@link #only}: the rows a person sees in the connections table). A netlink source
 * then dumps the table without tcp_info (at 100k sockets ~360 datagrams a poll instead of ~995) and asks
 * the kernel for these sockets alone, each by its 4-tuple and cookie. Immutable; the cookies are sorted.
 */
public final class TcpInfoDemand {
    public static final TcpInfoDemand NONE = new TcpInfoDemand(false, new long[0]);
    public static final TcpInfoDemand ALL = new TcpInfoDemand(true, new long[0]);

    private final boolean all;
    private final long[] cookies;

    private TcpInfoDemand(boolean all, long[] cookies) {
        this.all = all;
        this.cookies = cookies;
    }

    /** The counters of the sockets with these cookies only (none: {@link #NONE}). */
    public static TcpInfoDemand only(long... cookies) {
        if (cookies.length == 0) return NONE;
        long[] c = cookies.clone();
        Arrays.sort(c);
        int n = 0;
        for (int i = 0; i < c.length; i++) if (i == 0 || c[i] != c[i - 1]) c[n++] = c[i];
        return new TcpInfoDemand(false, n == c.length ? c : Arrays.copyOf(c, n));
    }

    /** Every full socket's counters. */
    public boolean all() {
        return all;
    }

    /** Whether no counters at all are wanted. */
    public boolean none() {
        return !all && cookies.length == 0;
    }

    /** The sockets' cookies when not {@link #all()} (sorted, no duplicate); a copy. */
    public long[] cookies() {
        return cookies.clone();
    }

    /** How many sockets are named. */
    public int count() {
        return cookies.length;
    }

    /** The i-th cookie named (sorted order). */
    public long cookie(int i) {
        return cookies[i];
    }

    /** Whether the socket with this cookie is named (or all are). */
    public boolean wants(long cookie) {
        return all || Arrays.binarySearch(cookies, cookie) >= 0;
    }

    /** What both want: all if either does, else the union of their sockets. */
    public TcpInfoDemand and(TcpInfoDemand o) {
        if (all || o.none()) return this;
        if (o.all || none()) return o;
        long[] u = Arrays.copyOf(cookies, cookies.length + o.cookies.length);
        System.arraycopy(o.cookies, 0, u, cookies.length, o.cookies.length);
        return only(u);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TcpInfoDemand d && d.all == all && Arrays.equals(d.cookies, cookies);
    }

    @Override
    public int hashCode() {
        return Boolean.hashCode(all) * 31 + Arrays.hashCode(cookies);
    }

    @Override
    public String toString() {
        return all ? "TcpInfoDemand[all]" : none() ? "TcpInfoDemand[none]" : "TcpInfoDemand[" + cookies.length + " sockets]";
    }
}
