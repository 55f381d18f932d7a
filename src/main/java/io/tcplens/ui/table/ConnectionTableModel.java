package io.tcplens.ui.table;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The connections table's view-model, plain Java (no toolkit), run off the FX thread: marks new
 * connections for {@code highlightMillis}, keeps closed ones as CLOSED rows for the same time, then
 * drops them; filters and sorts. Not thread-safe: one background thread owns it.
 */
public final class ConnectionTableModel {
    private final long highlightMillis;
    private final Map<ConnectionKey, Long> openedAt = new HashMap<>();
    private final Map<ConnectionKey, Closed> closed = new HashMap<>();
    private boolean first = true;

    private record Closed(SocketEntry entry, long at, long stateSince) {}

    public ConnectionTableModel(long highlightMillis) {
        this.highlightMillis = highlightMillis;
    }

    /** Takes every poll since the last call (oldest first) so no open/close is missed. */
    public void accept(List<PollResult> batch) {
        for (PollResult r : batch) {
            long now = r.snapshot().timestampMillis();
            if (r.error() != null) continue;
            if (!first) {
                for (SocketEntry e : r.diff().opened()) {
                    openedAt.put(e.key(), now);
                    closed.remove(e.key());
                }
            }
            for (SocketEntry e : r.diff().closed()) {
                openedAt.remove(e.key());
                closed.put(e.key(), new Closed(e, now, now));
            }
            first = false;
        }
    }

    /** Rows for the latest poll at wall time {@code now}: live rows plus recently closed ones, filtered and sorted. */
    public List<ConnectionRow> rows(PollResult latest, long now, ConnectionFilter filter, Comparator<ConnectionRow> order) {
        expire(now);
        Map<ConnectionKey, TrackedConnection> conns = latest.connections();
        List<ConnectionRow> out = new ArrayList<>(conns.size() + closed.size());
        long pollTime = latest.snapshot().timestampMillis();
        for (TrackedConnection c : conns.values()) {
            SocketEntry e = c.entry();
            if (!filter.test(e)) continue;
            Long at = openedAt.get(e.key());
            ConnectionRow.Status st = at != null ? ConnectionRow.Status.NEW : ConnectionRow.Status.NORMAL;
            // in this state since before the first poll (not a TIME_WAIT dated by its kernel timer): a minimum
            boolean minimum = !c.stateSinceObserved() && !(e.state() == TcpState.TIME_WAIT && e.timerRemainingMs() != null);
            out.add(new ConnectionRow(e, st, c.timeInStateMillis(pollTime), c.stateSinceMillis(), minimum,
                    latest.snapshot().holders().of(e.inode())));
        }
        for (Closed c : closed.values()) {
            if (conns.containsKey(c.entry().key()) || !filter.test(c.entry())) continue;
            out.add(new ConnectionRow(c.entry(), ConnectionRow.Status.CLOSED, -1, c.stateSince()));
        }
        return sort(out, order);
    }

    /**
     * Rows that just closed go below the live ones whatever the sort: they are leaving, not the news.
     * A sort by one of the table's columns runs on arrays filled once per row — a long for a numeric
     * column, the text for the process column — and the connection keys' packed endpoints, with an
     * index merge sort (HPPC): no comparator chain walking objects per comparison (at 100k rows that
     * was most of the window's CPU). Any other comparator sorts the rows directly.
     */
    static List<ConnectionRow> sort(List<ConnectionRow> rows, Comparator<ConnectionRow> order) {
        Comparator<ConnectionRow> closedLast = Comparator.comparing(r -> r.status() == ConnectionRow.Status.CLOSED);
        boolean text = order instanceof ConnectionColumn.Order o && o.column() == ConnectionColumn.PROCESS;
        if (!(order instanceof ConnectionColumn.Order o) || (o.column().key() == null && !text)) {
            rows.sort(order != null ? closedLast.thenComparing(order) : closedLast);
            return rows;
        }
        int n = rows.size();
        ConnectionRow[] r = rows.toArray(new ConnectionRow[0]);
        long[] k = new long[n];
        String[] s = text ? new String[n] : null;
        boolean[] closed = new boolean[n];
        ToLongFunction<ConnectionRow> key = o.column().key();
        for (int i = 0; i < n; i++) {
            if (text) s[i] = r[i].processText();
            else k[i] = key.applyAsLong(r[i]);
            closed[i] = r[i].status() == ConnectionRow.Status.CLOSED;
        }
        boolean remote = o.column() == ConnectionColumn.REMOTE;
        int sign = o.ascending() ? 1 : -1;
        int[] idx = com.carrotsearch.hppc.sorting.IndirectSort.mergesort(0, n, (a, b) -> {
            if (closed[a] != closed[b]) return closed[a] ? 1 : -1;
            int c = text ? s[a].compareTo(s[b]) : Long.compare(k[a], k[b]);
            if (c == 0 && remote && k[a] == Long.MAX_VALUE) c = r[a].key().remote().compareTo(r[b].key().remote());
            if (c == 0) c = r[a].key().compareTo(r[b].key());
            return sign * c;
        });
        List<ConnectionRow> out = new ArrayList<>(n);
        for (int i : idx) out.add(r[i]);
        return out;
    }

    private void expire(long now) {
        openedAt.values().removeIf(t -> now - t > highlightMillis);
        for (Iterator<Closed> it = closed.values().iterator(); it.hasNext(); ) {
            if (now - it.next().at() > highlightMillis) it.remove();
        }
    }

    public int highlightedNew() {
        return openedAt.size();
    }

    public int recentlyClosed() {
        return closed.size();
    }
}
