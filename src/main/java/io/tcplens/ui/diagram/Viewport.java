package io.tcplens.ui.diagram;

import io.tcplens.diagram.DiagramLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the figure sits on the canvas: a point in design units {@code d} is drawn at
 * {@code d * scale + (tx, ty)} pixels. Immutable; zooming and panning give a new viewport.
 */
record Viewport(double scale, double tx, double ty) {
    static final Viewport IDENTITY = new Viewport(1, 0, 0);
    private static final double MIN_SCALE = 0.1, MAX_SCALE = 8, MARGIN = 10;

    /** The whole layout centred in a w × h area. */
    static Viewport fit(DiagramLayout layout, double w, double h) {
        double s = Math.max(0.05, Math.min((w - 2 * MARGIN) / layout.width(), (h - 2 * MARGIN) / layout.height()));
        return new Viewport(s, (w - layout.width() * s) / 2, (h - layout.height() * s) / 2);
    }

    /** The design rectangle (x, y, rw, rh) as large as fits, centred in a w × h area. */
    static Viewport fitRect(double x, double y, double rw, double rh, double w, double h) {
        double s = Math.max(0.05, Math.min((w - 2 * MARGIN) / rw, (h - 2 * MARGIN) / rh));
        return new Viewport(s, (w - rw * s) / 2 - x * s, (h - rh * s) / 2 - y * s);
    }

    /**
     * The whole layout in a w × h area whose top-left corner holds a card of legendW × legendH: beside
     * the card or below it, whichever draws the figure larger (the card never covers a node).
     */
    static Viewport fitBeside(DiagramLayout layout, double w, double h, double legendW, double legendH) {
        if (legendW <= 0 || legendH <= 0) return fit(layout, w, h);
        Viewport right = fit(layout, Math.max(1, w - legendW), h);
        Viewport below = fit(layout, w, Math.max(1, h - legendH));
        // centred in the whole area when that already clears the card
        Viewport whole = fit(layout, w, h);
        if (whole.tx >= legendW || whole.ty >= legendH) return whole;
        if (right.scale >= below.scale) {
            // centred in the whole width when that clears the card, else in the strip beside it
            double fw = layout.width() * right.scale, centred = (w - fw) / 2;
            return new Viewport(right.scale, centred >= legendW ? centred : centred + legendW / 2, right.ty);
        }
        double fh = layout.height() * below.scale, centred = (h - fh) / 2;
        return new Viewport(below.scale, below.tx, centred >= legendH ? centred : centred + legendH / 2);
    }

    /**
     * {@code v} frames the design rectangle (fx0, fy0)–(fx1, fy1) in a w × h area, filling it one way and
     * centred the other, where it shows more of the figure than that rectangle: moves it, the scale kept,
     * within that spare room (the rectangle staying whole) to where no box of {@code nodes} is cut by the
     * area's edge, the position nearest the centred one; where every position cuts one, the centred.
     */
    static Viewport slideToWholeBoxes(Viewport v, List<DiagramLayout.Node> nodes, double fx0, double fy0, double fx1, double fy1,
                                      double w, double h) {
        double s = v.scale;
        // the visible design window is [ox, ox + w/s] x [oy, oy + h/s]; the rectangle stays inside it
        double vw = w / s, vh = h / s;
        double ox = v.toDesignX(0), oy = v.toDesignY(0);
        double bestX = ox, bestY = oy;
        // two rounds: a box cut at the side may be out of sight once the frame moved up or down
        for (int round = 0; round < 2; round++) {
            bestX = slide(nodes, true, bestX, vw, fx1 - vw, fx0, bestY, vh);
            bestY = slide(nodes, false, bestY, vh, fy1 - vh, fy0, bestX, vw);
        }
        return new Viewport(s, -bestX * s, -bestY * s);
    }

    /**
     * Along one axis: the window's start in [lo, hi] (its start now: {@code at}) that cuts no box, nearest
     * {@code at}; {@code at} when none does. The other axis's window is [other, other + otherLen].
     */
    private static double slide(List<DiagramLayout.Node> nodes, boolean xAxis, double at, double len, double lo, double hi,
                                double other, double otherLen) {
        if (hi - lo < 0.5) return at;
        List<Double> candidates = new ArrayList<>();
        candidates.add(at);
        for (DiagramLayout.Node n : nodes) {
            double a = xAxis ? n.left() : n.top(), b = xAxis ? n.right() : n.bottom();
            // the window starting just past a box's far side, or ending just before its near side; or taking it whole
            for (double c : new double[] {b + MARGIN / 4, a - MARGIN / 4 - len, a - MARGIN / 4, b + MARGIN / 4 - len})
                if (c >= lo && c <= hi) candidates.add(c);
        }
        candidates.add(lo);
        candidates.add(hi);
        double best = at, bestDistance = Double.MAX_VALUE;
        for (double c : candidates) {
            if (cuts(nodes, xAxis, c, len, other, otherLen)) continue;
            double d = Math.abs(c - at);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Whether a box shows only in part in the window [start, start + len] (and [other, other + otherLen] the other way). */
    private static boolean cuts(List<DiagramLayout.Node> nodes, boolean xAxis, double start, double len, double other, double otherLen) {
        for (DiagramLayout.Node n : nodes) {
            double a = xAxis ? n.left() : n.top(), b = xAxis ? n.right() : n.bottom();
            double oa = xAxis ? n.top() : n.left(), ob = xAxis ? n.bottom() : n.right();
            if (ob <= other || oa >= other + otherLen) continue; // out of sight the other way
            boolean overlaps = b > start && a < start + len;
            boolean whole = a >= start && b <= start + len;
            if (overlaps && !whole) return true;
        }
        return false;
    }

    double toDesignX(double sx) {
        return (sx - tx) / scale;
    }

    double toDesignY(double sy) {
        return (sy - ty) / scale;
    }

    double toScreenX(double dx) {
        return dx * scale + tx;
    }

    double toScreenY(double dy) {
        return dy * scale + ty;
    }

    /** Zooms by {@code factor} keeping the design point under screen point (sx, sy) in place. */
    Viewport zoomAt(double factor, double sx, double sy) {
        double ns = Math.max(MIN_SCALE, Math.min(MAX_SCALE, scale * factor));
        double dx = toDesignX(sx), dy = toDesignY(sy);
        return new Viewport(ns, sx - dx * ns, sy - dy * ns);
    }

    Viewport panBy(double dx, double dy) {
        return new Viewport(scale, tx + dx, ty + dy);
    }
}
