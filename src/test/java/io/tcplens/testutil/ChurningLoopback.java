package io.tcplens.testutil;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback server with a set of this test's client connections that a test churns between polls: the oldest
 * close client first (the client's socket stays in TIME_WAIT, the accepted one is closed too), new ones open.
 * Everything it opened is closed by {@link #close()}.
 */
public final class ChurningLoopback implements AutoCloseable {
    private final ServerSocket server = new ServerSocket();
    private final Map<Integer, Socket> accepted = new ConcurrentHashMap<>(); // by the client's port
    private final List<Socket> clients = new ArrayList<>();
    private final Thread acceptor;

    /** A server on 127.0.0.1 (any port) and {@code connections} clients connected to it. */
    public ChurningLoopback(int connections) throws IOException {
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        acceptor = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (true) {
                    Socket a = server.accept();
                    accepted.put(a.getPort(), a);
                }
            } catch (IOException done) {
                // the server closed
            }
        });
        try {
            open(connections);
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Opens {@code n} more client connections. */
    public void open(int n) throws IOException {
        for (int i = 0; i < n; i++) clients.add(new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()));
    }

    /** Closes the {@code n} oldest connections, the client's end first (it goes to TIME_WAIT). */
    public void closeOldest(int n) throws IOException {
        for (int i = 0; i < n && !clients.isEmpty(); i++) {
            Socket c = clients.remove(0);
            int port = c.getLocalPort();
            c.close();
            Socket a = accepted.remove(port);
            if (a != null) a.close();
        }
    }

    /** The i-th open client connection, oldest first. */
    public Socket client(int i) {
        return clients.get(i);
    }

    @Override
    public void close() throws IOException {
        for (Socket c : clients) c.close();
        server.close();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Socket a : accepted.values()) a.close();
    }
}
