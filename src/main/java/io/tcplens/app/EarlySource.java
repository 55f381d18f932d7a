package io.tcplens.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import io.tcplens.ui.shell.StartedEngine;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * costs a poll, as the window's always did; with {@code -Dtcplens.early.nice=N} at that nice value until
 * the window's first frame, where that can be undone) and then starts the engine, whose next poll waits
 * for the window. The window's opener then gets the engine as a
 * {@link StartedEngine.Carrier}: the window joins the polls already running and shows the latest one
 * at once, instead of starting its first poll after its first frame.
 */
final class EarlySource {
    private static final Logger LOG = LoggerFactory.getLogger(EarlySource.class);
    private static volatile Pending pending;
    /** The thread of the first poll while it runs at a lower priority, else 0; whether the window's first frame came. */
    private static volatile int nicedThread;
    private static volatile boolean framed;
    /** The nice value the first poll began at (tests). */
    static volatile int firstPollNice;
    /**
     * {@code -Dtcplens.early.nice=N}: the first poll's nice value until the first frame (0, the default:
     * as the window's). Off by default: at 100k sockets nice 10 brought the first frame sooner under
     * heavy load, but at load 5 the first poll then reached the screen 1.2–2.3 s after the first frame
     * (at 0: 0.5–0.7 s), with the first frame no sooner.
     */
    static final String NICE_PROPERTY = "tcplens.early.nice";
    static final int NICE = 0;
    /** Threads a poll begins that live on after it (the netlink source's receiver), by the start of their name. */
    private static final String RECEIVER = "tcplens-netlink";

    private EarlySource() {}

    /** Starts opening {@code spec} and polling it, on a daemon thread. */
    static void begin(String spec, long intervalMillis) {
        if (spec == null || spec.startsWith("replay") || spec.startsWith("lab")) return; // nothing to win there
        Pending p = new Pending(spec, Math.max(100, intervalMillis));
        pending = p;
        Thread t = new Thread(p::run, "tcplens-early-source");
        t.setDaemon(true);
        t.start();
    }

    /**
     * FX thread, at the window's first frame: the first poll, if still running, runs at the engine's
     * priority from now on (it gave the cores to the window's start until now).
     */
    static void firstFrame() {
        framed = true;
        if (nicedThread != 0) Thread.ofPlatform().daemon().name("tcplens-early-priority").start(EarlySource::unnice); // off the FX thread
    }

    private static void unnice() {
        int tid = nicedThread;
        if (tid == 0) return;
        List<Integer> ids = new ArrayList<>(List.of(tid));
        try {
            ids.addAll(CompilerPriority.threads(RECEIVER));
        } catch (IOException e) {
            // the receiver is not running: only the poll's own thread
        }
        CompilerPriority.setNice(ids, 0);
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
                // the first poll runs on this thread, at a lower priority until the first frame where
                // that can be undone; the engine's own thread begins after it, at this thread's priority
                int nice = Integer.getInteger(NICE_PROPERTY, NICE);
                boolean niced = nice > 0 && !framed && CompilerPriority.canUndo() && CompilerPriority.niceThisThread(nice);
                if (niced) nicedThread = CompilerPriority.thisThread();
                if (framed) unnice(); // the first frame came meanwhile
                firstPollNice = CompilerPriority.niceOf(CompilerPriority.thisThread());
                PollResult first = engine.pollOnce();
                if (niced) { // this thread and the netlink receiver this poll began (it inherited the value): back to 0
                    unnice();
                    nicedThread = 0;
                }
                LOG.info("first poll before the window: {} sockets in {} ms{}", first.snapshot().sockets().size(), first.pollMillis(),
                        niced ? " (begun at nice " + nice + ")" : "");
                started.accept(first); // held for the window; the engine's next poll waits for it
                engine.start();
                opened.complete(started);
            } catch (SourceException | RuntimeException e) {
                opened.completeExceptionally(e); // the window reports it as for any source
            }
        }
    }
}
