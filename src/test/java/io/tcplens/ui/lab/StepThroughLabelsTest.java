package io.tcplens.ui.lab;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.lab.script.Script;
import io.tcplens.lab.script.Scripts;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.shell.Presentation;
import io.tcplens.ui.theme.Theme;
import java.util.Arrays;
import java.util.List;
import javafx.scene.Scene;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 8: in Step through, no segment label covers another (bounding boxes), at every step
 * of every script, at 1024×700 and 1600×1000 and in presentation mode; screenshots of the busiest
 * steps in both themes.
 */
class StepThroughLabelsTest {
    private static boolean overlap(double[] a, double[] b) {
        return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    }

    @Test
    void noLabelCoversAnotherAtAnyStep() {
        for (double[] size : new double[][] {{1024, 700}, {1600, 1000}}) {
            for (boolean present : new boolean[] {false, true}) {
                TestShellContext ctx = new TestShellContext();
                ScenarioPlayerView view = FxTestSupport.onFx(() -> new ScenarioPlayerView(ctx));
                Scene scene = FxTestSupport.onFx(() -> LabViewsTest.scene(view.node(), Theme.LIGHT, size[0], size[1]));
                FxTestSupport.onFx(() -> Presentation.of(scene).set(present));
                for (Script s : Scripts.all()) {
                    FxTestSupport.onFx(() -> view.select(s.id()));
                    for (int i = 0; i < s.steps().size(); i++) {
                        FxTestSupport.onFx(() -> {
                            view.step();
                            scene.getRoot().applyCss();
                            scene.getRoot().layout();
                        });
                        List<double[]> boxes = FxTestSupport.onFx(view::sequenceLabelBoxes);
                        for (int a = 0; a < boxes.size(); a++)
                            for (int b = a + 1; b < boxes.size(); b++)
                                assertFalse(overlap(boxes.get(a), boxes.get(b)), s.id() + " step " + (i + 1) + " at " + size[0] + "x" + size[1]
                                        + (present ? " presenting" : "") + ": label " + Arrays.toString(boxes.get(a)) + " covers " + Arrays.toString(boxes.get(b)));
                    }
                    if (size[0] == 1024 && s.id().equals("lost-final-ack")) {
                        FxTestSupport.settle();
                        FxTestSupport.screenshot(scene, "step-through-lost-final-ack-light-1024x700" + (present ? "-present" : ""));
                        FxTestSupport.onFx(() -> {
                            ctx.theme.set(Theme.DARK);
                            io.tcplens.ui.theme.ThemeStyles.apply(scene, Theme.DARK);
                        });
                        FxTestSupport.settle();
                        FxTestSupport.screenshot(scene, "step-through-lost-final-ack-dark-1024x700" + (present ? "-present" : ""));
                        FxTestSupport.onFx(() -> {
                            ctx.theme.set(Theme.LIGHT);
                            io.tcplens.ui.theme.ThemeStyles.apply(scene, Theme.LIGHT);
                        });
                    }
                }
                FxTestSupport.onFx(() -> Presentation.of(scene).set(false));
            }
        }
    }
}
