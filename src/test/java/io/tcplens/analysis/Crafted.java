package io.tcplens.analysis;

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

/** Builds crafted sockets and polls for analysis tests. */
public final class Crafted {
    public static final SourceInfo SOURCE = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "crafted snapshot");
    private final ConnectionTracker tracker = new ConnectionTracker(60_000);
    private long sequence;

    public static Endpoint ep(String host, int port) {
        try {
            return new Endpoint(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** A socket with a kernel-style row: uid 1000, inode 0 for TIME_WAIT and orphans. */
    public static SocketEntry sock(String local, int lport, String remote, int rport, TcpState s, Long timerMs) {
        TimerKind tk = s == TcpState.TIME_WAIT && timerMs != null ? TimerKind.TIME_WAIT : null;
        long inode = s == TcpState.TIME_WAIT ? 0 : 1000 + lport;
        return new SocketEntry(new ConnectionKey(ep(local, lport), ep(remote, rport)), s, null, 0, 0, tk, timerMs, 0,
                1000, inode, null, null, false);
    }

    public static SocketEntry owned(SocketEntry e, int pid, String name) {
        return e.withOwner(pid, name, false);
    }

    public static SocketEntry listen(String local, int port) {
        return sock(local, port, "0.0.0.0", 0, TcpState.LISTEN, null);
    }

    /** Feeds a snapshot at {@code atMillis} through a tracker, as the engine would. */
    public PollResult poll(long atMillis, List<SocketEntry> sockets) {
        ConnectionTracker.Update u = tracker.update(new Snapshot(atMillis, sockets, SOURCE, List.of()));
        return new PollResult(++sequence, u.snapshot(), u.diff(), u.connections(), 0, null);
    }

    /** {@code n} client TIME_WAIT sockets from local ports first.. towards remote, remaining timers spread over 0..60 s. */
    public static List<SocketEntry> timeWaits(String local, int firstPort, int n, String remote, int rport) {
        List<SocketEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++)
            out.add(sock(local, firstPort + i, remote, rport, TcpState.TIME_WAIT, 60_000L * (i + 1) / (n + 1)));
        return out;
    }
}
