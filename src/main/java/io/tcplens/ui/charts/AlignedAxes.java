package io.tcplens.ui.charts;

import java.util.List;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.scene.chart.Axis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.layout.Region;

/**
 * Value axes made as wide as the widest of them: charts stacked one above the other with their
 * y-axes aligned draw their plots from the same left edge, so their time axes line up (issue 18: the
 * rates chart's "300" was narrower than the states chart's "30,000" and its plot began 17 px further
 * left). Each axis's own width is the one it computes for its data range and height (widest tick label,
 * gap, tick mark, the rotated axis label); when an axis's tick marks change (a new range after a poll)
 * the widths are set again, and the charts lay out again in the next pulse.
 */
final class AlignedAxes {
    private final List<NumberAxis> axes;

    private AlignedAxes(List<NumberAxis> axes) {
        this.axes = axes;
    }

    /** Keeps these axes as wide as the widest of them. */
    static AlignedAxes align(NumberAxis... axes) {
        AlignedAxes a = new AlignedAxes(List.of(axes));
        for (NumberAxis x : axes) {
            x.getTickMarks().addListener((ListChangeListener<Axis.TickMark<Number>>) c -> a.later());
            x.tickLabelFontProperty().addListener(o -> a.later());
            x.labelProperty().addListener(o -> a.later());
        }
        return a;
    }

    /** The width the axis would take alone (its own computation, for its current data range and height). */
    double ownWidth(NumberAxis x) {
        double keep = x.getPrefWidth();
        x.setPrefWidth(Region.USE_COMPUTED_SIZE);
        try {
            return Math.ceil(x.prefWidth(x.getHeight() > 0 ? x.getHeight() : -1));
        } finally {
            x.setPrefWidth(keep);
        }
    }

    private boolean pending;

    /** Applies after the layout pass that changed the tick marks (a width set inside it is not the pass's to see). */
    private void later() {
        if (pending) return;
        pending = true;
        Platform.runLater(() -> {
            pending = false;
            apply();
        });
    }

    /** Gives every axis the widest one's width (where it changed). */
    void apply() {
        double w = 0;
        for (NumberAxis x : axes) w = Math.max(w, ownWidth(x));
        if (w <= 1) return; // not laid out yet
        for (NumberAxis x : axes) if (Math.abs(x.getPrefWidth() - w) > 0.5) x.setPrefWidth(w);
    }

    /** The axes' shared width now (tests). */
    double width() {
        return axes.getFirst().getPrefWidth();
    }
}
