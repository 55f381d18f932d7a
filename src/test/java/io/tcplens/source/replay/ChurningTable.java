package io.tcplens.source.replay;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The recording benchmarks' busy table: N ESTABLISHED sockets at first; each poll (one second later)
 * about 2 % of them change (an ESTABLISHED one enters TIME_WAIT, any other is replaced by a new
 * connection), every TIME_WAIT timer counts down by a second, and one that runs out is replaced by a
 * new connection. Deterministic: the same N gives the same tables.
 */
final class ChurningTable {
    static final long START_MILLIS = 1_764_000_000_000L;
    private static final InetAddress LOCAL = InetAddress.ofLiteral("10.0.0.1");

    private List<SocketEntry> table = new ArrayList<>();
    private int nextPort = 1;
    private int poll;

    ChurningTable(int sockets) {
        for (int i = 0; i < sockets; i++) table.add(row(nextPort++, i, START_MILLIS));
    }

    int size() {
        return table.size();
    }

    /** The time of poll {@code p}. */
    static long millis(int p) {
        return START_MILLIS + p * 1000L;
    }

    /** The next poll's rows (a new list each time; rows that did not change are the same objects). */
    List<SocketEntry> next() {
        long now = millis(poll);
        for (int k = 0; k < table.size() / 50; k++) {
            int i = (poll * 7919 + k * 104729) % table.size();
            SocketEntry e = table.get(i);
            if (e.state() == TcpState.ESTABLISHED)
                table.set(i, new SocketEntry(e.key(), TcpState.TIME_WAIT, KernelTcpState.TIME_WAIT, 0, 0,
                        TimerKind.TIME_WAIT, 60_000L, 0, 0, 0, e.pid(), e.process(), true));
            else table.set(i, row(nextPort++ % 60000 + 1, i, now));
        }
        List<SocketEntry> rows = new ArrayList<>(table.size());
        for (int i = 0; i < table.size(); i++) {
            SocketEntry e = table.get(i);
            if (e.timerRemainingMs() == null) rows.add(e);
            else if (e.timerRemainingMs() <= 1000) rows.add(row(nextPort++ % 60000 + 1, i, now)); // expired: gone, a new one opens
            else rows.add(new SocketEntry(e.key(), e.state(), e.kernelState(), 0, 0, e.timer(),
                    e.timerRemainingMs() - 1000, 0, 0, 0, e.pid(), e.process(), e.ownerLastKnown())); // counts down with the clock
        }
        table = new ArrayList<>(rows); // the caller keeps rows as they are
        poll++;
        return rows;
    }

    private static SocketEntry row(int port, int i, long t) {
        InetAddress remote = InetAddress.ofLiteral("192.0.2." + (i % 250 + 1));
        return new SocketEntry(new ConnectionKey(new Endpoint(LOCAL, 30000 + port % 30000), new Endpoint(remote, 443)),
                TcpState.ESTABLISHED, KernelTcpState.ESTABLISHED, 0, 0, null, null, 0, 1000, 100000L + i, 4000 + i % 20,
                "app" + i % 20, false);
    }
}
