package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Process-wide marker of the lab's sockets, so that every view can tell them apart: a row is a lab
 * socket when it is on loopback and one end is a port a lab server listens on, or listened on less
 * than {@link #AFTERLIFE_MS} ago (long enough for its TIME_WAIT and FIN_WAIT2 sockets to go).
 */
public final class LabSockets {
    /** How long a lab server port stays marked after its run ends: TIME_WAIT (60 s) and FIN_WAIT2 (60 s) plus margin. */
    public static final long AFTERLIFE_MS = 150_000;
    private static final Map<Integer, Long> PORTS = new ConcurrentHashMap<>();

    private LabSockets() {}

    static void serverPortInUse(int port) {
        PORTS.put(port, Long.MAX_VALUE);
    }

    static void serverPortReleased(int port) {
        PORTS.computeIfPresent(port, (p, until) -> System.currentTimeMillis() + AFTERLIFE_MS);
    }

    /** Whether any lab port is (or was recently) in use, i.e. whether marking can change anything. */
    public static boolean active() {
        return !PORTS.isEmpty();
    }

    /** Whether this row belongs to a lab run of this process. */
    public static boolean isLab(SocketEntry e) {
        if (PORTS.isEmpty()) return false;
        Endpoint l = e.local(), r = e.remote();
        if (!l.address().isLoopbackAddress() && !l.isWildcard()) return false;
        if (!r.address().isLoopbackAddress() && !r.isWildcard()) return false;
        long now = System.currentTimeMillis();
        return live(l.port(), now) || (!r.isWildcard() && live(r.port(), now));
    }

    private static boolean live(int port, long now) {
        Long until = PORTS.get(port);
        if (until == null) return false;
        if (until < now) {
            PORTS.remove(port, until);
            return false;
        }
        return true;
    }
}
