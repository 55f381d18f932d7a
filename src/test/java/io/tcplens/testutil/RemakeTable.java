package io.tcplens.testutil;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.List;

/**
 * The burst table's remake in rows (the window harness's default churn): {@code n} sockets of which every
 * {@code everyNth} is in TIME_WAIT; at the remake each TIME_WAIT row is gone and a new TIME_WAIT socket (another
 * 4-tuple) is listed at its place. At 100k with every 3.5th: 28k gone and 28k new in one table.
 */
public final class RemakeTable {
    private RemakeTable() {}

    /** Whether place {@code i} holds a TIME_WAIT row (28 of every 100). */
    public static boolean timeWait(int i) {
        return i % 25 < 7;
    }

    /** The table before the remake: {@code n} rows, 4-tuples 0..n-1. */
    public static List<SocketEntry> before(int n) {
        List<SocketEntry> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) rows.add(row(i, timeWait(i)));
        return rows;
    }

    /** The table after it: {@code before}'s rows again (the same objects), but each TIME_WAIT one replaced by a new 4-tuple. */
    public static List<SocketEntry> after(List<SocketEntry> before) {
        int n = before.size();
        List<SocketEntry> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) rows.add(timeWait(i) ? row(n + i, true) : before.get(i));
        return rows;
    }

    /** Row number {@code i}'s 4-tuple on loopback (up to 200k distinct). */
    public static SocketEntry row(int i, boolean timeWait) {
        return Rows.row(10_000 + i / 50_000, 1 + i % 50_000, timeWait ? TcpState.TIME_WAIT : TcpState.ESTABLISHED, null,
                timeWait ? 60_000L : null);
    }
}
