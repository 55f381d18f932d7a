package io.tcplens.ui.advisor;

import io.tcplens.analysis.advisor.Advice;
import io.tcplens.analysis.advisor.AdviceText;
import io.tcplens.analysis.advisor.Advisor;
import io.tcplens.analysis.advisor.Finding;
import io.tcplens.analysis.advisor.FindingRows;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.PortRangeReader;
import io.tcplens.analysis.ports.SharedPortUsage;
import io.tcplens.analysis.timewait.TimeWaitDurations;
import io.tcplens.common.Units;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.source.TimeWaitDuration;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.ShellSource;
import io.tcplens.ui.shell.ShellView;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The advisor in plain sight: a tab of its own listing every finding (most severe first) with the
 * numbers behind it and what fixes it, each with a button that shows the connections it is about in
 * the table (state and remote filters through the shell, the rows selected). Its tab header carries a
 * count badge while something is found, also while another tab is at the front: the advisor observes
 * every poll in {@link #prepare}, which is called for background tabs too.
 */
public final class AdvisorView implements ShellView<AdvisorView.Prepared> {
    public static final String ID = "advisor";
    public static final String CSS = Objects.requireNonNull(AdvisorView.class.getResource("advisor.css")).toExternalForm();
    /** How often the rules run (they walk the whole table). */
    static final long ADVICE_EVERY_MILLIS = 1_000, HIDDEN_ADVICE_EVERY_MILLIS = 5_000;
    static final long RANGE_EVERY_MILLIS = 30_000;
    /** At most this many rows are selected in the table for one finding. */
    static final int MAX_KEYS = 20_000;

    /**
     * One finding, rendered, with the rows it is about (null: about settings only). The sources run
     * beside their sentences (null where a sentence cites nothing: it reports what was observed).
     */
    public record Item(Finding finding, String title, List<String> evidence, List<String> fixes, FindingRows rows,
                       List<ConnectionKey> keys, String titleSource, List<String> evidenceSources, List<String> fixSources) {}

    /** What prepare hands to show. */
    public record Prepared(String source, double observedSeconds, List<Item> items, String snippet) {
        public int count() {
            return items.size();
        }

        public Finding.Severity worst() {
            return items.isEmpty() ? null : items.getFirst().finding().severity();
        }
    }

    private final ShellContext ctx;
    private final AdviceText text;
    private final PortRangeReader rangeReader;
    private final Object lock = new Object();
    private final BorderPane root = new BorderPane();
    private final VBox cards = new VBox(10);
    private final Label header = new Label();
    private final Label badge = new Label();
    private TextArea snippet;
    private VBox snippetBox;
    private final AtomicReference<Badge> badgePending = new AtomicReference<>();
    private Advisor advisor;
    /** Close rates and port use, fed once per poll for this view and the TIME_WAIT timeline. */
    private final SharedPortUsage ports;
    private TimeWaitDuration duration;
    private EphemeralPortRange range;
    private long rangeReadAt;
    private Prepared last;
    private Prepared shown;

    public AdvisorView(ShellContext ctx) {
        this(ctx, new SharedPortUsage());
    }

    /** With the port analysis it shares with the TIME_WAIT timeline (the composition root makes one per window). */
    public AdvisorView(ShellContext ctx, SharedPortUsage ports) {
        this(ctx, ctx.services().advisor().get(), ports);
    }

    /** For tests: a given advisor (its own sysctl tree). */
    public AdvisorView(ShellContext ctx, Advisor advisor) {
        this(ctx, advisor, new SharedPortUsage());
    }

    private AdvisorView(ShellContext ctx, Advisor advisor, SharedPortUsage ports) {
        this.ctx = ctx;
        this.ports = ports;
        this.text = AdviceText.forLocale(ctx.bundle().getLocale());
        this.advisor = advisor;
        this.rangeReader = ctx.services().portRange();
        badge.getStyleClass().add("advisor-badge");
        badge.getStylesheets().add(CSS);
        badge.setVisible(false);
        badge.getStyleClass().add("none");
    }

    /** The controls, when the tab is first shown (issue 13); the badge in the tab header is there from the start. */
    private void build() {
        root.getStylesheets().add(CSS);
        root.getStyleClass().add("advisor-view");
        header.getStyleClass().add("advisor-header");
        header.setWrapText(true);
        cards.setPadding(new Insets(4, 14, 14, 14));
        ScrollPane scroll = new ScrollPane(cards);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("advisor-scroll");
        snippet = new TextArea();
        snippet.setEditable(false);
        snippet.setPrefRowCount(6);
        snippet.getStyleClass().add("advisor-snippet");
        Button copy = new Button(ctx.bundle().getString("advisor.copySnippet"));
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(snippet.getText());
            Clipboard.getSystemClipboard().setContent(c);
        });
        Label snippetTitle = new Label(ctx.bundle().getString("advisor.snippet"));
        snippetTitle.getStyleClass().add("advisor-section");
        snippetBox = new VBox(6, snippetTitle, snippet, copy);
        snippetBox.setPadding(new Insets(0, 14, 14, 14));
        BorderPane.setMargin(header, new Insets(10, 14, 6, 14));
        root.setTop(header);
        root.setCenter(scroll);
        if (shown == null) header.setText(ctx.bundle().getString("advisor.waiting"));
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String titleKey() {
        return "view.advisor";
    }

    @Override
    public Node node() {
        if (snippet == null) build();
        return root;
    }

    @Override
    public boolean isBuilt() {
        return snippet != null;
    }

    @Override
    public Node tabGraphic() {
        return badge;
    }

    /** The tab header's badge (tests). */
    public Label badge() {
        return badge;
    }

    /** What is shown (tests). */
    public Prepared shown() {
        return shown;
    }

    @Override
    public void sourceChanged(ShellSource source) {
        synchronized (lock) {
            duration = source.timeWaitDuration();
            ports.reset();
            last = null;
            badgeAt = Long.MIN_VALUE;
            advisor = ctx.services().advisor().get(); // growth is measured within one source
        }
    }

    /**
     * In the background the findings are still worked out, for the count badge in the tab header, but
     * every {@link #HIDDEN_ADVICE_EVERY_MILLIS} rather than every second, and only counted: the cards'
     * text and each finding's rows in the table (a walk of the table per finding) are made when the tab
     * is shown, from advice worked out then.
     */
    @Override
    public void observe(List<PollResult> batch) {
        if (!batch.isEmpty()) advise(batch.getLast(), batch, false);
    }

    @Override
    public Prepared prepare(PollResult latest, List<PollResult> batch) {
        return advise(latest, batch, true);
    }

    /** What the tab header's badge shows: how many findings, the most severe (null: none). */
    private record Badge(int count, Finding.Severity worst) {}

    /**
     * @param shown true: what the tab shows (the findings rendered, at most a second old); false: the
     *              badge only (the tab is in the background), at most {@link #HIDDEN_ADVICE_EVERY_MILLIS} old
     * @return what the tab shows, or null when only the badge was worked out
     */
    private Prepared advise(PollResult latest, List<PollResult> batch, boolean shown) {
        Prepared p = null;
        Badge b;
        synchronized (lock) {
            TimeWaitDuration d = duration != null ? duration : TimeWaitDurations.assumedFor(latest.snapshot().source());
            ports.observe(batch, d.millis());
            for (PollResult r : batch) advisor.observe(r);
            long wall = latest.snapshot().timestampMillis();
            if (shown && last != null && Math.abs(wall - lastAt) < ADVICE_EVERY_MILLIS) return last;
            if (!shown && badgeAt != Long.MIN_VALUE && Math.abs(wall - badgeAt) < HIDDEN_ADVICE_EVERY_MILLIS) return null;
            if (range == null || Math.abs(wall - rangeReadAt) > RANGE_EVERY_MILLIS) {
                range = rangeReader.read();
                rangeReadAt = wall;
            }
            Advice advice = advisor.advise(latest, ports.report(latest, range, d));
            List<Finding> findings = advice.findings();
            b = new Badge(findings.size(), findings.isEmpty() ? null : findings.getFirst().severity());
            badgeAt = wall;
            if (shown) {
                List<Item> items = new ArrayList<>();
                for (Finding f : findings) {
                    FindingRows rows = FindingRows.of(f).orElse(null);
                    List<ConnectionKey> keys = rows == null ? List.of() : rows.keys(latest.snapshot().sockets());
                    if (keys.size() > MAX_KEYS) keys = keys.subList(0, MAX_KEYS);
                    items.add(new Item(f, text.render(f.title()), text.render(f.evidence()), text.render(f.fixes()), rows, List.copyOf(keys),
                            text.source(f.title()), text.sources(f.evidence()), text.sources(f.fixes())));
                }
                String sn = findings.stream().anyMatch(f -> !f.sysctls().isEmpty()) ? advice.sysctlSnippet(text) : "";
                p = new Prepared(advice.source(), advice.observedSeconds(), List.copyOf(items), sn);
                last = p;
                lastAt = wall;
            } else {
                last = null; // shown again: worked out afresh, with the cards
            }
        }
        // the badge is in the tab header, visible while this tab is in the background: hand it over apart
        if (badgePending.getAndSet(b) == null) Platform.runLater(() -> updateBadge(badgePending.getAndSet(null)));
        return p;
    }

    private long lastAt;
    /** When the badge's findings were last worked out (the snapshot's time), shown or in the background. */
    private long badgeAt = Long.MIN_VALUE;

    @Override
    public void show(Prepared p) {
        if (p == null || p == shown) return;
        node();
        shown = p;
        updateBadge(new Badge(p.count(), p.worst()));
        String observed = Units.duration(Math.round(p.observedSeconds() * 1000));
        header.setText(p.items().isEmpty()
                ? MessageFormat.format(ctx.bundle().getString("advisor.none"), observed, p.source())
                : MessageFormat.format(ctx.bundle().getString("advisor.summary"), Units.count(p.count()), observed, p.source()));
        List<Node> nodes = new ArrayList<>();
        for (Item it : p.items()) nodes.add(card(it));
        if (!p.snippet().isEmpty()) {
            snippet.setText(p.snippet());
            nodes.add(snippetBox);
        }
        cards.getChildren().setAll(nodes);
    }

    private void updateBadge(Badge p) {
        if (p == null) return;
        boolean any = p.count() > 0;
        badge.setVisible(any);
        badge.setText(any ? Units.count(p.count()) : "");
        // the style class only when the severity changes: a change of the list (even back to the same
        // classes) makes JavaFX match the badge's whole CSS again in the next pulse
        String level = any ? p.worst().name().toLowerCase(Locale.ROOT) : "none";
        if (!badge.getStyleClass().contains(level)) {
            badge.getStyleClass().removeAll("critical", "warning", "info", "none");
            badge.getStyleClass().add(level);
        }
    }

    private Node card(Item it) {
        Finding f = it.finding();
        String sev = f.severity().name().toLowerCase(Locale.ROOT);
        Label chip = new Label(ctx.bundle().getString("advisor.severity." + sev));
        chip.getStyleClass().addAll("advisor-severity", sev);
        chip.setMinWidth(Region.USE_PREF_SIZE);
        Label title = wrapped(it.title(), "advisor-title");
        HBox.setHgrow(title, Priority.ALWAYS);
        HBox head = new HBox(10, chip, title);
        head.setAlignment(Pos.TOP_LEFT);
        VBox card = new VBox(4, head);
        cite(card, it.titleSource());
        for (int k = 0; k < it.evidence().size(); k++) {
            card.getChildren().add(wrapped("• " + it.evidence().get(k), "advisor-evidence"));
            cite(card, it.evidenceSources().get(k));
        }
        if (!it.fixes().isEmpty()) {
            Label what = new Label(ctx.bundle().getString("advisor.fixes"));
            what.getStyleClass().add("advisor-section");
            card.getChildren().add(what);
            for (int k = 0; k < it.fixes().size(); k++) {
                card.getChildren().add(wrapped((k + 1) + ". " + it.fixes().get(k), "advisor-fix"));
                cite(card, it.fixSources().get(k));
            }
        }
        if (it.rows() != null) {
            Button show = new Button(it.keys().isEmpty() ? ctx.bundle().getString("advisor.rows.none")
                    : MessageFormat.format(ctx.bundle().getString("advisor.rows"), Units.count(it.keys().size())));
            show.setDisable(it.keys().isEmpty());
            show.getStyleClass().add("advisor-rows");
            show.setOnAction(e -> showRows(it));
            card.getChildren().add(show);
        }
        card.getStyleClass().addAll("advisor-card", sev);
        card.setId("finding-" + f.id());
        return card;
    }

    /** Shows the connections table filtered to a finding's rows (state and remote), with them selected. */
    public void showRows(Item it) {
        FindingRows rows = it.rows();
        if (rows == null) return;
        ctx.filterConnectionsByRemote(rows.remote() == null ? "" : rows.remote());
        ctx.filterConnectionsByState(rows.state());
        ctx.selectedConnections().set(Set.copyOf(it.keys()));
    }

    /** A sentence's source (doc section, kernel source, or measured behaviour), small, under it. */
    private void cite(VBox card, String source) {
        if (source == null) return;
        Label l = wrapped(MessageFormat.format(ctx.bundle().getString("advisor.source"), source), "advisor-source");
        l.setPadding(new Insets(0, 0, 0, 14));
        card.getChildren().add(l);
    }

    private static Label wrapped(String s, String styleClass) {
        Label l = new Label(s);
        l.setWrapText(true);
        l.setMaxWidth(Double.MAX_VALUE);
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.getStyleClass().add(styleClass);
        return l;
    }
}
