package io.tcplens.ui.lab;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.lab.script.Script;
import io.tcplens.lab.script.Scripts;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.shell.Presentation;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import java.util.Arrays;
import java.util.List;
import javafx.scene.Scene;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 8: in Step through, no segment label covers another (bounding boxes), at every step
 * of every script, at 1024×700 and 1600×1000 and in presentation mode; screenshots of the busiest
 * steps in both themes. The mini state diagram beside the sequence: edge labels at least 10 px on
 * screen and not covering each other, in the area the tab really has in a 1024×700 window.
 */
class StepThroughLabelsTest {
    private static boolean overlap(double[] a, double[] b) {
        return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    }

    @Test
    void noLabelCoversAnotherAtAnyStep() {
        for (double[] size : new double[][] {{1024, 700}, {1600, 1000}}) {
            for (boolean present : new boolean[] {false, true})
            for (boolean inWindow : new boolean[] {false, true}) {
                TestShellContext ctx = new TestShellContext();
                ScenarioPlayerView view = FxTestSupport.onFx(() -> new ScenarioPlayerView(ctx));
                // the tab's own area in a window of that size: the header, tiles, tab strip and status bar
                // take ~230 px, and presenting leaves only the tab strip (~40 px)
                // (the sequence's labels are checked both on the view alone at the full size and in the tab's
                // real area: in the window at 1024x700 "stray-segment" step 8 used to print two labels over
                // each other, which the full-size check alone did not see)
                double tabHeight = inWindow ? size[1] - (present ? 40 : 230) : size[1];
                Scene scene = FxTestSupport.onFx(() -> LabViewsTest.scene(view.node(), Theme.LIGHT, size[0], tabHeight));
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
                        assertFalse(boxes.isEmpty() && i > 0 && s.steps().subList(0, i + 1).stream().anyMatch(x -> x.sends() != null),
                                s.id() + " step " + (i + 1) + ": no label placed");
                        double[] ring = FxTestSupport.onFx(view::sequenceRingBox);
                        for (double[] box : boxes)
                            assertFalse(ring != null && overlap(box, ring), s.id() + " step " + (i + 1) + " at " + size[0] + "x" + size[1]
                                    + (present ? " presenting" : "") + ": label " + Arrays.toString(box) + " under the current step's ring " + Arrays.toString(ring));
                        for (int a = 0; a < boxes.size(); a++)
                            for (int b = a + 1; b < boxes.size(); b++)
                                assertFalse(overlap(boxes.get(a), boxes.get(b)), s.id() + " step " + (i + 1) + " at " + size[0] + "x" + size[1]
                                        + (present ? " presenting" : "") + ": label " + Arrays.toString(boxes.get(a)) + " covers " + Arrays.toString(boxes.get(b)));
                    }
                    if (!inWindow) continue;
                    // the mini state diagram beside it: edge labels readable (>= 10 px) and not covering each other
                    FxTestSupport.onFx(view.stateDiagram()::renderNow);
                    double px = FxTestSupport.onFx(view.stateDiagram()::edgeLabelPx);
                    assertTrue(px >= 10, s.id() + " at " + size[0] + "x" + size[1] + (present ? " presenting" : "") + ": edge labels " + px + " px");
                    List<double[]> edges = FxTestSupport.onFx(view.stateDiagram()::edgeLabelBoxes);
                    assertFalse(edges.isEmpty(), s.id() + ": no edge label in view");
                    for (int a = 0; a < edges.size(); a++)
                        for (int b = a + 1; b < edges.size(); b++)
                            assertFalse(overlap(edges.get(a), edges.get(b)), s.id() + " mini diagram at " + size[0] + "x" + size[1]
                                    + (present ? " presenting" : "") + ": edge label " + Arrays.toString(edges.get(a)) + " covers " + Arrays.toString(edges.get(b)));
                    if (size[0] == 1024 && inWindow) {
                        FxTestSupport.settle();
                        FxTestSupport.screenshot(scene, "step-through-" + s.id() + "-light-1024x700" + (present ? "-present" : ""));
                        FxTestSupport.onFx(() -> {
                            ctx.theme.set(Theme.DARK);
                            ThemeStyles.apply(scene, Theme.DARK);
                        });
                        FxTestSupport.settle();
                        FxTestSupport.screenshot(scene, "step-through-" + s.id() + "-dark-1024x700" + (present ? "-present" : ""));
                        FxTestSupport.onFx(() -> {
                            ctx.theme.set(Theme.LIGHT);
                            ThemeStyles.apply(scene, Theme.LIGHT);
                        });
                    }
                }
                FxTestSupport.onFx(() -> Presentation.of(scene).set(false));
            }
        }
    }
}
