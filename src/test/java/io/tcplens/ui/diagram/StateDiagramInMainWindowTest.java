package io.tcplens.ui.diagram;

import io.tcplens.app.UiComposition;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.model.TcpState;
import io.tcplens.testutil.LoopbackSockets;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.table.ConnectionsView;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.theme.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.prefs.Preferences;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/** The diagram as a tab of the real main window on the live /proc source. */
class StateDiagramInMainWindowTest {

    @Test
    void diagramTabShowsLiveSocketsAndClickingABoxFiltersTheTable() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        try (LoopbackSockets lab = new LoopbackSockets()) {
            lab.established();
            lab.established();
            UiPreferences prefs = new UiPreferences(Preferences.userRoot().node("tcplens-test/diagram-window"));
            prefs.setIntervalMillis(250);
            FxTestSupport.start();
            Stage[] stage = new Stage[1];
            MainWindow window = FxTestSupport.onFx(() -> {
                MainWindow w = UiComposition.window(prefs, "proc", Theme.LIGHT);
                stage[0] = FxTestSupport.newStage(1000, 900);
                w.show(stage[0]);
                return w;
            });
            try {
                StateDiagramView view = (StateDiagramView) FxTestSupport.onFx(() -> window.views().stream()
                        .filter(v -> v.id().equals(StateDiagramView.ID)).findFirst().orElseThrow());
                FxTestSupport.onFx(() -> window.showView(StateDiagramView.ID));
                FxTestSupport.waitUntil(() -> view.model().restingCount(TcpState.ESTABLISHED) >= 4
                        || view.model().aggregated(), 60_000, "the live table on the diagram");
                FxTestSupport.settle();
                FxTestSupport.onFx(view::renderNow);
                FxTestSupport.screenshot(stage[0].getScene(), "diagram-in-main-window-light");
                FxTestSupport.onFx(() -> window.setTheme(Theme.DARK));
                FxTestSupport.settle();
                FxTestSupport.onFx(view::renderNow);
                FxTestSupport.screenshot(stage[0].getScene(), "diagram-in-main-window-dark");

                // a point of the box with no token on it, found and clicked in one FX task: a token there
                // (ours or another program's, moving or resting) would take the click and be followed instead
                FxTestSupport.onFx(() -> {
                    double[] box = view.screenPositionOfFreeBoxPoint(TcpState.ESTABLISHED);
                    view.clickAt(box[0], box[1]);
                });
                FxTestSupport.waitUntil(() -> !window.part(ConnectionsView.class).visibleRows().isEmpty()
                        && window.part(ConnectionsView.class).visibleRows().stream().allMatch(r -> r.state() == TcpState.ESTABLISHED),
                        60_000, "table filtered to ESTABLISHED");
                assertTrue(FxTestSupport.onFx(() -> window.views().contains(view)));
            } finally {
                FxTestSupport.onFx(() -> window.close());
                FxTestSupport.onFx(() -> stage[0].close());
            }
        }
    }
}
