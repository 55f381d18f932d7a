package io.tcplens.ui.shell;

import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.SocketEntry;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.events.EventSources;
import io.tcplens.source.replay.ReplaySource;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import javafx.application.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens sources and runs the polling engine on the one shown: a spec is opened off the FX thread;
 * when it fails the window stays on what it showed (or falls back to "auto" when it showed
 * nothing); kernel state-change events are attached beside the polls when the source allows.
 */
final class SourceSwitcher {
    private static final Logger LOG = LoggerFactory.getLogger(SourceSwitcher.class);

    /** What the window does with a source's life. FX thread. */
    interface Listener {
        /** The spec to show in the Source box (before the source is open; put back after a failure). */
        void specShown(String spec);

        /** A source is open and its engine built but not started: feed the window from it. */
        void starting(SocketTableSource source, PollingEngine engine);

        /**
         * The latest poll of an engine that was already polling when the window took it (issue 13),
         * given right after {@link #starting}, before any later poll: pass it on as the engine would.
         */
        void firstPoll(PollResult r);

        /** A source opened by spec is shown. */
        void opened(String spec);

        /** A spec could not be opened; {@code keptPrevious}: the window stays on the source it showed. */
        void openFailed(String spec, String message, boolean keptPrevious);

        /** The kernel events' state of the current source is known ({@link #eventsStatus()}). */
        void eventsChanged();
    }

    private final UiPreferences prefs;
    private final Predicate<SocketEntry> labSockets;
    private final Listener listener;
    private final ShellParts.Opener opener;
    private PollingEngine engine;
    private String spec;
    /** "events: on", or why they are off, for the current source; null when events do not apply to it. */
    private String eventsStatus;
    /** Starts the kernel events of the current source once its first poll is shown; null once done. */
    private Runnable eventsPending;
    /** Completed when the current source's first poll is shown: its engine's next poll waits for it. */
    private CompletableFuture<Void> firstShown = CompletableFuture.completedFuture(null);
    /** Runs the join of an engine begun before the window (see {@link #setJoinAfterFirstFrame}). */
    private Executor joinAfterFirstFrame = Runnable::run;
    /** How long a poll waits at most for the first one to be shown. */
    static final Duration HOLD_MAX = Duration.ofSeconds(5);

    /** @param opener opens a spec off the FX thread (the application's may hand over a source it began early, issue 13) */
    SourceSwitcher(UiPreferences prefs, Predicate<SocketEntry> labSockets, Listener listener, ShellParts.Opener opener) {
        this.prefs = prefs;
        this.opener = opener;
        this.labSockets = labSockets;
        this.listener = listener;
    }

    /** The source spec currently shown. */
    String spec() {
        return spec;
    }

    PollingEngine engine() {
        return engine;
    }

    String eventsStatus() {
        return eventsStatus;
    }

    /** Opens a source off the FX thread and restarts polling on it. */
    void switchTo(String newSpec) {
        String previous = engine != null ? spec : null;
        spec = newSpec;
        listener.specShown(newSpec);
        // its own thread: the common pool (one thread on two cores) may be busy probing the providers for
        // the Source box, and the first source must not wait behind that (issue 13)
        CompletableFuture.supplyAsync(() -> {
            try {
                return opener.open(newSpec);
            } catch (SourceException e) {
                throw new CompletionException(e);
            }
        }, r -> daemon(r, "tcplens-source-open")).whenComplete((src, err) -> Platform.runLater(() -> {
            // an engine begun before the window (issue 13): the window joins it after its first frame, so
            // taking the held poll (the views' hand-over, the table's preparation of every row) does not
            // delay that frame; its poll is on screen one preparation later, as it would have been
            if (err == null && src instanceof StartedEngine.Carrier) joinAfterFirstFrame.execute(() -> opened(newSpec, previous, src, null));
            else opened(newSpec, previous, src, err);
        }));
    }

    /** FX thread: the spec's source is open ({@code err} null) or failed to open. */
    private void opened(String newSpec, String previous, SocketTableSource src, Throwable err) {
        if (err != null) {
            String msg = err.getCause() != null ? err.getCause().getMessage() : err.getMessage();
            LOG.warn("source {} failed: {}", newSpec, msg);
            if (previous != null && newSpec.equals(spec)) {
                // stay on what was shown: the engine, its tracked ages and the Source box are untouched
                spec = previous;
                listener.specShown(previous);
            }
            listener.openFailed(newSpec, msg, previous != null);
            if (!"auto".equals(newSpec) && engine == null) switchTo("auto");
            return;
        }
        start(src);
        listener.opened(newSpec);
        if (!newSpec.startsWith("replay") && !newSpec.startsWith("lab")) prefs.setSource(newSpec);
    }

    /**
     * Where the window joins an engine begun before it (see {@link #switchTo}): the window passes one
     * that runs a task after its first frame, or at once when it is not showing or has shown one.
     */
    void setJoinAfterFirstFrame(Executor afterFirstFrame) {
        joinAfterFirstFrame = afterFirstFrame;
    }

    /** Polls a source the caller opened (replay, lab, benchmark tables). */
    void show(SocketTableSource source) {
        spec = source.info().name();
        listener.specShown(spec);
        start(source);
    }

    private void start(SocketTableSource opened) {
        stop();
        eventsStatus = null;
        // an engine the application started before the window (issue 13): its first poll is shown at once
        StartedEngine started = opened instanceof StartedEngine.Carrier c ? c.started() : null;
        SocketTableSource src = started != null ? started.engine().source() : opened;
        PollingEngine e = started != null ? started.engine() : new PollingEngine(src, Duration.ofMillis(prefs.intervalMillis()));
        engine = e;
        e.setLabMatcher(labSockets);
        // the next poll (with the owner scan, every process's descriptors) waits until the first is on
        // screen: at 100k sockets it took the cores the first hand-over needed (issue 11)
        CompletableFuture<Void> shown = new CompletableFuture<>();
        firstShown = shown;
        if (started != null) {
            e.holdNextPoll(shown, HOLD_MAX);
            started.join(() -> listener.starting(src, e), r -> {
                LOG.info("the window joins the engine begun before it: poll {} handed over", r.sequence());
                listener.firstPoll(r);
            }, shown);
        } else {
            e.setFirstPollWithoutOwners(true); // the table at once; owners from the next poll
            e.addListener(r -> {
                if (r.sequence() == 1) e.holdNextPoll(shown, HOLD_MAX);
            });
            listener.starting(src, e);
        }
        e.start(); // (already polling when started early)
        // kernel events once the first poll is on screen: starting bpftrace costs seconds of CPU, which
        // the first hand-over needs more on a busy machine (issue 11: 100k sockets)
        eventsPending = () -> startEvents(src, e);
    }

    /** FX thread: the window shows the current source's first poll; kernel events may start now. */
    void firstPollShown() {
        firstShown.complete(null);
        Runnable r = eventsPending;
        eventsPending = null;
        if (r != null) r.run();
    }

    /** Kernel state-change events beside the polls, when the source and privileges allow (attaching takes seconds). */
    private void startEvents(SocketTableSource src, PollingEngine started) {
        // its own thread: attaching takes seconds, and the common pool (one thread on two cores) opens sources
        CompletableFuture.supplyAsync(() -> src instanceof ReplaySource rs ? rs.eventFeed() : EventSources.startFor(src), r -> daemon(r, "tcplens-events-start"))
                .thenAccept(feed -> Platform.runLater(() -> {
                    if (feed == null) return;
                    if (engine != started) { // the source changed meanwhile
                        feed.close();
                        return;
                    }
                    if (feed.on()) started.attachEvents(feed);
                    else feed.close();
                    eventsStatus = feed.status();
                    LOG.info("{}", eventsStatus);
                    listener.eventsChanged();
                }));
    }

    private static void daemon(Runnable r, String name) {
        Thread.ofPlatform().name(name).daemon().start(r);
    }

    /** Stops polling (the window is closing, or another source replaces this one). */
    void stop() {
        firstShown.complete(null);
        eventsPending = null;
        if (engine != null) engine.close();
        engine = null;
    }
}
