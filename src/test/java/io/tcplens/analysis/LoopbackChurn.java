package io.tcplens.analysis;

import io.tcplens.model.ConnectionKey;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Real short loopback connections that the client closes first, from an explicitly bound pool of
 * local ports, towards a few local servers: each client port is used once per server, so every
 * 4-tuple is new and each connection leaves one TIME_WAIT socket on the client side.
 */
public final class LoopbackChurn implements AutoCloseable {
    public static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final List<ServerSocket> servers = new ArrayList<>();
    private final List<Thread> acceptors = new ArrayList<>();
    private final int poolFirst;
    private final int poolSize;
    private volatile boolean closed;
    private long firstCloseMillis, lastCloseMillis;

    /** Opens {@code serverCount} servers on 127.0.0.1 and finds {@code poolSize} free consecutive ports below the kernel's range. */
    public LoopbackChurn(int serverCount, int poolSize) throws IOException {
        this.poolSize = poolSize;
        this.poolFirst = findFreePool(poolSize);
        for (int i = 0; i < serverCount; i++) {
            ServerSocket ss = new ServerSocket(0, 512, LOOPBACK);
            servers.add(ss);
            Thread t = new Thread(() -> serve(ss), "churn-server-" + ss.getLocalPort());
            t.setDaemon(true);
            t.start();
            acceptors.add(t);
        }
    }

    private static int findFreePool(int size) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = 20_000 + ThreadLocalRandom.current().nextInt(12_000 - size);
            boolean ok = true;
            for (int p = first; p < first + size && ok; p++) {
                try (Socket s = new Socket()) {
                    s.bind(new InetSocketAddress(LOOPBACK, p));
                } catch (IOException e) {
                    ok = false;
                }
            }
            if (ok) return first;
        }
        throw new IOException("no " + size + " free consecutive loopback ports found");
    }

    private void serve(ServerSocket ss) {
        while (!closed) {
            try (Socket s = ss.accept(); InputStream in = s.getInputStream()) {
                byte[] buf = new byte[64];
                while (in.read(buf) >= 0) {
                    // drain until the client's FIN: the client closes first
                }
            } catch (IOException e) {
                if (closed) return;
            }
        }
    }

    public int poolFirst() {
        return poolFirst;
    }

    public int poolLast() {
        return poolFirst + poolSize - 1;
    }

    /** Whether this is one of the churn's own 4-tuples (client side): a pool port on 127.0.0.1 towards one of its servers. */
    public boolean owns(ConnectionKey k) {
        return k.local().address().equals(LOOPBACK) && k.remote().address().equals(LOOPBACK)
                && k.local().port() >= poolFirst && k.local().port() <= poolLast()
                && serverPorts().contains(k.remote().port());
    }

    public List<Integer> serverPorts() {
        return servers.stream().map(ServerSocket::getLocalPort).toList();
    }

    /**
     * One connection from every pool port to every server (pool × servers connections), client
     * closing first, pausing {@code pauseMillis} between connections. Returns how many it made.
     */
    public int run(long pauseMillis) throws IOException, InterruptedException {
        int n = 0;
        for (int i = 0; i < poolSize; i++) {
            for (ServerSocket server : servers) {
                try (Socket s = new Socket()) {
                    s.setReuseAddress(true); // the port already has TIME_WAIT sockets towards the other servers
                    s.bind(new InetSocketAddress(LOOPBACK, poolFirst + i));
                    s.connect(new InetSocketAddress(LOOPBACK, server.getLocalPort()), 2_000);
                    s.getOutputStream().write('x');
                }
                long now = System.currentTimeMillis();
                if (n == 0) firstCloseMillis = now;
                lastCloseMillis = now;
                n++;
                if (pauseMillis > 0) Thread.sleep(pauseMillis);
            }
        }
        return n;
    }

    public long firstCloseMillis() {
        return firstCloseMillis;
    }

    public long lastCloseMillis() {
        return lastCloseMillis;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        for (ServerSocket s : servers) s.close();
    }
}
