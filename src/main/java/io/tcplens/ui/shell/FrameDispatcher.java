package io.tcplens.ui.shell;

import io.tcplens.engine.PollResult;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands polls to the views: every view's {@code prepare} runs on the "tcplens-prepare" thread, then
 * a single {@code Platform.runLater} calls every {@code show}. At most one hand-over is in flight:
 * polls that arrive meanwhile are batched into the next one, so nothing piles up on the FX thread
 * (Cryptomator's FxFSEventList pattern). Records the FX-thread time of each hand-over.
 */
public final class FrameDispatcher implements Consumer<PollResult>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDispatcher.class);

    private final List<ShellView<?>> views;
    private final Consumer<PollResult> onShown;
    private final ExecutorService prepareThread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "tcplens-prepare");
        t.setDaemon(true);
        return t;
    });
    private final FrameStats stats = new FrameStats(600);
    private final java.util.Map<String, FrameStats> perView = new java.util.concurrent.ConcurrentHashMap<>();
    private final Object lock = new Object();
    private List<PollResult> pending = new ArrayList<>();
    private PollResult latest;
    private boolean inFlight;
    private boolean refreshWanted;

    /** @param onShown called on the FX thread after the views were shown (status bar, tiles) */
    public FrameDispatcher(List<ShellView<?>> views, Consumer<PollResult> onShown) {
        this.views = List.copyOf(views);
        this.onShown = onShown;
    }

    public FrameStats stats() {
        return stats;
    }

    /** FX-thread time per view (and "header+status"), for the benchmark. */
    public java.util.Map<String, FrameStats> perView() {
        return perView;
    }

    /** Poller thread: queue the poll; start a hand-over unless one is in flight. */
    @Override
    public void accept(PollResult r) {
        synchronized (lock) {
            pending.add(r);
            latest = r;
            if (inFlight) return;
            inFlight = true;
        }
        submit();
    }

    private void submit() {
        try {
            prepareThread.execute(this::prepareAndHandOver);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the window switched source or closed: this dispatcher is done
        }
    }

    /** Any thread: re-prepare the latest poll with no new data (after a filter or sort change). */
    public void refresh() {
        synchronized (lock) {
            if (latest == null) return;
            if (inFlight) {
                refreshWanted = true;
                return;
            }
            inFlight = true;
        }
        submit();
    }

    private void prepareAndHandOver() {
        List<PollResult> batch;
        PollResult last;
        synchronized (lock) {
            batch = pending;
            pending = new ArrayList<>();
            last = latest;
            refreshWanted = false;
        }
        Object[] prepared = new Object[views.size()];
        for (int i = 0; i < views.size(); i++) {
            try {
                prepared[i] = views.get(i).prepare(last, batch);
            } catch (RuntimeException e) {
                LOG.warn("view {} failed to prepare", views.get(i).id(), e);
            }
        }
        Platform.runLater(() -> {
            long t0 = System.nanoTime();
            for (int i = 0; i < views.size(); i++) {
                long v0 = System.nanoTime();
                try {
                    show(views.get(i), prepared[i]);
                    perView.computeIfAbsent(views.get(i).id(), k -> new FrameStats(600)).record(System.nanoTime() - v0);
                } catch (RuntimeException e) {
                    LOG.warn("view {} failed to show", views.get(i).id(), e);
                }
            }
            long s0 = System.nanoTime();
            try {
                onShown.accept(last);
                perView.computeIfAbsent("header+status", k -> new FrameStats(600)).record(System.nanoTime() - s0);
            } catch (RuntimeException e) {
                LOG.warn("status update failed", e);
            }
            stats.record(System.nanoTime() - t0);
            boolean again;
            synchronized (lock) {
                again = !pending.isEmpty() || refreshWanted;
                inFlight = again;
            }
            if (again) submit();
        });
    }

    @SuppressWarnings("unchecked")
    private static <P> void show(ShellView<P> v, Object p) {
        v.show((P) p);
    }

    @Override
    public void close() {
        prepareThread.shutdownNow();
    }
}
