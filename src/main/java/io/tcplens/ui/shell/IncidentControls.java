package io.tcplens.ui.shell;

import io.tcplens.analysis.alerts.AlertEvent;
import io.tcplens.analysis.alerts.AlertRule;
import io.tcplens.analysis.ports.PortRangeReader;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.replay.IncidentBuffer;
import io.tcplens.source.replay.RecordingWriter;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.stage.FileChooser;
import javafx.stage.Window;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The window's alerts and incident recorder (FX side): the Alerts button (how many hold now; opens
 * {@link AlertSettingsDialog}), a notification per alert that fires (the window's own {@link NoticeStack}: static
 * while it waits to hide, so it does not keep the toolkit pulsing), "Save last N min…" and Record. The work runs in {@link IncidentWatch}.
 */
public final class IncidentControls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentControls.class);
    static final String RULES = "alerts.rules", NOTIFY = "alerts.notify", MINUTES = "incident.minutes", MAX_MB = "incident.maxMB";
    /** The rules a new installation starts with: the tile's CLOSE_WAIT threshold, a nearly full destination, a leak. */
    public static final String DEFAULT_RULES = "CLOSE_WAIT>100; headroom<10%; closewait-growth>20/5m";

    /** Notices and the settings dialog in the theme's colours (added to the window's scene). */
    public static final String CSS = Objects.requireNonNull(IncidentControls.class.getResource("incident.css")).toExternalForm();

    private final ResourceBundle b;
    private final UiPreferences prefs;
    private final Supplier<Window> owner;
    private final Supplier<Theme> theme;
    private final IncidentWatch watch;
    private final Button alertsButton = new Button();
    private final Button saveButton = new Button();
    private final Button recordButton = new Button();
    /** Record is on (the button's state: a Button, so it takes the status bar's small style like the others). */
    private boolean recordingOn;
    private final List<AlertEvent> active = new ArrayList<>();
    private final NoticeStack notices;
    /** The alert cards showing (at most {@link #STACKED}), and the "several alerts" note that replaced them. */
    private final List<NoticeStack.Notice> alertNotices = new ArrayList<>();
    /** The condition ({@link AlertEvent#key}) each alert card shows. */
    private final Map<NoticeStack.Notice, String> alertKeys = new HashMap<>();
    private NoticeStack.Notice many;
    /**
     * The conditions the "several alerts" note stands for (FX thread): one count per condition, as the Alerts
     * button counts them, though rules applied again fire those that hold again.
     */
    private final Set<String> manyKeys = new HashSet<>();
    private SourceInfo.Kind kind;
    /** Where the last save or recording went, for the next file chooser. */
    private File lastDir;
    private String lastMessage;
    /** Why the incident buffer keeps its polls in memory (its temporary file could not be written), or null. */
    private String bufferNote;

    public IncidentControls(ResourceBundle bundle, UiPreferences prefs, PortRangeReader range,
                            Supplier<Window> owner, Supplier<Theme> theme) {
        this.b = bundle;
        this.prefs = prefs;
        this.owner = owner;
        this.theme = theme;
        this.notices = new NoticeStack(bundle.getString("notice.close"));
        this.watch = new IncidentWatch(rules(prefs), minutes(prefs) * 60_000L, maxMegabytes(prefs) << 20, range,
                ev -> Platform.runLater(() -> onAlerts(ev)),
                why -> Platform.runLater(() -> recordingFailed(why)),
                note -> Platform.runLater(() -> {
                    bufferNote = note;
                    updateButtons();
                }));

        alertsButton.setOnAction(e -> openSettings());
        LazyTooltip.install(alertsButton, b.getString("alerts.button.tip"));
        alertsButton.setId("alerts-button");
        saveButton.setOnAction(e -> saveLast());
        saveButton.setId("incident-save");
        recordButton.setText(b.getString("incident.record"));
        recordButton.setId("incident-record");
        recordButton.setOnAction(e -> toggleRecording());
        LazyTooltip.install(recordButton, b.getString("incident.record.tip"));
        updateButtons();
    }

    // ---- settings (stored with the window's other preferences) ----

    static List<AlertRule> rules(UiPreferences p) {
        try {
            return AlertRule.parseAll(p.get(RULES, DEFAULT_RULES));
        } catch (IllegalArgumentException e) {
            LOG.warn("stored alert rules ignored: {}", e.getMessage());
            return AlertRule.parseAll(DEFAULT_RULES);
        }
    }

    static boolean notify(UiPreferences p) {
        return !"false".equals(p.get(NOTIFY, "true"));
    }

    static int minutes(UiPreferences p) {
        return clamp(p.get(MINUTES, "15"), 1, 120, 15);
    }

    static int maxMegabytes(UiPreferences p) {
        return clamp(p.get(MAX_MB, "64"), 8, 1024, 64);
    }

    private static int clamp(String v, int min, int max, int def) {
        try {
            return Math.max(min, Math.min(max, Integer.parseInt(v.strip())));
        } catch (NumberFormatException e) {
            return def;
        }
    }

    /** Applies and stores new settings (the dialog's OK). */
    void apply(List<AlertRule> rules, boolean notify, int minutes, int maxMb) {
        prefs.put(RULES, AlertRule.format(rules));
        prefs.put(NOTIFY, Boolean.toString(notify));
        prefs.put(MINUTES, Integer.toString(minutes));
        prefs.put(MAX_MB, Integer.toString(maxMb));
        active.clear();
        watch.setRules(rules);
        watch.setBufferBounds(minutes * 60_000L, (long) maxMb << 20);
        updateButtons();
    }

    // ---- what MainWindow wires ----

    public IncidentWatch watch() {
        return watch;
    }

    public Button alertsButton() {
        return alertsButton;
    }

    public Button saveButton() {
        return saveButton;
    }

    public Button recordButton() {
        return recordButton;
    }

    /** FX thread: a new source (before its first poll). */
    public void sourceChanged(SocketTableSource src) {
        kind = src.info().kind();
        active.clear();
        watch.sourceChanged(src);
        recordingOn = false;
        updateButtons();
    }

    /** The conditions that hold now, as the window shows them. */
    public List<AlertEvent> active() {
        return List.copyOf(active);
    }

    /** Why the buffer keeps its polls in memory, as the window says it (FX thread), or null. */
    public String bufferNote() {
        return bufferNote;
    }

    /** The last save or recording message (tests), or null. */
    public String lastMessage() {
        return lastMessage;
    }

    private void updateButtons() {
        int n = active.size();
        alertsButton.setText(n == 0 ? b.getString("alerts.button") : MessageFormat.format(b.getString("alerts.button.active"), n));
        alertsButton.getStyleClass().remove("alerts-active");
        if (n > 0) alertsButton.getStyleClass().add("alerts-active");
        int minutes = minutes(prefs);
        saveButton.setText(MessageFormat.format(b.getString("incident.save"), minutes)
                + (bufferNote == null ? "" : " " + b.getString("incident.memory.short")));
        boolean replay = kind == SourceInfo.Kind.REPLAY;
        saveButton.setDisable(replay);
        recordButton.setDisable(replay);
        LazyTooltip.install(saveButton, replay ? b.getString("incident.replay")
                : MessageFormat.format(b.getString("incident.save.tip"), minutes, maxMegabytes(prefs))
                        + (bufferNote == null ? "" : "\n" + MessageFormat.format(b.getString("incident.memory"), bufferNote)));

        recordButton.setText(b.getString(recordingOn ? "incident.recording" : "incident.record"));
        recordButton.getStyleClass().remove("danger");
        if (recordingOn) recordButton.getStyleClass().add("danger");
    }

    // ---- alerts ----

    private void onAlerts(List<AlertEvent> events) {
        for (AlertEvent e : events) {
            active.removeIf(a -> a.key().equals(e.key()));
            if (e.fired()) {
                active.add(e);
                if (notify(prefs)) notifyDesktop(e);
            }
        }
        updateButtons();
    }

    /** The notification's title and text for an alert that fired. */
    String[] notificationText(AlertEvent e) {
        AlertRule r = e.rule();
        String when = r.op().text() + " " + r.thresholdText();
        String text = switch (r.kind()) {
            case STATE_COUNT -> r.state() == null
                    ? MessageFormat.format(b.getString("alerts.fired.total"), e.valueText(), when)
                    : MessageFormat.format(b.getString("alerts.fired.state"), e.valueText(), r.state().name(), when);
            case HEADROOM -> MessageFormat.format(b.getString("alerts.fired.headroom"), e.subject(), e.valueText(), when);
            case CLOSE_WAIT_GROWTH -> MessageFormat.format(b.getString("alerts.fired.growth"), e.subject(), e.valueText(),
                    durationText(r.windowMillis()), r.thresholdText());
        };
        String time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault())
                .format(Instant.ofEpochMilli(e.atMillis()));
        return new String[] {MessageFormat.format(b.getString("alerts.notify.title"), r.toString()),
                text + "\n" + MessageFormat.format(b.getString("alerts.notify.source"), e.source().label(), time)};
    }

    private static String durationText(long ms) {
        return ms % 60_000 == 0 ? (ms / 60_000) + " min" : (ms / 1000) + " s";
    }

    /** "5 alerts fired": the conditions of the cards the note replaced, this one's and those that fired while it was up. */
    private String manyTitle(int n) {
        return MessageFormat.format(b.getString("alerts.notify.many"), n);
    }

    /** Alert cards shown at once before they collapse into one "several alerts" note (as ControlsFX's threshold did). */
    static final int STACKED = 3;
    static final long ALERT_MILLIS = 12_000, INFO_MILLIS = 8_000;

    private void notifyDesktop(AlertEvent e) {
        String[] t = notificationText(e);
        alertNotices.removeIf(n -> !n.isShowing());
        alertKeys.keySet().retainAll(alertNotices);
        if (many != null && many.isShowing()) { // already collapsed: the note counts this one and stays up for it
            if (manyKeys.add(e.key())) many.setTitle(manyTitle(manyKeys.size()));
            many.hideIn(ALERT_MILLIS);
            return;
        }
        if (alertNotices.size() >= STACKED) {
            // many at once (e.g. several destinations crossing together) collapse into one that says how many
            manyKeys.clear();
            manyKeys.addAll(alertKeys.values());
            manyKeys.add(e.key());
            alertNotices.forEach(NoticeStack.Notice::hide);
            alertNotices.clear();
            alertKeys.clear();
            many = notices.show(NoticeStack.Kind.ALERT, manyTitle(manyKeys.size()), b.getString("alerts.notify.many.text"),
                    ALERT_MILLIS, this::openSettings);
            return;
        }
        NoticeStack.Notice card = notices.show(NoticeStack.Kind.ALERT, t[0], t[1], ALERT_MILLIS, this::openSettings);
        alertNotices.add(card);
        alertKeys.put(card, e.key());
    }

    /** The window's notifications (alerts, "saved"): the layer MainWindow puts over its content. */
    public NoticeStack notices() {
        return notices;
    }

    // ---- incident recorder ----

    private FileChooser chooser(String titleKey, String prefix) {
        FileChooser fc = new FileChooser();
        fc.setTitle(MessageFormat.format(b.getString(titleKey), minutes(prefs)));
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter(b.getString("replay.filter"), "*" + RecordingWriter.EXTENSION));
        File dir = lastDir != null ? lastDir : new File(System.getProperty("tcplens.recordings", System.getProperty("user.home")));
        if (dir.isDirectory()) fc.setInitialDirectory(dir);
        fc.setInitialFileName(prefix + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + RecordingWriter.EXTENSION);
        return fc;
    }

    private static Path withExtension(File f) {
        String name = f.getName();
        return name.endsWith(RecordingWriter.EXTENSION) ? f.toPath() : f.toPath().resolveSibling(name + RecordingWriter.EXTENSION);
    }

    /** "Save last N min…": asks where, then writes the buffer off the FX thread. */
    public void saveLast() {
        IncidentBuffer buf = watch.buffer();
        if (buf.records() == 0) {
            message(Alert.AlertType.INFORMATION, b.getString("incident.save.empty"));
            return;
        }
        File f = chooser("incident.save.title", "tcplens-incident-").showSaveDialog(owner.get());
        if (f == null) return;
        // the chooser asked before replacing an existing file
        saveLast(withExtension(f), f.exists());
    }

    /** Saves the buffer to {@code file}; the result is shown in a notification (or an error dialog). */
    public CompletableFuture<Integer> saveLast(Path file, boolean overwrite) {
        lastDir = file.getParent() == null ? null : file.getParent().toFile();
        saveButton.setDisable(true);
        long span = watch.buffer().spanMillis();
        return CompletableFuture.supplyAsync(() -> {
            try {
                return watch.saveLast(file, Long.MIN_VALUE, overwrite);
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }).whenComplete((n, err) -> Platform.runLater(() -> {
            updateButtons();
            if (err != null) {
                Throwable c = err.getCause() != null ? err.getCause() : err;
                LOG.warn("saving {} failed: {}", file, c.getMessage());
                message(Alert.AlertType.ERROR, MessageFormat.format(b.getString("incident.save.failed"), c.getMessage()));
                return;
            }
            lastMessage = MessageFormat.format(b.getString("incident.save.done"), n, spanText(span), file);
            LOG.info("{}", lastMessage);
            info(lastMessage);
        }));
    }

    static String spanText(long ms) {
        long s = Math.round(ms / 1000.0);
        return s >= 60 ? String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60) : s + " s";
    }

    /** Record is on. */
    public boolean isRecording() {
        return recordingOn;
    }

    /** Stops Record (what the button does while recording); the file is closed before this returns. */
    public void stopRecording() {
        recordingOn = false;
        RecordingWriter w = watch.recording();
        try {
            watch.stopRecording().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            LOG.warn("stopping the recording: {}", e.getCause().toString());
        }
        if (w != null) {
            lastMessage = MessageFormat.format(b.getString("incident.recorded"), w.records(), w.file());
            info(lastMessage);
        }
        updateButtons();
    }

    private void toggleRecording() {
        if (recordingOn) {
            stopRecording();
            return;
        }
        File f = chooser("incident.record.title", "tcplens-").showSaveDialog(owner.get());
        if (f == null) {
            recordingOn = false;
            updateButtons();
            return;
        }
        startRecording(withExtension(f), f.exists());
    }

    /** Starts Record to {@code file} (tests call this instead of going through the chooser). */
    public void startRecording(Path file, boolean overwrite) {
        lastDir = file.getParent() == null ? null : file.getParent().toFile();
        try {
            watch.startRecording(file, overwrite).get();
            recordingOn = true;
            LazyTooltip.of(recordButton).setText(MessageFormat.format(b.getString("incident.recording.tip"), file));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            recordingOn = false;
            message(Alert.AlertType.ERROR, MessageFormat.format(b.getString("incident.record.failed"), e.getCause().getMessage()));
        }
        updateButtons();
    }

    private void recordingFailed(String why) {
        recordingOn = false;
        updateButtons();
        message(Alert.AlertType.ERROR, MessageFormat.format(b.getString("incident.record.failed"), why));
    }

    private void info(String text) {
        notices.show(NoticeStack.Kind.INFO, b.getString("incident.notice.title"), text, INFO_MILLIS, null);
    }

    private void message(Alert.AlertType type, String text) {
        Alert a = new Alert(type, text);
        a.setHeaderText(null);
        a.setTitle(b.getString("incident.notify.title"));
        if (owner.get() != null) a.initOwner(owner.get());
        a.show();
    }

    // ---- settings dialog ----

    /** Opens the settings dialog (non-modal result applied on OK). */
    public AlertSettingsDialog openSettings() {
        AlertSettingsDialog d = new AlertSettingsDialog(b, watch.rules(), notify(prefs), minutes(prefs), maxMegabytes(prefs),
                List.copyOf(active), watch.buffer(), watch.every(), this::notificationText);
        if (owner.get() != null) d.initOwner(owner.get());
        ThemeStyles.apply(d.getDialogPane().getScene(), theme.get());
        d.getDialogPane().getScene().getStylesheets().add(CSS);
        d.resultProperty().addListener((o, a, r) -> {
            if (r != null) apply(r.rules(), r.notifications(), r.minutes(), r.maxMb());
        });
        d.show();
        return d;
    }

    @Override
    public void close() {
        watch.close();
    }
}
