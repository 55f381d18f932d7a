package io.tcplens.ui.shell;

import io.tcplens.model.Snapshot;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.TimeWaitDuration;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A polling engine the application started before the window existed (issue 13: real data within a
 * second of the first frame, also at 100k sockets). Its first poll runs while JavaFX starts and the
 * window is built; until the window joins, this holds the latest poll. When the window joins it gets
 * that poll at once (one hand-over), before any later poll can reach it, and then every poll as usual.
 * An opener hands it to the window as a {@link Carrier} (a source that names its started engine).
 */
public final class StartedEngine implements Consumer<PollResult> {
    private final PollingEngine engine;
    private PollResult latest;
    private volatile boolean joined;
    private final BooleanSupplier tcpInfoUntilJoined = () -> !joined;
    private final CompletableFuture<Void> ownersFromJoin = new CompletableFuture<>();
    /** Released once the window shows the poll it joined with (see {@link #accept}). */
    private final CompletableFuture<Void> pollsAfterJoin = new CompletableFuture<>();
    /** How long a poll before the window joins holds the next one at most. */
    static final Duration HOLD_BEFORE_JOIN = Duration.ofSeconds(10);

    /**
     * Listens to {@code engine}, which the caller starts (after this, so no poll is missed). Until the
     * window joins, the polls carry the kernel's tcp_info (the table shows Sent and Received unless the
     * user hid them); from then on the window says whether it wants them. Until the window joins, the
     * polls also skip the owner scan where it costs a poll (every process's descriptors: up to 0.8 s
     * of CPU on a busy machine, beside the window's start); the first poll after the join, which the
     * window holds until its first is on screen, names the owners.
     */
    public StartedEngine(PollingEngine engine) {
        this.engine = Objects.requireNonNull(engine);
        engine.addListener(this);
        engine.addTcpInfoConsumer(tcpInfoUntilJoined);
        engine.setOwnersAfter(ownersFromJoin);
    }

    public PollingEngine engine() {
        return engine;
    }

    /** The latest poll held for the window (null: none yet, or the window has joined). Any thread. */
    public synchronized PollResult held() {
        return latest;
    }

    /**
     * Poller thread: hold the poll until the window joins; blocks while it joins (see {@link #join}).
     * Until the window joins, the engine's next poll waits (at most {@link #HOLD_BEFORE_JOIN}) until the
     * window has shown the poll it joined with: a poll nobody will see would take the cores the window's
     * start needs (issue 13: at 100k sockets on a busy machine the early engine polled several times
     * before the first frame, each a full table).
     */
    @Override
    public synchronized void accept(PollResult r) {
        if (joined) return;
        latest = r;
        holdNextPoll();
    }

    /** The engine's next poll waits until the window has joined and shown its first poll (at most {@link #HOLD_BEFORE_JOIN}). */
    private void holdNextPoll() {
        engine.holdNextPoll(pollsAfterJoin, HOLD_BEFORE_JOIN);
    }

    /**
     * The window joins: {@code register} adds its listeners to the engine, then {@code first} gets the
     * latest poll held (if any). Both run under this object's lock, which the engine's next poll must
     * pass first (this is its first listener), so the window sees polls in order and none twice.
     */
    synchronized void join(Runnable register, Consumer<PollResult> first) {
        join(register, first, CompletableFuture.completedFuture(null));
    }

    /**
     * As {@link #join(Runnable, Consumer)}; a poll held before the join (see {@link #accept}) waits
     * until {@code shown} completes (the window shows its first poll), as the window's own hold does.
     */
    synchronized void join(Runnable register, Consumer<PollResult> first, CompletableFuture<?> shown) {
        shown.whenComplete((v, e) -> pollsAfterJoin.complete(null));
        joined = true;
        PollResult r = latest;
        latest = null;
        engine.removeListener(this);
        register.run();
        engine.removeTcpInfoConsumer(tcpInfoUntilJoined);
        ownersFromJoin.complete(null);
        if (r != null) first.accept(r);
    }

    /**
     * A source opened by spec whose engine is already polling: the window polls it through
     * {@link #started()} instead of starting an engine of its own. The source methods are the
     * engine's source's.
     */
    public interface Carrier extends SocketTableSource {
        StartedEngine started();

        @Override
        default Snapshot poll() throws SourceException {
            return started().engine().source().poll();
        }

        @Override
        default SourceInfo info() {
            return started().engine().source().info();
        }

        @Override
        default TimeWaitDuration timeWaitDuration() {
            return started().engine().source().timeWaitDuration();
        }

        @Override
        default void close() {
            started().engine().close();
        }
    }
}
