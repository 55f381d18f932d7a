package io.tcplens.app;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.shell.StartedEngine;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.theme.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.prefs.Preferences;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/**
 * Issue 13/11: the window does not show its first frame and then wait for a poll begun after it. As
 * {@link Main} does, the source opens and its engine polls before the window exists; the window then
 * polls with that engine and its first poll on screen is the one taken before it was built.
 */
class EarlyEngineTest {
    @Test
    void theFirstPollOnScreenWasTakenBeforeTheWindowWasBuilt() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        Preferences node = Preferences.userRoot().node("tcplens-test/earlyengine");
        node.clear();
        UiPreferences prefs = new UiPreferences(node);
        prefs.setIntervalMillis(600_000); // one poll only while the test looks: the early one

        EarlySource.begin("proc", prefs.intervalMillis());
        FxTestSupport.start();
        FxTestSupport.waitUntil(() -> EarlySource.begun() != null && EarlySource.begun().held() != null, 60_000,
                "the early engine's first poll");
        StartedEngine early = EarlySource.begun();
        PollResult taken = early.held();
        assertTrue(taken.snapshot().warnings().contains(PollingEngine.OWNERS_NEXT_POLL), "the early poll skips the owner scan");

        Stage[] stage = new Stage[1];
        MainWindow w = FxTestSupport.onFx(() -> {
            MainWindow mw = UiComposition.window(prefs, "proc", Theme.LIGHT);
            stage[0] = new Stage();
            mw.show(stage[0]);
            return mw;
        });
        try {
            FxTestSupport.waitUntil(() -> w.lastShown() != null, 60_000, "a poll on screen");
            assertSame(early.engine(), w.engine(), "the window polls with the engine begun before it");
            assertSame(taken, w.lastShown(), "the first poll on screen is the one taken before the window was built");
            assertNull(early.held(), "the window took the held poll");
        } finally {
            FxTestSupport.onFx(() -> stage[0].close());
        }
    }
}
