package io.tcplens.model;

import java.util.Arrays;
import java.util.Objects;

/**
 * Traffic counters ({@link TcpInfo}) read for a few sockets, by socket cookie: what a poll that reads the
 * counters of the rows in view only publishes beside its table (the table's rows carry none), and what an
 * exact lookup at copy or export time found. A table shows a row's counters from here when its row carries
 * none, so such a poll allocates nothing proportional to the table for them (at 100k rows, ~40 readings
 * instead of a copy of the row list). Also says which sockets were asked for but had closed (or had another
 * socket's 4-tuple) by then. Immutable; the cookies are sorted.
 */
public final class TcpInfoReadings {
    public static final TcpInfoReadings NONE = new TcpInfoReadings(0, new long[0], new TcpInfo[0], new long[0]);

    private final long readAtMillis;
    private final long[] cookies;
    private final TcpInfo[] counters;
    private final long[] gone;

    private TcpInfoReadings(long readAtMillis, long[] cookies, TcpInfo[] counters, long[] gone) {
        this.readAtMillis = readAtMillis;
        this.cookies = cookies;
        this.counters = counters;
        this.gone = gone;
    }

    /**
     * @param readAtMillis when they were read (epoch ms)
     * @param cookies      the sockets read (any order; the first {@code n})
     * @param counters     their counters, each non-null
     * @param gone         sockets asked for that had closed (the kernel answered ENOENT, or ESTALE: the 4-tuple is
     *                     another socket's now); may be null
     */
    public static TcpInfoReadings of(long readAtMillis, long[] cookies, TcpInfo[] counters, int n, long[] gone) {
        long[] g = gone == null ? new long[0] : gone.clone();
        Arrays.sort(g);
        if (n == 0 && g.length == 0) return NONE;
        Integer[] idx = new Integer[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Long.compare(cookies[a], cookies[b]));
        long[] c = new long[n];
        TcpInfo[] t = new TcpInfo[n];
        for (int i = 0; i < n; i++) {
            c[i] = cookies[idx[i]];
            t[i] = Objects.requireNonNull(counters[idx[i]]);
        }
        return new TcpInfoReadings(readAtMillis, c, t, g);
    }

    /** The counters read for the socket with this cookie, or null (not read). */
    public TcpInfo get(long cookie) {
        int i = Arrays.binarySearch(cookies, cookie);
        return i >= 0 ? counters[i] : null;
    }

    /** Whether the socket with this cookie was asked for and had closed by then (its counters cannot be read). */
    public boolean gone(long cookie) {
        return Arrays.binarySearch(gone, cookie) >= 0;
    }

    /** How many sockets' counters were read. */
    public int size() {
        return cookies.length;
    }

    public boolean isEmpty() {
        return cookies.length == 0;
    }

    /** When they were read (epoch ms; 0 for {@link #NONE}). */
    public long readAtMillis() {
        return readAtMillis;
    }

    /** The row with its counters from here when it carries none and they were read; else the row itself. */
    public SocketEntry applyTo(SocketEntry e) {
        if (e.tcpInfo() != null || cookies.length == 0 || !e.hasCookie()) return e;
        TcpInfo t = get(e.cookie());
        return t == null ? e : e.withTcpInfo(t);
    }

    @Override
    public String toString() {
        return "TcpInfoReadings[" + cookies.length + " read, " + gone.length + " gone]";
    }
}
