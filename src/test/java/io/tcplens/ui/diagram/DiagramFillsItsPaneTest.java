package io.tcplens.ui.diagram;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import io.tcplens.diagram.SimulatedTraffic;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.theme.Theme;
import java.util.ArrayList;
import java.util.List;
import javafx.application.Application;
import javafx.scene.Parent;
import javafx.scene.Scene;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The State diagram tab at the sizes people use: the figure takes the width of its pane (the pane is
 * about 2.5 times as wide as high in a 1024 × 700 window), the legend covers no state box and no edge
 * label, nothing is cut off at the canvas's edges, and the labels stay readable. The scene is the tab's
 * content (toolbar and canvas) at the size the main window gives it: 1024 × 700 → 1024 × 438,
 * 1600 × 1000 → 1600 × 766, 1920 × 1080 → 1920 × 846. Generated traffic (21,000 connections, simulated),
 * light and dark, tokens coloured by state and (with the colour key under the legend) by process or
 * remote address; the pictures go to target/screenshots/diagram-fit-*.png.
 */
class DiagramFillsItsPaneTest {
    private Scene scene;

    @ParameterizedTest(name = "{0}x{1} {2} by {3}")
    @CsvSource({"1024, 438, LIGHT, STATE", "1024, 438, DARK, STATE", "1024, 438, LIGHT, PROCESS", "1600, 766, LIGHT, STATE",
            "1600, 766, DARK, STATE", "1600, 766, DARK, REMOTE", "1920, 846, LIGHT, STATE", "1920, 846, DARK, STATE"})
    void theFigureUsesThePaneAndTheLegendCoversNothing(int w, int h, Theme theme, String colourBy) {
        TestShellContext ctx = new TestShellContext();
        FxTestSupport.start();
        StateDiagramView view = FxTestSupport.onFx(() -> {
            Application.setUserAgentStylesheet(theme.isDark() ? new PrimerDark().getUserAgentStylesheet()
                    : new PrimerLight().getUserAgentStylesheet());
            ctx.theme.set(theme);
            StateDiagramView v = new StateDiagramView(ctx);
            scene = new Scene((Parent) v.node(), w, h);
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            v.setColourBy(colourBy); // the colour key grows the legend (the choice is saved: set back below)
            return v;
        });
        SimulatedPolls.feed(view, new SimulatedTraffic(21_000, 17), 4, 1_500);
        FxTestSupport.settle();
        FxTestSupport.onFx(view::renderNow);
        FxTestSupport.screenshot(scene, "diagram-fit-" + theme.name().toLowerCase() + "-" + w + "x" + h
                + (colourBy.equals("STATE") ? "" : "-by-" + colourBy.toLowerCase()));

        FxTestSupport.onFx(() -> {
            double[] canvas = view.canvasSize();
            double[] fig = view.figureBounds();
            String where = w + "x" + h + " (canvas " + (int) canvas[0] + "x" + (int) canvas[1] + ")";
            // the old figure (RFC 9293 figure 5 beside the legend card) took 44 % of the width at 1024 x 700,
            // 49 % with the colour key; the key's rows now take some height, where the figure is tightest
            double least = colourBy.equals("STATE") ? 0.85 : 0.75;
            assertTrue(fig[2] >= least * canvas[0], "figure " + (int) fig[2] + " px wide in " + where);
            List<double[]> drawn = new ArrayList<>(view.stateBoxes());
            drawn.addAll(view.edgeLabelBoxes());
            for (double[] b : drawn)
                assertTrue(b[0] >= 0 && b[1] >= 0 && b[0] + b[2] <= canvas[0] && b[1] + b[3] <= canvas[1],
                        "cut off at the canvas's edge: " + box(b) + " in " + where);
            double[] legend = view.legendBounds();
            assertTrue(legend != null, "a legend");
            for (double[] b : drawn) assertFalse(overlap(legend, b), "legend " + box(legend) + " over " + box(b) + " in " + where);
            assertTrue(view.edgeLabelPx() >= 9, "edge labels " + view.edgeLabelPx() + " px in " + where);
            assertTrue(view.badgeLabelPx() >= 10.5, "badges " + view.badgeLabelPx() + " px in " + where);
            assertTrue(view.rateLabelPx() >= 8, "rate chips " + view.rateLabelPx() + " px in " + where);
        });
        FxTestSupport.onFx(() -> view.setColourBy("STATE"));
    }

    private static boolean overlap(double[] a, double[] b) {
        return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    }

    private static String box(double[] b) {
        return String.format("[%.0f,%.0f %.0fx%.0f]", b[0], b[1], b[2], b[3]);
    }
}
