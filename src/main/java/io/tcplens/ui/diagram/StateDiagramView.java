package io.tcplens.ui.diagram;

import io.tcplens.diagram.DiagramLayout;
import io.tcplens.diagram.DiagramPlan;
import io.tcplens.diagram.TokenModel;
import io.tcplens.diagram.TransitionPlanner;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import io.tcplens.ui.shell.FxVisibility;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.ShellView;
import io.tcplens.ui.shell.SourcedToolBar;
import io.tcplens.ui.theme.Theme;
import java.lang.management.ManagementFactory;
import java.text.MessageFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.Predicate;
import javafx.animation.AnimationTimer;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.scene.Cursor;
import javafx.scene.Node;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Button;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.Label;
import javafx.scene.control.Separator;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Pane;
import javafx.util.StringConverter;

/**
 * The animated RFC 9293 state diagram: every connection a token that walks the edge it took, on one
 * {@link Canvas} redrawn by one {@link AnimationTimer} only when something changed or moves.
 * {@link #prepare} plans the moves off the FX thread; {@link #show} hands them to the token model.
 */
public final class StateDiagramView implements ShellView<DiagramPlan> {
    public static final String ID = "diagram";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final double[] SPEEDS = {1, 2, 3, 5, 10};

    private final ShellContext ctx;
    private final ResourceBundle b;
    /** The arrangement drawn now: the wide one in landscape areas, RFC 9293 figure 5 otherwise (and in compact). */
    private DiagramLayout layout = DiagramLayout.rfc9293();
    private final TransitionPlanner planner;
    private final TokenModel model = new TokenModel();
    private final DiagramRenderer renderer = new DiagramRenderer(layout);
    /** Two layers: the still figure below, the tokens and overlays above (only this one redraws per frame). */
    private final Canvas base = new Canvas(10, 10);
    private final Canvas canvas = new Canvas(10, 10);
    private final Pane canvasPane = new Pane(base, canvas);
    private final BorderPane root = new BorderPane();
    private final ToggleButton pauseButton = new ToggleButton();
    private final Button stepButton = new Button();
    private final ChoiceBox<Double> speedChoice = new ChoiceBox<>();
    private final ChoiceBox<RenderStyle.TokenColouring> colourChoice = new ChoiceBox<>();
    private final AnimationTimer timer;

    private DiagramPlan plan;
    /** Inputs of the renderer, owned here: zoom/pan and how to paint. */
    private Viewport viewport = Viewport.IDENTITY;
    private RenderStyle style = RenderStyle.DEFAULT;
    private boolean dirty = true;
    private boolean baseDirty = true;
    private int followedHistory = -1;
    private boolean autoFit = true;
    private boolean compact;
    private EnumSet<TcpState> focus = EnumSet.noneOf(TcpState.class);
    private SourcedToolBar toolbarNode;
    private long lastFrame;
    private double clockMillis;
    private ConnectionKey followed;
    private TokenModel.Token hovered;
    private double mouseX;
    private double mouseY;
    private double pressX;
    private double pressY;
    private boolean dragged;
    private long frames;
    private FrameProbe probe;

    /** Benchmark hook: the FX-thread cost of each frame and each hand-over, wall and CPU time in ns. */
    interface FrameProbe {
        void frame(long wallNs, long cpuNs);

        void show(long wallNs, long cpuNs);
    }

    private static long cpuNow() {
        return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }

    public StateDiagramView(ShellContext ctx) {
        this(ctx, null, TransitionPlanner.DEFAULT_AGGREGATE_ABOVE);
    }

    /**
     * @param filter         which sockets the diagram shows (null: all)
     * @param aggregateAbove above this many connections draw counts and flows instead of tokens
     */
    public StateDiagramView(ShellContext ctx, Predicate<SocketEntry> filter, int aggregateAbove) {
        this.ctx = ctx;
        this.b = ctx.bundle();
        this.planner = new TransitionPlanner(filter, aggregateAbove);
        style = style.withTheme(ctx.theme().get());
        ctx.theme().addListener((o, a, t) -> {
            style = style.withTheme(t);
            invalidate();
        });
        ctx.selectedConnections().addListener((o, a, keys) -> {
            if (keys != null && !keys.isEmpty() && (followed == null || !keys.contains(followed))) {
                ConnectionKey k = keys.iterator().next();
                if (model.token(k) != null) follow(k);
            }
        });
        timer = new AnimationTimer() {
            @Override
            public void handle(long now) {
                frame(now);
            }
        };
        onScreen.addListener((o, a, on) -> animate());
    }

    /** Whether the view's window is on screen (in a scene, that scene's window showing and not minimised). */
    private final ObservableValue<Boolean> onScreen = FxVisibility.windowOnScreen(root);

    /**
     * The animation runs while the view's tab is at the front and its window on screen: not in the background,
     * not in a closed or minimised window (where the flows' moving dashes went on at 60 frames a second).
     */
    private void animate() {
        if (shown()) {
            idleFrames = 0;
            sleeping = false;
            lastFrame = 0;
            timer.start();
        } else {
            timer.stop();
        }
    }

    /**
     * Frames in a row in which nothing moved and nothing was drawn. After {@link #IDLE_FRAMES_BEFORE_SLEEP} the
     * timer stops (a running AnimationTimer makes JavaFX pulse 60 times a second, issue 11) until something
     * changes: a plan, a click, a hover, a resize, a step ({@link #markDirty}, {@link #invalidate}).
     */
    private int idleFrames;
    private boolean sleeping;
    static final int IDLE_FRAMES_BEFORE_SLEEP = 2;

    /** Something to draw on the next frame: the timer runs again if it had stopped with nothing to do. */
    private void markDirty() {
        dirty = true;
        wake();
    }

    private void wake() {
        idleFrames = 0;
        if (sleeping && shown()) {
            sleeping = false;
            lastFrame = 0; // nothing moved while asleep: no time to catch up on
            timer.start();
        }
    }

    /** Whether the animation timer runs (false while the tab is hidden or nothing moves; tests). */
    public boolean animating() {
        return shown() && !sleeping;
    }

    /** Back at the front: the token model missed plans while hidden, so the next hand-over rebuilds it from the table. */
    @Override
    public void onShown() {
        front = true;
        if (stale) wantResync = true;
        animate();
        markDirty();
    }

    /** In the background: nothing is animated or drawn, and the plans that would move tokens are not applied. */
    @Override
    public void onHidden() {
        front = false;
        stale = true;
        animate();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String titleKey() {
        return "view.diagram";
    }

    @Override
    public Node node() {
        if (!built) { // the controls when the tab is first shown (issue 13)
            built = true;
            build();
        }
        return root;
    }

    @Override
    public boolean isBuilt() {
        return built;
    }

    private boolean built;

    private void build() {
        root.getStyleClass().add("state-diagram");
        var css = StateDiagramView.class.getResource("/io/tcplens/ui/diagram/diagram.css");
        if (css != null) root.getStylesheets().add(css.toExternalForm());
        toolbarNode = toolbar();
        root.setTop(compact ? null : toolbarNode);
        root.setCenter(canvasPane);
        canvasPane.setMinSize(0, 0);
        canvasPane.widthProperty().addListener((o, a, w) -> resize());
        canvasPane.heightProperty().addListener((o, a, h) -> resize());
        canvas.setFocusTraversable(true);
        wireMouse();
        wireKeys();
    }

    /**
     * In the background: the planner takes every poll's edges for its rates (they look 5 s back), and
     * nothing else: no plan, no walk of the table for the state counts (at 100k the hidden diagram's
     * largest cost). The first plan after the tab is shown again re-seeds from its table (a resync).
     */
    @Override
    public void observe(List<PollResult> batch) {
        if (batch.isEmpty()) return;
        synchronized (planner) {
            planner.observe(batch);
        }
    }

    @Override
    public DiagramPlan prepare(PollResult latest, List<PollResult> batch) {
        synchronized (planner) {
            if (wantResync) {
                wantResync = false;
                planner.requestResync();
            }
            return planner.plan(batch.isEmpty() ? List.of(latest) : batch);
        }
    }

    /** Set on the FX thread when the tab comes back to the front; read by prepare(). */
    private volatile boolean wantResync;
    /** True while the token model missed plans because the tab was hidden (until a resync plan arrives). */
    private boolean stale;
    /** Whether the shell has this tab at the front (a view used on its own always is). */
    private boolean front = true;

    @Override
    public void show(DiagramPlan prepared) {
        node();
        long t0 = System.nanoTime();
        long c0 = probe != null ? cpuNow() : 0;
        if (stale && !prepared.resync()) {
            wantResync = true;
            return;
        }
        stale = false;
        plan = prepared;
        model.apply(prepared);
        if (followed != null && model.token(followed) == null && !isDeparting(followed)) followed = null;
        String source = prepared.source() == null ? "" : prepared.source().label();
        String count = MessageFormat.format(b.getString(prepared.aggregated() ? "diagram.status.aggregated"
                : "diagram.status.tokens"), prepared.total());
        if (prepared.error() != null || prepared.source() == null)
            toolbarNode.showText(List.of(prepared.error() != null
                    ? MessageFormat.format(b.getString("diagram.status.error"), prepared.error()) + (source.isEmpty() ? "" : " · " + source)
                    : count));
        else toolbarNode.showSource(prepared.source(), count); // issue 18: whole at any width, never in the overflow menu
        if (style.colourBy() != RenderStyle.TokenColouring.STATE) countCategories();
        invalidate();
        if (probe != null) probe.show(System.nanoTime() - t0, cpuNow() - c0);
    }

    void measure(FrameProbe p) {
        probe = p;
    }

    private List<Map.Entry<String, Integer>> categories = List.of();

    /** Tokens per process or remote address (once per hand-over, not per frame); the largest get colours first. */
    private void countCategories() {
        if (style.colourBy() == RenderStyle.TokenColouring.STATE || model.aggregated()) {
            categories = List.of();
            return;
        }
        Map<String, Integer> counts = new HashMap<>();
        for (TokenModel.Token t : model.tokens()) counts.merge(String.valueOf(DiagramRenderer.categoryOf(t, style.colourBy())), 1, Integer::sum);
        List<Map.Entry<String, Integer>> top = new ArrayList<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(8)
                .forEach(e -> top.add(new AbstractMap.SimpleEntry<>(e.getKey().equals("null") ? null : e.getKey(), e.getValue())));
        for (Map.Entry<String, Integer> e : top) renderer.assignCategory(e.getKey());
        categories = top;
    }

    private boolean isDeparting(ConnectionKey k) {
        for (TokenModel.Token t : model.departing()) if (t.key().equals(k)) return true;
        return false;
    }

    /** The figure on a state's badge: sockets in that state at the last poll (tests). */
    public int badgeCount(TcpState s) {
        return DiagramRenderer.badgeCount(plan, s);
    }

    /** Tokens shown on a state as inferred positions, beyond the real count (tests). */
    public int inferredBadgeCount(TcpState s) {
        return plan == null || plan.aggregated() ? 0 : DiagramRenderer.inferredCount(model, plan, s);
    }

    /** The token model (for tests and the presenter). */
    public TokenModel model() {
        return model;
    }

    /** The connection being followed, or null. */
    public ConnectionKey followed() {
        return followed;
    }

    /** Follows one connection: its path is highlighted and its transitions listed. */
    public void follow(ConnectionKey key) {
        followed = key;
        followedHistory = -1;
        invalidate();
    }

    /** Everything redraws on the next frame, the still layer included. */
    private void invalidate() {
        dirty = true;
        baseDirty = true;
        wake();
    }

    /** Draws now, whatever changed (tests and screenshots). */
    public void renderNow() {
        node();
        resize();
        invalidate();
        draw();
    }

    /** Frames drawn so far. */
    public long framesDrawn() {
        return frames;
    }

    /** Shows the hover card for the token under this canvas point (tests). */
    public void hoverAt(double x, double y) {
        node();
        mouseX = x;
        mouseY = y;
        hovered = renderer.tokenAt(model, viewport.toDesignX(x), viewport.toDesignY(y));
        markDirty();
    }

    /** The hover card's lines for the token under the pointer, or an empty list (tests). */
    public List<String> hoverLines() {
        return hovered == null ? List.of() : tooltip(hovered);
    }

    /** Canvas coordinates of a token as drawn, or null (tests). */
    public double[] screenPositionOf(ConnectionKey key) {
        TokenModel.Token t = model.token(key);
        if (t == null) return null;
        double[] p = renderer.tokenPosition(model, t);
        if (p == null) return null;
        return new double[] {viewport.toScreenX(p[0]), viewport.toScreenY(p[1])};
    }

    /** One animation frame: advance the clock, redraw if anything changed. */
    void frame(long now) {
        long t0 = System.nanoTime();
        long c0 = probe != null ? cpuNow() : 0;
        // a slow frame advances the animation by the real time it took (up to a second) so tokens keep pace
        double dt = lastFrame == 0 ? 0 : Math.min(1000, (now - lastFrame) / 1e6);
        lastFrame = now;
        clockMillis += dt;
        boolean moved = model.advance(dt);
        // the flows' dashes stand still while paused, like the tokens
        boolean flows = plan != null && plan.aggregated() && !model.paused() && hasFlow();
        if (moved) {
            if (hovered != null && !hovered.moving()) dirty = true;
            stepButton.setDisable(false);
        }
        if (moved || dirty || flows) {
            idleFrames = 0;
            if (shown()) draw();
            else dirty = true;
        } else if (++idleFrames >= IDLE_FRAMES_BEFORE_SLEEP) {
            timer.stop(); // nothing moves and nothing is left to draw: no frames until something changes
            sleeping = true;
        }
        if (probe != null) probe.frame(System.nanoTime() - t0, cpuNow() - c0);
    }

    /** False while the tab is in the background or its window closed or minimised: nothing is drawn. */
    private boolean shown() {
        return front && onScreen.getValue();
    }

    private boolean hasFlow() {
        for (double r : plan.edgeRates()) if (r > 0) return true;
        return false;
    }

    private void draw() {
        dirty = false;
        frames++;
        boolean strip = followed != null;
        if (autoFit && compact && !focus.isEmpty()) {
            Viewport fitted = focusViewport();
            if (!fitted.equals(viewport)) {
                viewport = fitted;
                baseDirty = true;
            }
        } else if (autoFit) {
            DiagramLayout best = DiagramLayout.bestFor(canvas.getWidth(), canvas.getHeight() - (strip ? DiagramRenderer.STRIP_H : 0));
            if (best != layout) {
                layout = best;
                renderer.setLayout(best);
                baseDirty = true;
            }
            // the legend card sits in the top-left corner: fit the figure beside or below it (issue 13 item 8)
            renderer.setCanvasWidth(canvas.getWidth());
            double[] legend = renderer.legendSize(overlay(), plan != null && plan.aggregated());
            Viewport fitted = Viewport.fitBeside(layout, canvas.getWidth(), canvas.getHeight() - (strip ? DiagramRenderer.STRIP_H : 0),
                    legend[0] + 6, legend[1] + 6);
            if (!fitted.equals(viewport)) {
                viewport = fitted;
                baseDirty = true;
            }
        }
        if (followed != null) {
            // the highlighted path lives on the still layer: redraw it when the followed token arrives somewhere
            TokenModel.Token f = model.token(followed);
            int n = f == null ? -2 : f.history().size() * 31 + f.at().ordinal();
            if (n != followedHistory) {
                followedHistory = n;
                baseDirty = true;
            }
        }
        if (baseDirty || (plan != null && plan.aggregated())) {
            baseDirty = false;
            renderer.renderBase(base, viewport, style, model, plan, followed, clockMillis);
        }
        renderer.renderLive(canvas, viewport, style, model, plan, followed, overlay());
    }

    private void resize() {
        double w = Math.max(1, canvasPane.getWidth()), h = Math.max(1, canvasPane.getHeight());
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            canvas.setWidth(w);
            canvas.setHeight(h);
            base.setWidth(w);
            base.setHeight(h);
            invalidate();
        }
    }

    // ---- overlay text ----

    /** The overlay text as the next frame will paint it (tests). */
    DiagramOverlay overlayForTest() {
        return overlay();
    }

    private DiagramOverlay overlay() {
        renderer.setInferredBadgeText(b.getString("diagram.badge.inferred"));
        TokenModel.Token f = followed == null ? null : model.token(followed);
        if (f == null && followed != null)
            for (TokenModel.Token t : model.departing()) if (t.key().equals(followed)) f = t;
        String followTitle = null;
        List<FollowStep> steps = List.of();
        if (f != null) {
            followTitle = MessageFormat.format(b.getString("diagram.follow.title"), describe(f.key()));
            steps = new ArrayList<>();
            for (TokenModel.Step s : f.history())
                steps.add(new FollowStep(s.from().rfcName(), s.to().rfcName(),
                        TIME.format(Instant.ofEpochMilli(s.atMillis()))
                                + (s.inferred() ? " · " + b.getString("diagram.follow.inferred") : ""),
                        s.to(), s.inferred()));
            if (steps.isEmpty())
                steps.add(new FollowStep(f.at().rfcName(), "", b.getString("diagram.follow.noSteps"), f.at(), false));
        }
        String observed = b.getString("diagram.legend.observed"), inferred = b.getString("diagram.legend.inferred");
        synchronized (planner) {
            if (planner.eventsOn()) { // kernel events: every step observed, except in intervals that lost events
                observed = b.getString("diagram.legend.observed.events");
                inferred = planner.inferredIntervals() == 0 ? b.getString("diagram.legend.inferred.eventsNone")
                        : MessageFormat.format(b.getString("diagram.legend.inferred.events"), planner.lostEvents(),
                        planner.inferredIntervals());
            }
        }
        // the wide arrangement is not figure 5's
        return new DiagramOverlay(b.getString(layout == DiagramLayout.wide() ? "diagram.title.wide" : "diagram.title"), observed,
                inferred, b.getString("diagram.legend.aggregated"), categories,
                b.getString("diagram.colour.unknown"), b.getString("diagram.colour.other"),
                hovered == null ? List.of() : tooltip(hovered), mouseX, mouseY,
                followTitle, b.getString("diagram.follow.hint"), steps);
    }

    private String describe(ConnectionKey k) {
        return k.local() + " → " + k.remote();
    }

    private List<String> tooltip(TokenModel.Token t) {
        List<String> lines = new ArrayList<>();
        lines.add(describe(t.key()));
        TrackedConnection tc = plan == null ? null : plan.connections().get(t.key());
        SocketEntry e = tc != null ? tc.entry() : t.entry();
        long now = plan == null ? System.currentTimeMillis() : plan.atMillis();
        TcpState s = t.moving() ? t.current().to() : t.at();
        if (tc != null && tc.entry().state() == s)
            lines.add(MessageFormat.format(b.getString("diagram.tip.stateFor"), s.rfcName(),
                    seconds(tc.timeInStateMillis(now))));
        else
            lines.add(MessageFormat.format(b.getString("diagram.tip.state"), s.rfcName()));
        if (e != null && e.process() != null) {
            String owner = e.process() + (e.pid() != null ? " (" + e.pid() + ")" : "");
            lines.add(MessageFormat.format(b.getString(e.ownerLastKnown() ? "diagram.tip.ownerLastKnown"
                    : "diagram.tip.owner"), owner));
        } else {
            lines.add(b.getString("diagram.tip.ownerUnknown"));
        }
        if (e != null && e.timeWaitRemainingMs() != null)
            lines.add(MessageFormat.format(b.getString("diagram.tip.timeWaitLeft"), seconds(e.timeWaitRemainingMs())));
        if (t.moving() && t.current().inferred()) lines.add(b.getString("diagram.tip.inferred"));
        lines.add(b.getString("diagram.tip.click"));
        return lines;
    }

    private static String seconds(long ms) {
        return String.format("%.1f s", ms / 1000.0);
    }

    // ---- controls ----

    private SourcedToolBar toolbar() {
        pauseButton.setText(b.getString("diagram.pause"));
        pauseButton.setTooltip(new Tooltip(b.getString("diagram.pause.tip")));
        pauseButton.selectedProperty().addListener((o, a, p) -> {
            model.setPaused(p);
            pauseButton.setText(b.getString(p ? "diagram.resume" : "diagram.pause"));
            markDirty();
        });
        stepButton.setText(b.getString("diagram.step"));
        stepButton.setTooltip(new Tooltip(b.getString("diagram.step.tip")));
        stepButton.setOnAction(e -> step());

        for (double s : SPEEDS) speedChoice.getItems().add(s);
        speedChoice.setValue(1.0);
        speedChoice.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double v) {
                if (v == null) return "";
                return v == 1 ? b.getString("diagram.speed.realTime")
                        : MessageFormat.format(b.getString("diagram.speed.slower"), (int) v.doubleValue());
            }

            @Override
            public Double fromString(String s) {
                return 1.0;
            }
        });
        speedChoice.valueProperty().addListener((o, a, v) -> {
            model.setSlowMotion(v == null ? 1 : v);
            if (v != null) ctx.preferences().put("diagram.speed", Double.toString(v));
        });
        speedChoice.setTooltip(new Tooltip(b.getString("diagram.speed.tip")));

        colourChoice.getItems().addAll(RenderStyle.TokenColouring.values());
        colourChoice.setValue(RenderStyle.TokenColouring.STATE);
        colourChoice.setConverter(new StringConverter<>() {
            @Override
            public String toString(RenderStyle.TokenColouring v) {
                return v == null ? "" : b.getString("diagram.colour." + v.name().toLowerCase(Locale.ROOT));
            }

            @Override
            public RenderStyle.TokenColouring fromString(String s) {
                return RenderStyle.TokenColouring.STATE;
            }
        });
        colourChoice.valueProperty().addListener((o, a, v) -> {
            style = style.withColourBy(v == null ? RenderStyle.TokenColouring.STATE : v);
            renderer.resetCategories();
            countCategories();
            invalidate();
            if (v != null) ctx.preferences().put("diagram.colourBy", v.name());
        });
        // the speed and colouring chosen in an earlier run (issue 13 item 15)
        try {
            double speed = Double.parseDouble(ctx.preferences().get("diagram.speed", "1.0"));
            if (speedChoice.getItems().contains(speed)) speedChoice.setValue(speed);
            colourChoice.setValue(RenderStyle.TokenColouring.valueOf(ctx.preferences().get("diagram.colourBy", "STATE")));
        } catch (IllegalArgumentException e) {
            // an unreadable saved value: keep the defaults
        }

        Button zoomOut = new Button("−");
        zoomOut.setTooltip(new Tooltip(b.getString("diagram.zoomOut")));
        zoomOut.setOnAction(e -> zoom(1 / 1.2));
        Button zoomIn = new Button("+");
        zoomIn.setTooltip(new Tooltip(b.getString("diagram.zoomIn")));
        zoomIn.setOnAction(e -> zoom(1.2));
        Button fit = new Button(b.getString("diagram.fit"));
        fit.setTooltip(new Tooltip(b.getString("diagram.fit.tip")));
        fit.setOnAction(e -> fitToWindow());

        Label speedLabel = new Label(b.getString("diagram.speed"));
        Label colourLabel = new Label(b.getString("diagram.colour"));
        ToolBar bar = new ToolBar(pauseButton, stepButton, speedLabel, speedChoice, new Separator(), colourLabel,
                colourChoice, new Separator(), zoomOut, zoomIn, fit);
        bar.getStyleClass().add("diagram-toolbar");
        bar.setPadding(new Insets(6, 10, 6, 10));
        // the source line beside the bar, not in it: at 1024 px the bar's overflow menu took it (issue 18)
        SourcedToolBar row = new SourcedToolBar(bar);
        row.source().label().getStyleClass().add("diagram-source");
        row.showText(List.of(b.getString("diagram.status.waiting")));
        return row;
    }

    /** Pauses (if playing) and lets every token walk one more edge. */
    public void step() {
        node();
        if (!pauseButton.isSelected()) pauseButton.setSelected(true);
        model.step();
        markDirty();
    }

    public void setPaused(boolean p) {
        node();
        pauseButton.setSelected(p);
    }

    /** 1 = real time … 10 = ten times slower. */
    public void setSlowMotion(double factor) {
        node();
        speedChoice.setValue(factor);
        model.setSlowMotion(factor);
    }

    public void setColourBy(String mode) {
        node();
        colourChoice.setValue(RenderStyle.TokenColouring.valueOf(mode));
    }

    /** What the tokens are coloured by now (STATE, PROCESS, …). */
    public String colourBy() {
        node();
        return style.colourBy().name();
    }

    private void zoom(double f) {
        autoFit = false;
        viewport = viewport.zoomAt(f, canvas.getWidth() / 2, canvas.getHeight() / 2);
        invalidate();
    }

    /**
     * The small embedded figure (Step through): no toolbar and no legend card (the script, not this
     * view, steps and explains), edge labels kept readable (at least ~10 px on screen), and the figure
     * fitted to the states in {@link #setFocus} rather than the whole diagram.
     */
    public void setCompact(boolean on) {
        compact = on;
        renderer.setCompact(on);
        if (on) { // the focus viewports frame parts of figure 5
            layout = DiagramLayout.rfc9293();
            renderer.setLayout(layout);
        }
        root.setTop(on ? null : toolbarNode);
        baseDirty = true;
        invalidate();
    }

    /** The states the compact figure is fitted to (with the edges between them); empty: all. */
    public void setFocus(Collection<TcpState> states) {
        EnumSet<TcpState> next = states.isEmpty() ? EnumSet.noneOf(TcpState.class) : EnumSet.copyOf(states);
        if (next.equals(focus)) return;
        focus = next;
        baseDirty = true;
        invalidate();
    }

    private Viewport focusViewport() {
        Set<DiagramLayout.Node> in = walkNodes();
        if (in.isEmpty()) return Viewport.fit(layout, canvas.getWidth(), canvas.getHeight());
        double x0 = Double.MAX_VALUE, y0 = Double.MAX_VALUE, x1 = -Double.MAX_VALUE, y1 = -Double.MAX_VALUE;
        for (DiagramLayout.Node n : in) {
            x0 = Math.min(x0, n.left());
            y0 = Math.min(y0, n.top());
            x1 = Math.max(x1, n.right());
            y1 = Math.max(y1, n.bottom());
        }
        // the labels of the edges between focused states sit outside the boxes: take them in
        for (DiagramLayout.Route r : layout.routes()) {
            if (!in.contains(r.from()) || !in.contains(r.to())) continue;
            x0 = Math.min(x0, r.label().x() - 55);
            x1 = Math.max(x1, r.label().x() + 55);
            y0 = Math.min(y0, r.label().y() - 18);
            y1 = Math.max(y1, r.label().y() + 18);
        }
        double pad = 12;
        double w = canvas.getWidth(), h = canvas.getHeight();
        Viewport v = Viewport.fitRect(x0 - pad, y0 - pad, x1 - x0 + 2 * pad, y1 - y0 + 2 * pad, w, h);
        // the walk fills the canvas one way; the other way shows more of the figure than the walk, centred,
        // and a state box there was cut in half by the canvas's edge (at 1600x1000 the handshake's frame
        // ended across FIN-WAIT-1 and CLOSE-WAIT): slide the frame within that room so that no box is cut,
        // the walk staying whole
        return Viewport.slideToWholeBoxes(v, layout.nodes(), x0 - pad, y0 - pad, x1 + pad, y1 + pad, w, h);
    }

    /**
     * The boxes of the states in {@link #setFocus}: CLOSED is drawn twice, at the top (opening) and at the
     * bottom (the end of a close), and counts where the walk uses it.
     */
    private Set<DiagramLayout.Node> walkNodes() {
        Set<DiagramLayout.Node> in = new HashSet<>();
        for (DiagramLayout.Node n : layout.nodes()) {
            if (!focus.contains(n.state())) continue;
            if (n.state() == TcpState.CLOSED) {
                boolean end = n == layout.closedEnd();
                boolean wanted = end ? focus.contains(TcpState.TIME_WAIT) || focus.contains(TcpState.LAST_ACK)
                        : focus.contains(TcpState.LISTEN) || focus.contains(TcpState.SYN_SENT) || focus.size() == 1;
                if (!wanted) continue;
            }
            in.add(n);
        }
        return in;
    }

    /** Screen boxes {x, y, w, h} of the states the compact figure frames ({@link #setFocus}) (tests). */
    List<double[]> walkBoxes() {
        List<double[]> out = new ArrayList<>();
        for (DiagramLayout.Node n : layout.nodes())
            if (walkNodes().contains(n))
                out.add(new double[] {viewport.toScreenX(n.left()), viewport.toScreenY(n.top()), n.w() * viewport.scale(),
                        n.h() * viewport.scale()});
        return out;
    }

    /** The canvas's size now, {w, h} (tests). */
    double[] canvasSize() {
        return new double[] {canvas.getWidth(), canvas.getHeight()};
    }

    /** Screen box {x, y, w, h} of the whole figure as drawn now (tests). */
    double[] figureBounds() {
        return new double[] {viewport.toScreenX(0), viewport.toScreenY(0), layout.width() * viewport.scale(),
                layout.height() * viewport.scale()};
    }

    /** Screen boxes {x, y, w, h} of the state boxes as drawn now (tests). */
    List<double[]> stateBoxes() {
        List<double[]> out = new ArrayList<>();
        for (DiagramLayout.Node n : layout.nodes())
            out.add(new double[] {viewport.toScreenX(n.left()), viewport.toScreenY(n.top()), n.w() * viewport.scale(),
                    n.h() * viewport.scale()});
        return out;
    }

    /** Screen box {x, y, w, h} of the legend as drawn now, or null when there is none (tests). */
    double[] legendBounds() {
        double[] size = renderer.legendSize(overlay(), plan != null && plan.aggregated());
        return size[0] <= 0 ? null : new double[] {14, 14, size[0] - 14, size[1] - 14};
    }

    /** Whether the wide arrangement is drawn (false: RFC 9293 figure 5) (tests). */
    boolean wideLayout() {
        return layout == DiagramLayout.wide();
    }

    /** The edge labels' text size on screen now (px). */
    public double edgeLabelPx() {
        return renderer.labelScreenPx(viewport);
    }

    /** The edge rate chips' text size on screen now (px). */
    public double rateLabelPx() {
        return renderer.rateScreenPx(viewport);
    }

    /** The state count badges' text size on screen now (px). */
    public double badgeLabelPx() {
        return renderer.badgeScreenPx(viewport);
    }

    /** Screen boxes {x, y, w, h} of the edge labels visible on the canvas now (tests). */
    public List<double[]> edgeLabelBoxes() {
        return renderer.labelBoxes(viewport, canvas.getWidth(), canvas.getHeight());
    }

    public void fitToWindow() {
        node();
        autoFit = true;
        invalidate();
    }

    private void wireKeys() {
        canvas.setOnKeyPressed(e -> {
            KeyCode c = e.getCode();
            if (c == KeyCode.SPACE) pauseButton.setSelected(!pauseButton.isSelected());
            else if (c == KeyCode.RIGHT || c == KeyCode.PERIOD) step();
            else if (c == KeyCode.PLUS || c == KeyCode.EQUALS || c == KeyCode.ADD) zoom(1.2);
            else if (c == KeyCode.MINUS || c == KeyCode.SUBTRACT) zoom(1 / 1.2);
            else if (c == KeyCode.DIGIT0 || c == KeyCode.NUMPAD0 || c == KeyCode.F) fitToWindow();
            else if (c == KeyCode.ESCAPE) follow(null);
            else return;
            e.consume();
        });
    }

    private void wireMouse() {
        canvas.setOnScroll(e -> {
            if (e.getDeltaY() == 0) return;
            autoFit = false;
            viewport = viewport.zoomAt(Math.pow(1.0015, e.getDeltaY()), e.getX(), e.getY());
            invalidate();
            e.consume();
        });
        canvas.setOnMousePressed(e -> {
            canvas.requestFocus();
            pressX = e.getX();
            pressY = e.getY();
            dragged = false;
        });
        canvas.setOnMouseDragged(e -> {
            double dx = e.getX() - pressX, dy = e.getY() - pressY;
            if (!dragged && Math.hypot(dx, dy) < 4) return;
            dragged = true;
            autoFit = false;
            viewport = viewport.panBy(dx, dy);
            pressX = e.getX();
            pressY = e.getY();
            invalidate();
        });
        canvas.setOnMouseMoved(e -> {
            mouseX = e.getX();
            mouseY = e.getY();
            TokenModel.Token t = renderer.tokenAt(model, viewport.toDesignX(mouseX), viewport.toDesignY(mouseY));
            DiagramLayout.Node n = layout.nodeAt(viewport.toDesignX(mouseX), viewport.toDesignY(mouseY));
            canvas.setCursor(t != null || (n != null && !n.terminal()) ? Cursor.HAND : Cursor.DEFAULT);
            if (t != hovered || t != null) markDirty();
            hovered = t;
        });
        canvas.setOnMouseExited(e -> {
            if (hovered != null) markDirty();
            hovered = null;
        });
        canvas.setOnMouseReleased(this::click);
    }

    private void click(MouseEvent e) {
        if (dragged || e.getButton() != MouseButton.PRIMARY) return;
        double x = viewport.toDesignX(e.getX()), y = viewport.toDesignY(e.getY());
        TokenModel.Token t = renderer.tokenAt(model, x, y);
        if (t != null) {
            follow(t.key());
            ctx.selectedConnections().set(Set.of(t.key()));
            return;
        }
        DiagramLayout.Node n = layout.nodeAt(x, y);
        if (n != null && !n.terminal()) {
            ctx.filterConnectionsByState(n.state());
            return;
        }
        if (followed != null) follow(null);
    }

    /** For tests: clicks at a canvas point as a user would. */
    public void clickAt(double x, double y) {
        node();
        dragged = false;
        click(new MouseEvent(MouseEvent.MOUSE_RELEASED, x, y, x, y, MouseButton.PRIMARY, 1, false, false, false,
                false, true, false, false, true, false, true, null));
    }

    /** Canvas coordinates of a state's box centre (tests). */
    public double[] screenPositionOf(TcpState s) {
        DiagramLayout.Node n = layout.home(s);
        return new double[] {viewport.toScreenX(n.cx()), viewport.toScreenY(n.cy())};
    }

    /**
     * Canvas coordinates of a point on a state's box where no token is drawn at this moment, or the box's
     * centre when tokens cover it all (tests: a click there filters the table instead of following a token).
     */
    public double[] screenPositionOfFreeBoxPoint(TcpState s) {
        DiagramLayout.Node n = layout.home(s);
        for (int row = 1; row < 10; row++) {
            for (int col = 1; col < 10; col++) {
                double x = n.left() + n.w() * col / 10, y = n.top() + n.h() * row / 10;
                if (layout.nodeAt(x, y) == n && renderer.tokenAt(model, x, y) == null) {
                    return new double[] {viewport.toScreenX(x), viewport.toScreenY(y)};
                }
            }
        }
        return screenPositionOf(s);
    }

    Theme theme() {
        return style.theme();
    }
}
