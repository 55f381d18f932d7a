package io.tcplens.testutil;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.linux.ProcNetSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Real loopback sockets in chosen TCP states, closed by {@link #close()}. Everything stays on
 * 127.0.0.1 / ::1 and is bounded (a handful of sockets).
 *
 * <p>Every socket's full 4-tuple is recorded ({@link #owned()}, {@link #owns(SocketEntry)}), so a
 * test picks its rows out of the host-wide table by 4-tuple, not by port. The server's port is
 * exclusive while it is open ({@link ExclusiveServerSocket}), so product filters on {@link #port()}
 * see only these sockets. Each method returns once the kernel's table shows the state it promises.
 */
public final class LoopbackSockets implements AutoCloseable {
    private static final Duration STATE_TIMEOUT = Duration.ofSeconds(10);
    private final List<AutoCloseable> open = new ArrayList<>();
    private final OwnedSockets owned = new OwnedSockets();
    private final ProcNetSource table = new ProcNetSource(Path.of("/proc"), false);
    public final ServerSocket server;
    public final InetAddress address;

    public LoopbackSockets(InetAddress address) throws IOException {
        this.address = address;
        this.server = new ExclusiveServerSocket(address, 50);
        open.add(server);
        owned.listener(server);
    }

    public LoopbackSockets() throws IOException {
        this(InetAddress.getByName("127.0.0.1"));
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The 4-tuples of every socket opened here. */
    public OwnedSockets owned() {
        return owned;
    }

    public boolean owns(SocketEntry e) {
        return owned.owns(e);
    }

    /** Both ends ESTABLISHED; returns {client, accepted}. */
    public Socket[] established() throws IOException {
        Socket c = new Socket();
        open.add(c);
        c.connect(new InetSocketAddress(address, port()), 2000);
        Socket s = server.accept();
        open.add(s);
        owned.connection(c);
        return new Socket[] {c, s};
    }

    /** The client's 4-tuple of a connection made by {@link #established()}. */
    public static ConnectionKey key(Socket s) {
        return new ConnectionKey(OwnedSockets.endpoint((InetSocketAddress) s.getLocalSocketAddress()),
                OwnedSockets.endpoint((InetSocketAddress) s.getRemoteSocketAddress()));
    }

    /**
     * The client closes first, then the server: the client's end is in TIME_WAIT when this returns.
     * Returns the client's 4-tuple.
     */
    public ConnectionKey timeWaitKey() throws IOException {
        Socket[] p = established();
        ConnectionKey client = key(p[0]);
        p[0].close();
        InputStream in = p[1].getInputStream();
        p[1].setSoTimeout(2000);
        while (in.read() >= 0) { /* drain until FIN */ }
        p[1].close();
        awaitState(client, TcpState.TIME_WAIT);
        return client;
    }

    /** As {@link #timeWaitKey()}; returns the client's port. */
    public int timeWait() throws IOException {
        return timeWaitKey().local().port();
    }

    /**
     * The client closes, the server never does: server CLOSE_WAIT, client FIN_WAIT2 when this
     * returns. Returns the client's 4-tuple.
     */
    public ConnectionKey closeWaitKey() throws IOException {
        return closeWait(false);
    }

    /**
     * As {@link #closeWaitKey()}, but the client only shuts its output down and keeps the socket: its
     * FIN_WAIT2 is not an orphan's, so {@code tcp_fin_timeout} (60 s) never ends it and a test slowed
     * down by a busy machine still finds it. Returns the client's 4-tuple.
     */
    public ConnectionKey closeWaitHeldKey() throws IOException {
        return closeWait(true);
    }

    /** A pair in CLOSE_WAIT (server) and FIN_WAIT2 (client), the client closed or, when {@code held}, only shut down. */
    private ConnectionKey closeWait(boolean held) throws IOException {
        Socket[] p = established();
        ConnectionKey client = key(p[0]);
        if (held) p[0].shutdownOutput();
        else p[0].close();
        awaitState(client, TcpState.FIN_WAIT2);
        awaitState(new ConnectionKey(client.remote(), client.local()), TcpState.CLOSE_WAIT);
        return client;
    }

    /** As {@link #closeWaitKey()}; returns the client's port. */
    public int closeWait() throws IOException {
        return closeWaitKey().local().port();
    }

    /**
     * A listener with a full accept queue (backlog 1, never accepting) drops further handshakes:
     * the next client stays in SYN_SENT. Returns {listener port, SYN_SENT client port}; the 4-tuples
     * are in {@link #owned()} and {@link #synSentKey()}.
     */
    public int[] synSent() throws IOException {
        ServerSocket full = new ExclusiveServerSocket(address, 1);
        open.add(full);
        ConnectionKey listener = owned.listener(full);
        InetSocketAddress target = (InetSocketAddress) full.getLocalSocketAddress();
        for (int i = 0; i < 6; i++) {
            SocketChannel ch = SocketChannel.open();
            open.add(ch);
            ch.configureBlocking(false);
            ch.bind(new InetSocketAddress(address, 0));
            ConnectionKey mine = owned.connection((InetSocketAddress) ch.getLocalAddress(), target);
            ch.connect(target);
            // Either the handshake completes (the accept queue had room) or the SYN was dropped
            // because the queue was already full: the listener shows its full queue, this end SYN_SENT.
            boolean[] dropped = new boolean[1];
            Await.untilChecked(() -> {
                if (ch.finishConnect()) return true;
                Map<ConnectionKey, SocketEntry> rows = rows();
                SocketEntry l = rows.get(listener), c = rows.get(mine);
                dropped[0] = l != null && l.receiveQueue() > 1 && c != null && c.state() == TcpState.SYN_SENT;
                return dropped[0];
            }, STATE_TIMEOUT, "handshake " + mine + " completes or stays in SYN_SENT behind a full accept queue");
            if (dropped[0]) {
                synSent = mine;
                return new int[] {full.getLocalPort(), mine.local().port()};
            }
        }
        throw new IllegalStateException("the kernel accepted every handshake; no SYN_SENT socket");
    }

    private ConnectionKey synSent;

    /** The SYN_SENT client's 4-tuple from the last {@link #synSent()}. */
    public ConnectionKey synSentKey() {
        return synSent;
    }

    /** Waits until the kernel's table shows this 4-tuple in this state. */
    public void awaitState(ConnectionKey key, TcpState state) {
        Await.untilChecked(() -> Optional.ofNullable(rows().get(key)).map(SocketEntry::state).orElse(null) == state,
                STATE_TIMEOUT, key + " in " + state);
    }

    private Map<ConnectionKey, SocketEntry> rows() throws Exception {
        Map<ConnectionKey, SocketEntry> m = new HashMap<>();
        for (SocketEntry e : table.poll().sockets()) if (owned.owns(e)) m.put(e.key(), e);
        return m;
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        open.clear();
    }
}
