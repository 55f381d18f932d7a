package io.tcplens.ui.remote;

import io.tcplens.common.Ports;
import io.tcplens.analysis.remote.Grouping;
import io.tcplens.analysis.remote.RemoteHostRow;
import io.tcplens.analysis.remote.RemoteHostTable;
import io.tcplens.analysis.remote.RemoteQuery;
import io.tcplens.analysis.remote.ReverseDns;
import io.tcplens.engine.PollResult;
import io.tcplens.export.firewall.Allowlist;
import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.TcpState;
import io.tcplens.ui.shell.FittedColumns;
import io.tcplens.ui.shell.RowsInPlace;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.ShellView;
import io.tcplens.ui.shell.StateColumnHeader;
import io.tcplens.ui.theme.StatePalette;
import java.text.MessageFormat;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Modality;
import javafx.stage.Stage;
import javafx.util.StringConverter;
import atlantafx.base.theme.Styles;
import java.util.function.Predicate;
import javafx.scene.layout.FlowPane;

/**
 * Connections per remote address (or per /24 and /64 network): per-state counts coloured with the
 * state palette, local ports, processes, first seen, new connections per second; filters by local
 * port, state and threshold; rows over the threshold highlighted; reverse DNS on demand; selection
 * shared with the other views; block-rule export. Aggregation, filtering and sorting run off the FX
 * thread, in {@link #prepare}; a filter change asks the shell for a fresh hand-over.
 */
public final class RemoteHostView implements ShellView<RemoteHostView.Prepared> {
    public static final String ID = "remotes";
    private static final PseudoClass OVER = PseudoClass.getPseudoClass("over");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final String CSS = Objects.requireNonNull(RemoteHostView.class.getResource("/io/tcplens/ui/remote/remote.css")).toExternalForm();

    /** What prepare hands to show. */
    public record Prepared(List<RemoteHostRow> rows, int over, RemoteQuery query, String source, long pollTime) {}

    private final ShellContext ctx;
    private final ResourceBundle b;
    private final RemoteHostTable model = new RemoteHostTable();
    private final ReverseDns dns = new ReverseDns(Duration.ofSeconds(2));
    /** Updated in place at each hand-over (no rebuild of the rows on screen, issue 11). */
    private final RowsInPlace<RemoteHostRow> items = new RowsInPlace<>();
    private final TableView<RemoteHostRow> table = new TableView<>(items);
    private final BorderPane root = new BorderPane();
    private final ToggleButton perNetwork = new ToggleButton();
    private final TextField portField = new TextField();
    private final ComboBox<TcpState> stateBox = new ComboBox<>();
    private final TextField thresholdField = new TextField();
    private final CheckBox onlyOver = new CheckBox();
    private final Label filterError = new Label();
    private final Label countLabel = new Label();
    private final Allowlist allowlist;

    // read by prepare()
    private volatile RemoteQuery query = RemoteQuery.all();
    private volatile boolean onlyOverThreshold;
    private volatile Comparator<RemoteHostRow> order;
    private volatile String sourceLabel = "";
    private boolean selecting;
    private Prepared last;
    private boolean built;

    public RemoteHostView(ShellContext ctx) {
        this(ctx, ctx.services().allowlist());
    }

    public RemoteHostView(ShellContext ctx, Allowlist allowlist) {
        this.ctx = ctx;
        this.b = ctx.bundle();
        this.allowlist = allowlist;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String titleKey() {
        return "view.remotes";
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

    /** In the background: the per-remote history keeps up; rows are built, filtered and sorted when shown. */
    @Override
    public void observe(List<PollResult> batch) {
        synchronized (model) {
            for (PollResult r : batch) model.accept(r, HIDDEN_WALK_EVERY_MILLIS);
        }
    }

    /** In the background the whole table is walked for the remotes in it at most this often (their first-seen times come from every diff). */
    static final long HIDDEN_WALK_EVERY_MILLIS = 5_000;

    @Override
    public Prepared prepare(PollResult latest, List<PollResult> batch) {
        synchronized (model) {
            for (PollResult r : batch) model.accept(r);
            if (latest != null) sourceLabel = latest.snapshot().source().label();
            RemoteQuery q = query;
            List<RemoteHostRow> rows = new ArrayList<>(model.rows(q));
            int over = (int) rows.stream().filter(RemoteHostRow::overThreshold).count();
            if (onlyOverThreshold && q.threshold() > 0) rows.removeIf(r -> !r.overThreshold());
            Comparator<RemoteHostRow> o = order;
            if (o != null) rows.sort(o);
            long t = model.snapshot() == null ? 0 : model.snapshot().timestampMillis();
            return new Prepared(List.copyOf(rows), over, q, sourceLabel, t);
        }
    }

    /** Asks the shell for a fresh hand-over (after a filter, grouping or sort change). */
    private void refresh() {
        ctx.requestRefresh();
    }

    @Override
    public void show(Prepared p) {
        if (p == null) return;
        node();
        last = p;
        Set<String> selected = new HashSet<>();
        for (RemoteHostRow r : table.getSelectionModel().getSelectedItems()) if (r != null) selected.add(r.label());
        selecting = true;
        try {
            items.show(p.rows());
            if (!selected.isEmpty()) reselect(r -> selected.contains(r.label()));
        } finally {
            selecting = false;
        }
        String count = MessageFormat.format(b.getString("remotes.count"), p.rows().size());
        if (p.query().threshold() > 0) count += " · " + MessageFormat.format(b.getString("remotes.over"), p.over());
        countLabel.setText(count);
    }

    /** Visible rows (tests). */
    public List<RemoteHostRow> visibleRows() {
        return List.copyOf(items);
    }

    public TableView<RemoteHostRow> table() {
        node();
        return table;
    }

    public RemoteQuery query() {
        return query;
    }

    public String filterError() {
        node();
        return filterError.getText();
    }

    public void setPerNetwork(boolean on) {
        node();
        perNetwork.setSelected(on);
    }

    public void setPortFilter(String text) {
        node();
        portField.setText(text);
    }

    public void setStateFilter(TcpState s) {
        node();
        stateBox.setValue(s);
    }

    public void setThreshold(String text) {
        node();
        thresholdField.setText(text);
    }

    public void setOnlyOverThreshold(boolean on) {
        node();
        onlyOver.setSelected(on);
    }

    /** Sorts by a column (as a click on its header would). */
    public void sortBy(RemoteColumn col, boolean ascending) {
        node();
        for (TableColumn<RemoteHostRow, ?> c : table.getColumns()) {
            if (c.getUserData() == col) {
                c.setSortType(ascending ? TableColumn.SortType.ASCENDING : TableColumn.SortType.DESCENDING);
                table.getSortOrder().setAll(List.of(c));
                return;
            }
        }
    }

    public ReverseDns reverseDns() {
        return dns;
    }

    private void build() {
        root.getStylesheets().add(CSS);
        root.getStyleClass().add("remote-view");
        table.getStyleClass().addAll("remote-table", Styles.DENSE);
        table.setPlaceholder(new Label(b.getString("remotes.empty")));
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        // every column whole in a 1024 px window (issue 18: Local ports, Processes and the times were past
        // its edge): floors from the headers (the long ones on two lines, the states' dot above ss's
        // abbreviation) and typical values, see FittedColumns
        TableColumn<RemoteHostRow, RemoteHostRow> remote = column("remotes.col.remote", RemoteColumn.REMOTE, r -> r, 124, 160);
        remote.setMaxWidth(FittedColumns.WIDE); // the address is the point of the row: never "198.51.1…"; a wide window's room goes here
        remote.setCellFactory(c -> new RemoteCell());
        table.getColumns().add(remote);
        table.getColumns().add(numeric(column("remotes.col.total", RemoteColumn.TOTAL, r -> Integer.toString(r.total()), 54, 64)));
        for (TcpState s : RemoteColumn.OWN_COLUMNS) table.getColumns().add(stateColumn(s));
        TableColumn<RemoteHostRow, RemoteHostRow> other = column("remotes.col.other", RemoteColumn.OTHER, r -> r, 48, 60);
        other.setCellFactory(c -> new CountCell(null));
        other.getStyleClass().add("numeric");
        table.getColumns().add(other);
        table.getColumns().add(numeric(column("remotes.col.newPerSec", RemoteColumn.NEW_PER_SECOND,
                r -> Double.isNaN(r.newPerSecond()) ? "–" : String.format(Locale.ROOT, "%.1f", r.newPerSecond()), 48, 62)));
        // many local ports (every client socket has its own): the first and how many more, never "8080, 327…"
        TableColumn<RemoteHostRow, String> ports = column("remotes.col.ports", RemoteColumn.PORTS, r -> r.localPorts().size() <= 2
                ? r.localPorts().stream().map(String::valueOf).collect(Collectors.joining(", "))
                : MessageFormat.format(b.getString("remotes.ports.more"), String.valueOf(r.localPorts().get(0)), r.localPorts().size() - 1), 106, 112); // "8080 +13,800" whole
        table.getColumns().add(ports);
        TableColumn<RemoteHostRow, String> processes = column("remotes.col.processes", RemoteColumn.PROCESSES,
                r -> abbreviate(String.join(", ", r.processes())), 76, 130);
        processes.setMaxWidth(FittedColumns.WIDE);
        table.getColumns().add(processes);
        table.getColumns().add(numeric(column("remotes.col.firstSeen", RemoteColumn.FIRST_SEEN, r -> TIME.format(Instant.ofEpochMilli(r.firstSeenMillis())), 76, 84)));
        table.getColumns().add(numeric(column("remotes.col.lastNew", RemoteColumn.LAST_NEW, r -> TIME.format(Instant.ofEpochMilli(r.lastNewMillis())), 76, 84)));
        FittedColumns.install(table);
        table.setSortPolicy(t -> {
            updateOrder();
            return true;
        });
        table.setRowFactory(t -> {
            TableRow<RemoteHostRow> row = new TableRow<>() {
                @Override
                protected void updateItem(RemoteHostRow item, boolean empty) {
                    super.updateItem(item, empty);
                    pseudoClassStateChanged(OVER, !empty && item != null && item.overThreshold());
                }
            };
            row.setContextMenu(contextMenu(row));
            return row;
        });
        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<RemoteHostRow>) c -> {
            if (selecting) return;
            Set<ConnectionKey> keys = new HashSet<>();
            for (RemoteHostRow r : table.getSelectionModel().getSelectedItems()) if (r != null) keys.addAll(r.connections());
            selecting = true;
            try {
                ctx.selectedConnections().set(Set.copyOf(keys));
            } finally {
                selecting = false;
            }
        });
        ctx.selectedConnections().addListener((obs, o, n) -> {
            if (selecting || n == null) return;
            selecting = true;
            try {
                reselect(r -> r.connections().stream().anyMatch(n::contains));
            } finally {
                selecting = false;
            }
        });
        root.setTop(filterBar());
        root.setCenter(table);
    }

    private void reselect(Predicate<RemoteHostRow> which) {
        table.getSelectionModel().clearSelection();
        for (int i = 0; i < items.size(); i++) if (which.test(items.get(i))) table.getSelectionModel().select(i);
    }

    private Node filterBar() {
        perNetwork.setText(b.getString("remotes.perNetwork"));
        perNetwork.setTooltip(new Tooltip(b.getString("remotes.perNetwork.tip")));
        perNetwork.selectedProperty().addListener((o, a, n) -> applyFilter());
        portField.setPromptText(b.getString("remotes.port"));
        portField.setPrefColumnCount(7);
        portField.textProperty().addListener((o, a, n) -> applyFilter());
        List<TcpState> states = new ArrayList<>();
        states.add(null);
        for (TcpState s : TcpState.values()) if (s != TcpState.LISTEN && s != TcpState.CLOSED) states.add(s);
        stateBox.getItems().setAll(states);
        stateBox.setConverter(new StringConverter<>() {
            @Override
            public String toString(TcpState s) {
                return s == null ? b.getString("remotes.anyState") : s.name();
            }

            @Override
            public TcpState fromString(String s) {
                return TcpState.parse(s).orElse(null);
            }
        });
        stateBox.setValue(null);
        stateBox.setTooltip(new Tooltip(b.getString("remotes.state.tip")));
        stateBox.valueProperty().addListener((o, a, n) -> applyFilter());
        thresholdField.setPromptText(b.getString("remotes.threshold"));
        thresholdField.setPrefColumnCount(6);
        thresholdField.setTooltip(new Tooltip(b.getString("remotes.threshold.tip")));
        thresholdField.textProperty().addListener((o, a, n) -> applyFilter());
        onlyOver.setText(b.getString("remotes.onlyOver"));
        onlyOver.selectedProperty().addListener((o, a, n) -> applyFilter());
        Button resolve = new Button(b.getString("remotes.resolve"));
        resolve.setTooltip(new Tooltip(b.getString("remotes.resolve.tip")));
        resolve.setOnAction(e -> resolveNames(table.getSelectionModel().getSelectedItems().isEmpty()
                ? items.subList(0, Math.min(50, items.size())) : table.getSelectionModel().getSelectedItems()));
        Button export = new Button(b.getString("remotes.export"));
        export.getStyleClass().add(Styles.ACCENT);
        export.setOnAction(e -> openExportDialog());
        filterError.getStyleClass().add("filter-error");
        countLabel.getStyleClass().add("count-label");
        // nothing in the bar is cut to "…": at a narrow width the count and buttons wrap to a second line
        HBox filters = new HBox(8, perNetwork, portField, stateBox, thresholdField, onlyOver, filterError);
        filters.setAlignment(Pos.CENTER_LEFT);
        HBox actions = new HBox(8, countLabel, resolve, export);
        actions.setAlignment(Pos.CENTER_LEFT);
        for (HBox h : List.of(filters, actions))
            for (Node n : h.getChildren()) if (n instanceof Region r && n != filterError) r.setMinWidth(Region.USE_PREF_SIZE);
        FlowPane bar = new FlowPane(16, 6, filters, actions);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8));
        bar.getStyleClass().add("filter-bar");
        return bar;
    }

    private void applyFilter() {
        Integer port = null;
        int threshold = 0;
        String p = portField.getText().strip();
        String t = thresholdField.getText().strip();
        try {
            if (!p.isEmpty()) {
                port = Integer.parseInt(p.startsWith(":") ? p.substring(1) : p);
                if (!Ports.isPort(port)) throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            filterError.setText(MessageFormat.format(b.getString("remotes.badPort"), p));
            return;
        }
        try {
            if (!t.isEmpty()) {
                threshold = Integer.parseInt(t);
                if (threshold < 0) throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            filterError.setText(MessageFormat.format(b.getString("remotes.badThreshold"), t));
            return;
        }
        filterError.setText("");
        query = new RemoteQuery(perNetwork.isSelected() ? Grouping.NETWORK : Grouping.ADDRESS, port, stateBox.getValue(), threshold);
        onlyOverThreshold = onlyOver.isSelected();
        refresh();
    }

    private void updateOrder() {
        if (table.getSortOrder().isEmpty()) order = null;
        else {
            TableColumn<RemoteHostRow, ?> c = table.getSortOrder().get(0);
            order = ((RemoteColumn) c.getUserData()).comparator(c.getSortType() == TableColumn.SortType.ASCENDING);
        }
        refresh();
    }

    private TableColumn<RemoteHostRow, RemoteHostRow> stateColumn(TcpState s) {
        TableColumn<RemoteHostRow, RemoteHostRow> c = new TableColumn<>();
        c.setUserData(RemoteColumn.of(s));
        c.setPrefWidth(80);
        c.setMaxWidth(120);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(cd.getValue()));
        c.setCellFactory(col -> new CountCell(s));
        c.getStyleClass().addAll("numeric", "state-column", StatePalette.styleClass(s));
        // the dot above ss's abbreviation ("ESTAB"; "● ESTABLISHED" took 122 px), the state's name on hover
        Label header = StateColumnHeader.of(s);
        header.setTooltip(new Tooltip(s.name()));
        FittedColumns.headerFloor(c, header, 53); // five digits
        return c;
    }

    /**
     * A column headed by the text of {@code key} (its first space a line break when the words are long:
     * "Local ports", "First seen" on two lines), at least {@code floor} px wide for a typical value.
     */
    private <T> TableColumn<RemoteHostRow, T> column(String key, RemoteColumn col, Function<RemoteHostRow, T> value, double floor, double width) {
        TableColumn<RemoteHostRow, T> c = new TableColumn<>();
        c.setUserData(col);
        c.setPrefWidth(width);
        c.setMaxWidth(width + 40);
        String title = b.getString(key);
        FittedColumns.headerFloor(c, new Label(title.length() > 9 && title.indexOf(' ') > 0 ? title.replaceFirst(" ", "\n") : title), floor);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(value.apply(cd.getValue())));
        return c;
    }

    private static <T> TableColumn<RemoteHostRow, T> numeric(TableColumn<RemoteHostRow, T> c) {
        c.getStyleClass().add("numeric");
        return c;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 59) + "…" : s;
    }

    private ContextMenu contextMenu(TableRow<RemoteHostRow> row) {
        MenuItem copy = new MenuItem(b.getString("remotes.menu.copy"));
        copy.setOnAction(e -> copyText(table.getSelectionModel().getSelectedItems().stream().map(RemoteHostRow::cidr)
                .collect(Collectors.joining("\n")) + "\n"));
        MenuItem resolve = new MenuItem(b.getString("remotes.menu.resolve"));
        resolve.setOnAction(e -> resolveNames(table.getSelectionModel().getSelectedItems()));
        MenuItem show = new MenuItem(b.getString("remotes.menu.showConnections"));
        show.setOnAction(e -> {
            if (row.getItem() != null) ctx.filterConnectionsByRemote(row.getItem().cidr());
        });
        MenuItem export = new MenuItem(b.getString("remotes.menu.export"));
        export.setOnAction(e -> openExportDialog());
        return new ContextMenu(copy, resolve, show, export);
    }

    private static void copyText(String s) {
        ClipboardContent c = new ClipboardContent();
        c.putString(s);
        Clipboard.getSystemClipboard().setContent(c);
    }

    /** Starts reverse lookups for single-address rows; cells update as answers arrive. */
    public void resolveNames(List<RemoteHostRow> rows) {
        node();
        for (RemoteHostRow r : List.copyOf(rows)) {
            if (r.isNetwork()) continue;
            dns.resolve(r.address()).thenRun(() -> Platform.runLater(table::refresh));
        }
        table.refresh();
    }

    /** The export dialog's content for the current selection and threshold (also used by tests). */
    public ExportRulesPane createExportPane() {
        node();
        ExportRulesPane pane = new ExportRulesPane(b, allowlist, ctx.services().background());
        RemoteQuery q = last == null ? query : last.query();
        List<String> selected = table.getSelectionModel().getSelectedItems().stream().filter(Objects::nonNull)
                .map(RemoteHostRow::cidr).toList();
        List<String> over = last == null ? List.of() : last.rows().stream().filter(RemoteHostRow::overThreshold)
                .map(RemoteHostRow::cidr).toList();
        String selectedText = MessageFormat.format(b.getString("export.selection.selected"), selected.size(), q.describe());
        String overText = q.threshold() > 0 ? q.describe() : MessageFormat.format(b.getString("export.selection.noThreshold"), q.describe());
        pane.setCandidates(selected, selectedText, over, overText, last == null ? sourceLabel : last.source());
        return pane;
    }

    /** Opens the export dialog for the current selection (the Export button; tests take its screenshot). */
    public Stage openExportDialog() {
        ExportRulesPane pane = createExportPane();
        Stage stage = new Stage();
        stage.setTitle(b.getString("export.title"));
        if (root.getScene() != null) {
            stage.initOwner(root.getScene().getWindow());
            stage.initModality(Modality.WINDOW_MODAL);
        }
        // no larger than the window it belongs to (a 1024x700 window: the dialog's buttons stay on screen)
        double w = root.getScene() == null ? 980 : Math.min(980, Math.max(600, root.getScene().getWidth() - 24));
        double h = root.getScene() == null ? 720 : Math.min(720, Math.max(480, root.getScene().getHeight() - 24));
        Scene scene = new Scene(pane, w, h);
        if (root.getScene() != null) {
            scene.getStylesheets().setAll(root.getScene().getStylesheets());
            scene.getRoot().getStyleClass().addAll(root.getScene().getRoot().getStyleClass().stream()
                    .filter(s -> s.startsWith("theme-")).toList());
        }
        scene.getStylesheets().add(CSS);
        stage.setScene(scene);
        stage.show();
        return stage;
    }

    /** The remote address cell: address or CIDR, and the reverse-DNS name once asked for. */
    private final class RemoteCell extends TableCell<RemoteHostRow, RemoteHostRow> {
        @Override
        protected void updateItem(RemoteHostRow r, boolean empty) {
            super.updateItem(r, empty);
            if (empty || r == null) {
                setText(null);
                return;
            }
            String name = "";
            if (!r.isNetwork()) {
                ReverseDns.Result res = dns.cached(r.address());
                if (res != null) name = switch (res.status()) {
                    case RESOLVED -> "  " + res.name();
                    case NO_NAME -> "  " + b.getString("remotes.dns.none");
                    case TIMED_OUT -> "  " + b.getString("remotes.dns.timeout");
                };
                else if (dns.pending(r.address())) name = "  " + b.getString("remotes.dns.pending");
            }
            setText(r.label() + name);
            setTooltip(r.isNetwork() ? null : new Tooltip(Addresses.format(r.address()) + name));
        }
    }

    /** A count in one state's colour (or the sum of the other states), blank when zero. */
    private static final class CountCell extends TableCell<RemoteHostRow, RemoteHostRow> {
        private final TcpState state;

        CountCell(TcpState state) {
            this.state = state;
            getStyleClass().add("state-count");
            if (state != null) getStyleClass().add(StatePalette.styleClass(state));
        }

        @Override
        protected void updateItem(RemoteHostRow r, boolean empty) {
            super.updateItem(r, empty);
            int n = empty || r == null ? 0 : state == null ? RemoteColumn.other(r) : r.count(state);
            setText(n == 0 ? null : Integer.toString(n));
        }
    }
}
