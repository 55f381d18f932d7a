package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One lab run: executes its scenario on its own thread, keeps every socket it opens registered and
 * closes them all when it ends, is stopped, or hits its time limit. What the scenarios share lives
 * here (the server, the pacer, the request/reply exchange, events); each scenario is its own class.
 */
final class LabRun {
    private static final Logger LOG = LoggerFactory.getLogger(LabRun.class);
    static final int IO_TIMEOUT_MS = 5000;

    private final Lab lab;
    private final LabScenario scenario;
    private final LabSettings settings;
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final CountDownLatch done = new CountDownLatch(1);
    private final byte[] payload;
    private final long startNanos = System.nanoTime();
    private final Set<Integer> runPorts = ConcurrentHashMap.newKeySet();
    private final Pacer pacer;
    private final LabServer server;
    private volatile boolean stopping;
    private Thread thread;

    LabRun(Lab lab, LabScenario scenario, LabSettings settings) {
        this.lab = lab;
        this.scenario = scenario;
        this.settings = settings;
        this.payload = new byte[settings.payloadBytes()];
        Arrays.fill(payload, (byte) 'x');
        this.pacer = new Pacer(this, startNanos);
        this.server = new LabServer(this);
    }

    LabScenario scenario() {
        return scenario;
    }

    LabSettings settings() {
        return settings;
    }

    Lab lab() {
        return lab;
    }

    Pacer pacer() {
        return pacer;
    }

    LabServer server() {
        return server;
    }

    byte[] payload() {
        return payload;
    }

    boolean stopping() {
        return stopping;
    }

    void markStopping() {
        stopping = true;
    }

    boolean finished() {
        return done.getCount() == 0;
    }

    CountDownLatch done() {
        return done;
    }

    /** Starts the run's thread. */
    void start() {
        Thread t = Thread.ofPlatform().name("tcplens-lab").daemon()
                .uncaughtExceptionHandler((th, e) -> LOG.error("lab thread died", e)).unstarted(this::execute);
        thread = t;
        t.start();
    }

    /** Asks the run to stop and closes its sockets at once (the run's thread then finishes). */
    void stop() {
        stopping = true;
        closeAll();
        thread.interrupt();
    }

    /** Milliseconds since the run started. */
    long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private void execute() {
        emit(LabEvent.Kind.PHASE, "started", scenario.id(), settings.connections(), settings.ratePerSecond());
        boolean stopped = false;
        try {
            ScenarioRun.of(scenario).run(this);
        } catch (LabStopped e) {
            stopped = true;
        } catch (IOException e) {
            error("setup", e, "setupFailed", null, null);
        } catch (RuntimeException e) {
            LOG.error("lab run failed", e);
            emit(LabEvent.Kind.ERROR, "internalError", String.valueOf(e));
        } finally {
            if (!stopped) awaitServerCloses();
            stopping = true; // from here on, errors from sockets we close ourselves are not news
            closeAll();
            server.shutdown();
            runPorts.forEach(lab.sockets()::serverPortReleased);
            if (server.resets() > 0) emit(LabEvent.Kind.PHASE, "serverResets", server.resets());
            emit(LabEvent.Kind.FINISHED, stopped ? "stopped" : "finished", elapsedMillis());
            done.countDown();
        }
    }

    // ---- what the scenarios share ----

    /** The server ports of this run (stays filled after the run ends). */
    Set<Integer> runPorts() {
        return Set.copyOf(runPorts);
    }

    /** A server port of this run: the lab's sockets are told apart by it. */
    void serverPortInUse(int port) {
        lab.serverPortInUse(port);
        runPorts.add(port);
    }

    /** A lab client's endpoint, seen by the client after connect() or by the server on accept(). */
    void clientEndpoint(Endpoint client) {
        lab.sockets().clientConnected(client);
    }

    /** A new client socket connected to the lab server at {@code port}, with the I/O timeout set. */
    Socket connect(Socket c, int port) throws IOException {
        c.setSoTimeout(IO_TIMEOUT_MS);
        c.connect(new InetSocketAddress(Lab.SERVER_ADDRESS, port), IO_TIMEOUT_MS);
        clientEndpoint(new Endpoint(c.getLocalAddress(), c.getLocalPort()));
        return c;
    }

    /** One request and its reply. */
    void exchange(Socket c) throws IOException {
        OutputStream out = c.getOutputStream();
        out.write(payload);
        out.flush();
        if (!readFully(c.getInputStream(), new byte[payload.length]))
            throw new SocketException("the server closed before replying");
    }

    /** Reads until the peer's FIN (the server closes first). */
    static void drain(Socket c) throws IOException {
        InputStream in = c.getInputStream();
        while (in.read() >= 0) { /* to EOF */ }
    }

    static boolean readFully(InputStream in, byte[] buf) throws IOException {
        int got = 0;
        while (got < buf.length) {
            int r = in.read(buf, got, buf.length - got);
            if (r < 0) {
                if (got == 0) return false;
                throw new SocketException("connection closed in the middle of a message");
            }
            got += r;
        }
        return true;
    }

    void progress(int done, int total) {
        int step = Math.max(1, total / 10);
        if (done % step == 0 || done == total) emit(LabEvent.Kind.PROGRESS, "progress", done, total);
    }

    void register(Closeable c) {
        open.add(c);
        if (stopping) Lab.closeQuietly(c);
    }

    void unregister(Closeable c) {
        open.remove(c);
    }

    /** Gives the server's handlers a moment to finish their own (passive) closes before we close the rest. */
    private void awaitServerCloses() {
        long end = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end && open.stream().anyMatch(c -> c instanceof Socket)) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void closeAll() {
        for (Closeable c : List.copyOf(open)) Lab.closeQuietly(c);
        open.clear();
    }

    void emit(LabEvent.Kind kind, String key, Object... args) {
        lab.publish(new LabEvent(System.currentTimeMillis(), kind, key, args, null, null, null, null, null));
    }

    void error(String op, IOException e, String key, Endpoint local, Endpoint remote, Object... args) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Object[] a = args.length > 0 ? args : new Object[] {local == null ? "" : local.toString(),
                remote == null ? "" : remote.toString()};
        lab.publish(new LabEvent(System.currentTimeMillis(), LabEvent.Kind.ERROR, key, a, op, text, Errno.of(text),
                local, remote));
    }
}
