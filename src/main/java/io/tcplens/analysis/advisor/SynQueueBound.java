package io.tcplens.analysis.advisor;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * How many half-open connections (request sockets, SYN_RECV) the kernel keeps for the listeners of
 * one local port before it answers SYNs with cookies or drops them, as measured on Linux 6.18 in a
 * private namespace ({@code SynBacklogKernelTest}) and as {@code tcp_conn_request()} decides:
 * <ul>
 *   <li>{@code tcp_syncookies = 1} (the default): a listener keeps its listen() backlog + 1 (the
 *   backlog is capped by {@code net.core.somaxconn}); further SYNs get cookies (SyncookiesSent).
 *   {@code tcp_max_syn_backlog} plays no part: with it at 16, listen(128) held 40 of 40 and
 *   listen(8) held 9.</li>
 *   <li>{@code tcp_syncookies = 0}: the same backlog + 1, and for peers not yet proven alive at most
 *   {@code tcp_max_syn_backlog − tcp_max_syn_backlog/4 + 1} (13 for 16); beyond that SYNs are
 *   dropped (ListenDrops).</li>
 *   <li>{@code tcp_syncookies = 2}: every SYN gets a cookie; no request socket is kept.</li>
 * </ul>
 * Both bounds are per listener: SO_REUSEPORT listeners on one port each have their own. A listener's
 * backlog is its {@code sendQueue} on netlink; where the source does not give it (/proc, OSHI) the
 * bound is an upper one, from {@code somaxconn}.
 *
 * @param port          the local port
 * @param listeners     listening sockets on it
 * @param bound         request sockets the kernel keeps for them at most
 * @param limit         what sets the bound
 * @param backlog       the largest listen() backlog among them (as capped by somaxconn), or -1 when unknown
 * @param synRecv       request sockets on the port now
 */
public record SynQueueBound(int port, int listeners, long bound, Limit limit, long backlog, int synRecv) {

    /** What sets a port's bound. */
    public enum Limit {
        /** listen() backlog + 1 per listener; SYNs beyond it get cookies (tcp_syncookies = 1). */
        BACKLOG_COOKIES,
        /** listen() backlog + 1 per listener; SYNs beyond it are dropped (tcp_syncookies = 0). */
        BACKLOG_DROPS,
        /** tcp_max_syn_backlog − ¼ + 1 per listener, below the backlog (tcp_syncookies = 0). */
        MAX_SYN_BACKLOG,
        /** tcp_syncookies = 2: every SYN gets a cookie, none is kept. */
        ALWAYS_COOKIES
    }

    public boolean backlogKnown() {
        return backlog >= 0;
    }

    /** The port's queue is full: new SYNs get cookies or are dropped. */
    public boolean full() {
        return synRecv >= bound;
    }

    /** Request sockets one listener keeps at most under {@code tcp_syncookies = 0} with this tcp_max_syn_backlog. */
    public static long maxSynBacklogBound(long maxSynBacklog) {
        return maxSynBacklog - (maxSynBacklog >> 2) + 1;
    }

    /** The bound of every port with a listener, lowest port first. */
    public static List<SynQueueBound> of(List<SocketEntry> sockets, KernelSettings settings) {
        Map<Integer, long[]> ports = new TreeMap<>(); // port -> {listeners, bound, maxBacklog(-1), limitOrdinal, synRecv}
        OptionalLong somax = settings.number(KernelSettings.SOMAXCONN);
        OptionalLong msb = settings.number(KernelSettings.MAX_SYN_BACKLOG);
        String cookies = settings.value(KernelSettings.SYNCOOKIES).orElse("1").trim();
        for (SocketEntry e : sockets) {
            if (e.state() != TcpState.LISTEN) continue;
            long[] p = ports.computeIfAbsent(e.local().port(), k -> new long[] {0, 0, -1, Limit.BACKLOG_COOKIES.ordinal(), 0});
            p[0]++;
            // the backlog as the kernel holds it (sk_max_ack_backlog: already capped by somaxconn), or somaxconn at most
            long b = e.hasSendQueue() ? e.sendQueue() : somax.orElse(4096);
            if (e.hasSendQueue()) p[2] = Math.max(p[2], b);
            long one = b + 1;
            Limit lim = Limit.BACKLOG_COOKIES;
            if ("2".equals(cookies)) {
                one = 0;
                lim = Limit.ALWAYS_COOKIES;
            } else if ("0".equals(cookies)) {
                lim = Limit.BACKLOG_DROPS;
                if (msb.isPresent() && maxSynBacklogBound(msb.getAsLong()) < one) {
                    one = maxSynBacklogBound(msb.getAsLong());
                    lim = Limit.MAX_SYN_BACKLOG;
                }
            }
            p[1] += one;
            if (lim == Limit.MAX_SYN_BACKLOG || lim == Limit.ALWAYS_COOKIES) p[3] = lim.ordinal();
            else if (p[3] != Limit.MAX_SYN_BACKLOG.ordinal()) p[3] = lim.ordinal();
        }
        for (SocketEntry e : sockets) {
            if (e.state() != TcpState.SYN_RECV) continue;
            long[] p = ports.get(e.local().port());
            if (p != null) p[4]++;
        }
        List<SynQueueBound> out = new ArrayList<>(ports.size());
        for (Map.Entry<Integer, long[]> en : ports.entrySet()) {
            long[] p = en.getValue();
            out.add(new SynQueueBound(en.getKey(), (int) p[0], p[1], Limit.values()[(int) p[3]], p[2], (int) p[4]));
        }
        return out;
    }
}
