package io.tcplens.ui.shell;

import io.tcplens.common.AppVersion;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SocketTableSourceProvider;
import io.tcplens.source.SourceException;
import io.tcplens.source.Sources;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.util.StringConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main window: header (title, source badge, controls), the panels and tabs the composition root
 * gives (state tiles, views), and a status bar. Owns the polling engine and the frame dispatcher;
 * switches source and interval.
 */
public final class MainWindow implements ShellContext {
    private static final Logger LOG = LoggerFactory.getLogger(MainWindow.class);
    private static final List<Long> INTERVALS = List.of(250L, 500L, 1000L, 2000L, 5000L, 10_000L);

    private final ResourceBundle bundle = ResourceBundle.getBundle("io.tcplens.ui.messages", Locale.getDefault());
    /** Namespace picker and "Connect to server…" (issue 16). */
    private final io.tcplens.ui.source.SourceControls sourceControls =
            new io.tcplens.ui.source.SourceControls(bundle, this::switchSource, this::window);
    private final UiPreferences prefs;
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(Theme.LIGHT);
    private final ObjectProperty<Set<ConnectionKey>> selected = new SimpleObjectProperty<>(Set.of());
    private final BorderPane root = new BorderPane();
    private final TabPane tabs = new TabPane();
    private final Map<String, Tab> tabById = new HashMap<>();
    private final UiServices services;
    private final List<ShellTab> views;
    private final List<ShellPanel<?>> panels;
    private final ConnectionsTarget connections;
    private final Map<Tab, ShellTab> viewByTab = new IdentityHashMap<>();
    private final Label sourceBadge = new Label();
    private final Label statusSource = new Label();
    private final Label statusSockets = new Label();
    private final Label statusCost = new Label();
    private final Label statusAge = new Label();
    private final Label statusError = new Label();
    /** SSH round trip of a remote source, stale-marked (issue 16); hidden for local sources. */
    private final io.tcplens.ui.source.RemoteStatus statusRemote = new io.tcplens.ui.source.RemoteStatus(bundle);
    private final ComboBox<String> sourceBox = new ComboBox<>();
    private final ComboBox<Long> intervalBox = new ComboBox<>();
    private final ToggleButton themeToggle = new ToggleButton();
    private final Scene scene;
    private final VBox top = new VBox();
    private ReplayBar replayBar;
    private PollingEngine engine;
    private final FrameDispatcher dispatcher;
    private volatile PollResult lastShown;
    private String sourceSpec;
    private final StaleBanner staleBanner = new StaleBanner(bundle);
    private RefreshBackoff backoff = new RefreshBackoff(1000);
    private volatile long lastReceivedMillis;
    private long waitingSinceMillis = System.currentTimeMillis();
    private Alert sourceErrorDialog;
    /** Alerts, the incident recorder and Record (issue 18). */
    private IncidentControls incident;
    private final ShortcutSheet shortcuts = new ShortcutSheet(bundle);

    /** A window with the parts the composition root gives, on a source opened by spec (null: the remembered one). */
    public MainWindow(UiPreferences prefs, ShellParts parts, String initialSource, Theme initialTheme) {
        this(prefs, parts, initialTheme);
        switchSource(initialSource != null ? initialSource : prefs.source());
    }

    /** A window on a source the caller opened (replay, lab, benchmark tables). */
    public MainWindow(UiPreferences prefs, ShellParts parts, SocketTableSource source, Theme initialTheme) {
        this(prefs, parts, initialTheme);
        sourceSpec = source.info().name();
        sourceBox.setValue(sourceSpec);
        start(source);
    }

    private MainWindow(UiPreferences prefs, ShellParts parts, Theme initialTheme) {
        this.prefs = prefs;
        this.services = parts.services();
        this.theme.set(initialTheme != null ? initialTheme : prefs.theme());
        this.views = List.copyOf(parts.tabs().apply(this));
        this.panels = List.copyOf(parts.panels().apply(this));
        this.connections = views.stream().filter(v -> v instanceof ConnectionsTarget).map(v -> (ConnectionsTarget) v)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("no connections view among the tabs"));
        List<Presenter<?>> fed = new ArrayList<>();
        for (ShellTab v : views) if (v instanceof Presenter<?> p) fed.add(p);
        fed.addAll(panels);
        this.dispatcher = new FrameDispatcher(fed, views, this::afterShown);
        build();
        this.scene = new Scene(root, 1360, 860);
        ThemeStyles.apply(scene, theme.get());
        scene.getStylesheets().add(IncidentControls.CSS);
        theme.addListener((o, a, n) -> {
            ThemeStyles.apply(scene, n);
            prefs.setTheme(n);
        });
        installKeys();
    }

    public Scene scene() {
        return scene;
    }

    public void show(Stage stage) {
        stage.setTitle("TcpLens");
        stage.setScene(scene);
        stage.setMinWidth(900);
        stage.setMinHeight(600);
        stage.setOnHidden(e -> {
            saveLayout(stage);
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
        double w = prefs.getDouble("window.width", -1), h = prefs.getDouble("window.height", -1);
        double x = prefs.getDouble("window.x", Double.NaN), y = prefs.getDouble("window.y", Double.NaN);
        if (w >= 900 && h >= 600) {
            stage.setWidth(w);
            stage.setHeight(h);
            if (!Double.isNaN(x) && !Double.isNaN(y)
                    && !javafx.stage.Screen.getScreensForRectangle(x + 40, y + 10, Math.min(w, 200), 30).isEmpty()) {
                stage.setX(x);
                stage.setY(y);
            }
        }
        stage.setMaximized(prefs.getBoolean("window.maximized", false));
        Tab t = tabById.get(prefs.get("window.tab", ""));
        if (t != null) tabs.getSelectionModel().select(t);
    }

    private void saveLayout(Stage stage) {
        prefs.putBoolean("window.maximized", stage.isMaximized());
        if (!stage.isMaximized() && !stage.isFullScreen() && stage.getWidth() > 0) {
            prefs.putDouble("window.width", stage.getWidth());
            prefs.putDouble("window.height", stage.getHeight());
            prefs.putDouble("window.x", stage.getX());
            prefs.putDouble("window.y", stage.getY());
        }
    }

    public List<ShellTab> views() {
        return views;
    }

    /** The tab or panel of this type (tests, benchmarks). */
    public <T> T part(Class<T> type) {
        for (ShellTab v : views) if (type.isInstance(v)) return type.cast(v);
        for (ShellPanel<?> p : panels) if (type.isInstance(p)) return type.cast(p);
        throw new IllegalArgumentException("no " + type.getSimpleName() + " in this window");
    }

    public FrameDispatcher dispatcher() {
        return dispatcher;
    }

    public PollingEngine engine() {
        return engine;
    }

    /** The last poll the window showed (any thread). */
    public PollResult lastShown() {
        return lastShown;
    }

    public String statusText() {
        return String.join(" | ", statusSource.getText(), statusSockets.getText(), statusCost.getText(), statusError.getText());
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
        themeToggle.setSelected(t.isDark());
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
        Tab t = tabById.get(id);
        if (t != null) tabs.getSelectionModel().select(t);
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

    // ---- building ----
    private void build() {
        Label title = new Label("TcpLens");
        title.getStyleClass().add("app-title");
        sourceBadge.getStyleClass().add("source-badge");

        sourceBox.getItems().add("auto");
        // probing a provider can be slow (netlink sets up the native linker): list them off the FX thread
        CompletableFuture.supplyAsync(() -> Sources.providers().stream()
                        .filter(p -> p.autoPriority() >= 0 && p.unavailableReason().isEmpty())
                        .map(SocketTableSourceProvider::name).toList())
                .thenAccept(names -> Platform.runLater(() -> {
                    String current = sourceBox.getValue();
                    for (String n : names) if (!sourceBox.getItems().contains(n)) sourceBox.getItems().add(n);
                    if (current != null) sourceBox.setValue(current);
                }));
        sourceBox.setTooltip(new Tooltip(bundle.getString("control.source.tip")));
        sourceBox.setMaxWidth(260); // a replay:/long/path must not push the other controls off the header
        sourceBox.setOnAction(e -> {
            String s = sourceBox.getValue();
            if (s != null && !s.equals(sourceSpec)) switchSource(s);
        });

        intervalBox.getItems().addAll(INTERVALS);
        intervalBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(Long ms) {
                return ms == null ? "" : ms < 1000 ? ms + " ms" : (ms / 1000) + " s";
            }

            @Override
            public Long fromString(String s) {
                return null;
            }
        });
        intervalBox.setValue(prefs.intervalMillis());
        intervalBox.setTooltip(new Tooltip(bundle.getString("control.interval.tip")));
        intervalBox.setOnAction(e -> {
            Long ms = intervalBox.getValue();
            if (ms == null) return;
            prefs.setIntervalMillis(ms);
            backoff.setRequested(ms);
            if (engine != null) engine.setInterval(Duration.ofMillis(ms));
            updateAge();
        });

        themeToggle.setText(bundle.getString("control.dark"));
        themeToggle.setSelected(theme.get().isDark());
        themeToggle.setOnAction(e -> theme.set(themeToggle.isSelected() ? Theme.DARK : Theme.LIGHT));

        Button openRecording = new Button(bundle.getString("replay.open"));
        openRecording.setTooltip(new Tooltip(bundle.getString("replay.open.tip")));
        openRecording.setOnAction(e -> ReplayBar.chooseRecording(scene.getWindow(), bundle)
                .ifPresent(p -> switchSource("replay:" + p)));
        incident = new IncidentControls(bundle, prefs, services.portRange(), this::window, theme::get);
        javafx.scene.control.MenuButton about = helpMenu();

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        Label srcLabel = new Label(bundle.getString("control.source"));
        Label intLabel = new Label(bundle.getString("control.interval"));
        srcLabel.setLabelFor(sourceBox);
        intLabel.setLabelFor(intervalBox);
        HBox header = new HBox(10, title, sourceBadge, spacer, srcLabel, sourceBox);
        header.getChildren().addAll(sourceControls.nodes());
        header.getChildren().addAll(intLabel, intervalBox, themeToggle, openRecording, about);
        header.setAlignment(Pos.CENTER_LEFT);
        header.getStyleClass().add("app-header");
        // narrow windows: controls keep their full width (no "So…", "25…"); the source badge shrinks
        // first, and the "Source"/"Refresh" captions (also the controls' tooltips) go below 1,300 px
        for (javafx.scene.Node n : header.getChildren())
            if (n instanceof Region r && n != sourceBadge && n != spacer) r.setMinWidth(Region.USE_PREF_SIZE);
        sourceBadge.setMinWidth(80);
        for (Label caption : List.of(srcLabel, intLabel)) {
            caption.visibleProperty().bind(header.widthProperty().greaterThan(1300));
            caption.managedProperty().bind(caption.visibleProperty());
        }

        for (ShellTab v : views) {
            Tab t = new Tab(bundle.getString(v.titleKey()), v.node());
            t.setClosable(false);
            t.setGraphic(v.tabGraphic());
            t.setId("tab-" + v.id());
            tabById.put(v.id(), t);
            viewByTab.put(t, v);
            tabs.getTabs().add(t);
        }
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> {
            dispatcher.select(viewByTab.get(t));
            if (t != null && t.getId() != null) prefs.put("window.tab", t.getId().substring("tab-".length()));
        });
        dispatcher.select(viewByTab.get(tabs.getSelectionModel().getSelectedItem()));
        top.getChildren().setAll(header);
        for (ShellPanel<?> p : panels) top.getChildren().add(p.node());
        top.getChildren().add(staleBanner);
        root.setTop(top);
        root.setCenter(tabs);

        statusError.getStyleClass().add("status-error");
        for (Label l : List.of(statusSource, statusSockets, statusCost, statusAge)) l.setMinWidth(Region.USE_PREF_SIZE);
        statusError.setMinWidth(0);
        statusSource.setMinWidth(120); // the badge and the Source box name it too: on a narrow window it shortens first
        HBox.setHgrow(statusError, Priority.ALWAYS);
        statusError.setMaxWidth(Double.MAX_VALUE);
        statusError.setTooltip(new Tooltip());
        statusError.textProperty().addListener((o, a, n) -> statusError.getTooltip().setText(n));
        // the source's label may shorten (the header's badge and the tooltip carry it): room for the recorder and alerts
        statusSource.setTooltip(new Tooltip());
        statusSource.getTooltip().textProperty().bind(statusSource.textProperty());
        HBox incidentBox = new HBox(6, incident.alertsButton(), incident.recordButton(), incident.saveButton());
        incidentBox.setAlignment(Pos.CENTER_RIGHT);
        for (javafx.scene.control.ButtonBase bb : List.of(incident.alertsButton(), incident.recordButton(), incident.saveButton())) {
            bb.getStyleClass().addAll("small", "incident-button");
            bb.setMinWidth(Region.USE_PREF_SIZE);
        }
        incidentBox.setMinWidth(Region.USE_PREF_SIZE);
        HBox status = new HBox(statusSource, statusSockets, statusCost, statusRemote, statusAge, statusError, incidentBox);
        status.setAlignment(Pos.CENTER_LEFT);
        status.getStyleClass().add("status-bar");
        root.setBottom(status);

        Timeline ageTicker = new Timeline(new KeyFrame(javafx.util.Duration.millis(500), e -> updateAge()));
        ageTicker.setCycleCount(Timeline.INDEFINITE);
        ageTicker.play();
    }

    private void installKeys() {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN),
                () -> connections.setPaused(!connections.isPaused()));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN),
                () -> setTheme(theme.get().isDark() ? Theme.LIGHT : Theme.DARK));
        // Ctrl+F from any tab: the connections table's search, across every column (issue 18); inside the
        // table's own tab the view takes the key first
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            showView(ConnectionsTarget.VIEW_ID);
            javafx.application.Platform.runLater(connections::focusSearch);
        });
        // F1 that no view answered (no state selected there): the shortcut sheet
        scene.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.F1 && !e.isConsumed()) {
                showShortcuts();
                e.consume();
            }
        });
        for (int i = 0; i < 9; i++) {
            int idx = i;
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.getKeyCode(Integer.toString(i + 1)), KeyCombination.SHORTCUT_DOWN),
                    () -> {
                        if (idx < tabs.getTabs().size()) tabs.getSelectionModel().select(idx);
                    });
        }
    }

    private javafx.stage.Window window() {
        return scene == null ? null : scene.getWindow();
    }

    /** Opens a source off the FX thread and restarts polling on it. */
    public void switchSource(String spec) {
        String previous = engine != null ? sourceSpec : null;
        sourceSpec = spec;
        sourceBox.setValue(spec);
        CompletableFuture.supplyAsync(() -> {
            try {
                return Sources.open(spec);
            } catch (SourceException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }).whenComplete((src, err) -> Platform.runLater(() -> {
            if (err != null) {
                String msg = err.getCause() != null ? err.getCause().getMessage() : err.getMessage();
                statusError.setText(MessageFormat.format(bundle.getString("status.sourceError"), msg));
                LOG.warn("source {} failed: {}", spec, msg);
                if (previous != null && spec.equals(sourceSpec)) {
                    // stay on what was shown: the engine, its tracked ages and the Source box are untouched
                    sourceSpec = previous;
                    sourceBox.setValue(previous);
                }
                showSourceError(spec, msg, previous != null && shownSource != null ? shownSource.label() : null);
                if (!"auto".equals(spec) && engine == null) switchSource("auto");
                return;
            }
            start(src);
            sourceControls.shown(spec);
            if (!spec.startsWith("replay") && !spec.startsWith("lab")) prefs.setSource(spec);
        }));
    }

    private void start(SocketTableSource src) {
        stopEngine();
        eventsStatus = null;
        lastShown = null;
        waitingSinceMillis = System.currentTimeMillis();
        backoff = new RefreshBackoff(prefs.intervalMillis());
        engine = new PollingEngine(src, Duration.ofMillis(prefs.intervalMillis()));
        engine.setLabMatcher(services.labSockets());
        engine.setFirstPollWithoutOwners(true); // the table at once; owners from the next poll
        dispatcher.sourceChanged(new ShellSource(src.info(), src.timeWaitDuration()));
        engine.addListener(dispatcher);
        incident.sourceChanged(src);
        engine.addListener(incident.watch()::onPoll);
        setSourceLabel(src.info());
        statusRemote.show(src instanceof io.tcplens.source.RemoteLink link ? link : null);
        staleBanner.setLink(src instanceof io.tcplens.source.RemoteLink link ? link : null);
        sourceControls.sourceShown(src);
        statusError.setText("");
        showReplayBar(src);
        engine.start();
        startEvents(src, engine);
    }

    /** "events: on", or why they are off, for the current source; null when events do not apply to it. */
    private String eventsStatus;

    /** Kernel state-change events beside the polls, when the source and privileges allow (attaching takes seconds). */
    private void startEvents(SocketTableSource src, PollingEngine started) {
        // its own thread: attaching takes seconds, and the common pool (one thread on two cores) opens sources
        java.util.concurrent.CompletableFuture.supplyAsync(() -> src instanceof io.tcplens.source.replay.ReplaySource rs
                        ? rs.eventFeed() : io.tcplens.source.events.EventSources.startFor(src), r -> {
                    Thread t = new Thread(r, "tcplens-events-start");
                    t.setDaemon(true);
                    t.start();
                })
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
                    if (shownSource != null) setSourceLabel(shownSource);
                }));
    }

    private SourceInfo shownSource;

    /** A recording gets play/pause/seek/speed controls and a REPLAY marker above the views. */
    private void showReplayBar(SocketTableSource src) {
        if (replayBar != null) {
            replayBar.dispose();
            top.getChildren().remove(replayBar);
            replayBar = null;
        }
        if (src instanceof io.tcplens.source.replay.ReplaySource rs) {
            replayBar = new ReplayBar(rs.controller(), bundle);
            top.getChildren().add(1, replayBar);
        }
    }

    public ReplayBar replayBar() {
        return replayBar;
    }

    private void setSourceLabel(SourceInfo info) {
        shownSource = info;
        boolean eventsOn = eventsStatus != null && eventsStatus.startsWith("events: on");
        sourceBadge.setText(eventsOn ? info.label() + " · " + bundle.getString("header.eventsOn") : info.label());
        sourceBadge.getStyleClass().removeAll("live", "lab", "replay", "simulated");
        sourceBadge.getStyleClass().add(info.kind().name().toLowerCase(Locale.ROOT));
        statusSource.setText(MessageFormat.format(bundle.getString("status.source"), info.label())
                + (eventsStatus != null ? " · " + eventsStatus : ""));
    }

    private void afterShown(PollResult r) {
        PollResult before = lastShown;
        lastShown = r;
        if (before == null || before.sequence() != r.sequence()) {
            // a new poll (not a re-show after a filter change): it is the data's arrival, and its cost counts
            lastReceivedMillis = System.currentTimeMillis();
            long next = r.error() == null ? backoff.onPoll(r.pollMillis()) : -1; // a failed poll is not a slow one
            if (next > 0 && engine != null) engine.setInterval(Duration.ofMillis(next));
        }
        if (!r.snapshot().source().equals(shownSource)) setSourceLabel(r.snapshot().source());
        statusSockets.setText(MessageFormat.format(bundle.getString("status.sockets"), r.snapshot().sockets().size()));
        statusCost.setText(String.format(Locale.ROOT, bundle.getString("status.cost"), r.pollMillis(),
                dispatcher == null ? 0.0 : dispatcher.stats().lastMillis()));
        List<String> problems = new ArrayList<>();
        if (r.error() != null) problems.add(r.error());
        problems.addAll(r.snapshot().warnings());
        statusError.setText(String.join(" · ", problems));
        updateAge();
    }

    private void updateAge() {
        PollResult r = lastShown;
        long now = System.currentTimeMillis();
        long interval = engine != null ? engine.interval().toMillis() : backoff.effectiveMillis();
        staleBanner.update(r == null ? -1 : StaleBanner.age(r.snapshot().source().kind(), r.snapshot().timestampMillis(), lastReceivedMillis, now),
                now - waitingSinceMillis, interval, r == null ? null : r.error(), backoff);
        statusRemote.update(now, interval);
        if (r == null) {
            statusAge.setText(bundle.getString("status.waiting"));
            return;
        }
        SourceInfo.Kind kind = r.snapshot().source().kind();
        if (kind == SourceInfo.Kind.REPLAY || kind == SourceInfo.Kind.SIMULATED) {
            // a recording's clock is not now: show when the data is from, not an age
            statusAge.setText(MessageFormat.format(bundle.getString("status.dataFrom"),
                    java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneId.systemDefault())
                            .format(java.time.Instant.ofEpochMilli(r.snapshot().timestampMillis()))));
            return;
        }
        long age = System.currentTimeMillis() - r.snapshot().timestampMillis();
        statusAge.setText(MessageFormat.format(bundle.getString("status.age"), String.format(Locale.ROOT, "%.1f", age / 1000.0)));
    }

    /** A source that cannot be opened: one clear dialog (not modal, so polling and the window go on). */
    private void showSourceError(String spec, String message, String stillShowing) {
        if (sourceErrorDialog != null) sourceErrorDialog.close();
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.setTitle(bundle.getString("source.openFailed.title"));
        a.setHeaderText(MessageFormat.format(bundle.getString("source.openFailed.header"), spec));
        a.setContentText(message + (stillShowing != null ? "\n\n" + MessageFormat.format(bundle.getString("source.openFailed.keep"), stillShowing) : ""));
        if (scene.getWindow() != null) a.initOwner(scene.getWindow());
        sourceErrorDialog = a;
        a.show();
    }

    /** The last source-error dialog (tests), or null. */
    public Alert sourceErrorDialog() {
        return sourceErrorDialog;
    }

    /** The status bar's SSH round trip (tests). */
    public io.tcplens.ui.source.RemoteStatus remoteStatus() {
        return statusRemote;
    }

    public StaleBanner staleBanner() {
        return staleBanner;
    }

    public RefreshBackoff refreshBackoff() {
        return backoff;
    }

    /** The source spec currently shown. */
    public String sourceSpec() {
        return sourceSpec;
    }

    /** Help: the shortcut sheet (F1), the documentation, About. */
    private javafx.scene.control.MenuButton helpMenu() {
        javafx.scene.control.MenuItem keys = new javafx.scene.control.MenuItem(bundle.getString("help.menu.shortcuts"));
        keys.setAccelerator(new KeyCodeCombination(KeyCode.F1));
        keys.setOnAction(e -> showShortcuts());
        javafx.scene.control.MenuItem docs = new javafx.scene.control.MenuItem(bundle.getString("help.menu.docs"));
        docs.setOnAction(e -> ShortcutSheet.openLink(ShortcutSheet.DOCS_URL));
        javafx.scene.control.MenuItem alerts = new javafx.scene.control.MenuItem(bundle.getString("help.menu.alerts"));
        alerts.setOnAction(e -> incident.openSettings());
        javafx.scene.control.MenuItem aboutItem = new javafx.scene.control.MenuItem(bundle.getString("help.menu.about"));
        aboutItem.setOnAction(e -> about());
        javafx.scene.control.MenuButton help = new javafx.scene.control.MenuButton(bundle.getString("help.menu"), null,
                keys, docs, alerts, new javafx.scene.control.SeparatorMenuItem(), aboutItem);
        help.setId("help-menu");
        return help;
    }

    /** Opens the keyboard shortcut sheet (F1 where no state is selected). */
    public void showShortcuts() {
        shortcuts.show(window(), theme.get());
    }

    public ShortcutSheet shortcutSheet() {
        return shortcuts;
    }

    /** Alerts, the incident recorder and Record. */
    public IncidentControls incident() {
        return incident;
    }

    private void about() {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.setTitle(bundle.getString("control.about"));
        a.setHeaderText("TcpLens " + AppVersion.version());
        Label text = new Label(MessageFormat.format(bundle.getString("about.text"), AppVersion.licence(), Runtime.version().toString(),
                System.getProperty("javafx.runtime.version", "?")));
        text.setWrapText(true);
        javafx.scene.control.Hyperlink docs = new javafx.scene.control.Hyperlink(ShortcutSheet.DOCS_URL);
        docs.setOnAction(e -> ShortcutSheet.openLink(ShortcutSheet.DOCS_URL));
        javafx.scene.control.Hyperlink keys = new javafx.scene.control.Hyperlink(bundle.getString("help.menu.shortcuts") + " (F1)");
        keys.setOnAction(e -> showShortcuts());
        a.getDialogPane().setContent(new VBox(8, text, new Label(bundle.getString("about.docs")), docs, keys));
        if (scene.getWindow() != null) a.initOwner(scene.getWindow());
        ThemeStyles.apply(a.getDialogPane().getScene(), theme.get());
        a.show();
    }

    private void stopEngine() {
        if (engine != null) engine.close();
        engine = null;
    }

    public void close() {
        stopEngine();
        if (incident != null) incident.close();
        dispatcher.close();
        services.lab().close();
    }
}
