package io.tcplens.testutil;

import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.source.SocketTableSource;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A generated socket table for benchmarks (labelled SIMULATED): {@code size} connections from
 * a few thousand remotes, with per-poll churn — {@code churn} of them change state, a similar number
 * open and close — so the diff, tracker, table and charts do real work. Deterministic (seeded).
 */
public final class GeneratedTable implements SocketTableSource {
    static final SourceInfo INFO = new SourceInfo(SourceInfo.Kind.SIMULATED, "generated", "generated benchmark table");
    private static final TcpState[] MIX = {TcpState.ESTABLISHED, TcpState.ESTABLISHED, TcpState.ESTABLISHED,
            TcpState.TIME_WAIT, TcpState.TIME_WAIT, TcpState.CLOSE_WAIT, TcpState.FIN_WAIT2, TcpState.SYN_RECV,
            TcpState.FIN_WAIT1, TcpState.LAST_ACK};

    private final Random rnd = new Random(7);
    private final List<SocketEntry> rows = new ArrayList<>();
    private final int churn;
    private final InetAddress local = Addresses.fromBytes(new byte[] {10, 0, 0, 1});
    private int nextPort = 1;
    private long now = System.currentTimeMillis();

    public GeneratedTable(int size, int churnPerPoll) {
        this.churn = churnPerPoll;
        for (int i = 0; i < size; i++) rows.add(newRow(MIX[rnd.nextInt(MIX.length)]));
    }

    private SocketEntry newRow(TcpState s) {
        int n = nextPort++;
        InetAddress remote = Addresses.fromBytes(new byte[] {(byte) 198, 51, (byte) (n % 16), (byte) (n / 16 % 250 + 1)});
        int localPort = n % 2 == 0 ? 443 : 20_000 + n % 40_000;
        ConnectionKey key = new ConnectionKey(new Endpoint(local, localPort), new Endpoint(remote, 1024 + n % 60_000));
        boolean tw = s == TcpState.TIME_WAIT;
        return new SocketEntry(key, s, null, 0, rnd.nextInt(3) == 0 ? rnd.nextInt(5000) : 0, tw ? TimerKind.TIME_WAIT : null,
                tw ? (long) rnd.nextInt(60_000) : null, 0, 1000, tw ? 0 : 100_000 + n, tw ? null : 4000 + n % 50,
                tw ? null : "worker" + n % 50, false);
    }

    @Override
    public SourceInfo info() {
        return INFO;
    }

    @Override
    public synchronized Snapshot poll() {
        now += 1000;
        for (int i = 0; i < churn && !rows.isEmpty(); i++) {
            int idx = rnd.nextInt(rows.size());
            SocketEntry e = rows.get(idx);
            TcpState next = MIX[rnd.nextInt(MIX.length)];
            rows.set(idx, new SocketEntry(e.key(), next, null, e.sendQueue(), e.receiveQueue(), e.timer(), e.timerRemainingMs(),
                    0, e.uid(), e.inode(), e.pid(), e.process(), false));
        }
        for (int i = 0; i < churn / 2 && !rows.isEmpty(); i++) {
            rows.set(rnd.nextInt(rows.size()), newRow(MIX[rnd.nextInt(MIX.length)]));
        }
        return new Snapshot(now, rows, INFO, List.of());
    }
}
