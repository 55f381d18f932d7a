package io.tcplens.app;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import io.tcplens.source.TimeWaitDuration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window's first source, opened and read while JavaFX starts and the window is built (issue 13:
 * real data within a second of the first frame). {@link #begin} runs on the main thread before the
 * toolkit starts; a background thread opens the source and reads its table once every interval until
 * the window's polling engine asks for its first table. That first poll then gets the newest early
 * table if it is younger than one interval (as fresh as a scheduled poll would be; its own timestamp,
 * so its age on screen is true), otherwise a fresh read. From then on every call goes to the source.
 * The early reads skip the owner scan where it costs a poll, as the engine's first poll does.
 */
final class EarlySource implements SocketTableSource {
    private static final Logger LOG = LoggerFactory.getLogger(EarlySource.class);
    private static volatile Pending pending;

    private final SocketTableSource source;
    private final Pending early;

    private EarlySource(SocketTableSource source, Pending early) {
        this.source = source;
        this.early = early;
    }

    /** Starts opening {@code spec} and reading it, on a daemon thread. */
    static void begin(String spec, long intervalMillis) {
        if (spec == null || spec.startsWith("replay") || spec.startsWith("lab")) return; // nothing to win there
        Pending p = new Pending(spec, Math.max(100, intervalMillis));
        pending = p;
        Thread t = new Thread(p::run, "tcplens-early-source");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The window's opener: the early source when {@code spec} is the one begun (once), else
     * {@link Sources#open}.
     */
    static SocketTableSource open(String spec) throws SourceException {
        Pending p = pending;
        if (p == null || !p.spec.equals(spec)) return Sources.open(spec);
        pending = null;
        try {
            return new EarlySource(p.opened.get(), p);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SourceException se) throw se;
            throw new CompletionException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while opening " + spec);
        }
    }

    @Override
    public Snapshot poll() throws SourceException {
        synchronized (source) { // the early reads have stopped once this holds the source
            Snapshot s = early.take();
            return s != null ? s : source.poll();
        }
    }

    @Override
    public SourceInfo info() {
        return source.info();
    }

    @Override
    public void setOwnersWanted(boolean wanted) {
        synchronized (source) {
            source.setOwnersWanted(wanted);
        }
    }

    @Override
    public void setTcpInfoWanted(boolean wanted) {
        source.setTcpInfoWanted(wanted);
    }

    @Override
    public boolean ownersCostAPoll() {
        return source.ownersCostAPoll();
    }

    @Override
    public TimeWaitDuration timeWaitDuration() {
        return source.timeWaitDuration();
    }

    @Override
    public void close() {
        early.stop();
        source.close();
    }

    /** The source being opened and its newest early table. */
    private static final class Pending {
        final String spec;
        final long intervalMillis;
        final CompletableFuture<SocketTableSource> opened = new CompletableFuture<>();
        private Snapshot newest;
        private long newestNanos;
        private boolean done;

        Pending(String spec, long intervalMillis) {
            this.spec = spec;
            this.intervalMillis = intervalMillis;
        }

        void run() {
            SocketTableSource src;
            try {
                src = Sources.open(spec);
            } catch (SourceException | RuntimeException e) {
                opened.completeExceptionally(e); // the window reports it as for any source
                return;
            }
            opened.complete(src);
            // the window's first frame comes seconds later on a slow machine: one read per interval
            // until its engine takes over (a cheap read: no owners, as the engine's first poll)
            while (true) {
                synchronized (this) {
                    if (done) return;
                }
                try {
                    Snapshot s;
                    synchronized (src) {
                        synchronized (this) {
                            if (done) return;
                        }
                        boolean skipOwners = src.ownersCostAPoll();
                        if (skipOwners) src.setOwnersWanted(false);
                        try {
                            s = src.poll();
                        } finally {
                            if (skipOwners) src.setOwnersWanted(true);
                        }
                    }
                    synchronized (this) {
                        if (done) return;
                        newest = s;
                        newestNanos = System.nanoTime();
                        wait(intervalMillis);
                    }
                } catch (SourceException | RuntimeException e) {
                    LOG.debug("early read of {} failed; the engine reads it itself", spec, e);
                    stop();
                    return;
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        /** The newest early table if younger than one interval (once), else null; ends the early reads. */
        Snapshot take() {
            synchronized (this) {
                if (done) return null;
                done = true;
                notifyAll();
                Snapshot s = newest;
                newest = null;
                if (s == null || System.nanoTime() - newestNanos > intervalMillis * 1_000_000L) return null;
                return s;
            }
        }

        synchronized void stop() {
            done = true;
            newest = null;
            notifyAll();
        }
    }
}
