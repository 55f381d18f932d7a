package io.tcplens.source.linux;

import com.carrotsearch.hppc.LongObjectHashMap;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpInfo;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes per second between two polls, per kernel socket: each row's {@code tcp_info} counters
 * against those of the same socket cookie at the previous poll. A cookie names one socket for its
 * whole life, so a new connection on a reused 4-tuple starts again without rates instead of showing
 * a negative or inflated one. A row seen for the first time has no rates (NaN). Not thread-safe:
 * the owning source polls under its own lock.
 */
final class TcpInfoRates {
    private record Seen(long at, long sent, long received) {}

    private LongObjectHashMap<Seen> previous = new LongObjectHashMap<>();

    /** The rows with rates filled in where the previous poll saw the same socket; remembers this poll. */
    List<SocketEntry> apply(List<SocketEntry> rows, long now) {
        LongObjectHashMap<Seen> seen = new LongObjectHashMap<>(Math.max(16, previous.size()));
        List<SocketEntry> out = new ArrayList<>(rows.size());
        for (SocketEntry e : rows) {
            TcpInfo t = e.tcpInfo();
            if (t == null || !e.hasCookie()) {
                out.add(e);
                continue;
            }
            seen.put(e.cookie(), new Seen(now, t.bytesSent(), t.bytesReceived()));
            Seen before = previous.get(e.cookie());
            if (before == null || now <= before.at()) {
                out.add(e);
                continue;
            }
            double seconds = (now - before.at()) / 1000.0;
            out.add(e.withTcpInfo(t.withRates(rate(before.sent(), t.bytesSent(), seconds),
                    rate(before.received(), t.bytesReceived(), seconds))));
        }
        previous = seen;
        return out;
    }

    /** A poll without tcp_info: the rows as they are; the next poll with tcp_info starts without rates. */
    List<SocketEntry> none(List<SocketEntry> rows) {
        if (!previous.isEmpty()) previous = new LongObjectHashMap<>();
        return rows;
    }

    private static double rate(long before, long now, double seconds) {
        if (before == TcpInfo.UNKNOWN || now == TcpInfo.UNKNOWN || now < before) return Double.NaN;
        return (now - before) / seconds;
    }
}
