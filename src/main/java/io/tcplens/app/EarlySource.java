package io.tcplens.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import com.sun.management.ThreadMXBean;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import io.tcplens.ui.shell.StartedEngine;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window's first source and its polling engine, started while JavaFX starts and the window is
 * built (issue 13 and 11: real data within a second of the first frame, also at 100k sockets).
 * {@link #begin} runs on the main thread before the toolkit starts; a background thread opens the
 * source, takes a {@link PollingEngine}'s first poll on it at once (skipping the owner scan where that
 * costs a poll, as the window's always did) and then starts the engine, whose next poll waits
 * for the window. The window's opener then gets the engine as a
 * {@link StartedEngine.Carrier}: the window joins the polls already running and shows the latest one
 * at once, instead of starting its first poll after its first frame.
 *
 * <p>{@code -Dtcplens.early=false} leaves it out (the window opens its source once it is built, as
 * for a recording): how StartupBenchmark sizes the early poll's share of the start. With
 * {@code -Dtcplens.startup.threads=true} the first poll's line also says its thread's CPU time, what
 * it allocated and the collectors' pauses while it ran (a pause stops the FX thread too).
 */
final class EarlySource {
    private static final Logger LOG = LoggerFactory.getLogger(EarlySource.class);
    private static volatile Pending pending;
    /** {@code -Dtcplens.early=false}: no early source (measurements). */
    static final String ENABLED_PROPERTY = "tcplens.early";

    private EarlySource() {}

    /** Starts opening {@code spec} and polling it, on a daemon thread (unless {@code -Dtcplens.early=false}). */
    static void begin(String spec, long intervalMillis) {
        if (spec == null || spec.startsWith("replay") || spec.startsWith("lab")) return; // nothing to win there
        if ("false".equals(System.getProperty(ENABLED_PROPERTY))) return; // measurements: the window opens its source itself
        Pending p = new Pending(spec, Math.max(100, intervalMillis));
        pending = p;
        Thread.ofPlatform().name("tcplens-early-source").daemon().start(p::run);
    }

    /** The engine begun early and not yet taken by a window (tests), or null. */
    static StartedEngine begun() {
        Pending p = pending;
        return p == null || !p.opened.isDone() || p.opened.isCompletedExceptionally() ? null : p.opened.join();
    }

    /**
     * The window's opener: the engine begun for {@code spec} (once), as a {@link StartedEngine.Carrier},
     * else {@link Sources#open}. An engine begun for another spec is closed.
     */
    static SocketTableSource open(String spec) throws SourceException {
        Pending p = pending;
        pending = null;
        if (p == null) return Sources.open(spec);
        if (!p.spec.equals(spec)) {
            p.opened.thenAccept(s -> s.engine().close());
            return Sources.open(spec);
        }
        try {
            StartedEngine started = p.opened.get();
            return (StartedEngine.Carrier) () -> started;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SourceException se) throw se;
            throw new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while opening " + spec);
        }
    }

    private static long cpuNanos() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    /** Bytes this thread has allocated so far (-1 where the JVM does not say). */
    private static long allocated() {
        return ManagementFactory.getThreadMXBean() instanceof ThreadMXBean t ? t.getCurrentThreadAllocatedBytes() : -1;
    }

    /** The collectors' pause time so far, ms. */
    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) sum += Math.max(0, b.getCollectionTime());
        return sum;
    }

    /** The source being opened and its engine. */
    private record Pending(String spec, long intervalMillis, CompletableFuture<StartedEngine> opened) {
        Pending(String spec, long intervalMillis) {
            this(spec, intervalMillis, new CompletableFuture<>());
        }

        void run() {
            try {
                PollingEngine engine = new PollingEngine(Sources.open(spec), Duration.ofMillis(intervalMillis));
                engine.setFirstPollWithoutOwners(true); // the table at once; owners from the next poll
                StartedEngine started = new StartedEngine(engine);
                // the first poll runs on this thread; the engine's own thread begins after it
                boolean measure = Boolean.getBoolean("tcplens.startup.threads"); // where start-up's CPU goes
                long c0 = measure ? cpuNanos() : 0, g0 = measure ? gcMillis() : 0, a0 = measure ? allocated() : 0;
                PollResult first = engine.pollOnce();
                long cpu = measure ? (cpuNanos() - c0) / 1_000_000 : -1, gc = measure ? gcMillis() - g0 : -1;
                long mb = measure ? (allocated() - a0) >> 20 : -1;
                if (measure) {
                    LOG.info("first poll before the window: {} sockets in {} ms (read {} ms; this thread's CPU {} ms, allocated {} MB; GC pauses meanwhile {} ms)",
                            first.snapshot().sockets().size(), Math.round(first.pollMillis()), engine.lastReadNanos() / 1_000_000, cpu, mb, gc);
                } else {
                    LOG.info("first poll before the window: {} sockets in {} ms", first.snapshot().sockets().size(), first.pollMillis());
                }
                started.accept(first); // held for the window; the engine's next poll waits for it
                engine.start();
                opened.complete(started);
            } catch (SourceException | RuntimeException e) {
                opened.completeExceptionally(e); // the window reports it as for any source
            }
        }
    }
}
