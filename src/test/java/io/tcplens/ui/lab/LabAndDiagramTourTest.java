package io.tcplens.ui.lab;

import io.tcplens.lab.LabScenario;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.theme.Theme;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Screenshot tour of what issue 13 items 8 and 9 changed: the Lab tab (per scenario knobs greyed out,
 * the description's fixed height) and the state diagram fitted beside its legend, on a generated
 * table of 20,000 sockets, light and dark, 1024×700 and 1600×1000.
 */
@Tag("screenshots")
class LabAndDiagramTourTest {
    @Test
    void labAndDiagramInBothThemesAndSizes() throws Exception {
        for (Theme theme : Theme.values()) {
            for (int[] size : new int[][] {{1024, 700}, {1600, 1000}}) {
                WindowFixture fixture = WindowFixture.open(TestPreferences.cleared("tcplens-test/lab-diagram-tour"),
                        new GeneratedTable(20_000, 400), size[0], size[1], theme);
                MainWindow w = fixture.window();
                FxTestSupport.waitUntil(() -> w.lastShown() != null && w.lastShown().sequence() >= 3, 60_000, "three polls shown");
                String suffix = theme.name().toLowerCase() + "-" + size[0] + "x" + size[1];
                FxTestSupport.onFx(() -> w.showView("diagram"));
                FxTestSupport.settle();
                Thread.sleep(1500);
                FxTestSupport.settle();
                FxTestSupport.screenshot(w.scene(), "tour-diagram-" + suffix);
                FxTestSupport.onFx(() -> w.showView(LabView.ID));
                FxTestSupport.settle();
                FxTestSupport.screenshot(w.scene(), "tour-lab-client-close-" + suffix);
                FxTestSupport.onFx(() -> w.part(LabView.class).select(LabScenario.EPHEMERAL_RANGE));
                FxTestSupport.settle();
                FxTestSupport.screenshot(w.scene(), "tour-lab-ephemeral-range-" + suffix);
                fixture.close();
            }
        }
    }
}
