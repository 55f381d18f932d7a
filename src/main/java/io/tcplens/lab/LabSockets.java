package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Which rows belong to one {@link Lab}: a row is a lab socket when one end is exactly a lab server's
 * endpoint ({@link Lab#SERVER_ADDRESS} and a port that lab's servers listen on), or — for
 * {@link #AFTERLIFE_MS} after the server let the port go, long enough for its TIME_WAIT and FIN_WAIT2
 * sockets to go — when one end was that server's endpoint and the other one of the lab's own client
 * endpoints. The address counts, not only the port: another program's socket on 127.0.0.4 with the
 * same port number is not the lab's. And once the server has closed, the kernel hands its port at once
 * to another program's connect() as a local port: a row 127.0.0.1:port → elsewhere is then someone
 * else's, which only the full pair (server end and lab client end) tells apart. Owned by the lab;
 * whoever composes the engine and the lab wires {@link #isLab} into the engine as its lab matcher.
 */
public final class LabSockets {
    /** How long a lab server port stays marked after its run ends: TIME_WAIT (60 s) and FIN_WAIT2 (60 s) plus margin. */
    public static final long AFTERLIFE_MS = 150_000;
    private final Map<Integer, Long> ports = new ConcurrentHashMap<>();
    /** The lab's client endpoints (either side saw them), until when they count (MAX while in use). */
    private final Map<Endpoint, Long> clients = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    LabSockets() {
        this(System::currentTimeMillis);
    }

    LabSockets(LongSupplier clock) {
        this.clock = clock;
    }

    void serverPortInUse(int port) {
        long now = clock.getAsLong();
        clients.values().removeIf(until -> until < now);
        ports.put(port, Long.MAX_VALUE);
    }

    /** A lab client's endpoint (its local address and port), as the client or the server saw it. */
    void clientConnected(Endpoint client) {
        clients.put(client, Long.MAX_VALUE);
    }

    /** The port and every client endpoint seen so far count for {@link #AFTERLIFE_MS} more (one run at a time). */
    void serverPortReleased(int port) {
        long until = clock.getAsLong() + AFTERLIFE_MS;
        ports.computeIfPresent(port, (p, u) -> until);
        clients.replaceAll((c, u) -> u == Long.MAX_VALUE ? until : u);
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
        return (localIsServer && serves(l.port(), r, now)) || (remoteIsServer && serves(r.port(), l, now));
    }

    /** Whether the lab server's port {@code port} makes a row with {@code other} at its far end the lab's. */
    private boolean serves(int port, Endpoint other, long now) {
        Long until = ports.get(port);
        if (until == null) return false;
        if (until == Long.MAX_VALUE) return true; // listening: nobody else can hold 127.0.0.1:port
        if (until < now) {
            ports.remove(port, until);
            return false;
        }
        Long client = clients.get(other);
        return client != null && client >= now;
    }
}
