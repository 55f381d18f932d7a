package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.analysis.alerts.AlertEvent;
import io.tcplens.analysis.alerts.AlertRule;
import io.tcplens.model.TcpState;
import io.tcplens.source.replay.Recording;
import io.tcplens.source.replay.RecordingHeader;
import io.tcplens.source.replay.RecordingReader;
import io.tcplens.source.replay.RecordingWriter;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.theme.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts, the incident recorder and the shortcut sheet in the real window, on a generated (SIMULATED)
 * table of 6,000 sockets: an alert fires once and is counted on the Alerts button, the settings dialog
 * round-trips the rules, "Save last N min" writes a recording that replays with the polls' timestamps,
 * F1 opens the shortcut sheet where no state is selected. Screenshots: {@code -Pscreenshots}.
 */
class IncidentControlsTest {
    static WindowFixture fixture;
    static MainWindow window;
    static Stage stage;

    @TempDir
    static Path dir;

    @BeforeAll
    static void open() {
        UiPreferences prefs = TestPreferences.cleared("tcplens-test/incident", 1000);
        prefs.put(IncidentControls.RULES, "CLOSE_WAIT>100; headroom<10%; closewait-growth>20/5m");
        fixture = WindowFixture.open(prefs, new GeneratedTable(6000, 300), 1024, 700, Theme.LIGHT);
        window = fixture.window();
        stage = fixture.stage();
        fixture.awaitFirstPoll(20_000);
    }

    @AfterAll
    static void close() {
        if (fixture == null) return;
        FxTestSupport.onFx(() -> {
            for (Window w : List.copyOf(Window.getWindows())) if (w != stage && w instanceof Stage s) s.close();
        });
        fixture.close();
    }

    @Test
    void closeWaitAlertFiresOnceAndIsCounted() {
        IncidentControls inc = window.incident();
        // about 600 of the 6,000 generated sockets are CLOSE_WAIT: the rule holds from the first poll
        FxTestSupport.waitUntil(() -> inc.active().stream().anyMatch(e -> e.rule().toString().equals("CLOSE_WAIT>100")),
                20_000, "the CLOSE_WAIT alert");
        AlertEvent e = FxTestSupport.onFx(() -> inc.active().stream().filter(a -> a.rule().toString().equals("CLOSE_WAIT>100"))
                .findFirst().orElseThrow());
        String[] text = inc.notificationText(e);
        assertEquals("Alert: CLOSE_WAIT>100", text[0]);
        assertTrue(text[1].matches("(?s)\\d+ CLOSE_WAIT sockets \\(alert when > 100\\)\\nsimulated · .*"), text[1]);
        long firedAt = e.atMillis();
        long seq = FxTestSupport.onFx(() -> window.lastShown().sequence());
        FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= seq + 4, 20_000, "four more polls");
        window.incident().watch().drain();
        FxTestSupport.settle();
        // still the same condition (not fired again): its first event is kept until it clears
        AlertEvent still = FxTestSupport.onFx(() -> inc.active().stream().filter(a -> a.rule().toString().equals("CLOSE_WAIT>100"))
                .findFirst().orElseThrow());
        assertEquals(firedAt, still.atMillis(), "fired once, not at every poll");
        assertTrue(FxTestSupport.onFx(() -> inc.alertsButton().getText()).matches("Alerts \\(\\d+\\)"));
    }

    @Test
    void settingsDialogRoundTripsTheRules() {
        AlertSettingsDialog d = FxTestSupport.onFx(() -> window.incident().openSettings());
        try {
            AlertSettingsDialog.Settings s = FxTestSupport.onFx(d::settings);
            assertEquals("CLOSE_WAIT>100; headroom<10%; closewait-growth>20/5m", AlertRule.format(s.rules()));
            assertEquals("", FxTestSupport.onFx(() -> d.otherField().getText()));
            FxTestSupport.onFx(() -> d.otherField().setText("FIN_WAIT2>=200; bogus>1"));
            Node ok = FxTestSupport.onFx(() -> d.getDialogPane().lookupButton(d.getDialogPane().getButtonTypes().get(0)));
            assertTrue(FxTestSupport.onFx(ok::isDisable), "a rule that does not parse disables Save");
            FxTestSupport.onFx(() -> d.otherField().setText("FIN_WAIT2>=200"));
            assertFalse(FxTestSupport.onFx(ok::isDisable));
            assertEquals("CLOSE_WAIT>100; headroom<10%; closewait-growth>20/5m; FIN_WAIT2>=200",
                    AlertRule.format(FxTestSupport.onFx(d::settings).rules()));
        } finally {
            FxTestSupport.onFx(() -> {
                d.setResult(null);
                d.close();
            });
        }
    }

    @Test
    void saveLastMinutesReplaysWithTheirTimestamps() throws Exception {
        IncidentControls inc = window.incident();
        FxTestSupport.waitUntil(() -> inc.watch().buffer().records() >= 8, 20_000, "eight polls held");
        Path file = dir.resolve("incident" + RecordingWriter.EXTENSION);
        int n = FxTestSupport.onFx(() -> inc.saveLast(file, false)).get();
        Recording r = RecordingReader.read(file);
        assertEquals(n, r.size());
        assertTrue(n >= 8);
        assertEquals(RecordingHeader.class, r.header().getClass());
        assertEquals("generated", r.header().source().name());
        // the generated table's clock: one poll a second from its start, kept as recorded (a poll the
        // watch thread skipped while behind leaves a gap of whole seconds, and is counted)
        long missing = 0;
        for (int i = 1; i < r.size(); i++) {
            long gap = r.timeOf(i) - r.timeOf(i - 1);
            assertTrue(gap >= 1000 && gap % 1000 == 0, "poll " + i + ": " + gap);
            missing += gap / 1000 - 1;
        }
        assertTrue(missing <= inc.watch().skipped() + inc.watch().thinned(),
                missing + " polls missing, " + inc.watch().skipped() + " skipped, " + inc.watch().thinned() + " thinned");
        assertEquals(6000, r.snapshot(r.size() - 1).sockets().size());
        FxTestSupport.waitUntil(() -> inc.lastMessage() != null && inc.lastMessage().startsWith("Saved " + n + " polls"), 10_000,
                "the saved message");
        assertTrue(Files.size(file) > 0);
    }

    @Test
    void recordWritesEveryPollFromNowOn() throws Exception {
        IncidentControls inc = window.incident();
        Path file = dir.resolve("record" + RecordingWriter.EXTENSION);
        FxTestSupport.onFx(() -> inc.startRecording(file, false));
        assertTrue(FxTestSupport.onFx(inc::isRecording));
        assertEquals("■ Stop recording", FxTestSupport.onFx(() -> inc.recordButton().getText()));
        FxTestSupport.waitUntil(() -> inc.watch().recording() != null && inc.watch().recording().records() >= 3, 20_000,
                "three polls recorded");
        FxTestSupport.onFx(inc::stopRecording);
        assertFalse(FxTestSupport.onFx(inc::isRecording));
        Recording r = RecordingReader.read(file);
        assertTrue(r.stop().isEmpty(), "closed cleanly");
        assertTrue(r.size() >= 3, "records " + r.size() + ", every " + inc.watch().every() + ", thinned " + inc.watch().thinned() + ", skipped " + inc.watch().skipped());
        assertEquals(6000, r.snapshot(0).sockets().size());
        assertTrue(FxTestSupport.onFx(inc::lastMessage).startsWith("Recorded " + r.size() + " polls to "));
    }

    @Test
    void f1WithoutAStateOpensTheShortcutSheet() {
        FxTestSupport.onFx(() -> {
            window.scene().getRoot().requestFocus();
            Event.fireEvent(window.scene().getRoot(), new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.F1, false, false, false, false));
        });
        FxTestSupport.waitUntil(() -> window.shortcutSheet().isShowing(), 5000, "the shortcut sheet");
        FxTestSupport.onFx(() -> window.shortcutSheet().stage().hide());
    }

    // ---------------------------------------------------------------- screenshots for a person to look at

    /** A notice (alert or "saved") is up over the window's views. */
    private static boolean noticeShown() {
        return FxTestSupport.onFx(() -> window.scene().getRoot().lookup(".alert-notice") != null);
    }

    private static void hideNotices() {
        FxTestSupport.onFx(() -> window.incident().notices().showing().forEach(NoticeStack.Notice::hide));
    }

    @Test
    @Tag("screenshots")
    void screenshots() throws Exception {
        for (Theme t : Theme.values()) {
            String th = t.isDark() ? "dark" : "light";
            for (boolean full : new boolean[] {false, true}) {
                String size = full ? "full" : "1024";
                FxTestSupport.onFx(() -> {
                    window.setTheme(t);
                    stage.setWidth(full ? 1920 : 1024);
                    stage.setHeight(full ? 1080 : 700);
                });
                long seq = FxTestSupport.onFx(() -> window.lastShown().sequence());
                FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= seq + 2, 20_000, "two polls");
                FxTestSupport.settle();
                FxTestSupport.screenshot(window.scene(), "incident-window-" + th + "-" + size);
            }
            // a notification (the rules re-applied make what holds fire again)
            FxTestSupport.onFx(() -> window.incident().apply(AlertRule.parseAll(
                    "CLOSE_WAIT>100; headroom<10%; closewait-growth>20/5m"), true, 15, 64));
            FxTestSupport.waitUntil(IncidentControlsTest::noticeShown, 20_000, "a notification");
            long shownAt = System.nanoTime(); // a screenshot, not a check: let the fade-in finish
            FxTestSupport.waitUntil(() -> System.nanoTime() - shownAt > 1_000_000_000L, 5000, "the fade-in");
            FxTestSupport.settle();
            FxTestSupport.screenshot(window.scene(), "incident-notification-" + th);
            hideNotices();
            AlertSettingsDialog d = FxTestSupport.onFx(() -> window.incident().openSettings());
            FxTestSupport.settle();
            FxTestSupport.screenshot(d.getDialogPane().getScene(), "incident-settings-" + th);
            FxTestSupport.onFx(() -> {
                d.setResult(null);
                d.close();
            });
            FxTestSupport.onFx(() -> window.showShortcuts());
            FxTestSupport.settle();
            FxTestSupport.screenshot(window.shortcutSheet().stage().getScene(), "incident-shortcuts-" + th);
            FxTestSupport.onFx(() -> window.shortcutSheet().stage().hide());
            FxTestSupport.onFx(() -> window.incident().saveLast(dir.resolve("shot-" + th + RecordingWriter.EXTENSION), false));
            FxTestSupport.waitUntil(IncidentControlsTest::noticeShown, 20_000, "the saved notification");
            long savedAt = System.nanoTime(); // a screenshot, not a check: let the fade-in finish
            FxTestSupport.waitUntil(() -> System.nanoTime() - savedAt > 1_000_000_000L, 5000, "the fade-in");
            FxTestSupport.settle();
            FxTestSupport.screenshot(window.scene(), "incident-saved-" + th);
            hideNotices();
        }
        assertNotNull(TcpState.CLOSE_WAIT);
    }
}
