package io.tcplens.ui.diagram;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.lab.script.Script;
import io.tcplens.lab.script.Scripts;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.lab.ScenarioPlayerView;
import io.tcplens.ui.theme.Theme;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.layout.StackPane;
import org.junit.jupiter.api.Test;

/**
 * Step through's small state diagram at step 0 of every script, in the area the tab has in a 1024 × 700
 * and a 1600 × 1000 window (light and dark): every state the walk will visit is framed whole, and no
 * other state box is cut in half by the canvas's edge (at 1600 × 1000 the handshake's frame ended across
 * FIN-WAIT-1 and CLOSE-WAIT). Screenshots: target/screenshots/step-through-frame-*.png.
 */
class StepThroughFramingTest {
    /** The window's header, tiles, tab strip and status bar take about 230 px of its height. */
    private static final double CHROME = 230;

    @Test
    void theWalkIsFramedWholeAndNoBoxIsCutAtStepZero() {
        List<String> problems = new ArrayList<>();
        for (double[] size : new double[][] {{1024, 700}, {1600, 1000}}) {
            for (Theme theme : Theme.values()) {
                TestShellContext ctx = new TestShellContext();
                ctx.theme.set(theme);
                ScenarioPlayerView view = FxTestSupport.onFx(() -> new ScenarioPlayerView(ctx));
                Scene scene = FxTestSupport.themedScene(FxTestSupport.onFx(() -> new StackPane(view.node())), size[0], size[1] - CHROME, theme);
                StateDiagramView diagram = view.stateDiagram();
                for (Script s : Scripts.all()) {
                    FxTestSupport.onFx(() -> {
                        view.select(s.id());
                        scene.getRoot().applyCss();
                        scene.getRoot().layout();
                        diagram.renderNow();
                    });
                    String where = s.id() + " at step 0 in a " + (int) size[0] + "x" + (int) size[1] + " window (" + theme + ")";
                    FxTestSupport.onFx(() -> {
                        double[] canvas = diagram.canvasSize();
                        assertTrue(canvas[0] > 100 && canvas[1] > 100, where + ": canvas " + Arrays.toString(canvas));
                        List<double[]> walk = diagram.walkBoxes();
                        assertFalse(walk.isEmpty(), where + ": no state of the walk");
                        for (double[] b : walk)
                            if (!inside(b, canvas)) problems.add(where + ": a state of the walk is not framed whole " + Arrays.toString(b));
                        for (double[] b : diagram.stateBoxes())
                            if (!inside(b, canvas) && !outside(b, canvas))
                                problems.add(where + ": a state box is cut by the canvas's edge " + Arrays.toString(b) + " in " + Arrays.toString(canvas));
                    });
                    if (s == Scripts.all().get(0))
                        FxTestSupport.screenshot(scene, "step-through-frame-" + s.id() + "-" + theme.name().toLowerCase() + "-" + (int) size[0] + "x" + (int) size[1]);
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private static boolean inside(double[] b, double[] canvas) {
        return b[0] >= -0.5 && b[1] >= -0.5 && b[0] + b[2] <= canvas[0] + 0.5 && b[1] + b[3] <= canvas[1] + 0.5;
    }

    private static boolean outside(double[] b, double[] canvas) {
        return b[0] + b[2] <= 0.5 || b[1] + b[3] <= 0.5 || b[0] >= canvas[0] - 0.5 || b[1] >= canvas[1] - 0.5;
    }
}
