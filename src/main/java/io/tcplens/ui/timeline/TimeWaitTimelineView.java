package io.tcplens.ui.timeline;

import io.tcplens.analysis.advisor.Advice;
import io.tcplens.analysis.advisor.AdviceText;
import io.tcplens.analysis.advisor.Advisor;
import io.tcplens.analysis.advisor.Finding;
import io.tcplens.analysis.advisor.SettingExplanation;
import io.tcplens.analysis.ports.DestinationUsage;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.PortRangeReader;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.analysis.ports.SharedPortUsage;
import io.tcplens.analysis.timewait.TeachingMsl;
import io.tcplens.analysis.timewait.TimeWaitClock;
import io.tcplens.analysis.timewait.TimeWaitDurations;
import io.tcplens.common.Units;
import io.tcplens.engine.PollResult;
import io.tcplens.model.TcpState;
import io.tcplens.source.TimeWaitDuration;
import io.tcplens.ui.shell.FxTicker;
import io.tcplens.ui.shell.FxVisibility;
import io.tcplens.ui.shell.LazyTooltip;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.ShellSource;
import io.tcplens.ui.shell.ShellView;
import io.tcplens.ui.theme.CanvasPalette;
import io.tcplens.ui.theme.StatePalette;
import io.tcplens.ui.theme.Theme;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.Set;
import javafx.beans.value.ObservableValue;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.geometry.VPos;
import javafx.scene.Node;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextArea;
import javafx.scene.control.TitledPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import javafx.util.StringConverter;

/**
 * TIME_WAIT up close: every TIME_WAIT socket as a bar from entry to the kernel's expiry beside a
 * moving "now" line with MSL and 2MSL marks (density bands when there are too many to draw one by
 * one), a histogram of remaining time, per-destination ephemeral-port gauges with time to
 * exhaustion, and the advisor's findings with a copyable sysctl.d snippet. All aggregation happens
 * in {@link #prepare} (background thread); the FX thread only draws.
 */
public final class TimeWaitTimelineView implements ShellView<TimelineModel.Prepared> {
    public static final String ID = "timewait";
    static final String CSS = Objects.requireNonNull(TimeWaitTimelineView.class.getResource("/io/tcplens/ui/timeline/timeline.css")).toExternalForm();
    private static final long ADVICE_EVERY_MILLIS = 5_000, RANGE_EVERY_MILLIS = 10_000;
    private static final int GAUGES = 6;

    private final ShellContext ctx;
    private final ResourceBundle b;
    private final AdviceText adviceText;
    private final TimelinePainter painter;
    private final Object lock = new Object();
    private final Advisor advisor;
    private final PortRangeReader rangeReader;
    // prepare-side state (guarded by lock)
    /** Close rates and port use, fed once per poll for this view and the advisor. */
    private final SharedPortUsage ports;
    private EphemeralPortRange range;
    private long rangeReadAt, adviceAt;
    private Advice advice;
    // options, written on the FX thread, read in prepare
    private volatile TimelineModel.GroupBy groupBy = TimelineModel.GroupBy.DESTINATION;
    private volatile TimelineModel.ColourBy colourBy = TimelineModel.ColourBy.DESTINATION;
    private volatile TeachingMsl teaching;
    private volatile int rowsCapacity = 150;
    private volatile TimeWaitDuration duration;

    // FX side
    private final BorderPane root = new BorderPane();
    /** Three stacked canvases: the axis (moves with "now"), the data (bars move with it, bands only with a poll), the marks and the "now" line. */
    private final Canvas timeline = new Canvas(800, 500);
    private final Canvas dataLayer = new Canvas(800, 500);
    private final Canvas marksLayer = new Canvas(800, 500);
    /** The data layer needs painting (a poll, a resize, the theme); bars need it at every tick anyway. */
    private boolean dataDirty = true;
    private final Canvas histogram = new Canvas(380, 130);
    /** Why the entry rate is only a lower bound (a poll interval too coarse for the takeovers), or hidden. */
    private final Label rateNote = new Label();
    private final Label total = new Label(), soon = new Label(), rate = new Label(), durationLabel = new Label(),
            entryNote = new Label(), banner = new Label(), portsHeader = new Label(), legend = new Label();
    private final VBox gauges = new VBox(6);
    private final VBox findings = new VBox(6);
    private final TextArea snippet = new TextArea();
    private final VBox settingsBox = new VBox(4);
    private TimelineModel.Prepared shown;
    private long shownAtWall;
    private Advice shownAdvice;
    private final Set<String> expanded = new HashSet<>();
    private final FxTicker ticker;
    private boolean front = true;
    private boolean built;

    public TimeWaitTimelineView(ShellContext ctx) {
        this(ctx, new SharedPortUsage());
    }

    /** With the port analysis it shares with the advisor (the composition root makes one per window). */
    public TimeWaitTimelineView(ShellContext ctx, SharedPortUsage ports) {
        this(ctx, ctx.services().advisor().get(), ctx.services().portRange(), ports);
    }

    /** For tests: a given advisor (sysctl tree) and port-range reader. */
    public TimeWaitTimelineView(ShellContext ctx, Advisor advisor, PortRangeReader rangeReader) {
        this(ctx, advisor, rangeReader, new SharedPortUsage());
    }

    private TimeWaitTimelineView(ShellContext ctx, Advisor advisor, PortRangeReader rangeReader, SharedPortUsage ports) {
        this.ctx = ctx;
        this.ports = ports;
        this.b = ctx.bundle();
        this.adviceText = AdviceText.forLocale(b.getLocale());
        this.painter = new TimelinePainter(b);
        this.advisor = advisor;
        this.rangeReader = rangeReader;
        ctx.theme().addListener((o, a, n) -> {
            if (built) redraw();
        });
        // looked at 10 times a second, redrawn only when "now" reaches another pixel (at 100k sockets each redraw
        // repaints three canvases the timeline's size); not an AnimationTimer, which would make JavaFX pulse 60
        // times a second while the tab is in front
        ticker = new FxTicker(100, this::tick);
        onScreen.addListener((o, a, n) -> animate());
    }

    /** Whether the view's window is on screen (in a scene, that scene's window showing and not minimised). */
    private final ObservableValue<Boolean> onScreen = FxVisibility.windowOnScreen(root);

    /** The moving "now" line runs while the tab is at the front and its window on screen (not closed or minimised). */
    private void animate() {
        if (front && onScreen.getValue()) ticker.start();
        else ticker.stop();
    }

    @Override
    public void onShown() {
        front = true;
        animate();
    }

    @Override
    public void onHidden() {
        front = false;
        animate();
    }

    /** The new source's own TIME_WAIT duration; without one it is assumed from the source kind. */
    @Override
    public void sourceChanged(ShellSource source) {
        this.duration = source.timeWaitDuration();
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String titleKey() {
        return "view.timewait";
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

    public void setTeachingMsl(TeachingMsl msl) {
        this.teaching = msl;
    }

    public void setGroupBy(TimelineModel.GroupBy g) {
        this.groupBy = g;
    }

    public void setColourBy(TimelineModel.ColourBy c) {
        this.colourBy = c;
    }

    /** How many bar rows fit now (prepare switches to density bands beyond). */
    public void setRowsCapacity(int rows) {
        this.rowsCapacity = Math.max(1, rows);
    }

    // ------------------------------------------------------------------ background

    /** In the background: close rates, port use and the advisor's growth keep counting; no layout. */
    @Override
    public void observe(List<PollResult> batch) {
        if (batch.isEmpty()) return;
        synchronized (lock) {
            observe(durationFor(batch.getLast()), batch);
        }
    }

    private TimeWaitDuration durationFor(PollResult latest) {
        return duration != null ? duration : TimeWaitDurations.assumedFor(latest.snapshot().source());
    }

    private void observe(TimeWaitDuration d, List<PollResult> batch) {
        ports.observe(batch, d.millis());
        for (PollResult r : batch) advisor.observe(r);
    }

    @Override
    public TimelineModel.Prepared prepare(PollResult latest, List<PollResult> batch) {
        synchronized (lock) {
            TimeWaitDuration d = durationFor(latest);
            observe(d, batch);
            long wall = latest.snapshot().timestampMillis();
            if (range == null || Math.abs(wall - rangeReadAt) > RANGE_EVERY_MILLIS) {
                range = rangeReader.read();
                rangeReadAt = wall;
            }
            TimeWaitClock clock = TimeWaitClock.of(latest, d);
            PortReport report = ports.report(latest, range, d);
            if (advice == null || Math.abs(wall - adviceAt) >= ADVICE_EVERY_MILLIS) {
                advice = advisor.advise(latest, report);
                adviceAt = wall;
            }
            return TimelineModel.layout(clock, groupBy, colourBy, teaching, rowsCapacity,
                    ports.timeWaitEntryRate(), report, advice);
        }
    }

    // ------------------------------------------------------------------ FX thread

    @Override
    public void show(TimelineModel.Prepared p) {
        if (p == null) return;
        node();
        shown = p;
        shownAtWall = System.currentTimeMillis();
        total.setText(MessageFormat.format(b.getString("timeline.total"), Units.count(p.total())));
        soon.setText(MessageFormat.format(b.getString("timeline.expiringSoon"), Units.count(p.expiringSoon())));
        var coarse = p.ports() == null ? null : p.ports().coarse();
        // the figure in the stats row (never cut); why it is only a lower bound in the note below it, which
        // wraps: in the row, the whole sentence widened the tab past a 1024 px window and cut the side panel
        rate.setText(MessageFormat.format(b.getString(coarse == null ? "timeline.entryRate" : "timeline.entryRate.atLeast"), rateText(p.entryRate())));
        rateNote.setText(coarse == null ? "" : MessageFormat.format(b.getString("timeline.entryRate.coarse"),
                PortReport.shortDuration(coarse.intervalMillis()), PortReport.shortDuration(coarse.suggestedMillis())));
        rateNote.setVisible(coarse != null);
        // one calm line above the timeline (issue 18: the duration, the timer note with its counts and the
        // source took four lines at 1024 px): how long TIME_WAIT lasts and where the bars' ends come from;
        // the counts of observed entries and the source's name are in its tooltip (the source is also in the status bar)
        long seconds = p.duration().millis() / 1000;
        durationLabel.setText(MessageFormat.format(b.getString(p.allExpiriesFromKernel() ? "timeline.about" : "timeline.aboutNoTimer"),
                seconds, p.duration().origin()));
        String entries = MessageFormat.format(b.getString(p.allExpiriesFromKernel() ? "timeline.entryNote" : "timeline.entryNoteNoTimer"),
                Units.count(p.observedEntries()), Units.count(p.total() - p.observedEntries()), p.sourceLabel());
        if (!entries.equals(entryNote.getText())) {
            entryNote.setText(entries);
            LazyTooltip.install(durationLabel, entries, t -> {
                t.setWrapText(true);
                t.setMaxWidth(520);
            });
        }
        legend.setText(legendText(p));
        showPorts(p.ports());
        if (p.advice() != shownAdvice) showAdvice(p.advice());
        drawHistogram();
        dataDirty = true;
        drawTimeline();
    }

    /** What is drawn now (for tests). */
    public TimelineModel.Prepared shown() {
        return shown;
    }

    public Canvas timelineCanvas() {
        node();
        return timeline;
    }

    /** The data layer (bars or bands, group labels), for tests. */
    Canvas dataLayer() {
        node();
        return dataLayer;
    }

    /** The marks layer (MSL / 2MSL marks and the "now" line), for tests. */
    Canvas marksLayer() {
        node();
        return marksLayer;
    }

    /**
     * An entry rate as the stats row writes it: whole and grouped from 10 on ("3,380", not "3380.1": a
     * tenth is noise at that size), one decimal below ("2.5").
     */
    static String rateText(double perSecond) {
        return Units.decimal(perSecond, perSecond >= 10 ? 0 : 1);
    }

    /** The line above the timeline (duration and where the bars end), for tests. */
    Label aboutLabel() {
        node();
        return durationLabel;
    }

    /** What the line above the timeline explains in its tooltip (observed entries, the source), for tests. */
    String aboutDetail() {
        node();
        return entryNote.getText();
    }

    /** The note under the figures that says the entry rate is a lower bound ("" when hidden), for tests. */
    String rateNoteText() {
        node();
        return rateNote.isVisible() ? rateNote.getText() : "";
    }

    /** The entry-rate figure in the stats row, for tests. */
    Label rateLabel() {
        node();
        return rate;
    }

    /** The lower-bound note under the figures, for tests. */
    Label rateNoteLabel() {
        node();
        return rateNote;
    }

    public String bannerText() {
        node();
        return banner.isVisible() ? banner.getText() : "";
    }

    public String snippetText() {
        node();
        return snippet.getText();
    }

    public int findingCount() {
        node();
        return findings.getChildren().size();
    }

    private void build() {
        root.getStyleClass().add("timewait-view");
        root.getStylesheets().add(CSS);

        ComboBox<TimelineModel.GroupBy> group = new ComboBox<>();
        group.getItems().setAll(TimelineModel.GroupBy.values());
        group.setValue(groupBy);
        group.setConverter(converter("timeline.groupBy."));
        group.setOnAction(e -> groupBy = group.getValue());
        ComboBox<TimelineModel.ColourBy> colour = new ComboBox<>();
        colour.getItems().setAll(TimelineModel.ColourBy.values());
        colour.setValue(colourBy);
        colour.setConverter(converter("timeline.colourBy."));
        colour.setOnAction(e -> colourBy = colour.getValue());
        CheckBox teach = new CheckBox(b.getString("timeline.teaching"));
        teach.setTooltip(new Tooltip(b.getString("timeline.teaching.tip")));
        // the teacher sets the MSL (RFC 793 suggested 2 minutes); it is drawn as marks only, never used for live sockets
        Spinner<Integer> mslSeconds = new Spinner<>(1, 600,
                (int) (TeachingMsl.RFC_793.millis() / 1000), 10);
        mslSeconds.setEditable(true);
        mslSeconds.setPrefWidth(90);
        mslSeconds.setTooltip(new Tooltip(b.getString("timeline.teachingSeconds.tip")));
        Runnable applyTeaching = () -> teaching = !teach.isSelected() ? null
                : mslSeconds.getValue() * 1000L == TeachingMsl.RFC_793.millis() ? TeachingMsl.RFC_793
                : new TeachingMsl(mslSeconds.getValue() * 1000L, MessageFormat.format(
                        b.getString("timeline.teachingSeconds.label"), mslSeconds.getValue()));
        teach.setOnAction(e -> applyTeaching.run());
        mslSeconds.valueProperty().addListener((o, a, n) -> applyTeaching.run());
        mslSeconds.disableProperty().bind(teach.selectedProperty().not());
        // numbers first and never cut: the figures and the settings are two groups that wrap onto a
        // second line when the window is narrow, rather than each being truncated to "…"
        HBox stats = new HBox(14, total, soon, rate);
        stats.setAlignment(Pos.CENTER_LEFT);
        HBox knobs = new HBox(8, new Label(b.getString("timeline.groupBy")), group,
                new Label(b.getString("timeline.colourBy")), colour, teach, mslSeconds);
        knobs.setAlignment(Pos.CENTER_LEFT);
        for (Node n : knobs.getChildren()) if (n instanceof Region r) r.setMinWidth(Region.USE_PREF_SIZE);
        for (Label l : List.of(total, soon, rate)) l.setMinWidth(Region.USE_PREF_SIZE);
        FlowPane controls = new FlowPane(24, 6, stats, knobs);
        controls.getStyleClass().add("timewait-controls");
        for (Label l : List.of(total, soon, rate)) l.getStyleClass().add("timewait-stat");
        durationLabel.getStyleClass().add("timewait-note");
        // the notes wrap rather than lose their end at 1024 px (they are written to take one line there)
        for (Label l : List.of(durationLabel, legend)) {
            l.setWrapText(true);
            l.setMinHeight(Region.USE_PREF_SIZE);
        }
        legend.getStyleClass().add("timewait-note");
        legend.setWrapText(true);
        banner.getStyleClass().add("timewait-banner");
        banner.setWrapText(true);
        banner.setMaxWidth(Double.MAX_VALUE);
        banner.managedProperty().bind(banner.visibleProperty());
        banner.setVisible(false);
        rateNote.getStyleClass().addAll("timewait-note", "timewait-coarse");
        rateNote.setWrapText(true);
        rateNote.setMinWidth(0);
        rateNote.managedProperty().bind(rateNote.visibleProperty());
        rateNote.setVisible(false);
        VBox top = new VBox(4, controls, rateNote, durationLabel, banner);
        top.setPadding(new Insets(8, 12, 6, 12));
        root.setTop(top);

        Pane canvasPane = new Pane(timeline, dataLayer, marksLayer);
        canvasPane.setMinSize(300, 200);
        for (Canvas c : List.of(timeline, dataLayer, marksLayer)) {
            c.widthProperty().bind(canvasPane.widthProperty());
            c.heightProperty().bind(canvasPane.heightProperty());
        }
        dataLayer.setMouseTransparent(true);
        marksLayer.setMouseTransparent(true);
        // repaint on the pane's size, not on one canvas's: a listener on the axis canvas ran while the data
        // and marks canvases still had their old size (0 x 0 at the first layout), and what was painted on
        // them then was lost — and the dirty flag with it, so the bands stayed blank until the next poll and
        // the first frame (the tests' screenshots) showed the axis alone. The pane's change listeners run
        // after all three bindings have been told of the new size.
        canvasPane.widthProperty().addListener((o, a, n) -> {
            dataDirty = true;
            drawTimeline();
        });
        canvasPane.heightProperty().addListener((o, a, n) -> {
            setRowsCapacity(TimelinePainter.rowsThatFit(n.doubleValue()));
            dataDirty = true;
            drawTimeline();
        });
        VBox left = new VBox(4, canvasPane, legend);
        VBox.setVgrow(canvasPane, Priority.ALWAYS);
        left.setPadding(new Insets(0, 4, 8, 12));

        Label histTitle = section("timeline.histogram");
        portsHeader.getStyleClass().add("timewait-note");
        portsHeader.setWrapText(true);
        fit(portsHeader);
        portsHeader.setMinHeight(Region.USE_PREF_SIZE);
        Label portsTitle = section("timeline.ports");
        Label advTitle = section("timeline.advisor");
        snippet.setEditable(false);
        snippet.setPrefRowCount(9);
        snippet.getStyleClass().add("timewait-snippet");
        Button copy = new Button(b.getString("timeline.copySnippet"));
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(snippet.getText());
            Clipboard.getSystemClipboard().setContent(c);
        });
        TitledPane settings = fit(collapsible(b.getString("timeline.settings"), settingsBox));
        fit(snippet);
        settings.setExpanded(false);
        settings.setAnimated(false);
        VBox side = new VBox(8, histTitle, histogram, portsTitle, portsHeader, gauges, advTitle, findings,
                section("timeline.snippet"), snippet, copy, settings);
        side.setPadding(new Insets(4, 12, 12, 8));
        side.setFillWidth(true);
        side.getStyleClass().add("timewait-side");
        ScrollPane scroll = new ScrollPane(side);
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        scroll.setMinWidth(300);
        // the histogram follows the panel's width (a fixed 380 px canvas pushed the panel's text past its
        // right edge in a 1024 px window: "steady state (" and the source line were cut)
        // set only when the width really changes: the ScrollPane sets new viewport bounds (an equal but new
        // object) at every layout pass, and a bound width was invalidated by each, which told the panel its
        // canvas had changed size and asked the ScrollPane for another pass: a layout loop at every pulse
        // for as long as the tab existed, shown or not (issue 11: 0.3-1.7 s of FX thread per pulse under load)
        scroll.viewportBoundsProperty().addListener((o, a, n) -> fitHistogram(n.getWidth()));
        fitHistogram(scroll.getViewportBounds().getWidth());
        histogram.widthProperty().addListener((o, a, n) -> drawHistogram());
        SplitPane split = new SplitPane(left, scroll);
        split.setOrientation(Orientation.HORIZONTAL);
        split.setDividerPositions(0.64);
        root.setCenter(split);
    }

    /** The histogram as wide as the side panel's viewport (less its padding); unchanged widths are not set again. */
    private void fitHistogram(double viewportWidth) {
        double w = Math.max(200, viewportWidth - 22);
        if (w != histogram.getWidth()) histogram.setWidth(w);
    }

    private Label section(String key) {
        Label l = new Label(b.getString(key));
        l.getStyleClass().add("timewait-section");
        return l;
    }

    private <T extends Enum<T>> StringConverter<T> converter(String prefix) {
        return new StringConverter<>() {
            @Override
            public String toString(T v) {
                return v == null ? "" : b.getString(prefix + v.name());
            }

            @Override
            public T fromString(String s) {
                return null;
            }
        };
    }

    private String legendText(TimelineModel.Prepared p) {
        if (!p.bandMode()) return b.getString("timeline.legend.bars");
        return MessageFormat.format(b.getString("timeline.bandsNote"), Units.count(p.total())) + ": " + b.getString("timeline.legend.bands");
    }

    /** One destination's gauge, kept from hand-over to hand-over: only its texts, bar and colour change. */
    private record Gauge(VBox box, Label name, ProgressBar bar, Label detail, Label coarse) {}

    private final List<Gauge> gaugeNodes = new ArrayList<>();
    private final Label noOutbound = new Label();
    private final Label moreDestinations = new Label();

    private Gauge gauge(int i) {
        while (gaugeNodes.size() <= i) {
            Label name = fit(new Label());
            name.getStyleClass().add("gauge-name");
            ProgressBar bar = new ProgressBar(0);
            bar.setMaxWidth(Double.MAX_VALUE);
            Label detail = fit(new Label());
            detail.getStyleClass().add("timewait-note");
            detail.setWrapText(true);
            Label coarse = fit(new Label());
            coarse.getStyleClass().addAll("timewait-note", "timewait-coarse");
            coarse.setWrapText(true);
            gaugeNodes.add(new Gauge(new VBox(2, name, bar, detail), name, bar, detail, coarse));
        }
        return gaugeNodes.get(i);
    }

    /**
     * The port gauges, updated in place (issue 11: they were made anew at every hand-over, Labels and
     * ProgressBars with an inline style to parse, about half of this tab's FX time at 100k sockets).
     */
    private void showPorts(PortReport r) {
        if (r == null) {
            gauges.getChildren().clear();
            return;
        }
        Theme t = ctx.theme().get();
        String rangeText = r.range().known()
                ? MessageFormat.format(b.getString("timeline.range"), r.range().describe(), r.range().origin(),
                String.format(Locale.ROOT, "%.1f", r.maxSustainableRate()), r.timeWait().millis() / 1000)
                : MessageFormat.format(b.getString("timeline.rangeUnknown"), r.range().origin());
        portsHeader.setText(rangeText);
        DestinationUsage worst = r.worst();
        if (worst != null && worst.level() != DestinationUsage.Level.OK && worst.forecast() != null) {
            banner.setText(worst.forecast().exhaustedNow()
                    ? MessageFormat.format(b.getString("timeline.banner.now"), worst.destination().toString(), Units.count(worst.inUse()))
                    : worst.forecast().willExhaust()
                    ? MessageFormat.format(b.getString("timeline.banner.soon"), worst.destination().toString(),
                    Units.duration(Math.round(worst.forecast().secondsToExhaustion() * 1000)),
                    String.format(Locale.ROOT, "%.1f", worst.closesPerSecond()))
                    : MessageFormat.format(b.getString("timeline.banner.high"), worst.destination().toString(),
                    String.format(Locale.ROOT, "%.0f", 100 * worst.fraction())));
            String level = worst.level() == DestinationUsage.Level.CRITICAL ? "critical" : "warning";
            if (!banner.getStyleClass().contains(level)) { // unchanged: no new CSS match of the banner at every poll
                banner.getStyleClass().removeAll("critical", "warning");
                banner.getStyleClass().add(level);
            }
            banner.setVisible(true);
        } else banner.setVisible(false);
        // destinations holding ephemeral ports or closing connections; those only using explicitly bound ports hold none
        List<DestinationUsage> using = r.destinations().stream().filter(u -> u.inUse() > 0 || u.closesPerSecond() > 0).toList();
        List<Node> shownGauges = new ArrayList<>();
        if (using.isEmpty()) {
            noOutbound.setText(b.getString("timeline.noOutbound"));
            shownGauges.add(noOutbound);
        }
        for (int i = 0; i < Math.min(GAUGES, using.size()); i++) {
            DestinationUsage u = using.get(i);
            Gauge gauge = gauge(i);
            gauge.name().setText(u.destination().toString());
            ProgressBar bar = gauge.bar();
            bar.setProgress(u.usable() > 0 ? Math.min(1, u.fraction()) : 0);
            Color c = u.level() == DestinationUsage.Level.CRITICAL ? StatePalette.color(TcpState.CLOSE_WAIT, t)
                    : u.level() == DestinationUsage.Level.WARNING ? StatePalette.warning(t) : StatePalette.color(TcpState.TIME_WAIT, t);
            // the theme (AtlantaFX) fills a bar with -color-progress-bar-fill; -fx-accent alone left every gauge the accent blue
            String accent = "-color-progress-bar-fill: " + CanvasPalette.css(c) + ";";
            if (!accent.equals(bar.getStyle())) bar.setStyle(accent);
            String exh = u.forecast() == null ? b.getString("timeline.exhaustion.unknown")
                    : u.forecast().exhaustedNow() ? b.getString("timeline.exhaustion.now")
                    : u.forecast().willExhaust() ? MessageFormat.format(b.getString("timeline.exhaustion.in"),
                    Units.duration(Math.round(u.forecast().secondsToExhaustion() * 1000)))
                    : b.getString("timeline.exhaustion.never");
            gauge.detail().setText(MessageFormat.format(b.getString("timeline.gauge"), Units.count(u.inUse()),
                    u.usable() > 0 ? Units.count(u.usable()) : "?", String.format(Locale.ROOT, "%.1f", u.closesPerSecond()),
                    Units.count(Math.round(u.steadyStateTimeWait())), exh));
            List<Node> parts = gauge.box().getChildren();
            if (u.coarse() != null) { // issue 14: the interval is too coarse for the takeovers towards it
                var co = u.coarse();
                gauge.coarse().setText(MessageFormat.format(b.getString("timeline.gauge.coarse"), co.tuples(),
                        PortReport.shortDuration(co.tupleEveryMillis()), PortReport.shortDuration(co.intervalMillis()), PortReport.shortDuration(co.suggestedMillis())));
                if (!parts.contains(gauge.coarse())) parts.add(gauge.coarse());
            } else parts.remove(gauge.coarse());
            shownGauges.add(gauge.box());
        }
        if (using.size() > GAUGES) {
            moreDestinations.setText(MessageFormat.format(b.getString("timeline.moreDestinations"), using.size() - GAUGES));
            shownGauges.add(moreDestinations);
        }
        if (!gauges.getChildren().equals(shownGauges)) gauges.getChildren().setAll(shownGauges);
    }

    private void showAdvice(Advice a) {
        shownAdvice = a;
        for (Node n : findings.getChildren())
            if (n instanceof TitledPane tp && tp.isExpanded()) expanded.add((String) tp.getUserData());
            else if (n instanceof TitledPane tp) expanded.remove((String) tp.getUserData());
        findings.getChildren().clear();
        settingsBox.getChildren().clear();
        if (a == null) return;
        if (a.findings().isEmpty()) findings.getChildren().add(new Label(b.getString("timeline.noFindings")));
        boolean first = true;
        for (Finding f : a.findings()) {
            VBox body = new VBox(3);
            // issue 14: each sentence about a sysctl with its source under it, as on the Advisor tab
            cite(body, adviceText.source(f.title()));
            for (var e : f.evidence()) {
                body.getChildren().add(wrapped("· " + adviceText.render(e), "finding-evidence"));
                cite(body, adviceText.source(e));
            }
            for (var x : f.fixes()) {
                body.getChildren().add(wrapped("→ " + adviceText.render(x), "finding-fix"));
                cite(body, adviceText.source(x));
            }
            TitledPane tp = fit(collapsible("[" + f.severity() + "] " + adviceText.render(f.title()), body));
            tp.setUserData(f.id());
            tp.setAnimated(false);
            tp.setWrapText(true);
            tp.getStyleClass().add("finding-" + f.severity().name().toLowerCase(Locale.ROOT));
            tp.setExpanded(expanded.contains((String) tp.getUserData()) || (first && f.severity() != Finding.Severity.INFO));
            first = false;
            findings.getChildren().add(tp);
        }
        snippet.setText(a.sysctlSnippet(adviceText));
        for (SettingExplanation s : a.settings()) {
            Label head = fit(new Label(s.name() + " = " + (s.present() ? s.value() : b.getString("timeline.absent"))));
            head.getStyleClass().add("gauge-name");
            settingsBox.getChildren().addAll(head, wrapped(adviceText.render(s.meaning()), "finding-evidence"),
                    wrapped(MessageFormat.format(b.getString("timeline.not"), adviceText.render(s.doesNot())), "finding-fix"));
            LinkedHashSet<String> src = new LinkedHashSet<>();
            for (String one : new String[] {adviceText.source(s.meaning()), adviceText.source(s.doesNot())})
                if (one != null) src.addAll(List.of(one.split("; ")));
            if (!src.isEmpty()) cite(settingsBox, String.join("; ", src));
        }
    }

    /** A sentence's source (doc section, kernel source or measured behaviour), small, under it. */
    private void cite(VBox box, String source) {
        if (source == null) return;
        Label l = wrapped(MessageFormat.format(b.getString("advisor.source"), source), "finding-source");
        l.setPadding(new Insets(0, 0, 0, 12));
        box.getChildren().add(l);
    }

    /**
     * A titled pane whose content joins it only while it is expanded: JavaFX measures a collapsed pane's
     * content at every layout of the side panel all the same (its wrapped sentences, issue 11), and keeps
     * its CSS up to date; hidden, it needs neither.
     */
    private static TitledPane collapsible(String title, Node content) {
        VBox holder = new VBox();
        TitledPane tp = new TitledPane(title, holder);
        tp.expandedProperty().addListener((o, was, open) -> holder.getChildren().setAll(open ? List.of(content) : List.of()));
        if (tp.isExpanded()) holder.getChildren().add(content);
        return tp;
    }

    /** Lets a node shrink to the side panel's width instead of widening it to its own text. */
    private static <T extends Region> T fit(T r) {
        r.setMinWidth(0);
        r.setPrefWidth(1);
        r.setMaxWidth(Double.MAX_VALUE);
        return r;
    }

    private static Label wrapped(String text, String style) {
        Label l = fit(new Label(text));
        l.setWrapText(true);
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.getStyleClass().add(style);
        return l;
    }

    private void redraw() {
        dataDirty = true;
        showPorts(shown == null ? null : shown.ports());
        drawHistogram();
        drawTimeline();
    }

    /** The moving "now": the snapshot time plus the wall time since it was shown (at most 2 poll-ish seconds ahead). */
    private long displayNow() {
        if (shown == null) return System.currentTimeMillis();
        return shown.nowMillis() + Math.min(5_000, Math.max(0, System.currentTimeMillis() - shownAtWall));
    }

    /**
     * The ticker's look (FX thread): "now" moves ~5 px a second across a 135 s axis, so most ticks would paint
     * the same picture again (each a pulse, and the renderer repainting the timeline's three layers). Redraws
     * only when the now line's pixel changed since the last drawing; a poll, a resize or the theme redraw at once.
     */
    void tick() {
        double w = timeline.getWidth(), h = timeline.getHeight();
        long px = TimelinePainter.pixelOf(shown, w, h, displayNow());
        if (px != drawnNowPixel || px == Long.MIN_VALUE || shown != drawnFor || w != drawnWidth || h != drawnHeight) drawTimeline();
    }

    /** Drawings of the timeline so far (tests: the ticker redraws only when "now" moved a pixel). */
    long timelineDrawings() {
        return timelineDrawings;
    }

    /** The ticker's looks so far (tests). */
    long ticks() {
        return ticker.ticks();
    }

    /** When the shown poll came on screen, wall clock (tests: "now" rests 5 s after it). */
    long shownAtWallMillis() {
        return shownAtWall;
    }

    /** The now line's pixel column at the last drawing (tests). */
    long drawnNowPixel() {
        return drawnNowPixel;
    }

    /** The now line's pixel at the last drawing (Long.MIN_VALUE: nothing plotted). */
    private long drawnNowPixel = Long.MIN_VALUE;
    /** What the last drawing showed, at which size. */
    private TimelineModel.Prepared drawnFor;
    private double drawnWidth, drawnHeight;
    private long timelineDrawings;

    /**
     * Redraws the timeline with the moving "now" (FX thread): the axis and the marks; the data layer
     * only when bars show "now" inside them or it changed (issue 11: the density bands, up to 40 x 480
     * rectangles at 100k sockets, were painted again ten times a second for a line moving 1 px/s).
     */
    public void drawTimeline() {
        double w = timeline.getWidth(), h = timeline.getHeight();
        Theme t = ctx.theme().get();
        long now = displayNow();
        drawnNowPixel = TimelinePainter.pixelOf(shown, w, h, now);
        drawnFor = shown;
        drawnWidth = w;
        drawnHeight = h;
        timelineDrawings++;
        painter.drawAxis(timeline.getGraphicsContext2D(), w, h, shown, t, now);
        if (dataDirty || shown == null || !shown.bandMode()) {
            painter.drawData(dataLayer.getGraphicsContext2D(), w, h, shown, t, now, true);
            // painted on a layer of another (or no) size, it is lost: stays dirty until the sizes agree
            dataDirty = !(w > 0 && h > 0 && dataLayer.getWidth() == w && dataLayer.getHeight() == h);
        }
        painter.drawMarks(marksLayer.getGraphicsContext2D(), w, h, shown, t, now, true);
    }

    private void drawHistogram() {
        GraphicsContext g = histogram.getGraphicsContext2D();
        Theme t = ctx.theme().get();
        double w = histogram.getWidth(), h = histogram.getHeight();
        CanvasPalette pal = CanvasPalette.of(t);
        g.setFill(pal.background());
        g.fillRect(0, 0, w, h);
        if (shown == null) return;
        TimeWaitClock.Histogram hist = shown.histogram();
        int[] c = hist.counts();
        int max = Math.max(1, hist.max());
        double left = 36, bottom = h - 18, top = 18, bw = (w - left - 6) / c.length;
        Color fg = pal.muted();
        Color tw = StatePalette.color(TcpState.TIME_WAIT, t);
        Color warn = StatePalette.warning(t);
        g.setFont(Font.font(10));
        for (int i = 0; i < c.length; i++) {
            double hh = (bottom - top) * c[i] / max;
            boolean soonBin = (i + 1) * hist.binMillis() <= TimeWaitClock.EXPIRING_SOON_MILLIS + 1;
            g.setFill(soonBin ? warn : tw);
            g.fillRect(left + i * bw + 1, bottom - hh, bw - 2, hh);
        }
        g.setStroke(fg);
        g.strokeLine(left, bottom + 0.5, w - 6, bottom + 0.5);
        g.setFill(fg);
        g.setTextBaseline(VPos.TOP);
        g.setTextAlign(TextAlignment.CENTER);
        long dSec = shown.duration().millis() / 1000;
        for (int i = 0; i <= c.length; i += Math.max(1, c.length / 4)) {
            g.setTextAlign(i == c.length ? TextAlignment.RIGHT : TextAlignment.CENTER);
            g.fillText(Math.round(i * hist.binMillis() / 1000) + " s", left + i * bw, bottom + 3);
        }
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        g.fillText(Units.count(max), left - 4, top + 4);
        g.fillText("0", left - 4, bottom);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(MessageFormat.format(b.getString("timeline.histogram.axis"), dSec), left, 1);
    }

    private static String web(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                Math.round(c.getBlue() * 255));
    }

    /** Legend entries (colour keys) currently drawn, for tests. */
    public List<String> legendKeys() {
        return shown == null ? List.of() : new ArrayList<>(shown.legend());
    }
}
