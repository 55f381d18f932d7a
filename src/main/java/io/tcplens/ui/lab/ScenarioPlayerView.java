package io.tcplens.ui.lab;

import io.tcplens.ui.shell.FxTicker;
import io.tcplens.ui.shell.Presentation;
import io.tcplens.diagram.DiagramPlan;
import io.tcplens.engine.PollResult;
import io.tcplens.lab.script.ScriptSource;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.ui.diagram.StateDiagramView;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javafx.beans.binding.Bindings;
import javafx.application.Platform;
import javafx.scene.control.SplitPane;
import io.tcplens.lab.LabEvent;
import io.tcplens.lab.script.Host;
import io.tcplens.lab.script.ScenarioPlayer;
import io.tcplens.lab.script.Script;
import io.tcplens.lab.script.Scripts;
import io.tcplens.lab.script.Step;
import io.tcplens.model.TcpState;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.ShellTab;
import io.tcplens.ui.theme.StatePalette;
import java.text.MessageFormat;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import java.util.EnumSet;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Steps through a scripted scenario: sequence diagram of segments between two hosts, each step's
 * narration, the RFC edge each host took; back, forward and auto-play at a chosen speed. Clearly
 * marked SIMULATED. Independent of the polls (prepare/show do nothing).
 */
public final class ScenarioPlayerView implements ShellTab, Presentation.Target {
    private static final Logger LOG = LoggerFactory.getLogger(ScenarioPlayerView.class);
    public static final String ID = "scenario";
    private static final double[] SPEEDS = {0.25, 0.5, 1, 2, 4};
    /** Auto-play's time between two steps at speed 1. */
    private static final long STEP_MILLIS = 2000;

    private final ResourceBundle b;
    private final ResourceBundle labText;
    private final BorderPane root = new BorderPane();
    private final ComboBox<Script> scriptBox = new ComboBox<>();
    private final SequenceDiagram diagram;
    private final Label narration = new Label();
    private final Label description = new Label();
    private final Label stepLabel = new Label();
    private final Label stateA = new Label();
    private final Label stateB = new Label();
    private final Label edgeA = new Label();
    private final Label edgeB = new Label();
    private final Button play = new Button();
    private final Label speedLabel = new Label();
    /**
     * Auto-play: a step every 2 s at speed 1, on {@link FxTicker} (a running {@code Timeline}, however slow its key
     * frame, makes JavaFX pulse 60 times a second: ~120 pulses showing nothing new between two steps), and only
     * while the tab is at the front (a hidden tab does not animate; it goes on from the same step when shown).
     */
    private FxTicker auto;
    private boolean playing;
    private boolean hidden;
    private final StateDiagramView stateDiagram;
    /** Plans the state diagram's moves off the FX thread; owns the tracker. */
    private final ExecutorService diagramFeed = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("tcplens-scenario-diagram").daemon().factory());
    private ScenarioPlayer player;
    private volatile ScriptSource scriptSource;
    private final ConnectionTracker tracker = new ConnectionTracker(); // used on diagramFeed only
    private long sequence;
    private int speedIndex = 2;

    public ScenarioPlayerView(ShellContext ctx) {
        this.b = ctx.bundle();
        this.labText = LabEvent.bundle(b.getLocale());
        this.diagram = new SequenceDiagram(b);
        this.stateDiagram = new StateDiagramView(ctx);
        stateDiagram.setCompact(true);
        diagram.setTheme(ctx.theme().get());
        ctx.theme().addListener((o, a, n) -> diagram.setTheme(n));
        build();
        Presentation.attach(root, this);
        root.sceneProperty().addListener((o, a, s) -> {
            if (s != null) s.getRoot().getStyleClass().addListener((ListChangeListener<String>) c ->
                    diagram.setScale(s.getRoot().getStyleClass().contains("presentation") ? 1.6 : 1));
        });
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String titleKey() {
        return "view.scenario";
    }

    @Override
    public Node node() {
        return root;
    }

    /** The embedded diagram follows the script, not the polls; it rests while the tab is in the background. */
    @Override
    public void onHidden() {
        hidden = true;
        runAuto();
        stateDiagram.onHidden();
    }

    @Override
    public void onShown() {
        hidden = false;
        runAuto();
        stateDiagram.onShown();
        if (player != null) feedStateDiagram();
    }

    public ScenarioPlayer player() {
        return player;
    }

    public void select(String scriptId) {
        Scripts.byId(scriptId).ifPresent(scriptBox::setValue);
    }

    public String narrationShown() {
        return narration.getText();
    }

    // ---- Presentation.Target ----
    @Override
    public void togglePlay() {
        if (playing) pause();
        else playAuto();
    }

    @Override
    public void step() {
        pause();
        player.forward();
    }

    @Override
    public void stepBack() {
        pause();
        player.back();
    }

    @Override
    public void faster() {
        speedIndex = Math.min(SPEEDS.length - 1, speedIndex + 1);
        applySpeed();
    }

    @Override
    public void slower() {
        speedIndex = Math.max(0, speedIndex - 1);
        applySpeed();
    }

    @Override
    public boolean isShowing() {
        return Presentation.treeVisible(root);
    }

    private void playAuto() {
        if (player.atEnd()) player.reset();
        play.setText(b.getString("scenario.pause"));
        playing = true;
        runAuto();
    }

    private void pause() {
        playing = false;
        runAuto();
        play.setText(b.getString("scenario.play"));
    }

    /** Starts the auto-play ticker at the speed chosen when playing and shown; stops it otherwise. */
    private void runAuto() {
        if (auto != null) auto.stop();
        auto = null;
        if (playing && !hidden) {
            auto = new FxTicker(Math.round(STEP_MILLIS / SPEEDS[speedIndex]), () -> player.forward());
            auto.start();
        }
    }

    /** Whether auto-play steps now (tests: not while the tab is hidden). */
    boolean autoStepping() {
        return auto != null && auto.isRunning();
    }

    private void applySpeed() {
        runAuto();
        speedLabel.setText(MessageFormat.format(b.getString("scenario.speed"), String.format(Locale.ROOT, "%s", trim(SPEEDS[speedIndex]))));
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    private void setScript(Script s) {
        pause();
        player = new ScenarioPlayer(s);
        player.addListener(this::refresh);
        ScriptSource src = new ScriptSource(player);
        scriptSource = src; // one tracker for the view's life: a new script shows as the diff from the old one
        diagram.setPlayer(player);
        // the small state diagram shows the part of the figure this script walks through, large enough to read
        EnumSet<TcpState> walked = EnumSet.of(s.initialA(), s.initialB());
        for (int i = 0; i < s.steps().size(); i++) {
            walked.add(s.stateAfter(i, Host.A));
            walked.add(s.stateAfter(i, Host.B));
        }
        stateDiagram.setFocus(walked);
        description.setText(labText.getString(s.descriptionKey()));
        refresh();
    }

    private void refresh() {
        Script s = player.script();
        int pos = player.position();
        Step st = player.current();
        narration.setText(st == null
                ? MessageFormat.format(b.getString("scenario.start"), s.initialA().name(), s.initialB().name())
                : labText.getString(st.narrationKey()));
        stepLabel.setText(MessageFormat.format(b.getString("scenario.step"), pos + 1, s.steps().size()));
        hostState(stateA, Host.A);
        hostState(stateB, Host.B);
        edge(edgeA, Host.A, pos);
        edge(edgeB, Host.B, pos);
        diagram.redraw();
        feedStateDiagram();
        if (player.atEnd()) pause();
    }

    /** The player's step as a (simulated) table, through the tracker, into the state diagram. */
    private void feedStateDiagram() {
        ScriptSource src = scriptSource;
        diagramFeed.execute(() -> {
            if (src != scriptSource) return; // a newer script was chosen
            try {
                var u = tracker.update(src.poll());
                PollResult r = new PollResult(++sequence, u.snapshot(), u.diff(), u.connections(), 0, null);
                DiagramPlan plan = stateDiagram.prepare(r, List.of(r));
                Platform.runLater(() -> stateDiagram.show(plan));
            } catch (RuntimeException e) {
                LOG.warn("the state diagram could not follow the script", e);
            }
        });
    }

    /** The sequence diagram's label boxes of the last frame (tests: no two overlap). */
    List<double[]> sequenceLabelBoxes() {
        return diagram.labelBoxes();
    }

    double[] sequenceRingBox() {
        return diagram.ringBox();
    }

    public StateDiagramView stateDiagram() {
        return stateDiagram;
    }

    private void hostState(Label l, Host h) {
        TcpState st = player.state(h);
        l.setText(host(h) + ": " + st.name());
        l.getStyleClass().removeIf(c -> c.startsWith("state-"));
        l.getStyleClass().add(StatePalette.styleClass(st));
    }

    private String host(Host h) {
        return b.getString(h == Host.A ? "scenario.hostA" : "scenario.hostB");
    }

    private void edge(Label l, Host h, int pos) {
        TcpState before = player.script().stateAfter(pos - 1, h), after = player.script().stateAfter(pos, h);
        String host = host(h);
        if (pos < 0 || before == after) l.setText(MessageFormat.format(b.getString("scenario.noEdge"), host, after.name()));
        else l.setText(MessageFormat.format(b.getString("scenario.edge"), host, before.name(), after.name(),
                before.edgeTo(after).map(TcpState.Edge::label).orElse("?")));
    }

    private void build() {
        root.getStyleClass().add("scenario-view");
        root.getStylesheets().add(Presentation.CSS);
        scriptBox.getItems().setAll(Scripts.all());
        scriptBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(Script s) {
                return s == null ? "" : labText.getString(s.titleKey());
            }

            @Override
            public Script fromString(String t) {
                return null;
            }
        });
        scriptBox.valueProperty().addListener((o, a, n) -> {
            if (n != null) setScript(n);
        });
        Label sim = new Label(b.getString("scenario.simulated"));
        sim.getStyleClass().add("simulated-marker");

        Button reset = new Button(b.getString("scenario.reset"));
        reset.setOnAction(e -> {
            pause();
            player.reset();
        });
        Button back = new Button(b.getString("scenario.back"));
        back.setOnAction(e -> stepBack());
        Button fwd = new Button(b.getString("scenario.forward"));
        fwd.getStyleClass().add("accent");
        fwd.setOnAction(e -> step());
        play.setText(b.getString("scenario.play"));
        play.setOnAction(e -> togglePlay());
        Button slower = new Button("−");
        slower.setOnAction(e -> slower());
        Button faster = new Button("+");
        faster.setOnAction(e -> faster());
        Button present = new Button(b.getString("lab.present"));
        present.setTooltip(new Tooltip(b.getString("lab.present.tip")));
        present.setOnAction(e -> {
            if (root.getScene() != null) Presentation.of(root.getScene()).toggle();
        });
        applySpeed();

        Label title = new Label();
        title.getStyleClass().add("scenario-title");
        title.textProperty().bind(Bindings.createStringBinding(
                () -> scriptBox.getValue() == null ? "" : labText.getString(scriptBox.getValue().titleKey()),
                scriptBox.valueProperty()));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        // a long title (large when presenting) wraps onto a second line rather than losing its end
        title.setWrapText(true);
        title.setMinWidth(120);
        title.setMinHeight(Region.USE_PREF_SIZE);
        HBox header = new HBox(10, sim, title, grow, stepLabel);
        header.setAlignment(Pos.CENTER_LEFT);
        stepLabel.setMinWidth(Region.USE_PREF_SIZE);
        sim.setMinWidth(Region.USE_PREF_SIZE);
        HBox bar = new HBox(8, new Label(b.getString("scenario.choose")), scriptBox, reset, back, fwd, play,
                slower, speedLabel, faster, present);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("presentation-hide");
        for (Node n : bar.getChildren()) if (n instanceof Region r) r.setMinWidth(Region.USE_PREF_SIZE);

        description.getStyleClass().addAll("lab-status", "presentation-hide");
        description.setWrapText(true);
        narration.getStyleClass().add("scenario-narration");
        narration.setWrapText(true);
        narration.setMaxWidth(Double.MAX_VALUE);
        narration.setMinHeight(Region.USE_PREF_SIZE);
        stateA.getStyleClass().add("host-state");
        stateB.getStyleClass().add("host-state");
        stateA.setMinWidth(Region.USE_PREF_SIZE);
        stateB.setMinWidth(Region.USE_PREF_SIZE);
        edgeA.getStyleClass().add("scenario-edge");
        edgeB.getStyleClass().add("scenario-edge");
        // the edge taken (e.g. "TIME_WAIT → CLOSED (Timeout=2MSL)") wraps rather than losing its end
        for (Label e : List.of(edgeA, edgeB)) {
            e.setWrapText(true);
            e.setMinWidth(120);
            e.setMinHeight(Region.USE_PREF_SIZE);
            HBox.setHgrow(e, Priority.SOMETIMES);
        }
        Region g2 = new Region();
        HBox.setHgrow(g2, Priority.ALWAYS);
        HBox states = new HBox(12, stateA, edgeA, g2, edgeB, stateB);
        states.setAlignment(Pos.CENTER_LEFT);
        VBox bottom = new VBox(8, states, narration);
        VBox top = new VBox(6, header, bar, description);
        root.setTop(top);
        SplitPane split = new SplitPane(diagram, stateDiagram.node());
        split.setDividerPositions(0.5);
        root.setCenter(split);
        root.setBottom(bottom);
        BorderPane.setMargin(split, new Insets(8, 0, 8, 0));
        scriptBox.setValue(Scripts.all().get(0));
    }
}
