package io.tcplens.ui.table;

import atlantafx.base.theme.Styles;
import io.tcplens.analysis.remote.ReverseDns;
import io.tcplens.common.Units;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.export.SocketCsv;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpInfoReadings;
import io.tcplens.source.SourceException;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.source.TcpInfoDemand;
import io.tcplens.source.act.CloseConnection;
import io.tcplens.ui.explain.StateHelp;
import io.tcplens.ui.shell.ConnectionsTarget;
import io.tcplens.ui.shell.FittedColumns;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.ShellSource;
import io.tcplens.ui.shell.ShellView;
import io.tcplens.ui.shell.SteadyText;
import io.tcplens.ui.theme.StatePalette;
import java.io.File;
import java.io.IOException;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.text.MessageFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SelectionMode;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.stage.FileChooser;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The connections table (TCPView-like): rows keyed by 4-tuple, new ones green and closed ones red
 * for a few seconds, sort on any column, combined filters, context menu, CSV export, pause.
 * Filtering and sorting run in {@link #prepare} off the FX thread; {@link #show} does one setAll.
 */
public final class ConnectionsView implements ShellView<ConnectionsView.Prepared>, ConnectionsTarget {
    public static final String ID = ConnectionsTarget.VIEW_ID;
    private static final PseudoClass NEW = PseudoClass.getPseudoClass("new");
    private static final PseudoClass CLOSED = PseudoClass.getPseudoClass("closed");

    /**
     * What prepare hands to show: the rows, sorted by {@code order} (null: paused, only an export's outcome to
     * show); whether they carry every row's counters (a poll this table asked all of them for); what an export
     * waiting for such a poll did (null: none ended).
     */
    public record Prepared(ConnectionRows rows, int total, long pollTime, Comparator<ConnectionRow> order,
                           boolean allCounters, ExportDone export) {
        public Prepared(ConnectionRows rows, int total, long pollTime, Comparator<ConnectionRow> order) {
            this(rows, total, pollTime, order, false, null);
        }
    }

    /**
     * An export that waited for every row's counters: the file, how many rows, or why it failed (null: written);
     * {@code note}: how the counters were obtained when not all at one poll (a paused table's), else null.
     */
    public record ExportDone(Path file, int rows, String error, String note) {
        public ExportDone(Path file, int rows, String error) {
            this(file, rows, error, null);
        }
    }

    /**
     * Re-sorts the rows on screen when the user picks another sort, so the FX thread never sorts and
     * the table does not wait for the next poll's hand-over (at 100k sockets, 200–450 ms of the old
     * order after a click). Latest click wins; one daemon thread for every table (a user sorts one at a time).
     */
    private static final ExecutorService SORT_THREAD = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("tcplens-sort").daemon().factory());
    /** Writes the remembered sort and filters to disk: a flush took 6–60 ms, which the FX thread did per click and keystroke. */
    /** Whether the UID column is shown (it waits in the column menu until chosen). */
    static final String UID_PREF = "columns.uid.visible";
    private static final ExecutorService PREFS_THREAD = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("tcplens-prefs").daemon().factory());

    private final ShellContext ctx;
    private final ResourceBundle b;
    private final StateHelp help;
    private final ConnectionTableModel model = new ConnectionTableModel(3000);
    private final RowsList items = new RowsList();
    private final TableView<ConnectionRow> table = new TableView<>(items);
    private final BorderPane root = new BorderPane();
    private final EnumSet<TcpState> stateChips = EnumSet.noneOf(TcpState.class);
    private final List<ToggleButton> chipButtons = new ArrayList<>();
    private final TextField portField = new TextField();
    private final TextField addressField = new TextField();
    private final TextField processField = new TextField();
    private final Label filterError = new Label();
    private final Label countLabel = new Label();
    private final Label emptyPlaceholder = new Label();
    private final Label exportStatus = new Label();
    private final Label loadingPlaceholder = new Label();
    private boolean loading;
    private final ToggleButton pauseButton = new ToggleButton();
    // issue 18: search, traffic columns, reverse DNS, close a connection
    private final TextField searchField = new TextField();
    private final Label trafficNote = new Label();
    private final ReverseDns dns = new ReverseDns(Duration.ofSeconds(2));
    private final Function<InetAddress, String> hostNames = a -> {
        var r = dns.cached(a);
        return r != null && r.status() == ReverseDns.Status.RESOLVED ? r.name() : null;
    };
    private CloseAction closeAction;
    private final Runnable viewportListener = this::publishViewport;
    private List<TableColumn<ConnectionRow, String>> trafficColumns = List.of();
    /** A traffic column is shown (read by the poller thread: the engine asks for tcp_info only then). */
    private volatile boolean trafficShown;
    /** FX thread: the last rows shown have no tcp_info (the source has none). */
    private boolean rowsWithoutTcpInfo;

    // ---- tcp_info for the rows in view (issue 11): see tcpInfoDemand ----
    /** Rows past the first and last one in view whose counters are read too (a scroll step shows them at once). */
    static final int VIEW_MARGIN = 10;
    /** The table is sorted by a traffic column: every row's counters (read by the poller). */
    private volatile boolean sortedByTraffic;
    /** The cookies of the rows in (or near) the viewport, published by the FX thread after layout (none: no table on screen). */
    private volatile TcpInfoDemand inView = TcpInfoDemand.NONE;
    /** Some poll of this source carried tcp_info: until then every poll asks for all (a source without it says so once). */
    private volatile boolean sourceHasTcpInfo;
    /** The polls (by sequence) this table asked every row's counters for: the last few, poller writes, prepare reads. */
    private final long[] allCountersPolls = new long[16];
    private int allCountersNext;
    /** An export waiting for a poll with every row's counters (null: none). */
    private volatile PendingExport pendingExport;
    /** FX thread: the rows shown came from a poll with every row's counters. */
    private boolean shownAllCounters;
    /** FX thread: what the viewport last published (first and last index, the rows), to publish only a change. */
    private int viewFirst = -1, viewLast = -1;
    private ConnectionRows viewRows;
    private VirtualFlow<?> flow;

    private static final class PendingExport {
        final Path file;
        final CompletableFuture<Integer> done = new CompletableFuture<>();
        /** The first poll whose rows may be written (the first one asked every row's counters for it); MAX: none yet. */
        volatile long from = Long.MAX_VALUE;

        PendingExport(Path file) {
            this.file = file;
        }
    }
    private volatile SourceInfo lastSource;
    /** The engine polling for the window (null before the first source): a poll at once, exact lookups. */
    private volatile PollingEngine engine;
    /** Exact lookups of rows out of view for a copy or a paused export, off the FX thread (one at a time). */
    private static final ExecutorService LOOKUP_THREAD = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("tcplens-counters").daemon().factory());
    /** What the table waits for before it sorts by a traffic column (a poll with every row's counters), or why; "" when nothing. */
    private final Label countersStatus = new Label();
    /** FX thread: a click sorted by this traffic column, whose rows wait for a poll with every row's counters (null: none). */
    private ConnectionColumn sortWaiting;

    // read by prepare() on the background thread
    private volatile ConnectionFilter filter = ConnectionFilter.NONE;
    private volatile Comparator<ConnectionRow> order = ConnectionColumn.STATE.comparator(true);
    private volatile boolean paused;
    private boolean selecting;

    public ConnectionsView(ShellContext ctx) {
        this.ctx = ctx;
        this.b = ctx.bundle();
        this.help = new StateHelp(ctx);
        build();
        help.installF1(root, () -> {
            ConnectionRow r = table.getSelectionModel().getSelectedItem();
            return r == null ? null : r.state();
        });
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String titleKey() {
        return "view.connections";
    }

    @Override
    public Node node() {
        return root;
    }

    /** In the background: new and closed rows are still noted (they stay marked for a few seconds). */
    @Override
    public void observe(List<PollResult> batch) {
        synchronized (model) {
            model.accept(batch);
            PollResult latest = batch.isEmpty() ? null : batch.getLast();
            if (latest != null && !sourceHasTcpInfo && anyTcpInfo(latest)) sourceHasTcpInfo = true;
            // an export asked for before another tab came to the front is written all the same
            PendingExport pe = pendingExport;
            if (pe != null && latest != null && latest.error() == null && latest.sequence() >= pe.from && askedAllCounters(latest.sequence()))
                unshownExport = writeExport(pe, model.rows(latest, System.currentTimeMillis(), filter, order));
        }
    }

    /** An export written while the table was in the background: said in the status line when it is shown again. */
    private volatile ExportDone unshownExport;

    @Override
    public Prepared prepare(PollResult latest, List<PollResult> batch) {
        lastSource = latest.snapshot().source();
        boolean all = askedAllCounters(latest.sequence());
        synchronized (model) {
            model.accept(batch);
            PendingExport pe = pendingExport;
            boolean exportNow = pe != null && latest.sequence() >= pe.from && all && latest.error() == null;
            if (paused && !exportNow) return null;
            Comparator<ConnectionRow> o = order;
            ConnectionFilter f = filter;
            ConnectionRows rows = model.rows(latest, System.currentTimeMillis(), f, o);
            // unfiltered (a filter that passes every row), the rows are every row of the poll: no walk of its table for a row with tcp_info (while no
            // traffic column is shown none has any, and that walk read every row of 100k at every poll, issue 11)
            if (!sourceHasTcpInfo && (rows.anyTcpInfo() || (f.isEmpty() ? !latest.counters().isEmpty() : anyTcpInfo(latest))))
                sourceHasTcpInfo = true;
            ExportDone done = exportNow ? writeExport(pe, rows) : null;
            // paused: the table stays as it was; only the export's outcome is shown
            return new Prepared(paused ? null : rows, latest.connections().size(), latest.snapshot().timestampMillis(), o, all, done);
        }
    }

    /**
     * Which connections' tcp_info the poll with this sequence must carry (the poller asks just before it):
     * none while no traffic column is shown (and no export waits); every row's while the table is sorted by a
     * traffic column and not paused, while an export waits for them, and until some poll of the source carried tcp_info;
     * otherwise only the rows in (or near) the viewport ({@link #VIEW_MARGIN}), by cookie, which the FX
     * thread publishes after each layout. A row that scrolls into view shows "…" in the traffic columns until
     * the next poll reads its counters; its rates come with the poll after (two readings). Poller thread.
     */
    @Override
    public TcpInfoDemand tcpInfoDemand(long sequence) {
        PendingExport pe = pendingExport;
        // (a paused table sorted by a traffic column shows none of a poll's rows: every row's counters are read when
        // it resumes, as its status says, not at each poll while paused: at 100k rows that read is most of a poll)
        boolean all = pe != null || (trafficShown && ((sortedByTraffic && !paused) || !sourceHasTcpInfo));
        if (all) {
            synchronized (allCountersPolls) {
                allCountersPolls[allCountersNext++ & (allCountersPolls.length - 1)] = sequence;
            }
            if (pe != null && pe.from == Long.MAX_VALUE) pe.from = sequence;
            return TcpInfoDemand.ALL;
        }
        return trafficShown ? inView : TcpInfoDemand.NONE;
    }

    @Override
    public void engineStarted(PollingEngine e) {
        engine = e;
    }

    /** Whether some row of the poll carries tcp_info (read until the first that does: a live table's listeners come first). */
    private static boolean anyTcpInfo(PollResult r) {
        if (!r.counters().isEmpty()) return true;
        for (SocketEntry e : r.snapshot().sockets()) if (e.tcpInfo() != null) return true;
        return false;
    }

    private boolean askedAllCounters(long sequence) {
        synchronized (allCountersPolls) {
            for (long s : allCountersPolls) if (s == sequence && s != 0) return true;
        }
        return false;
    }

    /** Writes the rows of a poll with every row's counters (prepare's thread): the file, or why not. */
    private ExportDone writeExport(PendingExport pe, ConnectionRows rows) {
        pendingExport = null;
        List<SocketEntry> entries = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) entries.add(rows.get(i).entry());
        try {
            writeCsv(pe.file, entries);
            pe.done.complete(entries.size());
            return new ExportDone(pe.file, entries.size(), null);
        } catch (IOException | RuntimeException e) {
            pe.done.completeExceptionally(e);
            return new ExportDone(pe.file, 0, String.valueOf(e.getMessage()));
        }
    }

    /**
     * FX thread, after each layout: the cookies of the rows in the viewport and {@link #VIEW_MARGIN} past it
     * that can have counters (full sockets; not a listener, TIME_WAIT, request socket or closed row), for the
     * poller ({@link #tcpInfoDemand}); published only when the rows in view or their range changed. Reads
     * ~50 rows; no poll, sort or parse.
     */
    private void publishViewport() {
        if (flow == null) {
            if (table.lookup(".virtual-flow") instanceof VirtualFlow<?> f) flow = f;
            else return;
        }
        ConnectionRows rows = items.content();
        int first = -1, last = -1;
        if (treeVisible(table) && !rows.isEmpty()) {
            IndexedCell<?> a = flow.getFirstVisibleCell(), z = flow.getLastVisibleCell();
            if (a != null && z != null && a.getIndex() >= 0) {
                first = Math.max(0, a.getIndex() - VIEW_MARGIN);
                last = Math.min(rows.size() - 1, z.getIndex() + VIEW_MARGIN);
            }
        }
        if (first == viewFirst && last == viewLast && rows == viewRows) return;
        viewFirst = first;
        viewLast = last;
        viewRows = rows;
        long[] cookies = new long[first < 0 ? 0 : last - first + 1];
        int n = 0;
        for (int i = first; i >= 0 && i <= last; i++) {
            ConnectionRow r = rows.get(i);
            SocketEntry e = r.entry();
            if (countersPossible(r)) cookies[n++] = e.cookie();
        }
        inView = TcpInfoDemand.only(Arrays.copyOf(cookies, n));
    }

    /**
     * Whether the kernel has tcp_info for this row's socket: a live full socket with a cookie (not a listener, a
     * TIME_WAIT or request socket, nor a FIN_WAIT2 one on the TIME_WAIT timer: the kernel's timewait socket
     * for an orphan, which carries none).
     */
    static boolean countersPossible(ConnectionRow r) {
        SocketEntry e = r.entry();
        KernelTcpState ks = e.kernelState();
        return r.status() != ConnectionRow.Status.CLOSED && e.hasCookie() && ks != null && ks != KernelTcpState.LISTEN
                && ks != KernelTcpState.TIME_WAIT && ks != KernelTcpState.NEW_SYN_RECV && e.timer() != TimerKind.TIME_WAIT;
    }

    /** The node and every parent are visible (a tab not in front hides its content). */
    private static boolean treeVisible(Node n) {
        for (Node p = n; p != null; p = p.getParent()) if (!p.isVisible()) return false;
        return n.getScene() != null;
    }

    /** FX thread: "…" in a traffic cell of a row whose counters the next poll reads (it came into view). */
    boolean countersPending(ConnectionRow r) {
        return r.entry().tcpInfo() == null && sourceHasTcpInfo && !shownAllCounters && countersPossible(r);
    }

    @Override
    public void show(Prepared p) {
        if (p == null) return;
        ExportDone earlier = unshownExport;
        if (earlier != null) {
            unshownExport = null;
            exportDone(earlier);
        }
        if (p.export() != null) exportDone(p.export());
        if (p.rows() == null) return;
        if (paused) {
            model.notShown(p.rows());
            return;
        }
        if (loading) setLoading(false);
        // rows sorted before the user picked another order: the sort thread brings the shown rows in the
        // new order, and the next poll is sorted by it (showing these would flip the table back for a poll).
        // Sorted by a traffic column but read with the counters of the rows in view only (a poll asked for
        // before the click): a wrong order, not shown; the poll asked for at the click brings every row's
        boolean wrongOrder = isTrafficOrder(p.order()) && !p.allCounters() && trafficShown && sourceHasTcpInfo;
        if (Objects.equals(p.order(), order) && !wrongOrder) {
            shownAllCounters = p.allCounters();
            showRows(p.rows());
            if (sortWaiting != null && isTrafficOrder(p.order())) {
                sortWaiting = null;
                countersStatus.setText("");
            }
        } else {
            model.notShown(p.rows());
        }
        int closedRows = p.rows().closedCount();
        // "shown of" counts connections that exist; the red rows that just closed are said apart
        String count = MessageFormat.format(b.getString("connections.count"), p.rows().size() - closedRows, p.total());
        if (closedRows > 0) count += " · " + MessageFormat.format(b.getString("connections.countClosed"), closedRows);
        // a filter remembered from the last run must not pass for the whole table
        if (!filter.isEmpty()) count += " · " + b.getString("connections.filtered");
        countLabel.setText(count);
        countLabel.pseudoClassStateChanged(PseudoClass.getPseudoClass("filtered"), !filter.isEmpty());
        updateTrafficNote(p);
    }

    private static boolean isTrafficOrder(Comparator<ConnectionRow> o) {
        return o instanceof ConnectionColumn.Order c && c.column().isTraffic();
    }

    /** The rows on screen (tests). */
    ConnectionRows content() {
        return items.content();
    }

    /** A message of the table's bundle (tests). */
    String message(String key) {
        return b.getString(key);
    }

    /** What the table waits for before it sorts by a traffic column ("" when nothing), for tests. */
    public String countersStatusText() {
        return countersStatus.getText();
    }

    /** FX thread: {@code rows} in the table, keeping the selected connections selected. */
    private void showRows(ConnectionRows rows) {
        Set<ConnectionKey> selected = new HashSet<>();
        for (ConnectionRow r : table.getSelectionModel().getSelectedItems()) if (r != null) selected.add(r.key());
        selected.addAll(ctx.selectedConnections().get()); // also rows chosen in another view before they were shown here
        selecting = true;
        try {
            items.show(rows);
            model.shown(rows); // (the rows taken off the screen: the model may make a later poll's rows into their arrays)
            if (!selected.isEmpty()) reselect(selected);
        } finally {
            selecting = false;
        }
        fixRowHeight();
    }

    /**
     * Once a row has been laid out, every row gets its height (one line of text, the theme's padding):
     * with a fixed cell size the table's flow no longer measures each new row's preferred height, a
     * large part of a scroll step and of the layout after a hand-over.
     */
    private void fixRowHeight() {
        if (table.getFixedCellSize() > 0) return;
        for (Node n : table.lookupAll(".table-row-cell")) {
            if (n instanceof TableRow<?> r && !r.isEmpty() && r.getHeight() > 0) {
                table.setFixedCellSize(r.getHeight());
                return;
            }
        }
    }

    /**
     * FX thread, after a sort click: the rows on screen re-sorted by {@code o} on the sort thread, then
     * shown at once (the same rows, so the count stays). Dropped when another sort was picked, or
     * another poll was shown, meanwhile (that one is sorted by {@code o} already).
     */
    private void resort(Comparator<ConnectionRow> o) {
        ConnectionRows shown = items.content();
        if (shown.isEmpty()) return;
        SORT_THREAD.execute(() -> {
            if (order != o) return; // another click came: sort for that one only
            // (their arrays held while sorted: taken off the screen meanwhile, a later poll's rows are not made into them)
            if (!model.pin(shown)) return; // newer rows are on screen already, sorted by o
            ConnectionRows sorted;
            try {
                sorted = ConnectionTableModel.sorted(shown, o);
            } finally {
                model.unpin(shown);
            }
            Platform.runLater(() -> {
                if (order == o && items.content() == shown) showRows(sorted);
            });
        });
    }

    /** Remembers a setting now (in memory) and writes it to disk on the prefs thread. */
    private void remember(String key, String value) {
        Preferences node = ctx.preferences().node();
        node.put(key, value);
        flushLater(node);
    }

    /** Writes {@code node}'s settings to disk on the prefs thread. */
    private static void flushLater(Preferences node) {
        PREFS_THREAD.execute(() -> {
            try {
                node.flush();
            } catch (BackingStoreException e) {
                // the next write or the JVM's own sync at exit tries again
            }
        });
    }

    /** Says once, above the table, when the traffic columns are shown but the source has no tcp_info. */
    private void updateTrafficNote(Prepared p) {
        // (rows of a poll that read only the rows in view say nothing of the source: the note stays as it was)
        if (!p.allCounters() && sourceHasTcpInfo) return;
        rowsWithoutTcpInfo = !p.rows().anyTcpInfo() && !p.rows().isEmpty();
        SourceInfo src = lastSource;
        if (rowsWithoutTcpInfo) trafficNote.setText(MessageFormat.format(b.getString("traffic.none"), src == null ? "?" : src.name()));
        showTrafficNote();
    }

    /**
     * FX thread: the note follows the traffic columns at once when they are shown or hidden, not at the
     * next poll (a backed-off refresh can be a minute away on a busy machine).
     */
    private void showTrafficNote() {
        trafficNote.setVisible(rowsWithoutTcpInfo && TrafficColumns.anyTrafficVisible(trafficColumns));
    }

    @Override
    public void focusSearch() {
        searchField.requestFocus();
        searchField.selectAll();
    }

    /** The search field (Ctrl+F), for tests. */
    public TextField searchField() {
        return searchField;
    }

    /** Sets the search text (as typed in the field). */
    public void setSearch(String text) {
        searchField.setText(text);
        applyFilter();
    }

    @Override
    public boolean trafficShown() {
        return trafficShown;
    }

    /** The note shown when the source has no tcp_info ("" when hidden). */
    public String trafficNoteText() {
        return trafficNote.isVisible() ? trafficNote.getText() : "";
    }

    /** The traffic, cookie and host columns (tests, screenshots). */
    public List<TableColumn<ConnectionRow, String>> trafficColumns() {
        return trafficColumns;
    }

    /** The reverse-DNS resolver of this table. */
    public ReverseDns reverseDns() {
        return dns;
    }

    /** Resolves the remote names of these rows off the FX thread; shows the Remote host column. */
    public void resolveNames(List<ConnectionRow> rows) {
        for (TableColumn<ConnectionRow, String> c : trafficColumns)
            if (c.getUserData() == ConnectionColumn.REMOTE_HOST) c.setVisible(true);
        Set<InetAddress> seen = new HashSet<>();
        for (ConnectionRow r : rows) {
            if (r == null || r.key().remote().isWildcard() || !seen.add(r.key().remote().address())) continue;
            dns.resolve(r.key().remote().address()).thenRun(() -> Platform.runLater(() -> {
                table.refresh();
                if (!searchField.getText().isBlank()) {
                    // a name the search matches came in: the same poll and filter now give other rows
                    synchronized (model) {
                        model.forgetRows();
                    }
                    ctx.requestRefresh();
                }
            }));
        }
        table.refresh();
    }

    /** The close-connection flow (tests build its dialog). */
    public Alert closeConfirmation(SocketEntry e) {
        return closeAction.confirmation(lastSource, e);
    }

    /** Why the row cannot be closed from here, or empty. */
    public Optional<String> closeRefusal(SocketEntry e) {
        return closeAction.refusal(lastSource, e);
    }

    public boolean isPaused() {
        return paused;
    }

    public void setPaused(boolean p) {
        pauseButton.setSelected(p);
    }

    /** Visible rows, for tests and export. */
    public List<ConnectionRow> visibleRows() {
        return List.copyOf(items);
    }

    /** The state explanations (tooltips, F1) this table uses. */
    public StateHelp stateHelp() {
        return help;
    }

    public TableView<ConnectionRow> table() {
        return table;
    }

    public void setStateFilter(TcpState s) {
        stateChips.clear();
        if (s != null) stateChips.add(s);
        for (ToggleButton t : chipButtons) t.setSelected(stateChips.contains((TcpState) t.getUserData()));
        applyFilter();
    }

    public void setRemoteFilter(String text) {
        addressField.setText(text);
        applyFilter();
    }

    public void setPortFilter(String text) {
        portField.setText(text);
        applyFilter();
    }

    public void setProcessFilter(String text) {
        processField.setText(text);
        applyFilter();
    }

    /** The "N shown of M" text (tests). */
    public String countText() {
        return countLabel.getText();
    }

    /** What the status line under the fields says of the last export or close ("" when nothing). */
    public String exportStatusText() {
        return exportStatus.getText();
    }

    public String filterError() {
        return filterError.getText();
    }

    /** Writes the visible rows as CSV (atomically: temp file then move). */
    /**
     * FX thread: true before the first poll of a source is shown — the table then says it is waiting
     * instead of "no connection matches", and the count is blank rather than 0.
     */
    /** A new source: the table waits for its first poll (FX thread, where the shell switches sources). */
    @Override
    public void sourceChanged(ShellSource source) {
        synchronized (model) {
            model.reset();
        }
        sourceHasTcpInfo = false; // the next source's first polls ask for every row's counters
        inView = TcpInfoDemand.NONE;
        viewRows = null;
        setLoading(true);
    }

    public void setLoading(boolean waiting) {
        loading = waiting;
        if (waiting) {
            loadingPlaceholder.setText(b.getString("connections.loading"));
            table.setPlaceholder(loadingPlaceholder);
            items.show(ConnectionRows.EMPTY);
            model.shown(ConnectionRows.EMPTY);
            countLabel.setText("");
        } else {
            emptyPlaceholder.setText(b.getString("connections.empty"));
            table.setPlaceholder(emptyPlaceholder);
        }
    }

    public boolean isLoading() {
        return loading;
    }

    /** The text the table shows when it has no rows. */
    public String placeholderText() {
        return ((Label) table.getPlaceholder()).getText();
    }

    /**
     * FX thread: writes the table's rows (all of them, not only those in view) as CSV, at once, as shown. Where
     * the shown rows lack the counters of rows out of view (see {@link #tcpInfoDemand}), use
     * {@link #exportCsvWithCounters}: this one then refuses rather than write empty counters.
     */
    public void exportCsv(Path file) throws IOException {
        if (!countersComplete()) throw new IllegalStateException("the rows shown carry only the counters of the rows in view");
        writeCsv(file, visibleRows().stream().map(ConnectionRow::entry).toList());
    }

    /**
     * FX thread: writes the table's rows as CSV with every row's counters: at once when the rows shown have
     * them (a traffic sort, no traffic column shown, a source without tcp_info), else from the next poll,
     * which then reads every row's counters (the table's filter and order, as the rows of that poll). The
     * future gives the number of rows written; the status line says so when it is done.
     */
    public CompletableFuture<Integer> exportCsvWithCounters(Path file) {
        if (countersComplete()) {
            try {
                int n = visibleRows().size();
                exportCsv(file);
                exportDone(new ExportDone(file, n, null));
                return CompletableFuture.completedFuture(n);
            } catch (IOException | RuntimeException e) {
                exportDone(new ExportDone(file, 0, String.valueOf(e.getMessage())));
                return CompletableFuture.failedFuture(e);
            }
        }
        if (paused) return exportPaused(file);
        PendingExport old = pendingExport;
        if (old != null) old.done.cancel(false);
        PendingExport pe = new PendingExport(file);
        pendingExport = pe;
        filterError.setText("");
        exportStatus.setText(MessageFormat.format(b.getString("connections.exporting"), file.getFileName()));
        return pe.done;
    }

    /**
     * FX thread: a paused table's export writes the rows on screen (the paused poll's), not a newer poll. The
     * counters that poll read (the rows in view) are written as read then; the others are read now by exact
     * lookups off the FX thread. The file says which is which in its last column ({@code countersRead}: the
     * poll's time, the export's time, closed by the export, or not read and why), and the status line too.
     */
    private CompletableFuture<Integer> exportPaused(Path file) {
        ConnectionRows shown = items.content();
        List<ConnectionRow> rows = new ArrayList<>(shown);
        List<SocketEntry> missing = new ArrayList<>();
        for (ConnectionRow r : rows) if (countersPending(r)) missing.add(r.entry());
        long pollTime = shown.pollTime();
        PollingEngine e = engine;
        CompletableFuture<TcpInfoReadings> read = missing.isEmpty() || e == null || !e.looksUpTcpInfo()
                ? CompletableFuture.completedFuture(TcpInfoReadings.NONE) : lookUp(e, missing);
        filterError.setText("");
        exportStatus.setText(MessageFormat.format(b.getString("connections.exportingPaused"), file.getFileName(), missing.size()));
        CompletableFuture<Integer> done = new CompletableFuture<>();
        read.handleAsync((got, err) -> {
            Throwable why = err instanceof CompletionException c && c.getCause() != null ? c.getCause() : err;
            TcpInfoReadings r = got == null ? TcpInfoReadings.NONE : got;
            String pollAt = clock(pollTime), readAt = clock(r.readAtMillis() != 0 ? r.readAtMillis() : System.currentTimeMillis());
            List<SocketEntry> entries = new ArrayList<>(rows.size());
            List<String> how = new ArrayList<>(rows.size());
            int readNow = 0, closedNow = 0;
            for (ConnectionRow row : rows) {
                SocketEntry en = row.entry();
                String note;
                if (en.tcpInfo() != null) note = "poll " + pollAt;
                else if (!countersPossible(row)) note = "";
                else if (r.get(en.cookie()) != null) {
                    en = r.applyTo(en);
                    note = "export " + readAt;
                    readNow++;
                } else if (r.gone(en.cookie())) {
                    note = "closed before export " + readAt;
                    closedNow++;
                } else note = "not read: " + (why != null ? why.getMessage() : "no lookup from this source");
                entries.add(en);
                how.add(note);
            }
            try {
                writeCsv(file, entries, how);
                done.complete(entries.size());
                String note = MessageFormat.format(b.getString("connections.exportedPaused"), pollAt, readNow, readAt, closedNow);
                return new ExportDone(file, entries.size(), null, note);
            } catch (IOException | RuntimeException x) {
                done.completeExceptionally(x);
                return new ExportDone(file, 0, String.valueOf(x.getMessage()));
            }
        }, LOOKUP_THREAD).thenAccept(d -> Platform.runLater(() -> exportDone(d)));
        return done;
    }

    private static String clock(long millis) {
        return DateTimeFormatter.ofPattern("HH:mm:ss").format(Instant.ofEpochMilli(millis).atZone(ZoneId.systemDefault()));
    }

    /** FX thread: the rows shown carry every counter an export writes. */
    private boolean countersComplete() {
        return !trafficShown || !sourceHasTcpInfo || shownAllCounters;
    }

    private void exportDone(ExportDone d) {
        if (d.error() != null) {
            filterError.setText(MessageFormat.format(b.getString("error.export"), d.error()));
            return;
        }
        filterError.setText("");
        exportStatus.setText(MessageFormat.format(b.getString("connections.exported"), d.rows(), d.file().getFileName())
                + (d.note() == null ? "" : " · " + d.note()));
        exportStatus.setTooltip(new Tooltip(d.file().toAbsolutePath().toString()));
    }

    private static void writeCsv(Path file, List<SocketEntry> rows) throws IOException {
        writeCsv(file, rows, null);
    }

    /** With {@code countersRead}: a last column saying how each row's counters were obtained (null: no such column). */
    private static void writeCsv(Path file, List<SocketEntry> rows, List<String> countersRead) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".tcplens-", ".csv");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            if (countersRead == null) SocketCsv.write(w, rows);
            else SocketCsv.write(w, rows, countersRead);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void build() {
        table.getStyleClass().addAll("connections-table", Styles.DENSE);
        emptyPlaceholder.getStyleClass().add("table-placeholder");
        loadingPlaceholder.getStyleClass().addAll("table-placeholder", "loading");
        setLoading(true);
        table.getSelectionModel().setSelectionMode(SelectionMode.MULTIPLE);
        TableColumn<ConnectionRow, ConnectionRow> state = column("col.state", ConnectionColumn.STATE, r -> r, 120);
        state.setCellFactory(c -> new StateCell());
        table.getColumns().add(state);
        table.getColumns().add(column("col.local", ConnectionColumn.LOCAL, r -> r.key().local().toString(), 190));
        table.getColumns().add(column("col.remote", ConnectionColumn.REMOTE, ConnectionsView::remoteText, 190));
        TableColumn<ConnectionRow, String> proc = column("col.process", ConnectionColumn.PROCESS, ConnectionRow::processText, 170);
        table.getColumns().add(proc);
        table.getColumns().add(rightAligned(column("col.timeInState", ConnectionColumn.TIME_IN_STATE,
                r -> r.status() == ConnectionRow.Status.CLOSED ? b.getString("connections.closed")
                        : r.timeInStateMs() < 0 ? "" : (r.timeInStateIsMinimum() ? "\u2265 " : "") + Units.shortDuration(r.timeInStateMs()), 100)));
        table.getColumns().add(rightAligned(column("col.timeWaitLeft", ConnectionColumn.TIME_WAIT_LEFT,
                r -> r.entry().timeWaitRemainingMs() == null ? "" : Units.seconds(r.entry().timeWaitRemainingMs()), 100)));
        table.getColumns().add(rightAligned(column("col.sendQ", ConnectionColumn.SEND_Q, r -> r.entry().hasSendQueue() ? Long.toString(r.entry().sendQueue()) : "", 70)));
        table.getColumns().add(rightAligned(column("col.recvQ", ConnectionColumn.RECV_Q, r -> Long.toString(r.entry().receiveQueue()), 70)));
        table.getColumns().add(rightAligned(column("col.uid", ConnectionColumn.UID,
                r -> r.entry().uid() < 0 ? "" : Integer.toString(r.entry().uid()), 60)));
        // a narrow window squeezes the columns: never below a width where a header or a state name
        // ("ESTABLISHED") loses its end (issue 13 item 7); the default columns' floors fit a 1024 px
        // window (issue 18: Received was past its edge); with more columns chosen the table scrolls
        // sideways, see FittedColumns
        double[] floor = {108, 120, 138, 122, 76, 110, 72, 70, 46};
        for (int i = 0; i < floor.length; i++) {
            TableColumn<ConnectionRow, ?> c = table.getColumns().get(i);
            c.setMinWidth(floor[i]);
            c.setPrefWidth(Math.max(c.getPrefWidth(), floor[i]));
        }
        // "TIME_WAIT" above "left": 110 px with room for the sort arrow, not 138 (the column menu lists it on one line)
        FittedColumns.headerFloor(table.getColumns().get(5), new Label(b.getString("col.timeWaitLeft").replaceFirst(" ", "\n")), 110);
        closeAction = new CloseAction(ctx);
        ConnectionColumn.hostNames = hostNames;
        trafficColumns = TrafficColumns.create(b, dns, ctx.preferences(), this::countersPending);
        table.getColumns().addAll(trafficColumns);
        trafficShown = TrafficColumns.anyTrafficVisible(trafficColumns);
        for (TableColumn<ConnectionRow, String> c : trafficColumns)
            c.visibleProperty().addListener((o, a, n) -> {
                trafficShown = TrafficColumns.anyTrafficVisible(trafficColumns);
                showTrafficNote();
            });
        table.setTableMenuButtonVisible(true); // the "+" menu chooses the columns
        // UID waits in the column menu (issue 18): with it the default columns did not fit 1024 px; the choice is remembered
        TableColumn<ConnectionRow, ?> uid = table.getColumns().get(8);
        uid.setVisible(ctx.preferences().getBoolean(UID_PREF, false));
        uid.visibleProperty().addListener((o, a, n) -> remember(UID_PREF, Boolean.toString(n)));
        // many columns: scroll sideways rather than squeeze every header to "…"
        FittedColumns.install(table);
        // Sorting happens off the FX thread: the table only records what the user asked for.
        table.setSortPolicy(t -> {
            updateOrder();
            return true;
        });
        table.setRowFactory(t -> {
            TableRow<ConnectionRow> row = new TableRow<>() {
                @Override
                protected void updateItem(ConnectionRow item, boolean empty) {
                    super.updateItem(item, empty);
                    pseudoClassStateChanged(NEW, !empty && item != null && item.status() == ConnectionRow.Status.NEW);
                    pseudoClassStateChanged(CLOSED, !empty && item != null && item.status() == ConnectionRow.Status.CLOSED);
                }
            };
            row.setContextMenu(contextMenu(row));
            return row;
        });
        table.getSelectionModel().getSelectedItems().addListener((ListChangeListener<ConnectionRow>) c -> {
            if (selecting) return;
            Set<ConnectionKey> keys = new HashSet<>();
            for (ConnectionRow r : table.getSelectionModel().getSelectedItems()) if (r != null) keys.add(r.key());
            ctx.selectedConnections().set(Set.copyOf(keys));
        });
        ctx.selectedConnections().addListener((obs, o, n) -> {
            if (selecting || n == null) return;
            Set<ConnectionKey> mine = new HashSet<>();
            for (ConnectionRow r : table.getSelectionModel().getSelectedItems()) if (r != null) mine.add(r.key());
            if (!mine.equals(n)) {
                selecting = true;
                try {
                    reselect(n);
                } finally {
                    selecting = false;
                }
            }
        });
        table.setOnKeyPressed(e -> {
            if (new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN).match(e)) copyRows(table.getSelectionModel().getSelectedItems());
            else if (e.getCode() == KeyCode.SLASH && !e.isShortcutDown()) { // htop's /
                searchField.requestFocus();
                e.consume();
            }
        });
        root.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN).match(e)) {
                searchField.requestFocus();
                searchField.selectAll();
                e.consume();
            }
        });

        // the rows in view, for the poller's tcp_info (see tcpInfoDemand): after each layout of the window's scene
        root.sceneProperty().addListener((o, was, now) -> {
            if (was != null) was.removePostLayoutPulseListener(viewportListener);
            if (now != null) now.addPostLayoutPulseListener(viewportListener);
        });
        root.setTop(filterBar());
        restoreFilters();
        restoreSort();
        root.setCenter(table);
        root.getStyleClass().add("connections-view");
    }

    private void reselect(Set<ConnectionKey> keys) {
        table.getSelectionModel().clearSelection();
        int first = -1;
        ConnectionRows rows = items.content();
        for (int i = 0; i < rows.size(); i++) {
            if (keys.contains(rows.keyAt(i))) {
                table.getSelectionModel().select(i);
                if (first < 0) first = i;
            }
        }
    }

    private Node filterBar() {
        FlowPane chips = new FlowPane(4, 4);
        chips.getStyleClass().add("state-chips");
        for (TcpState s : StatePalette.ORDER) { // the app's one order of states (tiles, chips, process columns)
            ToggleButton t = new ToggleButton(s.name());
            t.setMnemonicParsing(false);
            t.setUserData(s);
            t.getStyleClass().addAll("state-chip", StatePalette.styleClass(s));
            Circle dot = new Circle(4);
            dot.getStyleClass().add("state-dot");
            t.setGraphic(dot);
            t.setFocusTraversable(true);
            t.setOnAction(e -> {
                if (t.isSelected()) stateChips.add(s);
                else stateChips.remove(s);
                applyFilter();
            });
            chipButtons.add(t);
            chips.getChildren().add(t);
        }
        portField.setPromptText(b.getString("filter.port"));
        portField.setPrefColumnCount(9);
        addressField.setPromptText(b.getString("filter.address"));
        addressField.setPrefColumnCount(14);
        processField.setPromptText(b.getString("filter.process"));
        processField.setPrefColumnCount(10);
        for (TextField f : List.of(portField, addressField, processField, searchField))
            f.textProperty().addListener((o, a, n) -> applyFilter());
        searchField.setPromptText(b.getString("search.prompt"));
        searchField.setTooltip(new Tooltip(b.getString("search.tip")));
        searchField.setPrefColumnCount(16);
        searchField.setMinWidth(120);
        searchField.getStyleClass().add("search-field");
        searchField.setOnKeyPressed(e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                searchField.clear();
                table.requestFocus();
            } else if (e.getCode() == KeyCode.ENTER || e.getCode() == KeyCode.DOWN) {
                table.requestFocus();
                if (!items.isEmpty() && table.getSelectionModel().isEmpty()) table.getSelectionModel().select(0);
            }
        });
        Button clear = new Button(b.getString("filter.clear"));
        clear.setOnAction(e -> {
            stateChips.clear();
            chipButtons.forEach(t -> t.setSelected(false));
            portField.clear();
            addressField.clear();
            processField.clear();
            searchField.clear();
            applyFilter();
        });
        pauseButton.setText(b.getString("action.pause"));
        pauseButton.setTooltip(new Tooltip(b.getString("action.pause.tip")));
        pauseButton.selectedProperty().addListener((o, a, n) -> {
            paused = n;
            pauseButton.setText(b.getString(n ? "action.resume" : "action.pause"));
            root.pseudoClassStateChanged(PseudoClass.getPseudoClass("paused"), n);
            if (!n) ctx.requestRefresh();
            if (!n && sortWaiting != null) {
                countersStatus.setText(MessageFormat.format(b.getString("connections.sortWaits"),
                        TrafficColumns.header(trafficColumns, sortWaiting)));
                PollingEngine e = engine;
                if (e != null) e.pollNow();
            }
        });
        Button export = new Button(b.getString("action.exportCsv"));
        export.setOnAction(e -> exportDialog());
        filterError.getStyleClass().add("filter-error");
        countLabel.getStyleClass().add("count-label");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        exportStatus.getStyleClass().add("count-label");
        exportStatus.setMinWidth(0);
        // a filter's error and what an export or a close did get a line of their own under the fields,
        // shown only while they say something: in a 1024 px window they were cut to "Exp…" beside the count
        HBox fields = new HBox(6, searchField, portField, addressField, processField, clear, spacer, countLabel, pauseButton, export);
        countersStatus.getStyleClass().addAll("count-label", "counters-status");
        countersStatus.setMinWidth(0);
        for (Label l : List.of(filterError, exportStatus, countersStatus)) {
            l.setWrapText(true);
            l.setMinHeight(Region.USE_PREF_SIZE);
            l.managedProperty().bind(l.textProperty().isNotEmpty());
            l.visibleProperty().bind(l.managedProperty());
        }
        fields.setAlignment(Pos.CENTER_LEFT);
        // narrow windows: the count and the buttons keep their full text; the filter fields give way
        for (Region r : List.of(clear, countLabel, pauseButton, export)) r.setMinWidth(Region.USE_PREF_SIZE);
        portField.setMinWidth(60);
        addressField.setMinWidth(90);
        processField.setMinWidth(104); // "Process/PID" whole (90 cut it to "Process/PI" at 1024 after Present)
        trafficNote.getStyleClass().addAll("count-label", "traffic-note");
        trafficNote.setVisible(false);
        trafficNote.managedProperty().bind(trafficNote.visibleProperty());
        VBox box = new VBox(6, chips, fields, filterError, exportStatus, countersStatus, trafficNote);
        box.setPadding(new Insets(8));
        box.getStyleClass().add("filter-bar");
        return box;
    }

    private void restoreFilters() {
        var prefs = ctx.preferences();
        restoring = true;
        try {
            for (String name : prefs.get("filter.states", "").split(",")) {
                TcpState.parse(name).ifPresent(stateChips::add);
            }
            for (ToggleButton t : chipButtons) t.setSelected(stateChips.contains((TcpState) t.getUserData()));
            portField.setText(prefs.get("filter.port", ""));
            addressField.setText(prefs.get("filter.address", ""));
            processField.setText(prefs.get("filter.process", ""));
        } finally {
            restoring = false;
        }
        applyFilter();
    }

    private boolean restoring;

    private void saveFilters() {
        Preferences node = ctx.preferences().node();
        node.put("filter.states", String.join(",", stateChips.stream().map(Enum::name).toList()));
        node.put("filter.port", portField.getText());
        node.put("filter.address", addressField.getText());
        node.put("filter.process", processField.getText());
        flushLater(node); // one write for the four
    }

    private void applyFilter() {
        if (restoring) return;
        try {
            filter = ConnectionFilter.parse(EnumSet.copyOf(withAll(stateChips)), portField.getText(), addressField.getText(),
                    processField.getText()).withSearch(ConnectionFilter.Search.of(searchField.getText(), hostNames));
            filterError.setText("");
            saveFilters();
        } catch (ConnectionFilter.InvalidFilterException e) {
            // the table must not keep showing the previous filter under an error: apply the fields that
            // are valid, leave out the bad one, and say so
            filter = validPart().withSearch(ConnectionFilter.Search.of(searchField.getText(), hostNames));
            filterError.setText(MessageFormat.format(b.getString("filter.ignored"), e.getMessage()));
        }
        ctx.requestRefresh();
    }

    private ConnectionFilter validPart() {
        Set<TcpState> st = EnumSet.copyOf(withAll(stateChips));
        String port = portField.getText(), addr = addressField.getText(), proc = processField.getText();
        for (String[] f : new String[][] {{port, addr}, {"", addr}, {port, ""}, {"", ""}}) {
            try {
                return ConnectionFilter.parse(st, f[0], f[1], proc);
            } catch (ConnectionFilter.InvalidFilterException ignored) {
                // try with fewer fields
            }
        }
        return ConnectionFilter.NONE.withStates(st);
    }

    private static Set<TcpState> withAll(Set<TcpState> s) {
        return s.isEmpty() ? EnumSet.noneOf(TcpState.class) : s;
    }

    private void updateOrder() {
        if (table.getSortOrder().isEmpty()) {
            sortedByTraffic = false;
            order = ConnectionColumn.STATE.comparator(true);
            if (sortRestored) remember("table.sort", "");
        } else {
            TableColumn<ConnectionRow, ?> c = table.getSortOrder().get(0);
            ConnectionColumn col = (ConnectionColumn) c.getUserData();
            sortedByTraffic = col.isTraffic();
            order = col.comparator(c.getSortType() == TableColumn.SortType.ASCENDING);
            if (sortRestored) remember("table.sort", col.name() + ":" + c.getSortType().name());
            if (col.isTraffic() && !countersComplete() && !items.content().isEmpty()) {
                // the rows shown carry the counters of the rows in view only: sorted now, most would sort as
                // blanks. The header shows the new sort; the rows stay as they are, and a poll now (not at the
                // next tick) reads every row's counters (tcpInfoDemand), then shows them sorted (show)
                sortWaiting = col;
                countersStatus.setText(MessageFormat.format(b.getString(paused ? "connections.sortWaitsResume" : "connections.sortWaits"),
                        TrafficColumns.header(trafficColumns, col)));
                PollingEngine e = engine;
                if (e != null && !paused) e.pollNow();
                return;
            }
        }
        if (sortWaiting != null) {
            sortWaiting = null;
            countersStatus.setText("");
        }
        resort(order);
    }

    /** False while the table is built: setting the sort policy sorts once, which must not overwrite the saved sort. */
    private boolean sortRestored;

    /** The sort chosen in an earlier run ("COLUMN:ASCENDING"); anything unreadable leaves the default. */
    private void restoreSort() {
        try {
            applySavedSort();
        } finally {
            sortRestored = true;
        }
    }

    private void applySavedSort() {
        String[] saved = ctx.preferences().get("table.sort", "").split(":");
        if (saved.length != 2) return;
        for (TableColumn<ConnectionRow, ?> c : table.getColumns()) {
            if (c.getUserData() instanceof ConnectionColumn col && col.name().equals(saved[0])) {
                try {
                    c.setSortType(TableColumn.SortType.valueOf(saved[1]));
                } catch (IllegalArgumentException e) {
                    return;
                }
                table.getSortOrder().setAll(List.of(c));
                return;
            }
        }
    }

    private <T> TableColumn<ConnectionRow, T> column(String key, ConnectionColumn col, Function<ConnectionRow, T> value, double width) {
        TableColumn<ConnectionRow, T> c = new TableColumn<>(b.getString(key));
        c.setUserData(col);
        c.setPrefWidth(width);
        c.setCellValueFactory(cd -> new ReadOnlyObjectWrapper<>(value.apply(cd.getValue())));
        c.setCellFactory(SteadyText.cells()); // a changed text does not re-add the cell's text node (CSS at every poll)
        return c;
    }

    private static <T> TableColumn<ConnectionRow, T> rightAligned(TableColumn<ConnectionRow, T> c) {
        c.getStyleClass().add("numeric");
        return c;
    }

    private ContextMenu contextMenu(TableRow<ConnectionRow> row) {
        // the row right-clicked, captured when the menu opens: a refresh may put another connection in this cell
        ConnectionRow[] clicked = new ConnectionRow[1];
        MenuItem copy = new MenuItem(b.getString("menu.copyRow"));
        copy.setOnAction(e -> {
            List<ConnectionRow> sel = List.copyOf(table.getSelectionModel().getSelectedItems());
            if (clicked[0] != null && sel.stream().noneMatch(r -> r != null && r.key().equals(clicked[0].key()))) sel = List.of(clicked[0]);
            copyRows(sel);
        });
        MenuItem ss = new MenuItem(b.getString("menu.copySs"));
        ss.setOnAction(e -> {
            if (clicked[0] != null) copyText(ssFilter(clicked[0].entry()));
        });
        MenuItem toRemote = new MenuItem(b.getString("menu.filterRemote"));
        toRemote.setOnAction(e -> {
            if (clicked[0] != null) setRemoteFilter(clicked[0].key().remote().host());
        });
        MenuItem showRemote = new MenuItem(b.getString("menu.showRemote"));
        showRemote.setOnAction(e -> {
            if (clicked[0] != null) {
                ctx.selectedConnections().set(Set.of(clicked[0].key()));
                ctx.showView("remotes");
            }
        });
        MenuItem resolve = new MenuItem(b.getString("close.menu.resolve"));
        resolve.setOnAction(e -> {
            List<ConnectionRow> sel = List.copyOf(table.getSelectionModel().getSelectedItems());
            if (clicked[0] != null && sel.stream().noneMatch(r -> r != null && r.key().equals(clicked[0].key()))) sel = List.of(clicked[0]);
            resolveNames(sel);
        });
        MenuItem close = new MenuItem(b.getString("close.menu"));
        close.setOnAction(e -> {
            if (clicked[0] != null)
                closeAction.run(lastSource, clicked[0].entry(), root, t -> exportStatus.setText(t));
        });
        MenuItem copyKill = new MenuItem(b.getString("close.menu.copy"));
        copyKill.setOnAction(e -> {
            if (clicked[0] == null) return;
            String cmd = CloseConnection.command(lastSource, clicked[0].entry());
            copyText(cmd);
            exportStatus.setText(MessageFormat.format(b.getString("close.copied"), cmd));
        });
        ContextMenu menu = new ContextMenu(copy, ss, resolve, new SeparatorMenuItem(), toRemote, showRemote,
                new SeparatorMenuItem(), close, copyKill);
        menu.setOnShowing(e -> clicked[0] = row.getItem());
        return menu;
    }

    /** The remote column: a listener has no peer, written "*" as {@code ss} does, not "0.0.0.0:0". */
    static String remoteText(ConnectionRow r) {
        var remote = r.key().remote();
        if (r.state() == TcpState.LISTEN && remote.isWildcard() && remote.port() == 0) return "*";
        return remote.toString();
    }

    /** An {@code ss} command selecting exactly this connection. */
    public static String ssFilter(SocketEntry e) {
        String src = e.local().isIpv6() ? "[" + e.local().host() + "]" : e.local().host();
        String dst = e.remote().isIpv6() ? "[" + e.remote().host() + "]" : e.remote().host();
        if (e.remote().isWildcard() && e.remote().port() == 0)
            return "ss -tanp src " + src + ":" + e.local().port();
        return "ss -tanp src " + src + ":" + e.local().port() + " dst " + dst + ":" + e.remote().port();
    }

    private void copyRows(List<ConnectionRow> rows) {
        copyRowsWithCounters(rows).thenAccept(ConnectionsView::copyText);
    }

    /**
     * FX thread: the text "Copy row" puts on the clipboard for these rows ({@link #rowsAsText}), with the counters
     * of the rows out of view (whose cells show "…": the polls read only the rows in view) read first by exact
     * lookups off the FX thread; a socket closed since says "closed" in its traffic cells. The future completes
     * on the FX thread; the status line says what was read then.
     */
    public CompletableFuture<String> copyRowsWithCounters(List<ConnectionRow> rows) {
        List<ConnectionRow> sel = new ArrayList<>();
        for (ConnectionRow r : rows) if (r != null) sel.add(r);
        List<SocketEntry> missing = new ArrayList<>();
        if (TrafficColumns.anyTrafficVisible(trafficColumns)) for (ConnectionRow r : sel) if (countersPending(r)) missing.add(r.entry());
        PollingEngine e = engine;
        if (missing.isEmpty() || e == null || !e.looksUpTcpInfo()) return CompletableFuture.completedFuture(rowsAsText(sel));
        CompletableFuture<String> out = new CompletableFuture<>();
        lookUp(e, missing).whenComplete((read, err) -> Platform.runLater(() -> {
            Throwable why = err instanceof CompletionException c && c.getCause() != null ? c.getCause() : err;
            TcpInfoReadings got = read == null ? TcpInfoReadings.NONE : read;
            out.complete(rowsAsText(sel, got, why == null ? null : b.getString("traffic.notRead")));
            exportStatus.setTooltip(null);
            exportStatus.setText(why != null
                    ? MessageFormat.format(b.getString("connections.copiedNotRead"), sel.size(), missing.size(), String.valueOf(why.getMessage()))
                    : MessageFormat.format(b.getString("connections.copiedRead"), sel.size(), missing.size(), gone(got, missing)));
        }));
        return out;
    }

    /** How many of {@code asked} the readings found closed. */
    private static int gone(TcpInfoReadings r, List<SocketEntry> asked) {
        int n = 0;
        for (SocketEntry e : asked) if (r.gone(e.cookie())) n++;
        return n;
    }

    /** The counters of these sockets now, by the engine's exact lookups on the lookup thread. */
    private static CompletableFuture<TcpInfoReadings> lookUp(PollingEngine e, List<SocketEntry> sockets) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return e.lookUpTcpInfo(sockets);
            } catch (SourceException x) {
                throw new CompletionException(x);
            }
        }, LOOKUP_THREAD);
    }

    /**
     * {@link #rowsAsText(List)} with counters read apart ({@code read}: a row without its own takes them from
     * there); a traffic cell still without counters says "closed" for a socket the lookup found closed, or
     * {@code notRead} (null: left as shown) when the lookup failed.
     */
    String rowsAsText(List<ConnectionRow> rows, TcpInfoReadings read, String notRead) {
        StringBuilder sb = new StringBuilder();
        for (ConnectionRow r0 : rows) {
            if (r0 == null) continue;
            SocketEntry e = read.applyTo(r0.entry());
            ConnectionRow r = e == r0.entry() ? r0
                    : new ConnectionRow(e, r0.status(), r0.timeInStateMs(), r0.stateSinceMillis(), r0.timeInStateIsMinimum(), r0.holders());
            List<String> cells = new ArrayList<>();
            for (TableColumn<ConnectionRow, ?> c : table.getVisibleLeafColumns()) {
                Object v = c.getCellData(r);
                String text = v instanceof ConnectionRow row ? row.state().name() : v == null ? "" : v.toString();
                if (TrafficColumns.PENDING.equals(text) && c.getUserData() instanceof ConnectionColumn k && k.isTraffic()) {
                    if (read.gone(e.cookie())) text = b.getString("traffic.closed");
                    else if (notRead != null) text = notRead;
                }
                cells.add(text);
            }
            sb.append(String.join("\t", cells)).append('\n');
        }
        return sb.toString();
    }

    /** Every shown column of the rows, as the table shows them, tab-separated (what "Copy row" puts on the clipboard). */
    public String rowsAsText(List<ConnectionRow> rows) {
        StringBuilder sb = new StringBuilder();
        for (ConnectionRow r : rows) {
            if (r == null) continue;
            List<String> cells = new ArrayList<>();
            for (TableColumn<ConnectionRow, ?> c : table.getVisibleLeafColumns()) { // as shown: hidden columns are not copied
                Object v = c.getCellData(r);
                cells.add(v instanceof ConnectionRow row ? row.state().name() : v == null ? "" : v.toString());
            }
            sb.append(String.join("\t", cells)).append('\n');
        }
        return sb.toString();
    }

    private static void copyText(String s) {
        ClipboardContent c = new ClipboardContent();
        c.putString(s);
        Clipboard.getSystemClipboard().setContent(c);
    }

    private void exportDialog() {
        FileChooser fc = new FileChooser();
        fc.setTitle(b.getString("action.exportCsv"));
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("CSV", "*.csv"));
        fc.setInitialFileName("tcplens-connections.csv");
        File f = fc.showSaveDialog(root.getScene() == null ? null : root.getScene().getWindow());
        if (f == null) return;
        exportCsvWithCounters(f.toPath()); // says in the status line when written
    }

    private final class StateCell extends SteadyText.Cell<ConnectionRow, ConnectionRow> {
        private final Circle dot = new Circle(5);
        private String stateClass;

        StateCell() {
            dot.getStyleClass().add("state-dot");
            setGraphic(null);
        }

        @Override
        protected void updateItem(ConnectionRow item, boolean empty) {
            super.updateItem(item, empty);
            if (empty || item == null) {
                setText(null);
                setGraphic(null);
                setTooltip(null);
                return;
            }
            setTooltip(help.tooltip(item.state()));
            // the state's colour class sits on the dot and changes only with the state: a style class
            // change makes JavaFX match the whole cell's CSS again, a large part of a scroll step
            String c = StatePalette.styleClass(item.state());
            if (!c.equals(stateClass)) {
                if (stateClass != null) dot.getStyleClass().remove(stateClass);
                dot.getStyleClass().add(c);
                stateClass = c;
            }
            setGraphic(dot);
            var k = item.entry().kernelState();
            setText(item.state().name() + (k != null && !k.name().equals(item.state().name()) ? " (" + k.name() + ")" : ""));
        }
    }

}
