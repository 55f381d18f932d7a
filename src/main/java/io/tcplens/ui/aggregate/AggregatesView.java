package io.tcplens.ui.aggregate;

import io.tcplens.io.TerminalText;
import io.tcplens.analysis.aggregate.ProcessDetails;
import io.tcplens.analysis.aggregate.StateAggregates;
import io.tcplens.common.Units;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.ui.explain.StateHelp;
import io.tcplens.ui.shell.FittedColumns;
import io.tcplens.ui.shell.RowsInPlace;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.ShellSource;
import io.tcplens.ui.shell.ShellView;
import io.tcplens.ui.shell.StateColumnHeader;
import io.tcplens.ui.shell.SteadyText;
import io.tcplens.ui.theme.StatePalette;
import java.text.MessageFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.geometry.Insets;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import io.tcplens.model.SourceInfo;
import java.util.Objects;
import java.util.Optional;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Priority;
import atlantafx.base.theme.Styles;
import javafx.geometry.Pos;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;

/**
 * Where a leak hunt starts: the table per process × state and per local port × state (client
 * sockets under "ephemeral"), most CLOSE_WAIT first, with growth over the last minutes and the
 * oldest CLOSE_WAIT; selecting a process shows its details (command line, user, start time, open
 * descriptors, read on demand off the FX thread) and a button to its connections in the table.
 * <p>
 * Issue 18, at 1024 px: the details pane is there only while a row is selected (it was an empty
 * quarter of the window that cut the tables' last columns off); the state columns are headed by the
 * state's dot above ss's abbreviation, the long headers take two lines, and every column fits the
 * window's width ({@link FittedColumns}); with the details open the tables scroll sideways.
 */
public final class AggregatesView implements ShellView<StateAggregates.Report> {
    public static final String ID = "processes";
    /** The state columns, in the app's order ({@link StatePalette#ORDER}); CLOSING, rare and brief, has none. */
    static final List<TcpState> STATES = StatePalette.ORDER.stream().filter(s -> s != TcpState.CLOSING).toList();
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final ShellContext ctx;
    private StateHelp help;
    private final Object lock = new Object();
    private StateAggregates aggregates = new StateAggregates();
    private volatile PollResult latest;
    /** Updated in place at each hand-over (no rebuild of the rows on screen, issue 11). */
    private final RowsInPlace<StateAggregates.Row> processRows = new RowsInPlace<>();
    private final RowsInPlace<StateAggregates.Row> portRows = new RowsInPlace<>();
    private final TableView<StateAggregates.Row> processes = new TableView<>(processRows);
    private final TableView<StateAggregates.Row> ports = new TableView<>(portRows);
    private final Label span = new Label();
    private final VBox details = new VBox(8);
    /** The details pane: the details and a button that closes them (clears the selection). */
    private final BorderPane detailsPane = new BorderPane();
    private final SplitPane main = new SplitPane();
    private final BorderPane root = new BorderPane();
    private StateAggregates.Report shown;
    private Integer detailsPid;
    private ProcessDetails shownDetails;
    private boolean restoringSelection;
    private boolean built;

    public AggregatesView(ShellContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String titleKey() {
        return "view.processes";
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

    public TableView<StateAggregates.Row> processTable() {
        node();
        return processes;
    }

    public TableView<StateAggregates.Row> portTable() {
        node();
        return ports;
    }

    /** Whether the details pane is in the window (only while a row is selected). */
    public boolean detailsShown() {
        return main.getItems().contains(detailsPane);
    }

    /** The details on show (tests), or null. */
    public ProcessDetails shownDetails() {
        return shownDetails;
    }

    @Override
    public void sourceChanged(ShellSource source) {
        synchronized (lock) {
            aggregates = new StateAggregates();
            sampledAt = Long.MIN_VALUE;
        }
    }

    /**
     * In the background: growth keeps counting, from a sample of the table every
     * {@link #HIDDEN_SAMPLE_EVERY_MILLIS} (each a walk of the whole table) rather than every poll; the
     * growth shown is over the time between its first sample and now, which the report carries. The
     * report is built when shown.
     */
    @Override
    public void observe(List<PollResult> batch) {
        synchronized (lock) {
            if (batch.isEmpty()) return;
            PollResult r = batch.getLast();
            long at = r.snapshot().timestampMillis();
            if ((sampledAt == Long.MIN_VALUE || at < sampledAt || at - sampledAt >= HIDDEN_SAMPLE_EVERY_MILLIS)) {
                aggregates.observe(r);
                sampledAt = at;
            }
            this.latest = r;
        }
    }

    /** In the background the table is sampled for growth at most this often (snapshot time). */
    static final long HIDDEN_SAMPLE_EVERY_MILLIS = 5_000;
    private long sampledAt = Long.MIN_VALUE;

    @Override
    public StateAggregates.Report prepare(PollResult latest, List<PollResult> batch) {
        synchronized (lock) {
            for (PollResult r : batch) aggregates.observe(r);
            if (!batch.isEmpty()) sampledAt = batch.getLast().snapshot().timestampMillis();
            this.latest = latest;
            return aggregates.report(latest);
        }
    }

    @Override
    public void show(StateAggregates.Report r) {
        if (r == null) return;
        node();
        shown = r;
        // a poll replaces the rows: the selection is restored by pid, and the details panel is not cleared
        // and reloaded in between (it would flicker "loading…" every poll)
        restoringSelection = true;
        try {
            keepSelection(processes, processRows, r.processes(), StateAggregates.Row::pid);
        } finally {
            restoringSelection = false;
        }
        StateAggregates.Row now = processes.getSelectionModel().getSelectedItem();
        if (now == null ? detailsPid != null || detailsShown() : !Objects.equals(now.pid(), detailsPid)) loadDetails(now);
        keepSelection(ports, portRows, r.ports(), StateAggregates.Row::localPort);
        span.setText(MessageFormat.format(ctx.bundle().getString(r.growthSeconds() < 1 ? "processes.span.first" : "processes.span"),
                Units.duration(Math.round(r.growthSeconds() * 1000)), r.processes().size(), r.ports().size()));
    }

    private static <K> void keepSelection(TableView<StateAggregates.Row> t, RowsInPlace<StateAggregates.Row> items,
                                          List<StateAggregates.Row> rows, Function<StateAggregates.Row, K> key) {
        StateAggregates.Row sel = t.getSelectionModel().getSelectedItem();
        var order = new ArrayList<>(t.getSortOrder());
        items.show(rows); // the selection stays on its index: it is found again by key below
        if (!order.isEmpty()) t.sort();
        if (sel != null) {
            K k = key.apply(sel);
            int at = -1;
            for (int i = 0; i < items.size() && at < 0; i++)
                if (Objects.equals(key.apply(items.get(i)), k)) at = i;
            if (at >= 0) t.getSelectionModel().clearAndSelect(at);
            else t.getSelectionModel().clearSelection();
        }
    }

    private void build() {
        var b = ctx.bundle();
        help = new StateHelp(ctx);
        // floors (issue 18): every column whole in a 1024 px window, see FittedColumns
        // PIDs run to 7 digits (pid_max 4194304): 80 px holds "4194304" whole at 1024 px (at 70 it read "39000…");
        // the user is in the details (UID had a column of its own, issue 18)
        processes.getColumns().add(text(b.getString("processes.col.pid"), r -> r.pid() == null ? "" : Integer.toString(r.pid()), 80, 84));
        TableColumn<StateAggregates.Row, String> name = text(b.getString("processes.col.process"),
                r -> r.pid() == null ? b.getString("processes.noOwner") : shared(r, r.process() == null ? "?" : TerminalText.oneLine(r.process())), 96, 170);
        name.setMaxWidth(FittedColumns.WIDE); // the one column that takes a wide window's spare room
        processes.getColumns().add(name);
        addCountColumns(processes);
        TableColumn<StateAggregates.Row, String> port = text(b.getString("processes.col.port"), r -> r.localPort() == StateAggregates.EPHEMERAL
                ? b.getString("processes.ephemeral") : Integer.toString(r.localPort()), 84, 110);
        port.setMaxWidth(FittedColumns.WIDE);
        ports.getColumns().add(port);
        addCountColumns(ports);
        for (TableView<StateAggregates.Row> t : List.of(processes, ports)) {
            t.getStyleClass().addAll("aggregates-table", Styles.DENSE); // rows as high as the other tables' (they were 39 px against 26)
            t.setPlaceholder(new Label(b.getString("processes.empty")));
            FittedColumns.install(t);
        }
        processes.getSelectionModel().selectedItemProperty().addListener((o, a, n) -> {
            if (!restoringSelection) loadDetails(n);
        });
        processes.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE && !processes.getSelectionModel().isEmpty()) {
                processes.getSelectionModel().clearSelection();
                e.consume();
            }
        });
        Label pTitle = new Label(b.getString("processes.byProcess"));
        Label qTitle = new Label(b.getString("processes.byPort"));
        pTitle.getStyleClass().add("title-4");
        qTitle.getStyleClass().add("title-4");
        // what a selection shows, beside the title (it was the empty details pane's only text)
        Label hint = new Label(b.getString("processes.pick"));
        hint.getStyleClass().addAll("text-muted", "details-hint");
        FlowPane pHead = new FlowPane(16, 2, pTitle, hint);
        pHead.setAlignment(Pos.BOTTOM_LEFT);
        VBox top = new VBox(4, pHead, processes);
        VBox bottom = new VBox(4, qTitle, ports);
        VBox.setVgrow(processes, Priority.ALWAYS);
        VBox.setVgrow(ports, Priority.ALWAYS);
        SplitPane tables = new SplitPane(top, bottom);
        tables.setOrientation(Orientation.VERTICAL);
        tables.setDividerPositions(0.6);
        details.setPadding(new Insets(0, 10, 10, 10));
        Button close = new Button("\u2715");
        close.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        close.setTooltip(new Tooltip(b.getString("processes.details.close")));
        close.setOnAction(e -> processes.getSelectionModel().clearSelection());
        BorderPane.setAlignment(close, Pos.TOP_RIGHT);
        detailsPane.setTop(close);
        detailsPane.setCenter(details);
        detailsPane.setMinWidth(220);
        detailsPane.getStyleClass().add("process-details");
        main.getItems().setAll(tables);
        // a wider window widens the tables, not the details pane
        SplitPane.setResizableWithParent(detailsPane, false);
        span.setPadding(new Insets(6, 10, 6, 10));
        span.getStyleClass().add("text-muted");
        root.setTop(span);
        root.setCenter(main);
        top.setPadding(new Insets(0, 6, 0, 6));
        bottom.setPadding(new Insets(4, 6, 6, 6));
    }

    /** The process's name, and how many of its sockets other processes hold too (they count for each holder). */
    private String shared(StateAggregates.Row r, String name) {
        return r.shared() == 0 ? name : MessageFormat.format(ctx.bundle().getString("processes.shared"), name, Units.count(r.shared()));
    }

    private void addCountColumns(TableView<StateAggregates.Row> t) {
        var b = ctx.bundle();
        // a count's floor holds six digits ("100000" TIME_WAIT sockets without an owner at 100k)
        t.getColumns().add(number(b.getString("processes.col.total"), StateAggregates.Row::total, 62, 72, null));
        for (TcpState s : STATES) t.getColumns().add(number("", r -> r.count(s), 62, 72, s));
        TableColumn<StateAggregates.Row, Integer> growth = number(b.getString("processes.col.growth"), StateAggregates.Row::growth, 56, 80, null);
        growth.setCellFactory(c -> new SteadyText.Cell<>() {
            @Override
            protected void updateItem(Integer v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : (v > 0 ? "+" : "") + Units.count(v));
            }
        });
        t.getColumns().add(growth);
        TableColumn<StateAggregates.Row, Long> oldest = new TableColumn<>();
        oldest.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue().oldestCloseWaitMillis()));
        oldest.setCellFactory(c -> new SteadyText.Cell<>() {
            @Override
            protected void updateItem(Long v, boolean empty) {
                super.updateItem(v, empty);
                StateAggregates.Row r = getTableRow() == null ? null : getTableRow().getItem();
                setText(empty || v == null || v < 0 || r == null ? null
                        : (r.oldestObserved() ? "" : "≥ ") + Units.duration(v));
            }
        });
        oldest.setPrefWidth(120);
        oldest.setMaxWidth(180);
        oldest.getStyleClass().add("numeric");
        // on two lines ("Oldest" above "CLOSE_WAIT"): whole, in 100 px rather than 168
        FittedColumns.headerFloor(oldest, new Label(b.getString("processes.col.oldestCloseWait").replaceFirst(" ", "\n")), 90);
        t.getColumns().add(oldest);
    }

    private static TableColumn<StateAggregates.Row, String> text(String title, Function<StateAggregates.Row, String> f, double floor, double w) {
        TableColumn<StateAggregates.Row, String> c = new TableColumn<>();
        c.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(f.apply(x.getValue())));
        c.setCellFactory(SteadyText.cells());
        c.setPrefWidth(w);
        c.setMaxWidth(w + 40);
        FittedColumns.headerFloor(c, new Label(title), floor);
        return c;
    }

    private TableColumn<StateAggregates.Row, Integer> number(String title, ToIntFunction<StateAggregates.Row> f, double floor, double w, TcpState s) {
        TableColumn<StateAggregates.Row, Integer> c = new TableColumn<>();
        c.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(f.applyAsInt(x.getValue())));
        c.setPrefWidth(w);
        c.setMaxWidth(w + 40);
        c.getStyleClass().add("numeric");
        Label header = new Label(title);
        // counts grouped as everywhere else ("21,000", it read "21000" beside the tiles' "21,000")
        c.setCellFactory(col -> new SteadyText.Cell<>() {
            @Override
            protected void updateItem(Integer v, boolean empty) {
                super.updateItem(v, empty);
                setText(empty || v == null ? null : Units.count(v));
            }
        });
        if (s != null) {
            // the state's dot above ss's abbreviation: nine of them fit a 1024 px window ("● CLOSE-W" on one line took 92 px)
            header = StateColumnHeader.of(s);
            header.setTooltip(help.tooltip(s));
            c.getStyleClass().add("state-column");
            // a state nobody is in is left blank, as in the remote-IP table: the counts that matter stand out among nine columns
            c.setCellFactory(col -> new SteadyText.Cell<>() {
                @Override
                protected void updateItem(Integer v, boolean empty) {
                    super.updateItem(v, empty);
                    setText(empty || v == null || v == 0 ? null : Units.count(v));
                }
            });
        }
        FittedColumns.headerFloor(c, header, floor);
        return c;
    }

    private void loadDetails(StateAggregates.Row row) {
        var b = ctx.bundle();
        showDetailsPane(row != null);
        if (row == null || row.pid() == null) {
            detailsPid = null;
            shownDetails = null;
            Label l = new Label(b.getString(row == null ? "processes.pick" : "processes.noOwnerDetails"));
            l.setWrapText(true);
            details.getChildren().setAll(l);
            return;
        }
        int pid = row.pid();
        if (Integer.valueOf(pid).equals(detailsPid)) return;
        detailsPid = pid;
        details.getChildren().setAll(new Label(b.getString("processes.loading")));
        CompletableFuture.supplyAsync(() -> ProcessDetails.of(pid), ctx.services().background())
                .thenAccept(d -> Platform.runLater(() -> {
                    if (Integer.valueOf(pid).equals(detailsPid)) showDetails(row, d);
                }));
    }

    /** The details pane beside the tables while a row is selected (about 280 px of the window), else the tables alone. */
    private void showDetailsPane(boolean on) {
        if (on == detailsShown()) return;
        if (on) {
            main.getItems().add(detailsPane);
            double w = main.getWidth();
            main.setDividerPositions(w > 0 ? Math.max(0.5, 1 - 290 / w) : 0.74);
        } else main.getItems().remove(detailsPane);
    }

    private void showDetails(StateAggregates.Row row, ProcessDetails d) {
        var b = ctx.bundle();
        shownDetails = d;
        Label title = new Label((row.process() == null ? "?" : TerminalText.oneLine(row.process())) + " (" + d.pid() + ")");
        title.getStyleClass().add("title-3");
        GridPane g = new GridPane(8, 4);
        String unknown = b.getString("processes.unknown");
        int i = 0;
        i = field(g, i, b.getString("processes.details.alive"), b.getString(d.alive() ? "processes.yes" : "processes.gone"));
        i = field(g, i, b.getString("processes.details.user"), d.user().orElse(unknown));
        i = field(g, i, b.getString("processes.details.start"), d.start().map(WHEN::format).orElse(unknown));
        i = field(g, i, b.getString("processes.details.fds"), d.openFds().isPresent() ? Units.count(d.openFds().getAsLong()) : unknown);
        i = field(g, i, b.getString("processes.details.sockets"), row.shared() == 0 ? Units.count(row.total())
                : MessageFormat.format(b.getString("processes.details.socketsShared"), Units.count(row.total()), Units.count(row.shared())));
        Label cmdTitle = new Label(b.getString("processes.details.command"));
        cmdTitle.getStyleClass().add("text-bold");
        Label cmd = new Label(d.commandLine().map(TerminalText::oneLine).orElse(unknown));
        cmd.setWrapText(true);
        cmd.setStyle("-fx-font-family: monospace;");
        Button show = new Button(b.getString("processes.showConnections"));
        show.setOnAction(e -> showConnections(d.pid()));
        details.getChildren().setAll(title, g, cmdTitle, cmd, show, actions(d.pid()));
    }

    /** End (SIGTERM) / kill (SIGKILL), each confirmed; refused with its reason; or copy the kill command. */
    private Node actions(long pid) {
        var b = ctx.bundle();
        PollResult r = latest;
        SourceInfo.Kind kind = r == null ? SourceInfo.Kind.SIMULATED : r.snapshot().source().kind();
        Label result = new Label();
        result.setWrapText(true);
        result.getStyleClass().add("action-result");
        Optional<String> no = EndProcess.refusal(pid, kind);
        Button term = new Button(b.getString("action.terminate"));
        Button kill = new Button(b.getString("action.kill"));
        Button copy = new Button(b.getString("action.copyKill"));
        term.setDisable(no.isPresent());
        kill.setDisable(no.isPresent());
        no.ifPresent(k -> result.setText(b.getString(k)));
        term.setOnAction(e -> confirmAndEnd(pid, kind, false, result));
        kill.setOnAction(e -> confirmAndEnd(pid, kind, true, result));
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(EndProcess.command(pid, false));
            Clipboard.getSystemClipboard().setContent(c);
        });
        FlowPane buttons = new FlowPane(6, 6, term, kill, copy);
        Label t = new Label(b.getString("action.title"));
        t.getStyleClass().add("text-bold");
        return new VBox(6, t, buttons, result);
    }

    private void confirmAndEnd(long pid, SourceInfo.Kind kind, boolean kill, Label result) {
        var b = ctx.bundle();
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        a.setTitle(b.getString(kill ? "action.kill" : "action.terminate"));
        a.setHeaderText(MessageFormat.format(b.getString(kill ? "action.confirm.kill" : "action.confirm.terminate"), pid));
        a.setContentText(EndProcess.command(pid, kill));
        if (root.getScene() != null) a.initOwner(root.getScene().getWindow());
        a.showAndWait().filter(x -> x == ButtonType.OK).ifPresent(x -> {
            result.setText(b.getString("processes.loading"));
            CompletableFuture.supplyAsync(() -> EndProcess.end(pid, kind, kill, 3000), ctx.services().background())
                    .thenAccept(o -> Platform.runLater(() -> {
                        result.setText(MessageFormat.format(b.getString(o.reasonKey()), pid));
                        ctx.requestRefresh();
                    }));
        });
    }

    private static int field(GridPane g, int row, String k, String v) {
        Label key = new Label(k);
        key.getStyleClass().add("text-muted");
        Label val = new Label(v);
        val.setWrapText(true);
        g.addRow(row, key, val);
        return row + 1;
    }

    /** Shows the connections table unfiltered, with this process's connections selected. */
    public void showConnections(long pid) {
        PollResult r = latest;
        if (r == null) return;
        Set<ConnectionKey> keys = new HashSet<>();
        for (SocketEntry e : r.snapshot().sockets())
            if (e.pid() != null && e.pid() == pid || r.snapshot().holders().of(e.inode()).stream().anyMatch(h -> h.pid() == pid))
                keys.add(e.key());
        ctx.filterConnectionsByRemote("");
        ctx.filterConnectionsByState(null);
        ctx.selectedConnections().set(Set.copyOf(keys));
    }
}
