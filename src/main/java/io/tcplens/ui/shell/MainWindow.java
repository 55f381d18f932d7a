package io.tcplens.ui.shell;

import org.slf4j.LoggerFactory;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.RemoteLink;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.replay.ReplaySource;
import io.tcplens.ui.source.RemoteStatus;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.slf4j.LoggerFactory;

/**
 * The main window: the composition of its parts — {@link HeaderBar} (title, source badge, controls,
 * {@link HelpMenu}), the panels and {@link ViewTabs} the composition root gives, the
 * {@link StaleBanner}, a {@link ReplayBar} for recordings, and the {@link StatusBar} with the
 * {@link IncidentControls}. {@link SourceSwitcher} opens sources and owns the polling engine;
 * the {@link FrameDispatcher} hands polls to the views; {@link PollClock} times them.
 */
public final class MainWindow implements ShellContext, SourceSwitcher.Listener {
    private final ResourceBundle bundle = ResourceBundle.getBundle("io.tcplens.ui.messages", Locale.getDefault());
    private final UiPreferences prefs;
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(Theme.LIGHT);
    private final ObjectProperty<Set<ConnectionKey>> selected = new SimpleObjectProperty<>(Set.of());
    private final BorderPane root = new BorderPane();
    private final VBox top = new VBox();
    private final UiServices services;
    private final List<ShellTab> views;
    private final List<ShellPanel<?>> panels;
    private final ConnectionsTarget connections;
    private final FrameDispatcher dispatcher;
    private final SourceSwitcher sources;
    private final PollClock clock;
    private final StaleBanner staleBanner = new StaleBanner(bundle);
    private final SourceErrorDialog sourceErrors = new SourceErrorDialog(bundle, this::window);
    /** Alerts, the incident recorder and Record (issue 18). */
    private final IncidentControls incident;
    private final HelpMenu help;
    private final HeaderBar header;
    private final ViewTabs tabs;
    private final StatusBar status;
    private final Scene scene;
    private ReplayBar replayBar;
    private final FxTicker ageTicker;
    private volatile PollResult lastShown;
    /**
     * The first poll the window showed of the current source, weakly: only a test asks for it, and held
     * strongly it kept that poll's whole table (every row, tcp_info and tracking: 27 MB at 100k
     * sockets) alive for the life of the source.
     */
    private volatile WeakReference<PollResult> firstShown = NOT_SHOWN;
    private static final WeakReference<PollResult> NOT_SHOWN = new WeakReference<>(null);
    private SourceInfo shownSource;
    /** The current source's polls for the incident watch, from its first poll on screen. */
    private AfterFirstShown incidentFeed;
    /** Completed once the window's first poll is on screen (laid out): the background tabs observe after it. */
    private final CompletableFuture<Void> firstOnScreen = new CompletableFuture<>();
    /** Whether the first frame is drawn; what waits for it until then (see {@link #afterFirstFrame}). */
    private boolean framed;
    private final List<Runnable> afterFirstFrame = new ArrayList<>();

    /** A window with the parts the composition root gives, on a source opened by spec (null: the remembered one). */
    public MainWindow(UiPreferences prefs, ShellParts parts, String initialSource, Theme initialTheme) {
        this(prefs, parts, initialTheme);
        switchSource(initialSource != null ? initialSource : prefs.source());
    }

    /** A window on a source the caller opened (replay, lab, benchmark tables). */
    public MainWindow(UiPreferences prefs, ShellParts parts, SocketTableSource source, Theme initialTheme) {
        this(prefs, parts, initialTheme);
        sources.show(source);
    }

    private MainWindow(UiPreferences prefs, ShellParts parts, Theme initialTheme) {
        this.prefs = prefs;
        this.services = parts.services();
        this.theme.set(initialTheme != null ? initialTheme : prefs.theme());
        this.sources = new SourceSwitcher(prefs, services.labSockets(), this, parts.opener());
        this.clock = new PollClock(1000);
        this.views = List.copyOf(parts.tabs().apply(this));
        this.panels = List.copyOf(parts.panels().apply(this));
        this.connections = views.stream().filter(v -> v instanceof ConnectionsTarget).map(v -> (ConnectionsTarget) v)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no connections view among the tabs"));
        List<Presenter<?>> fed = new ArrayList<>();
        for (ShellTab v : views) if (v instanceof Presenter<?> p) fed.add(p);
        fed.addAll(panels);
        this.dispatcher = new FrameDispatcher(fed, views, this::afterShown);
        dispatcher.holdObserversUntil(firstOnScreen);

        incident = new IncidentControls(bundle, prefs, services.portRange(), this::window, theme::get);
        help = new HelpMenu(bundle, this::window, theme::get, incident::openSettings);
        header = new HeaderBar(bundle, prefs, theme, sources, this::setInterval, this::window, help.node());
        tabs = new ViewTabs(bundle, views, prefs, dispatcher::select);
        top.getChildren().setAll(header.node());
        for (ShellPanel<?> p : panels) top.getChildren().add(p.node());
        top.getChildren().add(staleBanner);
        root.setTop(top);
        // the alerts' and recorder's notices over the views, at the bottom right above the Alerts button
        root.setCenter(new StackPane(tabs.node(), incident.notices().node()));
        status = new StatusBar(bundle, incident);
        root.setBottom(status.node());
        // the data's age twice a second, without an animation (a running Timeline pulses 60 times a second)
        ageTicker = new FxTicker(500, this::updateAge);
        ageTicker.start();

        this.scene = new Scene(root, RememberedLayout.DEFAULT_WIDTH, RememberedLayout.DEFAULT_HEIGHT);
        ThemeStyles.apply(scene, theme.get());
        scene.getStylesheets().add(IncidentControls.CSS);
        theme.addListener((o, a, n) -> {
            ThemeStyles.apply(scene, n);
            prefs.setTheme(n);
        });
        ShellKeys.install(scene, connections, () -> setTheme(theme.get().isDark() ? Theme.LIGHT : Theme.DARK),
                () -> showView(ConnectionsTarget.VIEW_ID), this::showShortcuts, tabs::showAt);
        scene.addPostLayoutPulseListener(firstPulse);
        sources.setJoinAfterFirstFrame(this::afterFirstFrame);
    }

    /** The first pulse's layout is done: what waits for the first frame runs once that pulse has ended. */
    private final Runnable firstPulse = new Runnable() {
        @Override
        public void run() {
            scene.removePostLayoutPulseListener(this);
            Platform.runLater(MainWindow.this::firstFrameDrawn);
        }
    };

    /**
     * FX thread: runs {@code r} after the window's first frame (issue 13: what can wait for it does not
     * delay it), or at once when that frame is drawn or the window is not showing (tests that never show it).
     * Should no pulse come within {@link #FIRST_FRAME_WAIT_MILLIS}, it runs then.
     */
    private void afterFirstFrame(Runnable r) {
        Window w = scene.getWindow();
        if (framed || w == null || !w.isShowing()) {
            r.run();
            return;
        }
        afterFirstFrame.add(r);
        CompletableFuture.delayedExecutor(FIRST_FRAME_WAIT_MILLIS, TimeUnit.MILLISECONDS, Platform::runLater).execute(this::firstFrameDrawn);
    }

    private static final long FIRST_FRAME_WAIT_MILLIS = 2000;

    /** FX thread: the first frame is drawn (or was waited for long enough); what waited for it runs now. */
    private void firstFrameDrawn() {
        framed = true;
        List<Runnable> due = List.copyOf(afterFirstFrame);
        afterFirstFrame.clear();
        due.forEach(Runnable::run);
    }

    /** The window's scene, with the tab in front built (tests and benchmarks show it on a stage of their own). */
    public Scene scene() {
        tabs.attachFront();
        return scene;
    }

    public void show(Stage stage) {
        HiddenCarets.install();
        tabs.attachFront();
        stage.setTitle("TcpLens");
        stage.setScene(scene());
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.setOnHidden(e -> {
            RememberedLayout.save(prefs, stage);
            close();
        });
        stage.show();
    }

    /**
     * Puts the window back as the user left it (size, position when that is still on a screen,
     * maximised, selected tab). The application calls this before {@link #show}; tests do not, so a
     * saved layout never changes what they measure.
     */
    public void restoreLayout(Stage stage) {
        RememberedLayout.restore(prefs, stage, tabs);
        tabs.attachFront(); // the remembered tab is the only one built before the first frame
    }

    public List<ShellTab> views() {
        return views;
    }

    /** The tab or panel of this type (tests, benchmarks). */
    public <T> T part(Class<T> type) {
        for (ShellTab v : views) {
            if (type.isInstance(v)) return type.cast(v);
            if (v instanceof LazyTab l && type.isAssignableFrom(l.type())) return type.cast(l.get());
        }
        for (ShellPanel<?> p : panels) if (type.isInstance(p)) return type.cast(p);
        throw new IllegalArgumentException("no " + type.getSimpleName() + " in this window");
    }

    public FrameDispatcher dispatcher() {
        return dispatcher;
    }

    public PollingEngine engine() {
        return sources.engine();
    }

    /** The last poll the window showed (any thread). */
    public PollResult lastShown() {
        return lastShown;
    }

    /**
     * The first poll the window showed of the current source (any thread; null before it, or once no one
     * else holds that poll any more).
     */
    public PollResult firstShown() {
        return firstShown.get();
    }

    public String statusText() {
        return status.text();
    }

    /** The status bar's age of the data shown (tests). */
    String ageText() {
        return status.ageText();
    }

    // ---- ShellContext ----
    @Override
    public ResourceBundle bundle() {
        return bundle;
    }

    @Override
    public ReadOnlyObjectProperty<Theme> theme() {
        return theme;
    }

    public void setTheme(Theme t) {
        theme.set(t);
        header.showDark(t.isDark());
    }

    @Override
    public UiPreferences preferences() {
        return prefs;
    }

    @Override
    public UiServices services() {
        return services;
    }

    @Override
    public void requestRefresh() {
        if (dispatcher != null) dispatcher.refresh(); // null while the views are being built
    }

    @Override
    public ObjectProperty<Set<ConnectionKey>> selectedConnections() {
        return selected;
    }

    @Override
    public void showView(String id) {
        if (tabs != null) tabs.show(id); // null while the views are being built
    }

    @Override
    public void filterConnectionsByState(TcpState state) {
        connections.setStateFilter(state);
        showView(ConnectionsTarget.VIEW_ID);
    }

    @Override
    public void filterConnectionsByRemote(String addressOrCidr) {
        connections.setRemoteFilter(addressOrCidr);
        showView(ConnectionsTarget.VIEW_ID);
    }

    private Window window() {
        return scene == null ? null : scene.getWindow();
    }

    // ---- sources ----
    /** Opens a source off the FX thread and restarts polling on it. */
    public void switchSource(String spec) {
        sources.switchTo(spec);
    }

    @Override
    public void specShown(String spec) {
        header.showSpec(spec);
    }

    @Override
    public void starting(SocketTableSource src, PollingEngine engine) {
        lastShown = null;
        firstShown = NOT_SHOWN;
        clock.restart(prefs.intervalMillis());
        dispatcher.sourceChanged(new ShellSource(src.info(), src.timeWaitDuration()));
        engine.addListener(dispatcher);
        engine.addTcpInfoDemand(connections::tcpInfoDemand); // tcp_info only for the rows in view, or all when sorted by traffic
        connections.engineStarted(engine); // a poll now for a traffic sort; lookups for a copy or a paused export
        incident.sourceChanged(src);
        incidentFeed = new AfterFirstShown(incident.watch()::onPoll);
        engine.addListener(incidentFeed);
        setSourceLabel(src.info());
        status.sourceStarted(src instanceof RemoteLink link ? link : null);
        staleBanner.setLink(src instanceof RemoteLink link ? link : null);
        header.sourceStarted(src);
        showReplayBar(src);
    }

    @Override
    public void firstPoll(PollResult r) {
        dispatcher.accept(r);
        incidentFeed.accept(r);
    }

    @Override
    public void opened(String spec) {
        header.sourceOpened(spec);
    }

    @Override
    public void openFailed(String spec, String message, boolean keptPrevious) {
        status.sourceFailed(message);
        sourceErrors.show(spec, message, keptPrevious && shownSource != null ? shownSource.label() : null);
    }

    @Override
    public void eventsChanged() {
        if (shownSource != null) setSourceLabel(shownSource);
    }

    private void setInterval(long ms) {
        prefs.setIntervalMillis(ms);
        clock.setRequested(ms);
        PollingEngine engine = sources.engine();
        if (engine != null) engine.setInterval(Duration.ofMillis(ms));
        updateAge();
    }

    /** A recording gets play/pause/seek/speed controls and a REPLAY marker above the views. */
    private void showReplayBar(SocketTableSource src) {
        if (replayBar != null) {
            replayBar.dispose();
            top.getChildren().remove(replayBar);
            replayBar = null;
        }
        if (src instanceof ReplaySource rs) {
            replayBar = new ReplayBar(rs.controller(), bundle);
            top.getChildren().add(1, replayBar);
        }
    }

    public ReplayBar replayBar() {
        return replayBar;
    }

    private void setSourceLabel(SourceInfo info) {
        shownSource = info;
        String eventsStatus = sources.eventsStatus();
        header.showSource(info, eventsStatus != null && eventsStatus.startsWith("events: on"));
        status.showSource(info, eventsStatus);
    }

    // ---- polls ----
    private void afterShown(PollResult r) {
        PollResult before = lastShown;
        lastShown = r;
        if (before == null) {
            firstShown = new WeakReference<>(r);
            LoggerFactory.getLogger(MainWindow.class).info("poll {} of {} sockets shown", r.sequence(), r.snapshot().sockets().size());
            // what waits for the first poll (the engine's next poll, the kernel events, the incident recorder, the
            // background tabs) starts once the frame that shows it is laid out: that first layout of the table's
            // rows, not the hand-over, is most of the first poll on screen at 100k, and on two cores they took its
            // cores (round 25: the hand-over 20-30 ms, the layout pass after it 0.7-1 s)
            AfterFirstShown feed = incidentFeed;
            afterNextLayout(() -> {
                firstOnScreen.complete(null);
                if (feed != null) feed.open();
                sources.firstPollShown();
            });
        }
        if (before == null || before.sequence() != r.sequence()) {
            long shownBefore = clock.backoff().refreshMillis();
            long next = clock.received(r, dispatcher == null ? -1 : dispatcher.takePrepareCpuNanos());
            PollingEngine engine = sources.engine();
            RefreshBackoff backoff = clock.backoff();
            if (next > 0 && engine != null) {
                engine.setInterval(Duration.ofMillis(next));
                // in the log, so that a CPU figure can be read beside how often the window polled
                LoggerFactory.getLogger(MainWindow.class).info("refresh every {} ms from poll {} (it took {} ms, {} ms of CPU with its prepare)",
                        next, r.sequence(), Math.round(r.pollMillis()), Math.round(backoff.lastCpuMillis()));
            } else if (backoff.refreshMillis() != shownBefore) {
                LoggerFactory.getLogger(MainWindow.class).info("window refreshes about every {} ms from poll {} (interval {} ms; it took {} ms, {} ms of CPU with its prepare)",
                        backoff.refreshMillis(), r.sequence(), backoff.effectiveMillis(), Math.round(r.pollMillis()), Math.round(backoff.lastCpuMillis()));
            }
        }
        if (!r.snapshot().source().equals(shownSource)) setSourceLabel(r.snapshot().source());
        status.showPoll(r, dispatcher == null ? 0.0 : dispatcher.stats().lastMillis());
        updateAge();
    }

    /**
     * FX thread: runs {@code task} once the next pulse, whose layout pass lays out what just changed, has ended (as
     * {@link #firstPulse} does for the first frame), or at once when the window is not on screen (no pulse may come:
     * a window-less scene, a hidden or minimised window).
     */
    private void afterNextLayout(Runnable task) {
        Window w = scene.getWindow();
        if (w == null || !w.isShowing() || (w instanceof Stage st && st.isIconified())) {
            task.run();
            return;
        }
        scene.addPostLayoutPulseListener(new Runnable() {
            @Override
            public void run() {
                scene.removePostLayoutPulseListener(this);
                Platform.runLater(task);
            }
        });
        Platform.requestNextPulse();
    }

    private void updateAge() {
        PollResult r = lastShown;
        long now = System.currentTimeMillis();
        PollingEngine engine = sources.engine();
        RefreshBackoff backoff = clock.backoff();
        long polledEvery = engine != null ? engine.interval().toMillis() : backoff.effectiveMillis();
        // how often the window really refreshes: the interval, or more while polls take long (the engine waits
        // the interval after each poll's end)
        long interval = Math.max(polledEvery, backoff.refreshMillis());
        staleBanner.update(r == null ? -1 : StaleBanner.age(r.snapshot().source().kind(), r.snapshot().timestampMillis(), clock.lastReceivedMillis(), now),
                now - clock.waitingSinceMillis(), interval, r == null ? null : r.error(), backoff);
        status.showAge(r, now, interval);
        header.showRefresh(backoff.requestedMillis(), interval);
    }

    /**
     * Polls for a listener that starts once the first poll is on screen (then with the latest poll
     * held, and every poll after it): the incident watch's first poll (alert rules, the recorder's
     * keyframe) took 0.6–0.85 s of CPU at 100k sockets beside the first hand-over (issue 11).
     */
    static final class AfterFirstShown implements Consumer<PollResult> {
        private final Consumer<PollResult> target;
        private boolean open;
        private PollResult held;

        AfterFirstShown(Consumer<PollResult> target) {
            this.target = target;
        }

        /** Poller thread (the window's first poll: FX thread). */
        @Override
        public synchronized void accept(PollResult r) {
            if (open) target.accept(r);
            else held = r;
        }

        /** FX thread: the first poll is on screen. */
        synchronized void open() {
            if (open) return;
            open = true;
            PollResult r = held;
            held = null;
            if (r != null) target.accept(r);
        }
    }

    /** The last source-error dialog (tests), or null. */
    public Alert sourceErrorDialog() {
        return sourceErrors.last();
    }

    /** The status bar's SSH round trip (tests). */
    public RemoteStatus remoteStatus() {
        return status.remoteStatus();
    }

    public StaleBanner staleBanner() {
        return staleBanner;
    }

    /** The header (tests in this package: its Refresh box while slowed). */
    HeaderBar headerBar() {
        return header;
    }

    public RefreshBackoff refreshBackoff() {
        return clock.backoff();
    }

    /** The source spec currently shown. */
    public String sourceSpec() {
        return sources.spec();
    }

    /** Opens the keyboard shortcut sheet (F1 where no state is selected). */
    public void showShortcuts() {
        help.showShortcuts();
    }

    public ShortcutSheet shortcutSheet() {
        return help.shortcutSheet();
    }

    /** Alerts, the incident recorder and Record. */
    public IncidentControls incident() {
        return incident;
    }

    public void close() {
        ageTicker.stop();
        sources.stop();
        if (incident != null) incident.close();
        dispatcher.close();
        services.lab().close();
    }
}
