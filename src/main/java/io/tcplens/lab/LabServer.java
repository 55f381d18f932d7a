package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The lab's server side for one run: listening sockets on {@link Lab#SERVER_ADDRESS}, one virtual
 * thread per accepted connection, answering each request with the run's payload and closing (or not)
 * as the {@link Policy} says.
 */
final class LabServer {
    /** How the server ends each accepted connection. */
    enum Policy {
        /** Answer requests until the client closes, then close (passive close). */
        SERVE_UNTIL_CLIENT_CLOSES,
        /** Answer one request and close at once (keep-alive off: active close). */
        CLOSE_AFTER_REPLY,
        /** Answer one request and never close (the leak). */
        NEVER_CLOSE
    }

    private static final int BACKLOG = 512;
    private final LabRun run;
    private final ExecutorService handlers = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("tcplens-lab-server-", 0).factory());
    private final AtomicInteger resets = new AtomicInteger();
    private final AtomicInteger errors = new AtomicInteger();

    LabServer(LabRun run) {
        this.run = run;
    }

    /** Listens on {@code port} (0: any free one) and starts accepting; the port is marked as the lab's. */
    ServerSocket listen(int port, boolean reuse, Policy policy) throws IOException {
        ServerSocket s = new ServerSocket();
        run.register(s);
        s.setReuseAddress(reuse);
        s.bind(new InetSocketAddress(Lab.SERVER_ADDRESS, port), BACKLOG);
        run.serverPortInUse(s.getLocalPort());
        run.emit(LabEvent.Kind.LISTENING, "listening", s.getLocalPort(), reuse ? 1 : 0);
        Thread.ofVirtual().name("tcplens-lab-accept").start(() -> acceptLoop(s, policy));
        return s;
    }

    /** Connections the clients reset (what an RST close costs the server). */
    int resets() {
        return resets.get();
    }

    void shutdown() {
        handlers.shutdownNow();
    }

    private void acceptLoop(ServerSocket s, Policy policy) {
        while (!run.stopping() && !s.isClosed()) {
            Socket c;
            try {
                c = s.accept();
            } catch (IOException e) {
                return; // closed
            }
            run.register(c);
            run.clientEndpoint(new Endpoint(c.getInetAddress(), c.getPort()));
            try {
                handlers.execute(() -> serve(c, policy));
            } catch (RejectedExecutionException e) {
                Lab.closeQuietly(c);
                return;
            }
        }
    }

    private void serve(Socket c, Policy policy) {
        Endpoint local = new Endpoint(c.getLocalAddress(), c.getLocalPort());
        Endpoint remote = new Endpoint(c.getInetAddress(), c.getPort());
        try {
            c.setSoTimeout(0);
            InputStream in = c.getInputStream();
            OutputStream out = c.getOutputStream();
            byte[] buf = new byte[run.payload().length];
            while (true) {
                if (!LabRun.readFully(in, buf)) break; // the client closed: close our side too
                out.write(run.payload());
                out.flush();
                if (policy == Policy.CLOSE_AFTER_REPLY) break;
                if (policy == Policy.NEVER_CLOSE) return; // the bug: nobody ever closes it
            }
            c.close();
            run.unregister(c);
        } catch (IOException e) {
            if (run.stopping()) return;
            if ("ECONNRESET".equals(Errno.of(e.getMessage()))) {
                // what an RST close costs: the peer gets an error instead of an orderly end
                if (resets.incrementAndGet() <= 3) run.error("read", e, "serverReset", local, remote);
            } else if (errors.incrementAndGet() <= 3) {
                run.error("read", e, "serverFailed", local, remote);
            }
            Lab.closeQuietly(c);
            run.unregister(c);
        }
    }
}
