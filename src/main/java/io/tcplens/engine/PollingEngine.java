package io.tcplens.engine;

import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.EventBatch;
import io.tcplens.model.ObservedEvents;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpInfoReadings;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.TcpInfoDemand;
import io.tcplens.source.events.EventFeed;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a source on its own named daemon thread ({@code tcplens-poller}) with a fixed delay between
 * polls, runs the tracker, and publishes each {@link PollResult} to listeners on that thread.
 * Listeners must hand work to their own thread (the UI coalesces into one FX pulse).
 */
public final class PollingEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PollingEngine.class);
    public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

    private final SocketTableSource source;
    private final ConnectionTracker tracker;
    private final List<Consumer<PollResult>> listeners = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService executor;
    private volatile Duration interval;
    /** Guards {@link #task}: scheduling never waits for a poll in progress (the FX thread backs the interval off). */
    private final Object scheduling = new Object();
    private ScheduledFuture<?> task;
    private long sequence;
    private volatile PollResult last;
    private volatile Predicate<SocketEntry> labMatcher;
    private volatile long lastReadNanos;
    /** The last poll's wait for the kernel's events to catch up with its read (the debug log's poll line). */
    private volatile long lastEventWaitNanos;
    private volatile boolean firstPollWithoutOwners;
    /** Polls skip the owner scan until this completes (see {@link #setOwnersAfter}); null: they do not. */
    private volatile CompletableFuture<?> ownersAfter;
    private volatile EventFeed events;
    /** The next poll waits for this (see {@link #holdNextPoll}); null: no wait. */
    private volatile CompletableFuture<?> hold;
    private volatile long holdMaxMillis;
    /** Who needs the kernel's tcp_info now (see {@link #addTcpInfoConsumer}); none: the kernel is not asked. */
    private final List<BooleanSupplier> tcpInfoConsumers = new CopyOnWriteArrayList<>();
    /** Who needs which connections' tcp_info (see {@link #addTcpInfoDemand}). */
    private final List<DemandSupplier> tcpInfoDemands = new CopyOnWriteArrayList<>();
    /** How long a poll waits for the event reader to catch up with the end of its table read. */
    static final long EVENT_CATCH_UP_MILLIS = EventFeed.CATCH_UP_MILLIS;

    public PollingEngine(SocketTableSource source, Duration interval) {
        this.source = Objects.requireNonNull(source);
        this.tracker = new ConnectionTracker(source.timeWaitDuration().millis());
        this.interval = clamp(interval);
        this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("tcplens-poller").daemon()
                .uncaughtExceptionHandler((th, e) -> LOG.error("poller thread died", e)).factory());
    }

    public SocketTableSource source() {
        return source;
    }

    public void addListener(Consumer<PollResult> l) {
        listeners.add(l);
    }

    public void removeListener(Consumer<PollResult> l) {
        listeners.remove(l);
    }

    public Duration interval() {
        return interval;
    }

    /**
     * Changes the interval; takes effect from the next poll. Returns at once, also while a poll is in
     * progress (a poll of 250k sockets takes most of a second; the window calls this on the FX thread).
     */
    public void setInterval(Duration d) {
        synchronized (scheduling) {
            interval = clamp(d);
            if (task != null) {
                task.cancel(false);
                task = executor.scheduleWithFixedDelay(this::pollSafely, interval.toMillis(), interval.toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * A poll as soon as the poller is free (after one in progress), then every interval from it: for a
     * consumer whose demand just changed and who should not wait for the next tick (a click on a traffic
     * sort asks for every row's counters). Does nothing before {@link #start()}.
     */
    public void pollNow() {
        synchronized (scheduling) {
            if (task == null) return;
            task.cancel(false);
            task = executor.scheduleWithFixedDelay(this::pollSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The counters of these connections now, by an exact request for each (a source that can: netlink; else
     * none read), outside the polls, without rates: for a copy or an export of rows the polls did not read.
     * Any thread but the FX thread (it may wait for a poll in progress).
     */
    public TcpInfoReadings lookUpTcpInfo(List<SocketEntry> sockets) throws SourceException {
        return source.lookUpTcpInfo(sockets);
    }

    /** Whether {@link #lookUpTcpInfo} reads counters from this engine's source. */
    public boolean looksUpTcpInfo() {
        return source.looksUpTcpInfo();
    }

    /** Starts polling now and then every interval. */
    public void start() {
        synchronized (scheduling) {
            if (task != null) return;
            task = executor.scheduleWithFixedDelay(this::pollSafely, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** One poll on the calling thread (the CLI uses this; do not mix with {@link #start()}). */
    public synchronized PollResult pollOnce() {
        return doPoll();
    }

    private void pollSafely() {
        awaitHold();
        try {
            PollResult r;
            synchronized (this) {
                r = doPoll();
            }
            // (-Dorg.slf4j.simpleLogger.log.io.tcplens.engine.PollingEngine=debug: WindowMemoryBenchmark counts the polls)
            if (LOG.isDebugEnabled()) {
                ObservedEvents ev = r.diff().events();
                LOG.debug("poll {} ended at {} ({} ms; read {} ms){}", r.sequence(), System.currentTimeMillis(),
                        Math.round(r.pollMillis()), lastReadNanos / 1_000_000, ev == null ? "" : "; kernel events: "
                                + ev.transitions().size() + " steps, " + ev.lost() + " lost, " + (ev.complete() ? "complete" : "incomplete")
                                + ", waited " + lastEventWaitNanos / 1_000_000 + " ms for them");
            }
            for (Consumer<PollResult> l : listeners) {
                try {
                    l.accept(r);
                } catch (RuntimeException e) {
                    LOG.warn("listener failed", e);
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.error("poll failed", e);
        }
    }

    /**
     * The next poll (not one in progress) starts only once {@code released} completes, or after
     * {@code max}: the window holds its second poll, the one with the owner scan, until its first is
     * on screen, so the two do not share the cores at start-up (issues 11 and 13).
     */
    public void holdNextPoll(CompletableFuture<?> released, Duration max) {
        holdMaxMillis = max.toMillis();
        hold = released;
    }

    private void awaitHold() {
        CompletableFuture<?> h = hold;
        if (h == null) return;
        try {
            h.get(holdMaxMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | CancellationException e) {
            // poll anyway
        }
        hold = null;
    }

    private PollResult doPoll() {
        long t0 = System.nanoTime();
        long c0 = threadCpuNanos();
        PollResult r;
        try {
            Snapshot raw = markLab(read());
            long readEnd = System.nanoTime();
            lastReadNanos = readEnd - t0;
            EventFeed feed = events;
            EventBatch batch = null;
            if (feed != null) {
                feed.awaitCaughtUp(readEnd, EVENT_CATCH_UP_MILLIS);
                lastEventWaitNanos = System.nanoTime() - readEnd;
                batch = feed.drain(readEnd);
            }
            TcpInfoReadings counters = source.tcpInfoRead(); // beside the rows: those named by cookie (the rows in view)
            ConnectionTracker.Update u = tracker.update(raw, batch);
            r = new PollResult(++sequence, u.snapshot(), u.diff(), u.connections(), System.nanoTime() - t0, null, counters,
                    cpuSince(c0, t0));
        } catch (SourceException e) {
            Snapshot keep = last != null ? last.snapshot() : Snapshot.empty(source.info());
            r = new PollResult(++sequence, keep, SnapshotDiff.none(System.currentTimeMillis()), tracker.connections(),
                    System.nanoTime() - t0, e.getMessage(), last != null ? last.counters() : TcpInfoReadings.NONE, cpuSince(c0, t0));
        }
        last = r;
        return r;
    }

    /**
     * The window's first poll skips the owner scan where it costs a poll (every process's file
     * descriptors are read once at start: at 100k sockets that doubled the first poll), so the table
     * is on screen at once; owners come with the next poll, and the first poll says so in a warning.
     */
    public void setFirstPollWithoutOwners(boolean on) {
        firstPollWithoutOwners = on;
    }

    /**
     * Every poll skips the owner scan, where it costs a poll, until {@code released} completes, and
     * says so as the first poll without owners does: an engine begun before its window polls while the
     * window is built, and reading every process's descriptors then took the cores the first frame
     * needed (issue 13: 0.5–0.8 s of CPU before the first frame on a busy machine).
     */
    public void setOwnersAfter(CompletableFuture<?> released) {
        ownersAfter = released;
    }

    /**
     * Registers a consumer of the kernel's per-connection traffic counters ({@code tcp_info}: bytes,
     * rates, RTT, retransmits). Before each poll the engine asks its source for them only while at
     * least one registered consumer says it wants them now (the connections table: while a traffic
     * column is shown); with none, no poll carries tcp_info, and the kernel is not asked for it (at
     * 100k sockets that is a third of a poll). {@code wantsNow} is called on the poller thread, so it
     * must be cheap and thread-safe (read a volatile). A constant {@code () -> true} wants them always.
     */
    public void addTcpInfoConsumer(BooleanSupplier wantsNow) {
        tcpInfoConsumers.add(Objects.requireNonNull(wantsNow));
    }

    /** Withdraws a consumer registered with {@link #addTcpInfoConsumer}. */
    public void removeTcpInfoConsumer(BooleanSupplier wantsNow) {
        tcpInfoConsumers.remove(wantsNow);
    }

    /** Whether the next poll asks for tcp_info: some registered consumer wants it now (all of it or some sockets'). */
    public boolean tcpInfoWanted() {
        for (BooleanSupplier c : tcpInfoConsumers) if (c.getAsBoolean()) return true;
        long next = sequence + 1;
        for (DemandSupplier d : tcpInfoDemands) if (!d.demand(next).none()) return true;
        return false;
    }

    /**
     * What a consumer of {@code tcp_info} needs for the poll that will have sequence number {@code sequence}
     * (its {@link PollResult#sequence()}): called on the poller thread just before that poll, so it must be
     * cheap and thread-safe (read a volatile). A consumer that returned {@link TcpInfoDemand#ALL} for a
     * sequence knows that poll's rows carry every full socket's counters.
     */
    @FunctionalInterface
    public interface DemandSupplier {
        TcpInfoDemand demand(long sequence);
    }

    /**
     * Registers a consumer that may need only some connections' counters (the connections table: the
     * rows in view), see {@link DemandSupplier}. Before each poll the engine joins every consumer's
     * demand ({@link TcpInfoDemand#and}; a {@link #addTcpInfoConsumer} that wants them counts as all)
     * and gives it to its source.
     */
    public void addTcpInfoDemand(DemandSupplier demand) {
        tcpInfoDemands.add(Objects.requireNonNull(demand));
    }

    /** Withdraws a consumer registered with {@link #addTcpInfoDemand}. */
    public void removeTcpInfoDemand(DemandSupplier demand) {
        tcpInfoDemands.remove(demand);
    }

    /** What the poll with sequence {@code next} carries: every consumer's demand joined. */
    TcpInfoDemand tcpInfoDemand(long next) {
        for (BooleanSupplier c : tcpInfoConsumers) if (c.getAsBoolean()) return TcpInfoDemand.ALL;
        TcpInfoDemand d = TcpInfoDemand.NONE;
        for (DemandSupplier s : tcpInfoDemands) {
            d = d.and(s.demand(next));
            if (d.all()) return d;
        }
        return d;
    }

    /** The source's table; without owners if so asked (see {@link #setFirstPollWithoutOwners}, {@link #setOwnersAfter}). */
    private Snapshot read() throws SourceException {
        source.setTcpInfoDemand(tcpInfoDemand(sequence + 1)); // the poll's result takes sequence + 1
        CompletableFuture<?> gate = ownersAfter;
        boolean skip = (sequence == 0 && firstPollWithoutOwners) || (gate != null && !gate.isDone());
        if (!skip || !source.ownersCostAPoll()) return source.poll();
        source.setOwnersWanted(false);
        Snapshot s;
        try {
            s = source.poll();
        } finally {
            source.setOwnersWanted(true);
        }
        List<String> w = new ArrayList<>(s.warnings());
        w.add(OWNERS_NEXT_POLL);
        return new Snapshot(s.timestampMillis(), s.sockets(), s.source(), List.copyOf(w));
    }

    /** The first poll's warning when its owners were left for the next poll. */
    public static final String OWNERS_NEXT_POLL = "process owners are looked up from the next poll on";

    /**
     * Sets what tells this process's lab sockets apart (the composition root wires the lab in; the
     * engine knows no lab). Matching rows are tagged with {@link SocketEntry#lab()}, so every view,
     * export and command shows them as lab. Null: no tagging.
     */
    public void setLabMatcher(Predicate<SocketEntry> matcher) {
        labMatcher = matcher;
    }

    private Snapshot markLab(Snapshot s) {
        Predicate<SocketEntry> m = labMatcher;
        if (m == null) return s;
        List<SocketEntry> rows = null;
        List<SocketEntry> in = s.sockets();
        for (int i = 0; i < in.size(); i++) {
            SocketEntry e = in.get(i);
            if (!m.test(e)) continue;
            if (rows == null) rows = new ArrayList<>(in);
            rows.set(i, e.withLab(true));
        }
        return rows == null ? s : new Snapshot(s.timestampMillis(), rows, s.source(), s.warnings(), s.holders());
    }

    /**
     * Merges the kernel's state-change events into every poll from now on (null: polling only). The
     * table stays the truth for which sockets exist; the events fill in each transition between polls
     * with the kernel's timestamps (see {@link ConnectionTracker#update(Snapshot, EventBatch)}). The
     * engine closes the feed when it closes.
     */
    public void attachEvents(EventFeed feed) {
        EventFeed old = events;
        events = feed;
        if (old != null && old != feed) old.close();
    }

    /** The attached event feed, or null (polling only). */
    public EventFeed events() {
        return events;
    }

    /** What the last poll's read (source: kernel dump, parse, owners) cost, of its {@link PollResult#pollNanos()}. */
    public long lastReadNanos() {
        return lastReadNanos;
    }

    /** The latest poll's result; does not wait for a poll in progress. */
    public PollResult last() {
        return last;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        EventFeed feed = events;
        if (feed != null) feed.close();
        source.close();
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** This thread's CPU time (ns), or -1 where the JVM does not measure it. */
    private static long threadCpuNanos() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** The CPU this thread spent since {@code c0}; its wall time since {@code t0} where CPU is not measured. */
    private static long cpuSince(long c0, long t0) {
        long c1 = c0 < 0 ? -1 : threadCpuNanos();
        return c1 < 0 ? System.nanoTime() - t0 : c1 - c0;
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : d;
    }
}
