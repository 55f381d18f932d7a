package io.tcplens.ui.shell;

import io.tcplens.engine.PollResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands polls to the presenters and drives their lifecycle. Every presenter's {@code prepare} runs on
 * the "tcplens-prepare" thread, then a single {@code Platform.runLater} calls {@code show} of every
 * presenter that is shown. At most one hand-over is in flight: polls that arrive meanwhile are
 * batched into the next one, so nothing piles up on the FX thread (Cryptomator's FxFSEventList
 * pattern). Tabs in the background only {@link Presenter#observe observe} the polls (they keep their
 * history, and skip the sorting and layout only the screen needs), after the hand-over of the shown
 * ones is on its way; when one comes to the front it gets
 * {@link ShellTab#onShown} and a fresh hand-over. A source change tells
 * every presenter and drops hand-overs still in flight from the old source. Records the FX-thread
 * time of each hand-over.
 */
public final class FrameDispatcher implements Consumer<PollResult>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDispatcher.class);
    /** How long the background tabs' observing waits for the shown ones' hand-over to end. */
    private static final long OBSERVE_WAIT_MILLIS = 200;

    private final List<Presenter<?>> presenters;
    private final Consumer<PollResult> onShown;
    private final ExecutorService prepareThread = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("tcplens-prepare").daemon().factory());
    private final FrameStats stats = new FrameStats(600);
    /** The FX thread's own CPU time per hand-over (beside the wall time: what was ours, not a GC pause or a busy core). */
    private final FrameStats cpuStats = new FrameStats(600);
    /** When each recent hand-over began ({@link System#nanoTime}), in step with {@link #stats()} (the benchmark lines them up with GC pauses). */
    private final FrameStats starts = new FrameStats(600);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final Map<String, FrameStats> perView = new ConcurrentHashMap<>();
    /** The prepare thread's CPU time not yet taken by {@link #takePrepareCpuNanos()}. */
    private final AtomicLong prepareCpuNanos = new AtomicLong();
    private final Map<String, FrameStats> perViewCpu = new ConcurrentHashMap<>();
    private final List<ShellTab> tabs;
    /** Tabs in the background: changed on the FX thread, read by the prepare thread. */
    private final Set<ShellTab> hidden = ConcurrentHashMap.newKeySet();
    private final Object lock = new Object();
    private List<PollResult> pending = new ArrayList<>();
    private PollResult latest;
    private boolean inFlight;
    private boolean refreshWanted;
    /** Completed when the window's first poll is on screen: the background tabs observe its batch after that. */
    private volatile CompletableFuture<?> observeHold;
    /** The longest the background tabs wait for {@link #observeHold}. */
    private static final long OBSERVE_HOLD_MAX_MILLIS = 3_000;
    /** The first hand-over was told in the log (FX thread writes, prepare thread reads). */
    private volatile boolean firstTold;
    /** Bumped by a source change; a hand-over prepared under an older one is dropped. */
    private volatile long generation;

    /**
     * @param presenters what is fed by polls, in hand-over order
     * @param tabs       the window's tabs (fed or not), whose lifecycle {@link #select} drives
     * @param onShown    called on the FX thread after the presenters were shown (status bar)
     */
    public FrameDispatcher(List<? extends Presenter<?>> presenters, List<? extends ShellTab> tabs, Consumer<PollResult> onShown) {
        this.presenters = List.copyOf(presenters);
        this.tabs = List.copyOf(tabs);
        this.onShown = onShown;
    }

    /** Presenters only, no tab lifecycle (a view tested or benchmarked on its own). */
    public FrameDispatcher(List<? extends Presenter<?>> presenters, Consumer<PollResult> onShown) {
        this(presenters, List.of(), onShown);
    }

    public FrameStats stats() {
        return stats;
    }

    /** The FX thread's CPU time of each recent hand-over (wall time: {@link #stats()}). */
    public FrameStats cpuStats() {
        return cpuStats;
    }

    /** When each recent hand-over began (nanoTime), index by index with {@link #stats()} and {@link #cpuStats()}. */
    public FrameStats starts() {
        return starts;
    }

    /** FX-thread time per view (and "status"), for the benchmark. */
    public Map<String, FrameStats> perView() {
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
        } catch (RejectedExecutionException closed) {
            // the window closed: this dispatcher is done
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

    /**
     * FX thread: the window opened another source. Polls of the old one not yet shown are dropped,
     * then every presenter hears of the new source before its first poll.
     */
    public void sourceChanged(ShellSource source) {
        synchronized (lock) {
            generation++;
            pending = new ArrayList<>();
            latest = null;
        }
        for (Presenter<?> p : presenters) {
            try {
                p.sourceChanged(source);
            } catch (RuntimeException e) {
                LOG.warn("{} failed on a source change", name(p), e);
            }
        }
    }

    /**
     * FX thread: which tab is at the front. The others get {@link ShellTab#onHidden} (once) and are no
     * longer shown; the front one gets {@link ShellTab#onShown} (if it was hidden) and, if it is fed by
     * polls, a fresh hand-over.
     */
    public void select(ShellTab front) {
        boolean refresh = false;
        for (ShellTab tab : tabs) {
            if (tab == front) {
                if (hidden.remove(tab)) {
                    tab.onShown();
                    refresh |= tab instanceof Presenter<?>;
                }
            } else if (hidden.add(tab)) tab.onHidden();
        }
        if (refresh) refresh();
    }

    /**
     * The background tabs observe the next batch only once {@code onScreen} completes (or after 3 s), not as soon
     * as the shown tabs' hand-over has run: the window's first poll, whose first layout pass takes longer than the
     * hand-over itself (at 100k sockets 0.7–1 s of a 2-core machine's time, round 25).
     */
    public void holdObserversUntil(CompletableFuture<?> onScreen) {
        observeHold = onScreen;
    }

    /** The FX thread's CPU time per view's show (and "status"), for the benchmark. */
    public Map<String, FrameStats> perViewCpu() {
        return perViewCpu;
    }

    /** Whether a tab is at the front (or was never put in the background); FX thread. */
    public boolean isShown(ShellTab t) {
        return !hidden.contains(t);
    }

    private void prepareAndHandOver() {
        long c0 = THREADS.getCurrentThreadCpuTime();
        List<PollResult> batch;
        PollResult last;
        long gen;
        synchronized (lock) {
            batch = pending;
            pending = new ArrayList<>();
            last = latest;
            refreshWanted = false;
            gen = generation;
        }
        Object[] prepared = new Object[presenters.size()];
        CountDownLatch handedOver = new CountDownLatch(1);
        // tabs in the background at the start of this hand-over: they observe the batch after the shown
        // ones' hand-over is on its way (at 100k sockets the advisor's rules and the hidden tabs' history
        // took 0.6 s of CPU that the first poll on screen waited for, issues 11 and 13)
        boolean[] observer = new boolean[presenters.size()];
        // the first hand-over is told in the log, where its time went (start-up, issue 11's first poll on screen)
        StringBuilder first = !firstTold && last != null ? new StringBuilder() : null;
        long p0 = System.nanoTime();
        long began = first == null ? 0 : ManagementFactory.getRuntimeMXBean().getUptime();
        try {
            if (last != null) {
                for (int i = 0; i < presenters.size(); i++) {
                    Presenter<?> p = presenters.get(i);
                    if (p instanceof ShellTab t && hidden.contains(t)) {
                        observer[i] = true;
                        continue;
                    }
                    long v0 = System.nanoTime();
                    try {
                        prepared[i] = p.prepare(last, batch);
                    } catch (RuntimeException | LinkageError e) {
                        LOG.warn("{} failed to prepare", name(p), e);
                    }
                    if (first != null) told(first, name(p), v0);
                }
            }
        } finally {
            prepareCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - c0); // before the hand-over that takes it
            // whatever went wrong above, the next hand-over must be able to start: a dispatcher left
            // "in flight" would freeze every view for good
            long posted = System.nanoTime();
            String prepareTold = first == null ? null : String.format(Locale.ROOT, "begun %d ms after JVM start, prepared in %d ms (%s)",
                    began, (posted - p0) / 1_000_000, first);
            Platform.runLater(() -> {
                try {
                    if (prepareTold != null) firstTold = true;
                    long shown0 = System.nanoTime();
                    StringBuilder shows = prepareTold == null ? null : new StringBuilder();
                    if (last != null && gen == generation) handOver(prepared, last, shows);
                    if (prepareTold != null) LOG.info("first hand-over (poll {}): {}; the FX thread took it {} ms later and showed it in {} ms ({})",
                            last.sequence(), prepareTold, (shown0 - posted) / 1_000_000, (System.nanoTime() - shown0) / 1_000_000, shows);
                } finally {
                    handedOver.countDown();
                    boolean again;
                    synchronized (lock) {
                        again = !pending.isEmpty() || refreshWanted;
                        inFlight = again;
                    }
                    if (again) submit();
                }
            });
        }
        // still on this thread, so before the next hand-over's prepare (a tab that comes to the front
        // meanwhile gets this batch here, then the refresh select() asks for); after the hand-over (or at
        // most OBSERVE_WAIT_MILLIS), so that the background tabs' bookkeeping does not take a core from
        // the FX thread while it shows the poll (issue 11: on two cores the hand-over waited for one)
        if (last != null) {
            boolean any = false;
            for (boolean o : observer) any |= o;
            if (any) {
                try {
                    CompletableFuture<?> hold = observeHold;
                    if (hold != null) {
                        // the window's first poll: after the frame that shows it is laid out (the first layout of
                        // the table's rows is most of the first poll on screen, and needs the cores)
                        observeHold = null;
                        try {
                            hold.get(OBSERVE_HOLD_MAX_MILLIS, TimeUnit.MILLISECONDS);
                        } catch (ExecutionException | TimeoutException | CancellationException e) {
                            // observe anyway
                        }
                    } else handedOver.await(OBSERVE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return; // closed
                }
            }
            long o0 = THREADS.getCurrentThreadCpuTime();
            for (int i = 0; i < presenters.size(); i++) {
                if (!observer[i] || gen != generation) continue; // (another source meanwhile: its history starts afresh)
                Presenter<?> p = presenters.get(i);
                try {
                    p.observe(batch);
                } catch (RuntimeException | LinkageError e) {
                    LOG.warn("{} failed to observe", name(p), e);
                }
            }
            prepareCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - o0); // counted with the next poll shown
        }
    }

    /**
     * The prepare thread's CPU time (prepare and the background tabs' bookkeeping) since the last call, and
     * starts counting again: the window adds it to each shown poll's own CPU to judge what a poll costs.
     */
    public long takePrepareCpuNanos() {
        return prepareCpuNanos.getAndSet(0);
    }

    /** Appends "name N" (ms since {@code from}) to a first hand-over's account. */
    private static void told(StringBuilder sb, String name, long from) {
        long ms = (System.nanoTime() - from) / 1_000_000;
        if (ms < 1) return;
        if (!sb.isEmpty()) sb.append(", ");
        sb.append(name).append(' ').append(ms);
    }

    private void handOver(Object[] prepared, PollResult last, StringBuilder shows) {
        long t0 = System.nanoTime();
        long c0 = THREADS.getCurrentThreadCpuTime();
        for (int i = 0; i < presenters.size(); i++) {
            Presenter<?> p = presenters.get(i);
            if (p instanceof ShellTab t && hidden.contains(t)) continue;
            long v0 = System.nanoTime();
            long u0 = THREADS.getCurrentThreadCpuTime();
            try {
                show(p, prepared[i]);
                if (shows != null) told(shows, name(p), v0);
                perView.computeIfAbsent(name(p), k -> new FrameStats(600)).record(System.nanoTime() - v0);
                perViewCpu.computeIfAbsent(name(p), k -> new FrameStats(600)).record(THREADS.getCurrentThreadCpuTime() - u0);
            } catch (RuntimeException e) {
                LOG.warn("{} failed to show", name(p), e);
            }
        }
        long s0 = System.nanoTime();
        long u0 = THREADS.getCurrentThreadCpuTime();
        try {
            onShown.accept(last);
            if (shows != null) told(shows, "status", s0);
            perView.computeIfAbsent("status", k -> new FrameStats(600)).record(System.nanoTime() - s0);
            perViewCpu.computeIfAbsent("status", k -> new FrameStats(600)).record(THREADS.getCurrentThreadCpuTime() - u0);
        } catch (RuntimeException e) {
            LOG.warn("status update failed", e);
        }
        starts.record(t0);
        stats.record(System.nanoTime() - t0);
        cpuStats.record(THREADS.getCurrentThreadCpuTime() - c0);
    }

    private static String name(Presenter<?> p) {
        return p instanceof ShellTab t ? t.id() : p.getClass().getSimpleName();
    }

    @SuppressWarnings("unchecked")
    private static <P> void show(Presenter<P> v, Object p) {
        if (p != null) v.show((P) p);
    }

    @Override
    public void close() {
        prepareThread.shutdownNow();
    }
}
