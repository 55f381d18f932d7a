package io.tcplens.ui.tiles;

import java.util.Arrays;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Polyline;

/**
 * The recent counts of one tile as a line, scaled to its own minimum and maximum (a steady 14,000
 * is a flat line in the middle, not a line on the floor or the ceiling). Colours come from CSS
 * ({@code .sparkline-line}, {@code .sparkline-dot} use the tile's {@code -state-color}).
 */
public final class Sparkline extends Region {
    private final long[] values;
    private int size;
    private int head;
    private final Polyline line = new Polyline();
    private final Circle dot = new Circle(2.5);

    public Sparkline(int capacity) {
        values = new long[capacity];
        getStyleClass().add("sparkline");
        line.getStyleClass().add("sparkline-line");
        dot.getStyleClass().add("sparkline-dot");
        line.setManaged(false);
        dot.setManaged(false);
        getChildren().addAll(line, dot);
        setMinSize(20, 14);
        setPrefSize(80, 28);
    }

    public void add(long v) {
        values[(head + size) % values.length] = v;
        if (size < values.length) size++;
        else head = (head + 1) % values.length;
        requestLayout();
    }

    public void clear() {
        size = 0;
        head = 0;
        requestLayout();
    }

    public int size() {
        return size;
    }

    /** The values shown, oldest first. */
    public long[] values() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) out[i] = values[(head + i) % values.length];
        return out;
    }

    public long min() {
        return size == 0 ? 0 : Arrays.stream(values()).min().getAsLong();
    }

    public long max() {
        return size == 0 ? 0 : Arrays.stream(values()).max().getAsLong();
    }

    /** The y (0 = top, 1 = bottom) of each value as drawn: autoscaled to the window's min..max, flat in the middle when steady. */
    public double[] relativeYs() {
        long[] v = values();
        long lo = min(), hi = max();
        double[] ys = new double[v.length];
        for (int i = 0; i < v.length; i++) ys[i] = hi == lo ? 0.5 : 1.0 - (double) (v[i] - lo) / (hi - lo);
        return ys;
    }

    @Override
    protected void layoutChildren() {
        double pad = 3;
        double w = getWidth() - 2 * pad, h = getHeight() - 2 * pad;
        line.getPoints().clear();
        if (size == 0 || w <= 0 || h <= 0) {
            dot.setVisible(false);
            return;
        }
        double[] ys = relativeYs();
        // the polls held so far spread over the width, newest at the right edge
        double step = ys.length > 1 ? w / (ys.length - 1) : 0;
        double x0 = ys.length > 1 ? pad : pad + w;
        Double[] pts = new Double[ys.length * 2];
        for (int i = 0; i < ys.length; i++) {
            pts[2 * i] = x0 + i * step;
            pts[2 * i + 1] = pad + ys[i] * h;
        }
        line.getPoints().setAll(pts);
        dot.setVisible(true);
        dot.setCenterX(pts[pts.length - 2]);
        dot.setCenterY(pts[pts.length - 1]);
    }
}
