package io.tcplens.ui.lab;

import io.tcplens.ui.shell.Presentation;
import io.tcplens.engine.PollResult;
import io.tcplens.lab.Lab;
import io.tcplens.lab.LabEvent;
import io.tcplens.lab.LabScenario;
import io.tcplens.lab.LabSettings;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.source.TimeWaitDuration;
import io.tcplens.source.replay.RecordingWriter;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.ShellView;
import io.tcplens.ui.theme.StatePalette;
import java.io.IOException;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.binding.Bindings;
import javafx.animation.KeyFrame;
import javafx.application.Platform;
import javafx.animation.Timeline;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.util.StringConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import javafx.scene.control.ScrollPane;

/**
 * The loopback lab panel: pick a scenario, set its knobs, start and stop it; the kernel's own error
 * text is shown large the moment it happens; the lab's sockets are counted per state from the shell's
 * polls (the live kernel table); every event is logged. A run can be recorded for replay.
 */
public final class LabView implements ShellView<LabView.Prepared>, Presentation.Target {
    private static final Logger LOG = LoggerFactory.getLogger(LabView.class);
    public static final String ID = "lab";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final int LOG_LIMIT = 2000;

    /** Lab-socket counts per state from one poll, and where they were read. */
    public record Prepared(Map<TcpState, Integer> counts, SourceInfo source, long recorded, String recordError) {}

    private final ShellContext ctx;
    private final ResourceBundle b;
    private final ResourceBundle labText;
    private final Lab lab;
    private final ConcurrentLinkedQueue<LabEvent> incoming = new ConcurrentLinkedQueue<>();
    /** Takes the lab's events onto the screen every 150 ms while they come; stopped when none came. */
    private final Timeline drain = new Timeline(new KeyFrame(javafx.util.Duration.millis(150), e -> drainEvents()));
    private final AtomicBoolean draining = new AtomicBoolean();
    private final ObservableList<LabEvent> log = FXCollections.observableArrayList();
    private final BorderPane root = new BorderPane();
    private final ComboBox<LabScenario> scenarioBox = new ComboBox<>();
    private final Label description = new Label();
    private final Spinner<Integer> connections = new Spinner<>(1, LabSettings.MAX_CONNECTIONS, 50, 10);
    private final Spinner<Double> rate = new Spinner<>(0.5, LabSettings.MAX_RATE, 25, 5);
    private final Spinner<Integer> payload = new Spinner<>(1, LabSettings.MAX_PAYLOAD, 64, 64);
    private final TextField poolStart = new TextField();
    private final Spinner<Integer> poolSize = new Spinner<>(1, LabSettings.MAX_POOL, 10, 1);
    private final CheckBox reuse = new CheckBox();
    private final CheckBox hold = new CheckBox();
    private final Spinner<Integer> duration = new Spinner<>(1, (int) LabSettings.MAX_DURATION.toSeconds(), 30, 5);
    private final Button start = new Button();
    private final Button stop = new Button();
    private final ToggleButton record = new ToggleButton();
    private final CheckBox recordLabOnly = new CheckBox();
    private final Label status = new Label();
    private final VBox errorBox = new VBox();
    private final Label errorText = new Label();
    private final Label errorDetail = new Label();
    private final FlowPane counts = new FlowPane(8, 8);
    private final Label countsSource = new Label();
    private final ListView<LabEvent> logView = new ListView<>(log);
    private final Label eventsHeading = new Label();
    private final Button clearLog = new Button();
    private volatile RecordingWriter writer;
    private volatile String recordError;
    private volatile boolean recordOnlyLab = true;
    private boolean built;

    public LabView(ShellContext ctx) {
        this(ctx, ctx.services().lab());
    }

    public LabView(ShellContext ctx, Lab lab) {
        this.ctx = ctx;
        this.b = ctx.bundle();
        this.labText = LabEvent.bundle(b.getLocale());
        this.lab = lab;
        drain.setCycleCount(Timeline.INDEFINITE);
        // the drain runs only while events come: a timeline left running keeps JavaFX pulsing 60 times a
        // second for the whole session, lab or not (issue 11)
        lab.addListener(e -> {
            incoming.add(e);
            if (draining.compareAndSet(false, true)) Platform.runLater(drain::play);
        });
    }

    public Lab lab() {
        return lab;
    }

    // ---- Presentation.Target: space starts or stops the run, +/− double or halve the rate ----
    @Override
    public void togglePlay() {
        if (lab.isRunning()) stopRun();
        else startRun();
    }

    @Override
    public void step() {
        if (!lab.isRunning()) startRun();
    }

    @Override
    public void stepBack() {
        // a real run cannot go back: record it and replay it instead
    }

    @Override
    public void faster() {
        rate.getValueFactory().setValue(Math.min(LabSettings.MAX_RATE, rate.getValue() * 2));
    }

    @Override
    public void slower() {
        rate.getValueFactory().setValue(Math.max(0.5, rate.getValue() / 2));
    }

    @Override
    public boolean isShowing() {
        return Presentation.treeVisible(root);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String titleKey() {
        return "view.lab";
    }

    @Override
    public Node node() {
        if (!built) { // the controls when the tab is first shown (issue 13)
            built = true;
            build();
            Presentation.attach(root, this);
        }
        return root;
    }

    @Override
    public boolean isBuilt() {
        return built;
    }

    // ---- background thread ----
    /** In the background: a lab recording still gets every poll. */
    @Override
    public void observe(List<PollResult> batch) {
        record(batch);
    }

    @Override
    public Prepared prepare(PollResult latest, List<PollResult> batch) {
        long recorded = record(batch);
        Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
        // this run's sockets only: an earlier run's TIME_WAIT must not sit beside "no TIME_WAIT" (issue 13 item 9)
        for (SocketEntry e : latest.snapshot().sockets()) if (lab.isCurrentRunSocket(e)) m.merge(e.state(), 1, Integer::sum);
        return new Prepared(m, latest.snapshot().source(), recorded, recordError);
    }

    /** Appends the polls to the lab recording, if one is running; the number of records written (0 without one). */
    private long record(List<PollResult> batch) {
        RecordingWriter w = writer;
        long recorded = 0;
        if (w != null) {
            try {
                boolean labOnly = recordOnlyLab;
                for (PollResult r : batch) w.append(labOnly ? labOnly(r.snapshot()) : r.snapshot());
                recorded = w.records();
            } catch (IOException e) {
                recordError = e.getMessage();
                LOG.warn("lab recording failed", e);
                closeWriter();
            }
        }
        return recorded;
    }

    private Snapshot labOnly(Snapshot s) {
        List<SocketEntry> mine = new ArrayList<>();
        for (SocketEntry e : s.sockets()) if (lab.isLabSocket(e)) mine.add(e);
        return new Snapshot(s.timestampMillis(), mine, s.source(), s.warnings(), s.holders().retainAll(mine));
    }

    // ---- FX thread ----
    @Override
    public void show(Prepared p) {
        node();
        counts.getChildren().clear();
        if (p.counts().isEmpty()) counts.getChildren().add(new Label(b.getString("lab.socketsNone")));
        for (TcpState s : TcpState.values()) {
            Integer n = p.counts().get(s);
            if (n == null) continue;
            Circle dot = new Circle(6);
            dot.getStyleClass().add("state-dot");
            Label value = new Label(Integer.toString(n));
            value.getStyleClass().add("lab-count-value");
            HBox chip = new HBox(dot, value, new Label(s.name()));
            chip.getStyleClass().addAll("lab-count", StatePalette.styleClass(s));
            chip.setId("lab-count-" + s.name());
            counts.getChildren().add(chip);
        }
        countsSource.setText(MessageFormat.format(b.getString("lab.socketsFrom"), p.source().label()));
        if (p.recordError() != null) {
            status.setText(MessageFormat.format(b.getString("lab.recordError"), p.recordError()));
            record.setSelected(false);
        } else if (writer != null) {
            status.setText(MessageFormat.format(b.getString("lab.recording"), writer.file().getFileName(), p.recorded()));
        }
    }

    /** The counts shown now, for tests: state → count. */
    public Map<TcpState, Integer> shownCounts() {
        node();
        Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
        for (Node n : counts.getChildren())
            if (n.getId() != null && n.getId().startsWith("lab-count-"))
                m.put(TcpState.valueOf(n.getId().substring("lab-count-".length())),
                        Integer.parseInt(((Label) ((HBox) n).getChildren().get(1)).getText()));
        return m;
    }

    /** Starts or stops recording (what the Record button does); returns the file, or null. */
    public Path setRecording(boolean on) {
        node();
        record.setSelected(on);
        RecordingWriter before = writer;
        toggleRecording();
        return on ? (writer == null ? null : writer.file()) : (before == null ? null : before.file());
    }

    public String errorShown() {
        node();
        return errorText.getText();
    }

    /** The box the kernel's error is shown in (tests: its style, idle or with an error). */
    Region kernelErrorBox() {
        node();
        return errorBox;
    }

    /** The kernel's error text (or the idle line) as shown (tests: its style). */
    Label kernelErrorLabel() {
        node();
        return errorText;
    }

    /** The Events heading, its Clear log button and the log below them (tests: alignment). */
    Region[] eventsBar() {
        node();
        return new Region[] {eventsHeading, clearLog, logView};
    }

    public List<LabEvent> logShown() {
        return List.copyOf(log);
    }

    public void select(LabScenario s) {
        node();
        scenarioBox.setValue(s);
    }

    /** Starts the selected scenario with the knobs' values (what the Start button does). */
    public void startRun() {
        node();
        LabSettings s = settings();
        if (s.problem().isPresent()) {
            status.setText(MessageFormat.format(b.getString("lab.badSettings"), s.problem().get()));
            return;
        }
        try {
            lab.start(scenarioBox.getValue(), s);
            setError(null);
            status.setText(MessageFormat.format(b.getString("lab.running"), labText.getString(scenarioBox.getValue().titleKey())));
            start.setDisable(true);
            stop.setDisable(false);
        } catch (IllegalStateException | IllegalArgumentException e) {
            status.setText(MessageFormat.format(b.getString("lab.badSettings"), e.getMessage()));
        }
    }

    public void stopRun() {
        Thread.ofPlatform().name("tcplens-lab-stop").daemon().start(lab::stop); // stop waits for the sockets to close: not on the FX thread
    }

    LabSettings settings() {
        int pStart = 0;
        String ps = poolStart.getText() == null ? "" : poolStart.getText().trim();
        if (!ps.isEmpty()) {
            try {
                pStart = Integer.parseInt(ps);
            } catch (NumberFormatException e) {
                pStart = -1; // reported by problem()
            }
        }
        return new LabSettings(connections.getValue(), rate.getValue(), payload.getValue(), pStart, poolSize.getValue(),
                reuse.isSelected(), hold.isSelected(), Duration.ofSeconds(duration.getValue()));
    }

    private void drainEvents() {
        LabEvent e;
        boolean any = false;
        while ((e = incoming.poll()) != null) {
            any = true;
            log.add(e);
            if (e.isError()) setError(e);
            if (e.kind() == LabEvent.Kind.FINISHED) {
                start.setDisable(false);
                stop.setDisable(true);
                status.setText(e.message(labText));
            }
        }
        if (!any) {
            drain.stop();
            draining.set(false);
            // an event that came after the poll above found the drain still running: start it again
            if (!incoming.isEmpty() && draining.compareAndSet(false, true)) drain.play();
            return;
        }
        if (log.size() > LOG_LIMIT) log.remove(0, log.size() - LOG_LIMIT);
        logView.scrollTo(log.size() - 1);
    }

    /**
     * The kernel's last error, large and red; with none (idle, or a new run), a plain muted line that says
     * what the box is for: "no error yet" in the error's own style read as an error.
     */
    private void setError(LabEvent e) {
        errorBox.getStyleClass().remove("active");
        if (e == null) {
            errorText.setText(b.getString("lab.noError"));
            errorDetail.setText("");
            return;
        }
        errorBox.getStyleClass().add("active");
        errorText.setText(e.errorText());
        errorDetail.setText(MessageFormat.format(b.getString("lab.errorAt"), TIME.format(Instant.ofEpochMilli(e.timeMillis())),
                e.operation() == null ? "?" : e.operation(), e.errno() == null ? "?" : e.errno()) + "   " + e.message(labText));
    }

    private void applyDefaults(LabScenario s) {
        LabSettings d = LabSettings.defaults(s);
        connections.getValueFactory().setValue(d.connections());
        rate.getValueFactory().setValue(d.ratePerSecond());
        payload.getValueFactory().setValue(d.payloadBytes());
        poolSize.getValueFactory().setValue(d.portPoolSize());
        reuse.setSelected(d.reuseAddress());
        hold.setSelected(d.holdOpen());
        duration.getValueFactory().setValue((int) d.maxDuration().toSeconds());
        description.setText(labText.getString(s.descriptionKey()));
        // a knob the scenario does not use is greyed out, not silently ignored (issue 13 item 9)
        boolean pool = s == LabScenario.PORT_EXHAUSTION || s == LabScenario.ONE_SOURCE_MANY_CLIENTS || s == LabScenario.EPHEMERAL_RANGE;
        poolSize.setDisable(!pool);
        poolStart.setDisable(!pool);
        reuse.setDisable(s != LabScenario.PORT_EXHAUSTION && s != LabScenario.SERVER_RESTART);
        hold.setDisable(s != LabScenario.PORT_EXHAUSTION);
    }

    private void toggleRecording() {
        if (record.isSelected()) {
            Path file = Path.of(System.getProperty("tcplens.recordings", System.getProperty("user.home")), "tcplens-lab-"
                    + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + RecordingWriter.EXTENSION);
            try {
                recordError = null;
                recordOnlyLab = recordLabOnly.isSelected();
                SourceInfo what = recordOnlyLab
                        ? new SourceInfo(SourceInfo.Kind.LAB, "lab", "loopback lab (live kernel table, lab sockets only)")
                        : new SourceInfo(SourceInfo.Kind.LIVE, "live", "live kernel table during a lab session");
                writer = new RecordingWriter(file, what, TimeWaitDuration.LINUX);
                status.setText(MessageFormat.format(b.getString("lab.recording"), file.getFileName(), 0));
            } catch (IOException e) {
                record.setSelected(false);
                status.setText(MessageFormat.format(b.getString("lab.recordError"), e.getMessage()));
            }
        } else {
            closeWriter();
        }
    }

    private void closeWriter() {
        RecordingWriter w = writer;
        writer = null;
        if (w != null) {
            try {
                w.close();
            } catch (IOException e) {
                LOG.warn("closing the lab recording failed", e);
            }
        }
    }

    private void build() {
        root.getStyleClass().add("lab-view");
        root.getStylesheets().add(Presentation.CSS);

        scenarioBox.getItems().setAll(LabScenario.values());
        scenarioBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(LabScenario s) {
                return s == null ? "" : labText.getString(s.titleKey());
            }

            @Override
            public LabScenario fromString(String t) {
                return null;
            }
        });
        scenarioBox.valueProperty().addListener((o, a, n) -> {
            if (n != null) applyDefaults(n);
        });
        scenarioBox.setMaxWidth(Double.MAX_VALUE);
        for (Spinner<?> sp : List.of(connections, rate, payload, poolSize, duration)) {
            sp.setEditable(true);
            sp.setPrefWidth(110);
        }
        poolStart.setPrefColumnCount(6);
        reuse.setMnemonicParsing(false);
        reuse.setText(b.getString("lab.reuse"));
        reuse.setTooltip(new Tooltip(b.getString("lab.reuse.tip")));
        hold.setText(b.getString("lab.hold"));
        hold.setTooltip(new Tooltip(b.getString("lab.hold.tip")));
        description.getStyleClass().add("lab-description");
        description.setWrapText(true);
        description.setMaxWidth(300);

        start.setText(b.getString("lab.start"));
        start.getStyleClass().add("accent");
        start.setDefaultButton(false);
        start.setOnAction(e -> startRun());
        stop.setText(b.getString("lab.stop"));
        stop.setDisable(true);
        stop.setOnAction(e -> stopRun());
        record.setText(b.getString("lab.record"));
        record.setTooltip(new Tooltip(b.getString("lab.record.tip")));
        record.setOnAction(e -> toggleRecording());
        recordLabOnly.setText(b.getString("lab.recordLabOnly"));
        recordLabOnly.setSelected(true);
        recordLabOnly.disableProperty().bind(record.selectedProperty());
        Button present = new Button(b.getString("lab.present"));
        present.setTooltip(new Tooltip(b.getString("lab.present.tip")));
        present.setOnAction(e -> {
            if (root.getScene() != null) Presentation.of(root.getScene()).toggle();
        });

        GridPane knobs = new GridPane();
        knobs.getStyleClass().addAll("lab-knobs", "presentation-hide"); // presenting: space starts/stops, +/- rate
        knobs.getColumnConstraints().addAll(new ColumnConstraints(), new ColumnConstraints());
        int r = 0;
        Label sc = heading(b.getString("lab.scenario"));
        knobs.add(sc, 0, r++, 2, 1);
        knobs.add(scenarioBox, 0, r++, 2, 1);
        // Start right under the scenario: it never moves with the description's length and stays in
        // view at 1024×700 (issue 13 item 9)
        HBox buttons = new HBox(8, start, stop, record, present);
        knobs.add(buttons, 0, r++, 2, 1);
        knobs.add(description, 0, r++, 2, 1);
        r = row(knobs, r, "lab.connections", connections);
        r = row(knobs, r, "lab.rate", rate);
        r = row(knobs, r, "lab.payload", payload);
        r = row(knobs, r, "lab.poolSize", poolSize);
        r = row(knobs, r, "lab.poolStart", poolStart);
        r = row(knobs, r, "lab.duration", duration);
        knobs.add(reuse, 0, r++, 2, 1);
        knobs.add(hold, 0, r++, 2, 1);
        knobs.add(recordLabOnly, 0, r++, 2, 1);
        status.getStyleClass().add("lab-status");
        status.setWrapText(true);
        status.setMaxWidth(300);
        status.setText(b.getString("lab.idle"));
        knobs.add(status, 0, r, 2, 1);
        knobs.setMaxHeight(Region.USE_PREF_SIZE);

        Label kernelSays = heading(b.getString("lab.kernelSays"));
        errorText.getStyleClass().add("kernel-error-text");
        errorText.setWrapText(true);
        errorDetail.getStyleClass().add("kernel-error-detail");
        errorDetail.setWrapText(true);
        // a long kernel message wraps onto more lines instead of ending in "…"
        errorText.setMinHeight(Region.USE_PREF_SIZE);
        errorDetail.setMinHeight(Region.USE_PREF_SIZE);
        // no detail line (and no empty line's height) before an error
        errorDetail.managedProperty().bind(errorDetail.visibleProperty());
        errorDetail.visibleProperty().bind(errorDetail.textProperty().isNotEmpty());
        errorBox.getChildren().addAll(kernelSays, errorText, errorDetail);
        errorBox.getStyleClass().add("kernel-error");
        setError(null);

        Label socketsHeading = heading(b.getString("lab.sockets"));
        countsSource.getStyleClass().add("lab-status");
        counts.getChildren().add(new Label(b.getString("lab.socketsNone")));

        eventsHeading.setText(b.getString("lab.events"));
        eventsHeading.getStyleClass().add("lab-heading");
        // a small bordered button whose edge lines up with the log's right edge, centred on the heading's
        // line (a flat button sat lower than the heading, its text inset from the log's edge)
        clearLog.setText(b.getString("lab.clear"));
        clearLog.getStyleClass().add("small");
        clearLog.setMinWidth(Region.USE_PREF_SIZE);
        clearLog.setOnAction(e -> log.clear());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox eventsBar = new HBox(8, eventsHeading, grow, clearLog);
        eventsBar.setAlignment(Pos.CENTER_LEFT);
        logView.getStyleClass().add("lab-log");
        logView.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(LabEvent e, boolean empty) {
                super.updateItem(e, empty);
                getStyleClass().removeAll("lab-error", "lab-phase");
                if (empty || e == null) {
                    setText(null);
                    return;
                }
                setText(TIME.format(Instant.ofEpochMilli(e.timeMillis())) + "  " + e.line(labText));
                setWrapText(true); // a long error line wraps within the list's width
                setPrefWidth(0);
                if (e.isError()) getStyleClass().add("lab-error");
                else if (e.kind() != LabEvent.Kind.PROGRESS) getStyleClass().add("lab-phase");
            }
        });
        VBox.setVgrow(logView, Priority.ALWAYS);
        Label title = new Label();
        title.getStyleClass().add("scenario-title");
        title.textProperty().bind(Bindings.createStringBinding(
                () -> scenarioBox.getValue() == null ? "" : labText.getString(scenarioBox.getValue().titleKey()),
                scenarioBox.valueProperty()));
        VBox center = new VBox(10, title, errorBox, socketsHeading, counts, countsSource, eventsBar, logView);
        center.setPadding(new Insets(0, 0, 0, 10));
        // a short window scrolls the knobs instead of cutting them off
        ScrollPane knobScroll = new ScrollPane(knobs);
        knobScroll.setFitToWidth(true);
        knobScroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        knobScroll.getStyleClass().addAll("edge-to-edge", "presentation-hide");
        knobScroll.setMinWidth(Region.USE_PREF_SIZE);
        root.setLeft(knobScroll);
        root.setCenter(center);
        scenarioBox.setValue(LabScenario.CLIENT_CLOSES_FIRST);
    }

    private int row(GridPane g, int r, String key, Node control) {
        Label l = new Label(b.getString(key));
        l.setLabelFor(control);
        g.add(l, 0, r);
        g.add(control, 1, r);
        return r + 1;
    }

    private static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("lab-heading");
        return l;
    }
}
