package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Which rows belong to one {@link Lab}: a row is a lab socket when one end is exactly a lab server's
 * endpoint ({@link Lab#SERVER_ADDRESS} and a port that lab's servers listen on, or listened on less
 * than {@link #AFTERLIFE_MS} ago — long enough for its TIME_WAIT and FIN_WAIT2 sockets to go). The
 * address counts, not only the port: another program's socket on 127.0.0.4 with the same port number
 * is not the lab's. Owned by the lab; whoever composes the engine and
 * the lab wires {@link #isLab} into the engine as its lab matcher.
 */
public final class LabSockets {
    /** How long a lab server port stays marked after its run ends: TIME_WAIT (60 s) and FIN_WAIT2 (60 s) plus margin. */
    public static final long AFTERLIFE_MS = 150_000;
    private final Map<Integer, Long> ports = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    LabSockets() {
        this(System::currentTimeMillis);
    }

    LabSockets(LongSupplier clock) {
        this.clock = clock;
    }

    void serverPortInUse(int port) {
        ports.put(port, Long.MAX_VALUE);
    }

    void serverPortReleased(int port) {
        ports.computeIfPresent(port, (p, until) -> clock.getAsLong() + AFTERLIFE_MS);
    }

    /** Whether any lab port is (or was recently) in use, i.e. whether marking can change anything. */
    public boolean active() {
        return !ports.isEmpty();
    }

    /** Whether this row belongs to a run of this lab. */
    public boolean isLab(SocketEntry e) {
        if (ports.isEmpty()) return false;
        Endpoint l = e.local(), r = e.remote();
        boolean localIsServer = l.address().equals(Lab.SERVER_ADDRESS);
        boolean remoteIsServer = r.address().equals(Lab.SERVER_ADDRESS);
        if (!localIsServer && !remoteIsServer) return false;
        if (!l.address().isLoopbackAddress() || (!r.address().isLoopbackAddress() && !r.isWildcard())) return false;
        long now = clock.getAsLong();
        return (localIsServer && live(l.port(), now)) || (remoteIsServer && live(r.port(), now));
    }

    private boolean live(int port, long now) {
        Long until = ports.get(port);
        if (until == null) return false;
        if (until < now) {
            ports.remove(port, until);
            return false;
        }
        return true;
    }
}
