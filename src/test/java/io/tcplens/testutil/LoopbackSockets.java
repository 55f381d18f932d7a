package io.tcplens.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Real loopback sockets in chosen TCP states, closed by {@link #close()}. Everything stays on
 * 127.0.0.1 / ::1 and is bounded (a handful of sockets).
 */
public final class LoopbackSockets implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();
    public final ServerSocket server;
    public final InetAddress address;

    public LoopbackSockets(InetAddress address) throws IOException {
        this.address = address;
        this.server = new ServerSocket(0, 50, address);
        open.add(server);
    }

    public LoopbackSockets() throws IOException {
        this(InetAddress.getByName("127.0.0.1"));
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Both ends ESTABLISHED; returns {client, accepted}. */
    public Socket[] established() throws IOException {
        Socket c = new Socket();
        c.connect(new InetSocketAddress(address, port()), 2000);
        Socket s = server.accept();
        open.add(c);
        open.add(s);
        return new Socket[] {c, s};
    }

    /** The client closes first, then the server: the client's port ends in TIME_WAIT. Returns the client port. */
    public int timeWait() throws IOException, InterruptedException {
        Socket[] p = established();
        int port = p[0].getLocalPort();
        p[0].close();
        InputStream in = p[1].getInputStream();
        p[1].setSoTimeout(2000);
        while (in.read() >= 0) { /* drain until FIN */ }
        p[1].close();
        Thread.sleep(50);
        return port;
    }

    /** The client closes, the server never does: server CLOSE_WAIT, client FIN_WAIT2. Returns the client port. */
    public int closeWait() throws IOException, InterruptedException {
        Socket[] p = established();
        int port = p[0].getLocalPort();
        p[0].close();
        Thread.sleep(50);
        return port;
    }

    /**
     * A listener with a full accept queue (backlog 1, never accepting) refuses further handshakes:
     * the next client stays in SYN_SENT. Returns {listener port, SYN_SENT client port}.
     */
    public int[] synSent() throws IOException, InterruptedException {
        ServerSocket full = new ServerSocket(0, 1, address);
        open.add(full);
        InetSocketAddress target = new InetSocketAddress(address, full.getLocalPort());
        for (int i = 0; i < 6; i++) {
            SocketChannel ch = SocketChannel.open();
            open.add(ch);
            ch.configureBlocking(false);
            ch.bind(new InetSocketAddress(address, 0));
            ch.connect(target);
            Thread.sleep(30);
            if (!ch.finishConnect()) {
                Thread.sleep(50);
                if (!ch.finishConnect()) {
                    return new int[] {full.getLocalPort(), ((InetSocketAddress) ch.getLocalAddress()).getPort()};
                }
            }
        }
        throw new IllegalStateException("the kernel accepted every handshake; no SYN_SENT socket");
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
