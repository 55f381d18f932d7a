package io.tcplens.lab;

import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the article's scenarios with real sockets, on 127.0.0.1 only (the NAT scenario's clients use
 * 127.0.0.2, also loopback). One run at a time, bounded in connections, rate and duration. Every
 * socket the lab opens is registered and closed when the run ends, on {@link #stop()}, and by a
 * shutdown hook if the application exits mid-run. Events go to listeners on the lab's threads.
 */
public final class Lab implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lab.class);
    static final InetAddress SERVER_ADDRESS = InetAddress.ofLiteral("127.0.0.1");
    /** The NAT scenario's "load balancer" address: another loopback address. */
    static final InetAddress BALANCER_ADDRESS = InetAddress.ofLiteral("127.0.0.2");
    private static final int IO_TIMEOUT_MS = 5000;
    private static final int EVENT_HISTORY = 5000;

    private final List<Consumer<LabEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<LabEvent> history = new ArrayList<>();
    private final Set<Integer> serverPorts = ConcurrentHashMap.newKeySet();
    private final Set<Integer> poolPorts = ConcurrentHashMap.newKeySet();
    private volatile Run current;
    private Thread shutdownHook;

    public void addListener(Consumer<LabEvent> l) {
        listeners.add(l);
    }

    public void removeListener(Consumer<LabEvent> l) {
        listeners.remove(l);
    }

    /** Events of this session so far (the last {@value #EVENT_HISTORY}). */
    public List<LabEvent> events() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    public boolean isRunning() {
        Run r = current;
        return r != null && !r.done.await0();
    }

    public Optional<LabScenario> scenario() {
        Run r = current;
        return r == null ? Optional.empty() : Optional.of(r.scenario);
    }

    /** Ports the lab's servers listened on in this session: every lab connection has one of them at one end. */
    public Set<Integer> serverPorts() {
        return Set.copyOf(serverPorts);
    }

    /** Local ports of the client port pools used in this session. */
    public Set<Integer> poolPorts() {
        return Set.copyOf(poolPorts);
    }

    /** Whether the kernel's row belongs to the lab: loopback at both ends and a lab server port at one. */
    public boolean isLabSocket(SocketEntry e) {
        Endpoint l = e.local(), r = e.remote();
        if (!l.address().isLoopbackAddress() && !l.isWildcard()) return false;
        if (!r.address().isLoopbackAddress() && !r.isWildcard()) return false;
        return serverPorts.contains(l.port()) || (!r.isWildcard() && serverPorts.contains(r.port()));
    }

    /** Starts a run; throws IllegalArgumentException for bad settings, IllegalStateException when one is running. */
    public synchronized void start(LabScenario scenario, LabSettings settings) {
        settings.problem().ifPresent(p -> {
            throw new IllegalArgumentException(p);
        });
        if (isRunning()) throw new IllegalStateException("a lab run is already going: stop it first");
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::stopQuietly, "tcplens-lab-cleanup");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        Run run = new Run(scenario, settings);
        current = run;
        Thread t = new Thread(run::execute, "tcplens-lab");
        t.setDaemon(true);
        t.setUncaughtExceptionHandler((th, e) -> LOG.error("lab thread died", e));
        run.thread = t;
        t.start();
    }

    /** Stops the current run (if any) and waits until its sockets are closed. */
    public void stop() {
        Run r = current;
        if (r == null) return;
        r.stopping = true;
        r.closeAll();
        r.thread.interrupt();
        try {
            r.done.latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the current run to end by itself; true when it did within the timeout. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        Run r = current;
        return r == null || r.done.latch.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stopQuietly() {
        try {
            stop();
        } catch (RuntimeException e) {
            LOG.warn("lab cleanup failed", e);
        }
    }

    @Override
    public synchronized void close() {
        stop();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook is running or ran
            }
            shutdownHook = null;
        }
    }

    private void publish(LabEvent e) {
        synchronized (history) {
            history.add(e);
            if (history.size() > EVENT_HISTORY) history.remove(0);
        }
        for (Consumer<LabEvent> l : listeners) {
            try {
                l.accept(e);
            } catch (RuntimeException ex) {
                LOG.warn("lab listener failed", ex);
            }
        }
    }

    /** The errno name for the message the JDK passes on from strerror(3). */
    static String errnoOf(String text) {
        if (text == null) return null;
        if (text.contains("Address already in use")) return "EADDRINUSE";
        if (text.contains("Cannot assign requested address")) return "EADDRNOTAVAIL";
        if (text.contains("Connection refused")) return "ECONNREFUSED";
        if (text.contains("Connection reset")) return "ECONNRESET";
        if (text.contains("Broken pipe")) return "EPIPE";
        if (text.contains("Too many open files")) return "EMFILE";
        if (text.contains("timed out")) return "ETIMEDOUT";
        return null;
    }

    /** The run was stopped or hit its time limit. */
    private static final class Stopped extends Exception {
        Stopped() {
            super(null, null, false, false);
        }
    }

    private static final class Done {
        final CountDownLatch latch = new CountDownLatch(1);

        boolean await0() {
            return latch.getCount() == 0;
        }
    }

    /** How the lab's server ends each accepted connection. */
    private enum ServerPolicy {
        /** Answer requests until the client closes, then close (passive close). */
        SERVE_UNTIL_CLIENT_CLOSES,
        /** Answer one request and close at once (keep-alive off: active close). */
        CLOSE_AFTER_REPLY,
        /** Answer one request and never close (the leak). */
        NEVER_CLOSE
    }

    private final class Run {
        final LabScenario scenario;
        final LabSettings settings;
        final Set<Closeable> open = ConcurrentHashMap.newKeySet();
        final Done done = new Done();
        final ExecutorService handlers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("tcplens-lab-server-", 0).factory());
        final byte[] payload;
        final long startNanos = System.nanoTime();
        final long deadlineNanos;
        final AtomicInteger serverResets = new AtomicInteger();
        final AtomicInteger serverErrors = new AtomicInteger();
        final Set<Integer> runPorts = ConcurrentHashMap.newKeySet();
        volatile boolean stopping;
        Thread thread;

        Run(LabScenario scenario, LabSettings settings) {
            this.scenario = scenario;
            this.settings = settings;
            this.payload = new byte[settings.payloadBytes()];
            java.util.Arrays.fill(payload, (byte) 'x');
            this.deadlineNanos = startNanos + settings.maxDuration().toNanos();
        }

        void execute() {
            emit(LabEvent.Kind.PHASE, "started", scenario.id(), settings.connections(), settings.ratePerSecond());
            boolean stopped = false;
            try {
                switch (scenario) {
                    case CLIENT_CLOSES_FIRST -> shortConnections(ServerPolicy.SERVE_UNTIL_CLIENT_CLOSES, ClientClose.FIN);
                    case SERVER_CLOSES_FIRST -> shortConnections(ServerPolicy.CLOSE_AFTER_REPLY, ClientClose.AFTER_SERVER);
                    case RST_CLOSE -> shortConnections(ServerPolicy.SERVE_UNTIL_CLIENT_CLOSES, ClientClose.RST);
                    case CLOSE_WAIT_LEAK -> closeWaitLeak();
                    case KEEP_ALIVE -> keepAlive();
                    case PORT_EXHAUSTION -> portPool();
                    case SERVER_RESTART -> serverRestart();
                    case ONE_SOURCE_MANY_CLIENTS -> oneSource();
                }
            } catch (Stopped e) {
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
                handlers.shutdownNow();
                runPorts.forEach(LabSockets::serverPortReleased);
                if (serverResets.get() > 0) emit(LabEvent.Kind.PHASE, "serverResets", serverResets.get());
                long ms = (System.nanoTime() - startNanos) / 1_000_000;
                emit(LabEvent.Kind.FINISHED, stopped ? "stopped" : "finished", ms);
                done.latch.countDown();
            }
        }

        // ---- the scenarios ----

        enum ClientClose { FIN, AFTER_SERVER, RST }

        void shortConnections(ServerPolicy policy, ClientClose close) throws IOException, Stopped {
            ServerSocket server = listen(0, true, policy);
            int port = server.getLocalPort();
            int n = settings.connections();
            for (int i = 0; i < n; i++) {
                pace(i);
                Socket c = new Socket();
                register(c);
                try {
                    c.setSoTimeout(IO_TIMEOUT_MS);
                    c.connect(new InetSocketAddress(SERVER_ADDRESS, port), IO_TIMEOUT_MS);
                    exchange(c);
                    switch (close) {
                        case FIN -> c.close();
                        case AFTER_SERVER -> {
                            // keep-alive off: the server closes after its reply; we close when we see its FIN
                            while (c.getInputStream().read() >= 0) { /* drain to EOF */ }
                            c.close();
                        }
                        case RST -> {
                            c.setSoLinger(true, 0);
                            c.close();
                        }
                    }
                } catch (IOException e) {
                    checkStopped();
                    error(opOf(c), e, "clientFailed", c, port);
                    closeQuietly(c);
                }
                unregister(c);
                progress(i + 1, n);
            }
            switch (close) {
                case FIN -> emit(LabEvent.Kind.PHASE, "timeWaitOnClient", n, port);
                case AFTER_SERVER -> emit(LabEvent.Kind.PHASE, "timeWaitOnServer", n, port);
                case RST -> {
                    pause(300); // let the server's reads see the resets
                    emit(LabEvent.Kind.PHASE, "rstNoTimeWait", n, port);
                }
            }
        }

        void closeWaitLeak() throws IOException, Stopped {
            ServerSocket server = listen(0, true, ServerPolicy.NEVER_CLOSE);
            int port = server.getLocalPort();
            int n = settings.connections();
            for (int i = 0; i < n; i++) {
                pace(i);
                Socket c = new Socket();
                register(c);
                try {
                    c.setSoTimeout(IO_TIMEOUT_MS);
                    c.connect(new InetSocketAddress(SERVER_ADDRESS, port), IO_TIMEOUT_MS);
                    exchange(c);
                    c.close(); // our FIN is acknowledged, the server's never comes: FIN_WAIT2 here, CLOSE_WAIT there
                } catch (IOException e) {
                    checkStopped();
                    error(opOf(c), e, "clientFailed", c, port);
                    closeQuietly(c);
                }
                unregister(c);
                progress(i + 1, n);
            }
            emit(LabEvent.Kind.PHASE, "leakHolding", n, port, settings.maxDuration().toSeconds());
            holdUntilDeadline();
        }

        void keepAlive() throws IOException, Stopped {
            ServerSocket server = listen(0, true, ServerPolicy.SERVE_UNTIL_CLIENT_CLOSES);
            int port = server.getLocalPort();
            int n = settings.connections();
            int poolSize = Math.min(4, n);
            List<Socket> pool = new ArrayList<>();
            for (int i = 0; i < poolSize; i++) {
                Socket c = new Socket();
                register(c);
                c.setSoTimeout(IO_TIMEOUT_MS);
                c.setKeepAlive(true);
                c.connect(new InetSocketAddress(SERVER_ADDRESS, port), IO_TIMEOUT_MS);
                pool.add(c);
            }
            emit(LabEvent.Kind.PHASE, "keepAlivePool", poolSize, port);
            for (int i = 0; i < n; i++) {
                pace(i);
                Socket c = pool.get(i % poolSize);
                try {
                    exchange(c);
                } catch (IOException e) {
                    checkStopped();
                    error("read", e, "clientFailed", c, port);
                }
                progress(i + 1, n);
            }
            for (Socket c : pool) {
                closeQuietly(c);
                unregister(c);
            }
            emit(LabEvent.Kind.PHASE, "keepAliveDone", n, poolSize);
        }

        void portPool() throws IOException, Stopped {
            ServerSocket server = listen(0, true, ServerPolicy.SERVE_UNTIL_CLIENT_CLOSES);
            int port = server.getLocalPort();
            int size = settings.portPoolSize();
            int start = settings.portPoolStart() != 0 ? settings.portPoolStart() : freePortBlock(SERVER_ADDRESS, size);
            for (int p = start; p < start + size; p++) poolPorts.add(p);
            emit(LabEvent.Kind.PHASE, "poolStarted", start, start + size - 1, settings.reuseAddress() ? 1 : 0,
                    settings.holdOpen() ? 1 : 0, readSysctl("net/ipv4/tcp_tw_reuse"));
            int n = settings.connections();
            int ok = 0, failed = 0;
            boolean firstFailure = true;
            for (int i = 0; i < n; i++) {
                pace(i);
                int local = start + i % size;
                Socket c = new Socket();
                register(c);
                String op = "bind";
                try {
                    c.setReuseAddress(settings.reuseAddress());
                    c.setSoTimeout(IO_TIMEOUT_MS);
                    c.bind(new InetSocketAddress(SERVER_ADDRESS, local));
                    op = "connect";
                    c.connect(new InetSocketAddress(SERVER_ADDRESS, port), IO_TIMEOUT_MS);
                    op = "read";
                    exchange(c);
                    ok++;
                    if (!settings.holdOpen()) {
                        c.close(); // client closes first: TIME_WAIT keeps (127.0.0.1:local → server) for 60 s
                        unregister(c);
                    }
                } catch (IOException e) {
                    checkStopped();
                    failed++;
                    if (firstFailure) {
                        firstFailure = false;
                        emit(LabEvent.Kind.PHASE, "poolDry", ok, (System.nanoTime() - startNanos) / 1_000_000);
                    }
                    error(op, e, "poolFailed", new Endpoint(SERVER_ADDRESS, local), new Endpoint(SERVER_ADDRESS, port));
                    closeQuietly(c);
                    unregister(c);
                }
            }
            emit(LabEvent.Kind.PHASE, "poolSummary", ok, failed, size);
            if (settings.holdOpen()) holdUntilDeadline();
        }

        void serverRestart() throws IOException, Stopped {
            boolean reuse = settings.reuseAddress();
            ServerSocket first = listen(0, reuse, ServerPolicy.CLOSE_AFTER_REPLY);
            int port = first.getLocalPort();
            int n = settings.connections();
            for (int i = 0; i < n; i++) {
                pace(i);
                Socket c = new Socket();
                register(c);
                try {
                    c.setSoTimeout(IO_TIMEOUT_MS);
                    c.connect(new InetSocketAddress(SERVER_ADDRESS, port), IO_TIMEOUT_MS);
                    exchange(c);
                    while (c.getInputStream().read() >= 0) { /* the server closes first */ }
                    c.close();
                } catch (IOException e) {
                    checkStopped();
                    error(opOf(c), e, "clientFailed", c, port);
                    closeQuietly(c);
                }
                unregister(c);
            }
            pause(200);
            closeQuietly(first);
            unregister(first);
            emit(LabEvent.Kind.PHASE, "serverStopped", port, n);
            pause(300);
            ServerSocket again = new ServerSocket();
            register(again);
            try {
                again.setReuseAddress(reuse);
                again.bind(new InetSocketAddress(SERVER_ADDRESS, port), 50);
                emit(LabEvent.Kind.LISTENING, "restartOk", port, reuse ? 1 : 0);
            } catch (IOException e) {
                checkStopped();
                error("bind", e, "restartFailed", new Endpoint(SERVER_ADDRESS, port), null, port);
            }
        }

        void oneSource() throws IOException, Stopped {
            ServerSocket server = listen(0, true, ServerPolicy.CLOSE_AFTER_REPLY);
            int port = server.getLocalPort();
            int size = settings.portPoolSize();
            int start = settings.portPoolStart() != 0 ? settings.portPoolStart() : freePortBlock(BALANCER_ADDRESS, size);
            for (int p = start; p < start + size; p++) poolPorts.add(p);
            emit(LabEvent.Kind.PHASE, "natStarted", BALANCER_ADDRESS.getHostAddress(), start, start + size - 1, port);
            Map<Integer, Long> serverClosedAt = new HashMap<>();
            int n = settings.connections();
            int reusedOverTimeWait = 0;
            for (int i = 0; i < n; i++) {
                pace(i);
                int local = start + i % size;
                Socket c = new Socket();
                register(c);
                String op = "bind";
                try {
                    c.setReuseAddress(true);
                    c.setSoTimeout(IO_TIMEOUT_MS);
                    c.bind(new InetSocketAddress(BALANCER_ADDRESS, local));
                    op = "connect";
                    c.connect(new InetSocketAddress(SERVER_ADDRESS, port), IO_TIMEOUT_MS);
                    Long before = serverClosedAt.get(local);
                    if (before != null && System.nanoTime() - before < 60_000_000_000L) {
                        reusedOverTimeWait++;
                        if (reusedOverTimeWait == 1)
                            emit(LabEvent.Kind.PHASE, "natSynOverTimeWait", BALANCER_ADDRESS.getHostAddress(), local, port);
                    }
                    op = "read";
                    exchange(c);
                    while (c.getInputStream().read() >= 0) { /* the server closes first */ }
                    c.close();
                    serverClosedAt.put(local, System.nanoTime());
                } catch (IOException e) {
                    checkStopped();
                    error(op, e, "clientFailed", new Endpoint(BALANCER_ADDRESS, local), new Endpoint(SERVER_ADDRESS, port));
                    closeQuietly(c);
                }
                unregister(c);
                progress(i + 1, n);
            }
            emit(LabEvent.Kind.PHASE, "natSummary", n, size, reusedOverTimeWait, port);
        }

        // ---- the server ----

        ServerSocket listen(int port, boolean reuse, ServerPolicy policy) throws IOException {
            ServerSocket s = new ServerSocket();
            register(s);
            s.setReuseAddress(reuse);
            s.bind(new InetSocketAddress(SERVER_ADDRESS, port), 512);
            serverPorts.add(s.getLocalPort());
            LabSockets.serverPortInUse(s.getLocalPort());
            runPorts.add(s.getLocalPort());
            emit(LabEvent.Kind.LISTENING, "listening", s.getLocalPort(), reuse ? 1 : 0);
            Thread.ofVirtual().name("tcplens-lab-accept").start(() -> acceptLoop(s, policy));
            return s;
        }

        void acceptLoop(ServerSocket s, ServerPolicy policy) {
            while (!stopping && !s.isClosed()) {
                Socket c;
                try {
                    c = s.accept();
                } catch (IOException e) {
                    return; // closed
                }
                register(c);
                try {
                    handlers.execute(() -> serve(c, policy));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    closeQuietly(c);
                    return;
                }
            }
        }

        void serve(Socket c, ServerPolicy policy) {
            Endpoint local = new Endpoint(c.getLocalAddress(), c.getLocalPort());
            Endpoint remote = new Endpoint(c.getInetAddress(), c.getPort());
            try {
                c.setSoTimeout(0);
                InputStream in = c.getInputStream();
                OutputStream out = c.getOutputStream();
                byte[] buf = new byte[payload.length];
                while (true) {
                    if (!readFully(in, buf)) break; // the client closed: close our side too
                    out.write(payload);
                    out.flush();
                    if (policy == ServerPolicy.CLOSE_AFTER_REPLY) break;
                    if (policy == ServerPolicy.NEVER_CLOSE) return; // the bug: nobody ever closes it
                }
                c.close();
                unregister(c);
            } catch (IOException e) {
                if (stopping) return;
                String errno = errnoOf(e.getMessage());
                if ("ECONNRESET".equals(errno)) {
                    // what an RST close costs: the peer gets an error instead of an orderly end
                    if (serverResets.incrementAndGet() <= 3) error("read", e, "serverReset", local, remote);
                } else if (serverErrors.incrementAndGet() <= 3) {
                    error("read", e, "serverFailed", local, remote);
                }
                closeQuietly(c);
                unregister(c);
            }
        }

        // ---- helpers ----

        void exchange(Socket c) throws IOException {
            OutputStream out = c.getOutputStream();
            out.write(payload);
            out.flush();
            if (!readFully(c.getInputStream(), new byte[payload.length]))
                throw new SocketException("the server closed before replying");
        }

        boolean readFully(InputStream in, byte[] buf) throws IOException {
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

        /** Waits until connection {@code i} is due at the set rate; throws when stopped or past the deadline. */
        void pace(int i) throws Stopped {
            long due = startNanos + (long) (i * 1e9 / settings.ratePerSecond());
            while (true) {
                checkStopped();
                long wait = due - System.nanoTime();
                if (wait <= 0) return;
                sleepNanos(Math.min(wait, 100_000_000L));
            }
        }

        void pause(long ms) throws Stopped {
            long end = System.nanoTime() + ms * 1_000_000;
            while (System.nanoTime() < end) {
                checkStopped();
                sleepNanos(Math.min(end - System.nanoTime(), 50_000_000L));
            }
        }

        void holdUntilDeadline() throws Stopped {
            while (true) {
                checkStopped();
                sleepNanos(100_000_000L);
            }
        }

        void checkStopped() throws Stopped {
            if (stopping || Thread.currentThread().isInterrupted()) throw new Stopped();
            if (System.nanoTime() - deadlineNanos > 0) {
                emit(LabEvent.Kind.PHASE, "timeLimit", settings.maxDuration().toSeconds());
                stopping = true;
                throw new Stopped();
            }
        }

        void sleepNanos(long n) throws Stopped {
            if (n <= 0) return;
            try {
                Thread.sleep(n / 1_000_000, (int) (n % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Stopped();
            }
        }

        void progress(int done, int total) {
            int step = Math.max(1, total / 10);
            if (done % step == 0 || done == total) emit(LabEvent.Kind.PROGRESS, "progress", done, total);
        }

        void register(Closeable c) {
            open.add(c);
            if (stopping) closeQuietly(c);
        }

        void unregister(Closeable c) {
            open.remove(c);
        }

        /** Gives the server's handlers a moment to finish their own (passive) closes before we close the rest. */
        void awaitServerCloses() {
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

        void closeAll() {
            for (Closeable c : List.copyOf(open)) closeQuietly(c);
            open.clear();
        }

        void emit(LabEvent.Kind kind, String key, Object... args) {
            publish(new LabEvent(System.currentTimeMillis(), kind, key, args, null, null, null, null, null));
        }

        void error(String op, IOException e, String key, Socket s, Integer remotePort) {
            Endpoint local = s != null && s.getLocalPort() > 0 ? new Endpoint(s.getLocalAddress(), s.getLocalPort()) : null;
            Endpoint remote = s != null && s.getInetAddress() != null ? new Endpoint(s.getInetAddress(), s.getPort())
                    : remotePort != null ? new Endpoint(SERVER_ADDRESS, remotePort) : null;
            error(op, e, key, local, remote);
        }

        void error(String op, IOException e, String key, Endpoint local, Endpoint remote, Object... args) {
            String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            Object[] a = args.length > 0 ? args : new Object[] {local == null ? "" : local.toString(),
                    remote == null ? "" : remote.toString()};
            publish(new LabEvent(System.currentTimeMillis(), LabEvent.Kind.ERROR, key, a, op, text, errnoOf(text),
                    local, remote));
        }

        String opOf(Socket c) {
            return c.isConnected() ? "read" : "connect";
        }
    }

    /** A block of {@code size} consecutive ports free on {@code address}, below the ephemeral range. */
    static int freePortBlock(InetAddress address, int size) throws IOException {
        int[] range = ephemeralRange();
        int low = 20000, high = Math.max(low + size + 1, Math.min(range[0], 65536)) - size;
        for (int attempt = 0; attempt < 200; attempt++) {
            int start = ThreadLocalRandom.current().nextInt(low, Math.max(low + 1, high));
            if (blockFree(address, start, size)) return start;
        }
        throw new IOException("no block of " + size + " free ports found between " + low + " and " + high);
    }

    private static boolean blockFree(InetAddress address, int start, int size) {
        for (int p = start; p < start + size; p++) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(address, p), 1);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    private static int[] ephemeralRange() {
        String v = readSysctl("net/ipv4/ip_local_port_range");
        try {
            String[] parts = v.trim().split("\\s+");
            return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
        } catch (RuntimeException e) {
            return new int[] {32768, 60999};
        }
    }

    /** A sysctl's value from /proc/sys, or "?" when it cannot be read (not Linux). */
    static String readSysctl(String path) {
        try {
            return io.tcplens.analysis.ProcText.read(Path.of("/proc/sys", path)).trim(); // Files.readString truncates procfs files
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
