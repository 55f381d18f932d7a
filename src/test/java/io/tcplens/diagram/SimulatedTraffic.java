package io.tcplens.diagram;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Endpoint;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generated TCP traffic for screenshots and benchmarks, labelled SIMULATED: a fixed number of
 * connections living client lifecycles (SYN-SENT … TIME-WAIT) and server lifecycles (SYN-RECEIVED …
 * LAST-ACK) plus a few listeners; each closed connection is replaced by a new one. About one step in
 * seven skips a state, as a slow poll would, so inferred paths appear too.
 */
public final class SimulatedTraffic {
    public static final SourceInfo SOURCE = new SourceInfo(SourceInfo.Kind.SIMULATED, "generated",
            "generated traffic (test data)");
    private static final TcpState[] CLIENT = {TcpState.SYN_SENT, TcpState.ESTABLISHED, TcpState.FIN_WAIT1,
            TcpState.FIN_WAIT2, TcpState.TIME_WAIT};
    private static final TcpState[] SERVER = {TcpState.SYN_RECV, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT,
            TcpState.LAST_ACK};
    private static final String[] PROCESSES = {"nginx", "java", "curl", "postgres", "redis-server", "python3"};
    private static final int[] LISTEN_PORTS = {80, 443, 5432, 6379, 8080};

    private final Random rnd;
    private final ConnectionTracker tracker = new ConnectionTracker();
    private final List<Conn> conns = new ArrayList<>();
    private final List<SocketEntry> listeners = new ArrayList<>();
    private final InetAddress local;
    private long counter;
    private long seq;

    private static final class Conn {
        ConnectionKey key;
        boolean server;
        int stage;
        String process;
        int pid;
        long timer;
    }

    public SimulatedTraffic(int connections, long seed) {
        rnd = new Random(seed);
        local = addr(10, 0, 0, 1);
        for (int p : LISTEN_PORTS)
            listeners.add(new SocketEntry(new ConnectionKey(new Endpoint(local, p), new Endpoint(addr(0, 0, 0, 0), 0)),
                    TcpState.LISTEN, null, 0, 0, null, null, 0, 0, 1, 100 + p, PROCESSES[p % PROCESSES.length], false));
        for (int i = 0; i < connections; i++) {
            Conn c = fresh();
            c.stage = rnd.nextInt(c.server ? SERVER.length : CLIENT.length);
            conns.add(c);
        }
    }

    public int size() {
        return conns.size() + listeners.size();
    }

    private Conn fresh() {
        Conn c = new Conn();
        long n = counter++;
        c.server = rnd.nextInt(3) == 0;
        InetAddress remote = addr(10, 1 + (int) (n / 50_000 % 200), rnd.nextInt(4), 1 + rnd.nextInt(250));
        int ephemeral = 32768 + (int) (n % 28_000);
        if (c.server) {
            int port = LISTEN_PORTS[rnd.nextInt(LISTEN_PORTS.length)];
            c.key = new ConnectionKey(new Endpoint(local, port), new Endpoint(remote, ephemeral));
            c.process = PROCESSES[port % PROCESSES.length];
        } else {
            c.key = new ConnectionKey(new Endpoint(local, ephemeral), new Endpoint(remote, LISTEN_PORTS[rnd.nextInt(5)]));
            c.process = PROCESSES[rnd.nextInt(PROCESSES.length)];
        }
        c.pid = 1000 + Math.abs(c.process.hashCode() % 9000);
        c.timer = 60_000;
        return c;
    }

    /** Applies {@code transitions} lifecycle steps and returns the poll an engine would publish at {@code nowMillis}. */
    public PollResult poll(long nowMillis, int transitions) {
        for (int i = 0; i < transitions && !conns.isEmpty(); i++) {
            int idx = rnd.nextInt(conns.size());
            Conn c = conns.get(idx);
            int len = c.server ? SERVER.length : CLIENT.length;
            c.stage += rnd.nextInt(7) == 0 ? 2 : 1;
            if (c.stage >= len) conns.set(idx, fresh());
        }
        List<SocketEntry> rows = new ArrayList<>(conns.size() + listeners.size());
        rows.addAll(listeners);
        for (Conn c : conns) {
            TcpState s = (c.server ? SERVER : CLIENT)[c.stage];
            boolean tw = s == TcpState.TIME_WAIT;
            if (tw) c.timer = Math.max(1000, c.timer - 1000);
            rows.add(new SocketEntry(c.key, s, null, 0, 0, tw ? TimerKind.TIME_WAIT : null, tw ? c.timer : null, 0,
                    tw ? 0 : 1000, tw ? 0 : 1, tw ? null : c.pid, tw ? null : c.process, false));
        }
        ConnectionTracker.Update u = tracker.update(new Snapshot(nowMillis, rows, SOURCE, List.of()));
        return new PollResult(++seq, u.snapshot(), u.diff(), u.connections(), 0, null);
    }

    private static InetAddress addr(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
