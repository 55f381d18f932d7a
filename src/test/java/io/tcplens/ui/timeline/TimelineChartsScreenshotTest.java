package io.tcplens.ui.timeline;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.charts.ChartsView;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.theme.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javafx.stage.Stage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The TIME_WAIT timeline (density bands at 30k sockets, one bar per socket at 1.5k) and the charts in
 * both themes at 1024x700 and 1600x1000, for a person to look at (issue 11: they are painted in layers
 * and updated in place; nothing may look worse): {@code mvn -B test -Pscreenshots}.
 */
@Tag("screenshots")
class TimelineChartsScreenshotTest {
    @Test
    void timelineAndChartsInBothThemesAndSizes() throws Exception {
        FxTestSupport.start();
        for (int size : new int[] {30_000, 1_500}) {
            GeneratedTable table = new GeneratedTable(size, Math.max(100, size / 10));
            try (WindowFixture fixture = WindowFixture.open(TestPreferences.cleared("tcplens-test/timeline-charts-screenshots", 250),
                    table, 1024, 700, Theme.LIGHT)) {
                MainWindow w = fixture.window();
                Stage stage = fixture.stage();
                FxTestSupport.waitUntil(() -> w.lastShown() != null && w.lastShown().sequence() >= 8, 120_000, "8 polls shown");
                for (int[] wh : new int[][] {{1024, 700}, {1600, 1000}}) {
                    for (Theme theme : Theme.values()) {
                        for (String tab : new String[] {TimeWaitTimelineView.ID, ChartsView.ID}) {
                            if (size < 10_000 && tab.equals(ChartsView.ID)) continue;
                            FxTestSupport.onFx(() -> {
                                stage.setWidth(wh[0]);
                                stage.setHeight(wh[1]);
                                w.setTheme(theme);
                                w.showView(tab);
                            });
                            long seq = w.lastShown().sequence();
                            FxTestSupport.waitUntil(() -> w.lastShown().sequence() >= seq + 3, 240_000, "3 polls on " + tab);
                            FxTestSupport.settle();
                            Path p = FxTestSupport.screenshot(w.scene(), String.format("fx9-%s-%d-%s-%dx%d", tab, size,
                                    theme.name().toLowerCase(Locale.ROOT), wh[0], wh[1]));
                            assertTrue(Files.size(p) > 10_000, p.toString());
                        }
                    }
                }
            }
        }
    }
}
