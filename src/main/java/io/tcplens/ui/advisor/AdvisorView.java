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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
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
     * every {@link #HIDDEN_ADVICE_EVERY_MILLIS} rather than every second (the advisor's growth samples as
     * often; the close rates still take every poll), and only counted: the cards'
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
            // the advisor's growth samples (a walk of the table each, for CLOSE_WAIT per owner and SYN_RECV):
            // every poll while shown; in the background only with the badge's advice below, every
            // HIDDEN_ADVICE_EVERY_MILLIS (it observes the poll it advises on), and the growth then shown
            // is over the span of the samples kept, which the findings say (issue 11: the hidden tab
            // walked 100k rows a poll for samples five seconds apart would measure as well)
            if (shown) for (PollResult r : batch) advisor.observe(r);
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
                : MessageFormat.format(ctx.bundle().getString("advisor.summary"), p.count(), observed, p.source()));
        // the cards persist, one per finding id: their labels' text is set where it changed, and the list
        // of cards is changed only when the findings are (new cards' CSS and wrapped-text layout are what
        // the pass after a hand-over would otherwise redo for every card every second)
        List<Node> nodes = new ArrayList<>();
        Map<String, Card> next = new HashMap<>();
        for (Item it : p.items()) {
            String id = it.finding().id();
            for (int k = 2; next.containsKey(id); k++) id = it.finding().id() + "#" + k;
            Card c = cardsById.get(id);
            if (c == null) c = new Card();
            c.update(it, id);
            next.put(id, c);
            nodes.add(c.box);
        }
        cardsById = next;
        if (!p.snippet().isEmpty()) {
            if (!p.snippet().equals(snippet.getText())) snippet.setText(p.snippet());
            nodes.add(snippetBox);
        }
        if (!sameNodes(cards.getChildren(), nodes)) cards.getChildren().setAll(nodes);
    }

    private static boolean sameNodes(List<Node> a, List<Node> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (a.get(i) != b.get(i)) return false;
        return true;
    }

    /** The card shown for each finding id (FX thread). */
    private Map<String, Card> cardsById = new HashMap<>();

    /** The card node of a finding id, or null (tests). */
    Node cardNode(String findingId) {
        Card c = cardsById.get(findingId);
        return c == null ? null : c.box;
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

    /** One line under a card's head: its text and style class (and a source's indent). */
    private record Line(String text, String styleClass) {}

    /**
     * A finding's card, kept while the finding is: its head (severity chip and title), its lines
     * (evidence, fixes, sources) and the button that shows its rows. {@link #update} sets what changed.
     */
    private final class Card {
        final VBox box = new VBox(4);
        final Label chip = new Label();
        final Label title = wrapped("", "advisor-title");
        final HBox head = new HBox(10, chip, title);
        final List<Label> lines = new ArrayList<>();
        Button rows;
        String sev;
        Item item;

        Card() {
            chip.getStyleClass().add("advisor-severity");
            chip.setMinWidth(Region.USE_PREF_SIZE);
            HBox.setHgrow(title, Priority.ALWAYS);
            head.setAlignment(Pos.TOP_LEFT);
            box.getStyleClass().add("advisor-card");
        }

        void update(Item it, String id) {
            item = it;
            Finding f = it.finding();
            String s = f.severity().name().toLowerCase(Locale.ROOT);
            if (!s.equals(sev)) {
                if (sev != null) {
                    chip.getStyleClass().remove(sev);
                    box.getStyleClass().remove(sev);
                }
                chip.getStyleClass().add(s);
                box.getStyleClass().add(s);
                setText(chip, ctx.bundle().getString("advisor.severity." + s));
                sev = s;
            }
            if (!("finding-" + id).equals(box.getId())) box.setId("finding-" + id);
            setText(title, it.title());
            List<Line> want = new ArrayList<>();
            cite(want, it.titleSource());
            for (int k = 0; k < it.evidence().size(); k++) {
                want.add(new Line("• " + it.evidence().get(k), "advisor-evidence"));
                cite(want, it.evidenceSources().get(k));
            }
            if (!it.fixes().isEmpty()) {
                want.add(new Line(ctx.bundle().getString("advisor.fixes"), "advisor-section"));
                for (int k = 0; k < it.fixes().size(); k++) {
                    want.add(new Line((k + 1) + ". " + it.fixes().get(k), "advisor-fix"));
                    cite(want, it.fixSources().get(k));
                }
            }
            for (int k = 0; k < want.size(); k++) {
                Line w = want.get(k);
                Label l = k < lines.size() ? lines.get(k) : null;
                if (l == null || !l.getStyleClass().contains(w.styleClass())) {
                    l = line(w.styleClass());
                    if (k < lines.size()) lines.set(k, l);
                    else lines.add(l);
                }
                setText(l, w.text());
            }
            while (lines.size() > want.size()) lines.removeLast();
            if (it.rows() != null) {
                if (rows == null) {
                    rows = new Button();
                    rows.getStyleClass().add("advisor-rows");
                    rows.setOnAction(e -> showRows(item));
                }
                setText(rows, it.keys().isEmpty() ? ctx.bundle().getString("advisor.rows.none")
                        : MessageFormat.format(ctx.bundle().getString("advisor.rows"), it.keys().size()));
                if (rows.isDisable() != it.keys().isEmpty()) rows.setDisable(it.keys().isEmpty());
            } else {
                rows = null;
            }
            List<Node> children = new ArrayList<>(lines.size() + 2);
            children.add(head);
            children.addAll(lines);
            if (rows != null) children.add(rows);
            if (!sameNodes(box.getChildren(), children)) box.getChildren().setAll(children);
        }

        private void cite(List<Line> want, String source) {
            if (source != null) want.add(new Line(MessageFormat.format(ctx.bundle().getString("advisor.source"), source), "advisor-source"));
        }
    }

    private static void setText(Labeled l, String s) {
        if (!Objects.equals(l.getText(), s)) l.setText(s);
    }

    /** A line of a card: wrapped, a source indented under its sentence, the section title not wrapped. */
    private static Label line(String styleClass) {
        if (styleClass.equals("advisor-section")) {
            Label l = new Label();
            l.getStyleClass().add(styleClass);
            return l;
        }
        Label l = wrapped("", styleClass);
        if (styleClass.equals("advisor-source")) l.setPadding(new Insets(0, 0, 0, 14));
        return l;
    }

    /** Shows the connections table filtered to a finding's rows (state and remote), with them selected. */
    public void showRows(Item it) {
        FindingRows rows = it.rows();
        if (rows == null) return;
        ctx.filterConnectionsByRemote(rows.remote() == null ? "" : rows.remote());
        ctx.filterConnectionsByState(rows.state());
        ctx.selectedConnections().set(Set.copyOf(it.keys()));
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
