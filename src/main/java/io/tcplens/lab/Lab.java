package io.tcplens.lab;

import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.LinuxPortRangeReader;
import io.tcplens.analysis.ports.PortRangeReader;
import io.tcplens.model.SocketEntry;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab service: runs the article's scenarios with real sockets, on 127.0.0.1 only (the NAT
 * scenario's clients use 127.0.0.2, also loopback). One run at a time ({@link LabRun}), bounded in
 * connections, rate and duration. Every socket a run opens is registered and closed when the run ends,
 * on {@link #stop()}, and by a shutdown hook if the application exits mid-run. Events go to listeners
 * on the lab's threads. Which kernel rows are this lab's: {@link #sockets()}.
 */
public final class Lab implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lab.class);
    static final InetAddress SERVER_ADDRESS = InetAddress.ofLiteral("127.0.0.1");
    /** The NAT scenario's "load balancer" address: another loopback address. */
    static final InetAddress BALANCER_ADDRESS = InetAddress.ofLiteral("127.0.0.2");
    private static final int EVENT_HISTORY = 5000;
    /** Where port blocks for the pool scenarios start (below any usual ephemeral range). */
    private static final int POOL_LOW = 20000;

    private final List<Consumer<LabEvent>> listeners = new CopyOnWriteArrayList<>();
    private final List<LabEvent> history = new ArrayList<>();
    private final Set<Integer> serverPorts = ConcurrentHashMap.newKeySet();
    private final Set<Integer> poolPorts = ConcurrentHashMap.newKeySet();
    private final LabSockets sockets = new LabSockets();
    private final SysctlReader sysctls;
    private final PortRangeReader portRange;
    private volatile LabRun current;
    private Thread shutdownHook;

    /** A lab reading the kernel's settings from /proc/sys. */
    public Lab() {
        this(SysctlReader.system(), new LinuxPortRangeReader());
    }

    public Lab(SysctlReader sysctls, PortRangeReader portRange) {
        this.sysctls = sysctls;
        this.portRange = portRange;
    }

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
        LabRun r = current;
        return r != null && !r.finished();
    }

    public Optional<LabScenario> scenario() {
        LabRun r = current;
        return r == null ? Optional.empty() : Optional.of(r.scenario());
    }

    /** Ports the lab's servers listened on in this session: every lab connection has one of them at one end. */
    public Set<Integer> serverPorts() {
        return Set.copyOf(serverPorts);
    }

    /** Local ports of the client port pools used in this session. */
    public Set<Integer> poolPorts() {
        return Set.copyOf(poolPorts);
    }

    /** Which kernel rows are this lab's (the matcher to hand to the engine). */
    public LabSockets sockets() {
        return sockets;
    }

    /** Whether the kernel's row belongs to the lab: loopback at both ends and a lab server port at one. */
    public boolean isLabSocket(SocketEntry e) {
        return sockets.isLab(e);
    }

    /**
     * Whether the kernel's row belongs to the latest run (running or finished): a lab socket whose
     * server end is one of that run's ports. Earlier runs' TIME_WAIT and FIN_WAIT2 leftovers are not.
     */
    public boolean isCurrentRunSocket(SocketEntry e) {
        LabRun r = current;
        if (r == null || !sockets.isLab(e)) return false;
        Set<Integer> mine = r.runPorts();
        return (e.local().address().equals(SERVER_ADDRESS) && mine.contains(e.local().port()))
                || (e.remote().address().equals(SERVER_ADDRESS) && mine.contains(e.remote().port()));
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
        LabRun run = new LabRun(this, scenario, settings);
        current = run;
        run.start();
    }

    /** Stops the current run (if any) and waits until its sockets are closed. */
    public void stop() {
        LabRun r = current;
        if (r == null) return;
        r.stop();
        try {
            r.done().await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for the current run to end by itself; true when it did within the timeout. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        LabRun r = current;
        return r == null || r.done().await(timeout.toMillis(), TimeUnit.MILLISECONDS);
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

    // ---- for the runs ----

    void publish(LabEvent e) {
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

    void serverPortInUse(int port) {
        serverPorts.add(port);
        sockets.serverPortInUse(port);
    }

    void poolPortsInUse(int start, int size) {
        for (int p = start; p < start + size; p++) poolPorts.add(p);
    }

    /** A sysctl's value as the kernel prints it, or "?" when it cannot be read (not Linux). */
    String sysctl(String name) {
        return sysctls.read(name).orElse("?");
    }

    /** A block of {@code size} consecutive ports free on {@code address}, below the ephemeral range. */
    int freePortBlock(InetAddress address, int size) throws IOException {
        EphemeralPortRange range = portRange.read();
        int firstEphemeral = range.known() ? range.first() : 32768;
        int high = Math.max(POOL_LOW + size + 1, Math.min(firstEphemeral, 65536)) - size;
        for (int attempt = 0; attempt < 200; attempt++) {
            int start = ThreadLocalRandom.current().nextInt(POOL_LOW, Math.max(POOL_LOW + 1, high));
            if (blockFree(address, start, size)) return start;
        }
        throw new IOException("no block of " + size + " free ports found between " + POOL_LOW + " and " + high);
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

    static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
