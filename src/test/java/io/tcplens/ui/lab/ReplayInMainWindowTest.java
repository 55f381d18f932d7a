package io.tcplens.ui.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.SourceInfo;
import io.tcplens.source.replay.RecordingRoundTripTestAccess;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.theme.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** A recording opened in the real window: every view runs on it, labelled REPLAY, with the replay bar. */
class ReplayInMainWindowTest {
    @Test
    void aRecordingPlaysInTheWindowWithAReplayMarker() throws Exception {
        Path dir = Files.createTempDirectory("replaywin");
        Path f = RecordingRoundTripTestAccess.write(dir.resolve("demo.tcplens"));
        try (WindowFixture fixture = WindowFixture.open(TestPreferences.cleared("tcplens-test/replaywindow", 250), "replay:" + f,
                1400, 900, Theme.LIGHT)) {
            MainWindow w = fixture.window();
            FxTestSupport.waitUntil(() -> w.lastShown() != null && w.replayBar() != null, 15_000, "replay shown");
            assertEquals(SourceInfo.Kind.REPLAY, w.lastShown().snapshot().source().kind());
            assertTrue(w.statusText().contains("replay · demo.tcplens"), w.statusText());
            assertNotNull(FxTestSupport.onFx(() -> w.scene().lookup("#replay-marker")));
            // issue 13: the namespace picker would say "this machine" over the recording's data: hidden on a replay
            FxTestSupport.settle();
            assertFalse(FxTestSupport.onFx(() -> w.scene().lookup("#namespace-picker").isVisible()), "no namespace picker on a replay");
            FxTestSupport.onFx(() -> {
                w.replayBar().controller().pause();
                w.replayBar().controller().seekToIndex(3);
            });
            FxTestSupport.waitUntil(() -> w.lastShown().snapshot().timestampMillis()
                    == w.replayBar().controller().recording().timeOf(3), 10_000, "seek reached the views");
            FxTestSupport.settle();
            FxTestSupport.screenshot(w.scene(), "replay-window-light");
            FxTestSupport.onFx(() -> w.setTheme(Theme.DARK));
            FxTestSupport.settle();
            FxTestSupport.screenshot(w.scene(), "replay-window-dark");
            FxTestSupport.onFx(() -> w.switchSource("proc"));
            FxTestSupport.waitUntil(() -> w.replayBar() == null, 10_000, "the bar goes with the recording");
            FxTestSupport.waitUntil(() -> w.scene().lookup("#namespace-picker").isVisible(), 10_000, "the picker is back on the live table");
        }
    }
}
