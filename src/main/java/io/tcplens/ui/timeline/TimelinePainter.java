package io.tcplens.ui.timeline;

import io.tcplens.common.Units;
import io.tcplens.model.TcpState;
import io.tcplens.ui.theme.StatePalette;
import io.tcplens.ui.theme.CanvasPalette;
import io.tcplens.ui.theme.Theme;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.text.Font;
import javafx.scene.text.TextAlignment;
import java.util.function.DoubleUnaryOperator;

/** Draws a {@link TimelineModel.Prepared} on a canvas. FX thread; no sorting or aggregation here. */
final class TimelinePainter {
    static final double GUTTER = 190, AXIS = 26, TOP = 18;
    private static final Font SMALL = Font.font(11);

    private final ResourceBundle b;

    TimelinePainter(ResourceBundle b) {
        this.b = b;
    }

    /** Colour for a legend index: hues stepped around the TIME_WAIT colour; unknown = CLOSED grey. */
    static Color colour(int key, Theme t) {
        if (key < 0) return StatePalette.color(TcpState.CLOSED, t);
        Color base = StatePalette.color(TcpState.TIME_WAIT, t);
        return base.deriveColor((key % 8) * 45.0 + (key / 8) * 17.0, 1, 1, 1);
    }

    /** How many bar rows fit in a canvas of this height. */
    static int rowsThatFit(double height) {
        return (int) Math.max(1, (height - TOP - AXIS) / 2);
    }

    /**
     * Everything on one canvas, bottom to top: {@link #drawAxis}, {@link #drawData}, {@link #drawMarks}
     * (the view keeps them on three stacked canvases so that the moving "now" does not repaint the data).
     */
    void draw(GraphicsContext g, double w, double h, TimelineModel.Prepared p, Theme t, long displayNow) {
        drawAxis(g, w, h, p, t, displayNow);
        drawData(g, w, h, p, t, displayNow, false);
        drawMarks(g, w, h, p, t, displayNow, false);
    }

    /** The x of a time on this canvas, or null when the canvas is too small to plot in. */
    private static DoubleUnaryOperator xOf(TimelineModel.Prepared p, double w, double h) {
        double x0 = GUTTER, x1 = w - 12, plotH = h - AXIS - TOP;
        if (x1 - x0 < 50 || plotH < 20) return null;
        double span = p.axisEnd() - p.axisStart();
        return ms -> x0 + (ms - p.axisStart()) / span * (x1 - x0);
    }

    /**
     * The pixel column of the now line (as {@link #drawMarks} rounds it) for {@code displayNow}, or
     * {@code Long.MIN_VALUE} when nothing is plotted: the same column draws the same picture.
     */
    static long pixelOf(TimelineModel.Prepared p, double w, double h, long displayNow) {
        if (p == null) return Long.MIN_VALUE;
        DoubleUnaryOperator x = xOf(p, w, h);
        return x == null ? Long.MIN_VALUE : Math.round(x.applyAsDouble(displayNow));
    }

    /** The bottom layer: background, the grid and the seconds-from-now labels (they move with "now"). */
    void drawAxis(GraphicsContext g, double w, double h, TimelineModel.Prepared p, Theme t, long displayNow) {
        CanvasPalette pal = CanvasPalette.of(t);
        g.setFill(pal.background());
        g.fillRect(0, 0, w, h);
        g.setFont(SMALL);
        if (p == null) return;
        DoubleUnaryOperator x = xOf(p, w, h);
        if (x == null) return;
        double plotH = h - AXIS - TOP;
        double span = p.axisEnd() - p.axisStart();
        Color muted = pal.muted();
        // axis: seconds relative to now, every 10 s (every 30 s for long spans)
        long tick = span > 200_000 ? 30_000 : span > 100_000 ? 20_000 : 10_000;
        g.setStroke(pal.border());
        g.setLineWidth(1);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.TOP);
        long first = (long) Math.ceil((p.axisStart() - displayNow) / (double) tick) * tick;
        for (long rel = first; displayNow + rel <= p.axisEnd(); rel += tick) {
            double xx = Math.round(x.applyAsDouble(displayNow + rel)) + 0.5;
            g.strokeLine(xx, TOP, xx, TOP + plotH);
            g.setFill(muted);
            // a tick at the right edge is written right-aligned inside the canvas ("+60 s" was cut to "+60" at 1024 px)
            boolean atEdge = xx > w - 22;
            g.setTextAlign(atEdge ? TextAlignment.RIGHT : TextAlignment.CENTER);
            g.fillText((rel > 0 ? "+" : "") + rel / 1000 + " s", atEdge ? w - 2 : xx, TOP + plotH + 4);
        }
        g.setTextAlign(TextAlignment.CENTER);
    }

    /**
     * The middle layer: one bar per socket (they show "now" inside each bar) or the density bands
     * (fixed in time: they change only with a poll, a resize or the theme), with the group labels.
     * {@code clear}: the layer is a transparent canvas of its own.
     */
    void drawData(GraphicsContext g, double w, double h, TimelineModel.Prepared p, Theme t, long displayNow, boolean clear) {
        if (clear) g.clearRect(0, 0, w, h);
        if (p == null) return;
        DoubleUnaryOperator x = xOf(p, w, h);
        if (x == null) return;
        CanvasPalette pal = CanvasPalette.of(t);
        double x1 = w - 12, plotH = h - AXIS - TOP;
        g.setFont(SMALL);
        g.setLineWidth(1);
        if (!p.bandMode()) drawBars(g, p, t, x, plotH, x1, pal.foreground(), pal.muted(), pal.border(), displayNow);
        else drawBands(g, p, t, x, plotH, x1, pal.foreground(), pal.muted(), pal.border());
    }

    /** The top layer: the MSL / 2MSL marks and the "now" line. {@code clear}: a transparent canvas of its own. */
    void drawMarks(GraphicsContext g, double w, double h, TimelineModel.Prepared p, Theme t, long displayNow, boolean clear) {
        if (clear) g.clearRect(0, 0, w, h);
        if (p == null) return;
        DoubleUnaryOperator x = xOf(p, w, h);
        if (x == null) return;
        CanvasPalette pal = CanvasPalette.of(t);
        Color fg = pal.foreground(), muted = pal.muted();
        double plotH = h - AXIS - TOP;
        lastX1 = w - 12;
        g.setFont(SMALL);
        g.setLineWidth(1);
        // MSL / 2MSL marks: where a socket entering TIME_WAIT now will be at MSL and when it is freed
        long msl = p.duration().millis() / 2;
        mark(g, x.applyAsDouble(displayNow + msl), plotH, muted, b.getString("timeline.msl"), false);
        mark(g, x.applyAsDouble(displayNow + 2 * msl), plotH, muted, b.getString("timeline.twoMsl"), false);
        if (p.teaching() != null) {
            Color teach = StatePalette.warning(t);
            mark(g, x.applyAsDouble(displayNow + p.teaching().millis()), plotH, teach, MessageFormat.format(b.getString("timeline.teachingMsl"), p.teaching().millis() / 1000), true);
            mark(g, x.applyAsDouble(displayNow + p.teaching().twoMsl()), plotH, teach, MessageFormat.format(b.getString("timeline.teachingTwoMsl"), p.teaching().twoMsl() / 1000), true);
        }
        // the now line
        double nx = Math.round(x.applyAsDouble(displayNow)) + 0.5;
        g.setStroke(fg);
        g.setLineWidth(2);
        g.strokeLine(nx, TOP - 4, nx, TOP + plotH);
        g.setFill(fg);
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(b.getString("timeline.now"), nx, TOP - 4);
        g.setLineWidth(1);
    }

    private void mark(GraphicsContext g, double xx, double plotH, Color c, String label, boolean dashed) {
        if (xx > lastX1 + 1) return;
        g.setStroke(c);
        g.setLineDashes(dashed ? new double[] {2, 3} : new double[] {6, 4});
        g.strokeLine(Math.round(xx) + 0.5, TOP, Math.round(xx) + 0.5, TOP + plotH);
        g.setLineDashes(null);
        g.setFill(c);
        // keep the label inside the plot: right-aligned near the right edge
        boolean nearEnd = xx + label.length() * 3.5 > lastX1;
        g.setTextAlign(nearEnd ? TextAlignment.RIGHT : TextAlignment.CENTER);
        g.setTextBaseline(VPos.BOTTOM);
        g.fillText(label, nearEnd ? xx - 3 : xx, TOP - 4);
    }

    private double lastX1;
    /** A band colour at each opacity 0..255, made once per colour (the theme or the legend change the colour). */
    private final Map<Color, Color[]> shades = new HashMap<>();

    /** The opacity of the time left on a bar's timer, out of 255 (0.35). */
    private static final int LEFT_ALPHA = 89;
    private Theme keyTheme;
    private final Map<Integer, Color> keyColours = new HashMap<>();

    /** {@link #colour}, made once per legend index and theme (the bars are painted ten times a second). */
    private Color keyColour(int key, Theme t) {
        if (t != keyTheme) {
            keyColours.clear();
            keyTheme = t;
        }
        return keyColours.computeIfAbsent(key, k -> colour(k, t));
    }

    private Color[] shades(Color c) {
        Color[] out = shades.get(c);
        if (out == null) {
            if (shades.size() > 256) shades.clear();
            out = new Color[256];
            for (int a = 0; a < 256; a++) out[a] = c.deriveColor(0, 1, 1, a / 255.0);
            shades.put(c, out);
        }
        return out;
    }

    private void drawBars(GraphicsContext g, TimelineModel.Prepared p, Theme t, DoubleUnaryOperator x,
                          double plotH, double x1, Color fg, Color muted, Color grid, long displayNow) {
        int rows = Math.max(1, p.rows());
        double rowH = Math.min(14, plotH / rows);
        double barH = Math.max(1, rowH - (rowH >= 4 ? 1.5 : 0.5));
        g.setTextAlign(TextAlignment.RIGHT);
        g.setTextBaseline(VPos.CENTER);
        double lastLabel = -100;
        int hidden = 0;
        for (TimelineModel.Group gr : p.groups()) {
            double y = TOP + gr.firstRow() * rowH;
            g.setStroke(grid);
            g.strokeLine(GUTTER - 4, Math.round(y) + 0.5, x1, Math.round(y) + 0.5);
            double ly = y + Math.max(6, Math.min(gr.rows() * rowH / 2, 9));
            if (ly - lastLabel < 13) {
                hidden++;
                continue;
            }
            g.setFill(fg);
            g.fillText(ellipsis(gr.label(), 26) + "  " + Units.count(gr.count()), GUTTER - 8, ly);
            lastLabel = ly;
        }
        if (hidden > 0) {
            g.setFill(muted);
            g.setTextBaseline(VPos.TOP);
            g.fillText(MessageFormat.format(b.getString("timeline.unlabelled"), hidden), GUTTER - 8, TOP + plotH + 4);
        }
        for (TimelineModel.Bar bar : p.bars()) {
            double y = TOP + bar.row() * rowH;
            double xa = x.applyAsDouble(bar.entry()), xn = x.applyAsDouble(Math.min(Math.max(displayNow, bar.entry()), bar.expiry()));
            double xb = x.applyAsDouble(bar.expiry());
            Color c = keyColour(bar.colourKey(), t);
            g.setFill(c);
            g.fillRect(xa, y, Math.max(1, xn - xa), barH); // time spent in TIME_WAIT so far
            g.setFill(shades(c)[LEFT_ALPHA]);
            g.fillRect(xn, y, Math.max(0, xb - xn), barH); // time left on the kernel's timer
            if (!bar.expiryFromKernel() && rowH >= 4) {
                g.setStroke(c);
                g.setLineDashes(2, 2);
                g.strokeRect(xn, y + 0.5, Math.max(0, xb - xn), barH - 1);
                g.setLineDashes(null);
            }
        }
        if (p.bars().isEmpty()) {
            g.setFill(muted);
            g.setTextAlign(TextAlignment.CENTER);
            g.fillText(b.getString("timeline.empty"), (GUTTER + x1) / 2, TOP + plotH / 2);
        }
    }

    private void drawBands(GraphicsContext g, TimelineModel.Prepared p, Theme t, DoubleUnaryOperator x,
                           double plotH, double x1, Color fg, Color muted, Color grid) {
        List<TimelineModel.Band> bands = p.bands();
        double bandH = plotH / Math.max(1, bands.size());
        double binW = (x1 - GUTTER) / TimelineModel.BAND_BINS;
        g.setTextBaseline(VPos.CENTER);
        for (int i = 0; i < bands.size(); i++) {
            TimelineModel.Band band = bands.get(i);
            double y = TOP + i * bandH;
            Color c = keyColour(band.colourKey(), t);
            int[] alive = band.alive();
            int localMax = 1;
            for (int v : alive) localMax = Math.max(localMax, v);
            Color[] shades = shades(c);
            // height = sockets alive relative to this band's peak; opacity = relative to the busiest band.
            // A run of bins with the same count is one rectangle (before: one per bin, each with its own
            // derived colour: up to 40 x 480 rectangles and Colors per frame at 100k sockets, issue 11)
            for (int k = 0; k < alive.length; ) {
                int v = alive[k];
                int end = k + 1;
                while (end < alive.length && alive[end] == v) end++;
                if (v != 0) {
                    double hh = Math.max(1, (bandH - 3) * v / localMax);
                    double xa = GUTTER + k * binW;
                    g.setFill(shades[(int) Math.round(255 * (0.35 + 0.65 * v / (double) Math.max(1, p.bandMax())))]);
                    g.fillRect(xa, y + bandH - 1 - hh, (end - 1 - k) * binW + Math.ceil(binW), hh);
                }
                k = end;
            }
            g.setStroke(grid);
            g.strokeLine(0, Math.round(y + bandH) - 0.5, x1, Math.round(y + bandH) - 0.5);
            g.setFill(fg);
            g.setTextAlign(TextAlignment.RIGHT);
            String text = band.colourKey() < 0 && band.label().startsWith("+")
                    ? otherGroupsLabel(b, Integer.parseInt(band.label().substring(1)), band.count())
                    : ellipsis(band.label(), 26) + "  " + Units.count(band.count());
            g.fillText(text, GUTTER - 8, y + bandH / 2);
        }
    }

    /**
     * The last band's label, the groups that got no band of their own: "4,216 more, one socket each"
     * when each holds one socket (it read "4216 more groups  4,216": the same figure twice, grouped once),
     * else "12 more groups  4,216" (groups, then their sockets like every other band).
     */
    static String otherGroupsLabel(ResourceBundle b, int groups, int sockets) {
        return groups == sockets ? MessageFormat.format(b.getString("timeline.otherGroups.single"), groups)
                : MessageFormat.format(b.getString("timeline.otherGroups"), groups) + "  " + Units.count(sockets);
    }

    static String ellipsis(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
