package io.tcplens.ui.diagram;

import io.tcplens.diagram.DiagramLayout;

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
