package io.tcplens.ui.diagram;

import io.tcplens.common.Units;
import io.tcplens.diagram.DiagramLayout;
import io.tcplens.diagram.DiagramPlan;
import io.tcplens.diagram.EdgeStep;
import io.tcplens.diagram.TokenModel;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.ui.theme.CanvasPalette;
import io.tcplens.ui.theme.StatePalette;
import io.tcplens.ui.theme.Theme;
import java.text.MessageFormat;
import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.shape.StrokeLineJoin;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

/**
 * Draws the state diagram and its tokens on one {@link Canvas}: the figure in design units through a
 * {@link Viewport}, in a {@link RenderStyle}, then the {@link DiagramOverlay} (legend, tooltip,
 * history strip) in screen units. Everything that decides the picture is an argument of the render
 * calls; the renderer keeps only caches (text widths, scaled fonts, which category got which colour).
 * Also answers hit tests in design units. FX thread only.
 */
final class DiagramRenderer {
    /** Dots drawn per state box; the badge carries the full count. */
    static final int DOTS_PER_NODE = 14;
    static final double DOT_R = 5;
    static final double TOKEN_R = 7.5;

    private DiagramLayout layout;
    private final Map<String, Double> widths = new HashMap<>();
    private final Text measure = new Text();
    private final double[] pt = new double[2];

    /** The style and viewport of the render call in progress (set at its start, never from outside). */
    private Theme theme = Theme.LIGHT;
    private RenderStyle.TokenColouring colourBy = RenderStyle.TokenColouring.STATE;
    private double scale = 1;

    DiagramRenderer(DiagramLayout layout) {
        this.layout = layout;
    }

    /** The arrangement drawn from the next render call on (the view picks the one that fits its area). */
    void setLayout(DiagramLayout layout) {
        this.layout = layout;
    }

    DiagramLayout layout() {
        return layout;
    }

    // ---- fonts and colours ----

    private Font NODE_FONT = Font.font("System", FontWeight.BOLD, 18);
    private Font LABEL_FONT = Font.font("System", FontWeight.NORMAL, 13);
    private double fontBoost = 1;
    private boolean compact;

    /** The small embedded figure: no legend card, and edge labels kept at a readable size on screen. */
    void setCompact(boolean on) {
        compact = on;
        fontBoost = -1; // recompute the fonts at the next frame
    }

    /** The edge labels' text size on screen (px) at {@code view}'s scale. */
    double labelScreenPx(Viewport view) {
        scale = view.scale();
        scaleFonts();
        return LABEL_FONT.getSize() * view.scale();
    }

    /**
     * The screen boxes {x, y, w, h} of the edge labels whose box lies at least partly inside a
     * {@code w} × {@code h} canvas (tests: readable and not covering each other).
     */
    List<double[]> labelBoxes(Viewport view, double w, double h) {
        labelScreenPx(view);
        List<double[]> out = new ArrayList<>();
        for (DiagramLayout.Route r : layout.routes()) {
            TcpState.Edge e = r.edge();
            double tw = Math.max(width(e.event(), LABEL_FONT), width(e.action(), LABEL_FONT));
            double lh = LABEL_FONT.getSize() * 0.75;
            double bw = (tw + 14) * view.scale(), bh = (4 * lh - 1) * view.scale();
            double x = view.toScreenX(r.label().x()) - bw / 2, y = view.toScreenY(r.label().y()) - bh / 2;
            if (x + bw > 0 && y + bh > 0 && x < w && y < h) out.add(new double[] {x, y, bw, bh});
        }
        return out;
    }

    /** Keeps labels readable in small windows: text grows (a little) when the figure shrinks. */
    private void scaleFonts() {
        // compact (the Step-through mini-diagram): edge labels at least ~10.5 px on screen
        double k = Math.round(Math.min(compact ? 2.4 : 1.7, Math.max(1, (compact ? 10.5 : 9.5) / (13 * scale))) * 20) / 20.0;
        if (k == fontBoost) return;
        fontBoost = k;
        NODE_FONT = Font.font("System", FontWeight.BOLD, 18 * Math.min(k, 1.25));
        LABEL_FONT = Font.font("System", FontWeight.NORMAL, 13 * k);
    }
    private static final Font BADGE_FONT = Font.font("System", FontWeight.BOLD, 13);
    private Font badgeFont = BADGE_FONT;

    /** How much the count badges grow so their text is about 11 px on screen (at most 2.5×). */
    double badgeBoost() {
        return Math.round(Math.min(2.5, Math.max(1, 11 / (13 * scale))) * 20) / 20.0;
    }

    /** The count badges' text size on screen (px) at {@code view}'s scale. */
    double badgeScreenPx(Viewport view) {
        scale = view.scale();
        return 13 * badgeBoost() * view.scale();
    }

    private Font badgeFont(double k) {
        if (badgeFont.getSize() != 13 * k) badgeFont = Font.font("System", FontWeight.BOLD, 13 * k);
        return badgeFont;
    }
    private static final Font RATE_FONT = Font.font("System", FontWeight.BOLD, 11.5);
    private Font rateFont = RATE_FONT;

    /** How much the rate chips grow so their text is about 9 px on screen (at most 1.7×). */
    double rateBoost() {
        return Math.round(Math.min(1.7, Math.max(1, 9 / (11.5 * scale))) * 20) / 20.0;
    }

    private Font rateFont(double k) {
        if (rateFont.getSize() != 11.5 * k) rateFont = Font.font("System", FontWeight.BOLD, 11.5 * k);
        return rateFont;
    }

    /** The rate chips' text size on screen (px) at {@code view}'s scale. */
    double rateScreenPx(Viewport view) {
        scale = view.scale();
        return 11.5 * rateBoost() * view.scale();
    }
    private static final Font UI_FONT = Font.font("System", FontWeight.NORMAL, 13);
    private static final Font UI_BOLD = Font.font("System", FontWeight.BOLD, 13);

    private CanvasPalette palette() { return CanvasPalette.of(theme); }
    Color background() { return palette().background(); }
    Color foreground() { return palette().foreground(); }
    Color muted() { return palette().muted(); }
    Color edgeColour() { return palette().line(); }
    Color panel() { return palette().surface(); }
    Color accent() { return palette().highlight(); }
    private final Map<Theme, Map<TcpState, Color>> stateColours = new EnumMap<>(Theme.class);

    /** Colour slot per process or remote address, in order of first sight; -1 = "other". */
    private final Map<String, Integer> categorySlots = new HashMap<>();

    /** Forgets colour assignments (when the colour mode changes). */
    void resetCategories() {
        categorySlots.clear();
    }

    /** Gives a category the next free colour, if it has none yet (the largest are assigned first). */
    void assignCategory(String name) {
        if (name != null) slot(name);
    }

    private int slot(String name) {
        int n = palette().categories().size();
        return categorySlots.computeIfAbsent(name, k -> categorySlots.size() < n ? categorySlots.size() : -1);
    }

    Color category(String name) {
        if (name == null) return muted();
        int slot = slot(name);
        return slot < 0 ? muted() : palette().categories().get(slot);
    }

    /** The category key of a token under a colour mode (null = unknown, or colouring by state). */
    static String categoryOf(TokenModel.Token t, RenderStyle.TokenColouring colourBy) {
        SocketEntry e = t.entry();
        if (e == null) return null;
        return colourBy == RenderStyle.TokenColouring.PROCESS ? e.process()
                : colourBy == RenderStyle.TokenColouring.REMOTE ? e.remote().host() : null;
    }

    private String categoryOf(TokenModel.Token t) {
        return categoryOf(t, colourBy);
    }

    /** {@link StatePalette#color}, cached (it parses the hex each time). */
    Color state(TcpState s) {
        return stateColours.computeIfAbsent(theme, t -> {
            Map<TcpState, Color> m = new EnumMap<>(TcpState.class);
            for (TcpState x : TcpState.values()) m.put(x, StatePalette.color(x, t));
            return m;
        }).get(s);
    }

    Color tokenColour(TokenModel.Token t, TcpState shownState) {
        SocketEntry e = t.entry();
        return switch (colourBy) {
            case STATE -> state(shownState);
            case PROCESS, REMOTE -> category(categoryOf(t));
        };
    }

    private void begin(Viewport view, RenderStyle style) {
        theme = style.theme();
        colourBy = style.colourBy();
        scale = view.scale();
    }

    // ---- drawing ----

    /**
     * The still layer: background, highlighted path, edges, labels and state boxes. Redrawn only when
     * the picture itself changes (a poll, theme, zoom, pan, follow), or every frame in aggregated mode
     * where the flows move. The software pipeline then re-rasterizes only the token layer.
     */
    void renderBase(Canvas canvas, Viewport view, RenderStyle style, TokenModel model, DiagramPlan plan, ConnectionKey followed,
                    double clockMillis) {
        begin(view, style);
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth(), h = canvas.getHeight();
        scaleFonts();
        g.setTransform(1, 0, 0, 1, 0, 0);
        g.setGlobalAlpha(1);
        g.setFill(background());
        g.fillRect(0, 0, w, h);
        g.save();
        g.setTransform(view.scale(), 0, 0, view.scale(), view.tx(), view.ty());
        g.setLineCap(StrokeLineCap.ROUND);
        g.setLineJoin(StrokeLineJoin.ROUND);
        boolean aggregated = plan != null && plan.aggregated();
        double[] rates = plan == null ? null : plan.edgeRates();
        TokenModel.Token follow = followed == null ? null : model.token(followed);
        if (follow == null && followed != null)
            for (TokenModel.Token t : model.departing()) if (t.key().equals(followed)) follow = t;
        if (follow != null) drawFollowedPath(g, follow);
        drawEdges(g, rates, aggregated, clockMillis);
        drawLabels(g, rates, aggregated || (plan != null && plan.total() > 200));
        drawNodes(g, plan, aggregated);
        g.restore();
    }

    /** The moving layer (transparent): trails, resting dots, count badges, tokens, then the overlays. */
    void renderLive(Canvas canvas, Viewport view, RenderStyle style, TokenModel model, DiagramPlan plan, ConnectionKey followed,
                    DiagramOverlay overlay) {
        begin(view, style);
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth(), h = canvas.getHeight();
        g.setTransform(1, 0, 0, 1, 0, 0);
        g.setGlobalAlpha(1);
        g.clearRect(0, 0, w, h);
        g.save();
        g.setTransform(view.scale(), 0, 0, view.scale(), view.tx(), view.ty());
        g.setLineCap(StrokeLineCap.ROUND);
        g.setLineJoin(StrokeLineJoin.ROUND);
        boolean aggregated = plan != null && plan.aggregated();
        TokenModel.Token follow = followed == null ? null : model.token(followed);
        if (!aggregated) drawTrails(g, model);
        drawBadges(g, model, plan, aggregated);
        if (!aggregated) drawTokens(g, model, follow);
        g.restore();
        drawOverlay(g, w, h, overlay, aggregated);
    }

    private void drawFollowedPath(GraphicsContext g, TokenModel.Token t) {
        Color a = accent();
        g.setStroke(a.deriveColor(0, 1, 1, 0.35));
        g.setLineWidth(12);
        for (TokenModel.Step s : t.history()) {
            TcpState.Edge e = s.from().edgeTo(s.to()).orElse(null);
            if (e == null) continue;
            DiagramLayout.Route r = layout.route(e);
            g.setLineDashes(s.inferred() ? new double[] {10, 12} : null);
            g.strokePolyline(r.xs(), r.ys(), r.size());
        }
        g.setLineDashes((double[]) null);
    }

    private void drawEdges(GraphicsContext g, double[] rates, boolean aggregated, double clockMillis) {
        Color base = edgeColour();
        for (DiagramLayout.Route r : layout.routes()) {
            double rate = rates == null ? 0 : rates[r.index()];
            double width = 1.8 + (rate > 0 ? Math.min(12, 2.4 * Math.log1p(rate)) : 0);
            Color c = base;
            if (rate > 0) c = base.interpolate(state(r.edge().to()), Math.min(0.85, 0.35 + 0.1 * Math.log1p(rate)));
            g.setStroke(c);
            g.setLineWidth(width);
            g.setLineDashes((double[]) null);
            double[] xs = r.xs(), ys = r.ys();
            int n = r.size();
            // stop short of the box so the arrowhead sits on the border
            double ah = 10 + width * 0.9;
            double ex = xs[n - 1], ey = ys[n - 1];
            double ang = r.endAngle();
            xs[n - 1] = ex - Math.cos(ang) * ah * 0.8;
            ys[n - 1] = ey - Math.sin(ang) * ah * 0.8;
            g.strokePolyline(xs, ys, n);
            if (aggregated && rate > 0) {
                // moving dashes show the direction of the flow
                g.setStroke(Color.WHITE.deriveColor(0, 1, 1, theme.isDark() ? 0.35 : 0.7));
                g.setLineWidth(Math.max(1.2, width * 0.35));
                g.setLineDashes(3, 15);
                g.setLineDashOffset(-(clockMillis / 1000.0) * (30 + 12 * Math.log1p(rate)));
                g.strokePolyline(xs, ys, n);
                g.setLineDashes((double[]) null);
            }
            xs[n - 1] = ex;
            ys[n - 1] = ey;
            arrowHead(g, ex, ey, ang, ah, c);
        }
    }

    private static void arrowHead(GraphicsContext g, double x, double y, double ang, double size, Color c) {
        double w = size * 0.55;
        double bx = x - Math.cos(ang) * size, by = y - Math.sin(ang) * size;
        double nx = -Math.sin(ang) * w, ny = Math.cos(ang) * w;
        g.setFill(c);
        g.fillPolygon(new double[] {x, bx + nx, bx - nx}, new double[] {y, by + ny, by - ny}, 3);
    }

    private void drawLabels(GraphicsContext g, double[] rates, boolean showRates) {
        Color bg = background();
        Color text = muted();
        Color rule = edgeColour();
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        g.setFont(LABEL_FONT);
        for (DiagramLayout.Route r : layout.routes()) {
            TcpState.Edge e = r.edge();
            double tw = Math.max(width(e.event(), LABEL_FONT), width(e.action(), LABEL_FONT));
            double lh = LABEL_FONT.getSize() * 0.75;
            double w = tw + 14, h = 4 * lh - 1;
            double x = r.label().x(), y = r.label().y();
            g.setFill(bg.deriveColor(0, 1, 1, 0.94));
            g.fillRoundRect(x - w / 2, y - h / 2, w, h, 10, 10);
            g.setStroke(rule.deriveColor(0, 1, 1, 0.45));
            g.setLineWidth(1);
            g.strokeRoundRect(x - w / 2, y - h / 2, w, h, 10, 10);
            g.setFill(text);
            g.setFont(LABEL_FONT);
            g.fillText(e.event(), x, y - lh);
            g.setStroke(rule);
            g.setLineWidth(1);
            g.strokeLine(x - tw / 2, y, x + tw / 2, y);
            g.fillText(e.action(), x, y + lh);
            double rate = rates == null ? 0 : rates[r.index()];
            if (showRates && rate >= 0.05) {
                String s = Units.rate(rate);
                // like the badges: about 9 px on screen when the figure is drawn small (it was 6 px at 1024 x 700)
                double k = rateBoost();
                Font font = rateFont(k);
                double rw = width(s, font) + 12 * k, rh = 17 * k;
                Color c = state(e.to());
                g.setFill(c);
                // beside the label on a vertical edge, above it on a horizontal one: never on the line
                boolean vertical = r.verticalNear(x, y);
                double cx = vertical ? x + w / 2 + 4 + rw / 2 : x + w / 2 - rw / 2;
                double cy = vertical ? y : y - h / 2 - 2.5 - rh / 2;
                g.fillRoundRect(cx - rw / 2, cy - rh / 2, rw, rh, rh, rh);
                g.setFill(palette().onFill());
                g.setFont(font);
                g.fillText(s, cx, cy);
            }
        }
    }

    private void drawNodes(GraphicsContext g, DiagramPlan plan, boolean aggregated) {
        Color bg = background();
        Color fg = foreground();
        for (DiagramLayout.Node n : layout.nodes()) {
            TcpState s = n.state();
            Color c = state(s);
            int count = n.terminal() || plan == null ? 0 : plan.counts().getOrDefault(s, 0);
            double mix = count > 0 ? (theme.isDark() ? 0.20 : 0.18) : (theme.isDark() ? 0.09 : 0.07);
            // soft shadow
            g.setFill(Color.BLACK.deriveColor(0, 1, 1, theme.isDark() ? 0.35 : 0.08));
            g.fillRoundRect(n.left() + 2, n.top() + 4, n.w(), n.h(), 22, 22);
            g.setFill(bg.interpolate(c, mix));
            g.fillRoundRect(n.left(), n.top(), n.w(), n.h(), 22, 22);
            g.setStroke(c);
            g.setLineWidth(count > 0 ? 3 : 2);
            if (n.terminal()) g.setLineDashes(6, 5);
            g.strokeRoundRect(n.left(), n.top(), n.w(), n.h(), 22, 22);
            g.setLineDashes((double[]) null);
            g.setFill(fg);
            g.setFont(NODE_FONT);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.CENTER);
            g.fillText(s.rfcName(), n.cx(), n.cy() - (aggregated || n.terminal() ? 0 : 9));
        }
    }

    /**
     * Count badges and resting dots. A badge is the number of sockets the last poll found in the state
     * (never the number of animation tokens, which also rest on states a connection was only inferred
     * to pass through). Where more tokens rest on a state than the kernel reported, a dashed badge
     * below says how many of them are inferred positions.
     */
    private void drawBadges(GraphicsContext g, TokenModel model, DiagramPlan plan, boolean aggregated) {
        Color bg = background();
        NumberFormat nf = NumberFormat.getIntegerInstance();
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        for (DiagramLayout.Node n : layout.nodes()) {
            if (n.terminal()) continue;
            TcpState s = n.state();
            int count = badgeCount(plan, s);
            if (!aggregated) drawDots(g, model, n);
            int inferred = aggregated ? 0 : inferredCount(model, plan, s);
            if (inferred > 0) {
                String text = MessageFormat.format(inferredBadge, inferred);
                double bw = width(text, UI_FONT) + 14;
                double bx = n.cx() - bw / 2, by = n.bottom() - 9;
                g.setFill(panel());
                g.fillRoundRect(bx, by, bw, 18, 18, 18);
                g.setStroke(state(s));
                g.setLineWidth(1.5);
                g.setLineDashes(4, 3);
                g.strokeRoundRect(bx, by, bw, 18, 18, 18);
                g.setLineDashes((double[]) null);
                g.setFill(foreground());
                g.setFont(UI_FONT);
                g.fillText(text, bx + bw / 2, by + 9);
            }
            if (count <= 0) continue;
            Color c = state(s);
            String text = nf.format(count);
            // the count stays readable (~11 px on screen) when the figure is drawn small
            double k = badgeBoost();
            Font font = badgeFont(k);
            double bh = 22 * k;
            double bw = Math.max(26 * k, width(text, font) + 14 * k);
            // grown, it sits on the box's top-right corner, above the state's name rather than over it
            double bx = k > 1 ? n.right() - bw * 0.6 : n.right() - bw + 10, by = k > 1 ? n.top() - bh * 0.8 : n.top() - bh / 2;
            g.setFill(c);
            g.fillRoundRect(bx, by, bw, bh, bh, bh);
            g.setStroke(bg);
            g.setLineWidth(2 * k);
            g.strokeRoundRect(bx, by, bw, bh, bh, bh);
            g.setFill(palette().onFill());
            g.setFont(font);
            g.fillText(text, bx + bw / 2, by + bh / 2);
        }
    }

    /** "{0} inferred": the dashed badge under a state where tokens rest that the kernel did not report there. */
    private String inferredBadge = "{0} inferred";

    /** The pattern of the "N inferred" badge, from the view's bundle. */
    void setInferredBadgeText(String pattern) {
        inferredBadge = pattern;
    }

    /** The badge figure for a state: the sockets the last poll reported in it (after the view's filter). */
    static int badgeCount(DiagramPlan plan, TcpState s) {
        return plan == null ? 0 : plan.counts().getOrDefault(s, 0);
    }

    /** Tokens resting on a state beyond the sockets really in it: positions the animation inferred. */
    static int inferredCount(TokenModel model, DiagramPlan plan, TcpState s) {
        return Math.max(0, model.restingCount(s) - badgeCount(plan, s));
    }

    private void drawDots(GraphicsContext g, TokenModel model, DiagramLayout.Node n) {
        Collection<TokenModel.Token> rest = model.resting(n.state());
        if (rest.isEmpty()) return;
        int shown = Math.min(DOTS_PER_NODE, rest.size());
        int i = 0;
        Color ring = background();
        for (TokenModel.Token t : rest) {
            if (i >= shown) break;
            dotSlot(n, i, shown, pt);
            g.setFill(tokenColour(t, n.state()));
            g.fillOval(pt[0] - DOT_R, pt[1] - DOT_R, 2 * DOT_R, 2 * DOT_R);
            g.setStroke(ring);
            g.setLineWidth(1.2);
            g.strokeOval(pt[0] - DOT_R, pt[1] - DOT_R, 2 * DOT_R, 2 * DOT_R);
            i++;
        }
    }

    /** Where the i-th of {@code shown} resting dots sits inside a box. */
    static void dotSlot(DiagramLayout.Node n, int i, int shown, double[] out) {
        double spacing = 2 * DOT_R + 2.5;
        double row = (shown - 1) * spacing;
        out[0] = n.cx() - row / 2 + i * spacing;
        out[1] = n.cy() + 16;
    }

    private void drawTokens(GraphicsContext g, TokenModel model, TokenModel.Token follow) {
        Collection<TokenModel.Token> moving = model.moving();
        Color bg = background();
        for (TokenModel.Token t : model.departing()) {
            if (t.moving()) continue;
            DiagramLayout.Node end = t.at() == TcpState.CLOSED ? endNodeFor(t) : layout.home(t.at());
            dotSlot(end, 0, 1, pt);
            g.setGlobalAlpha(Math.max(0, Math.min(1, t.fade())));
            g.setFill(tokenColour(t, t.at()));
            g.fillOval(pt[0] - TOKEN_R, pt[1] - TOKEN_R, 2 * TOKEN_R, 2 * TOKEN_R);
            g.setGlobalAlpha(1);
        }
        if (moving.size() > CHEAP_ABOVE) {
            drawManyTokens(g, moving);
            moving = List.of();
        }
        for (TokenModel.Token t : moving) {
            EdgeStep s = t.current();
            DiagramLayout.Route r = layout.route(s.edgeIndex());
            r.pointAt(ease(t.progress()), pt);
            Color c = tokenColour(t, s.to());
            if (t.leaving()) g.setGlobalAlpha(0.85);
            double x = pt[0], y = pt[1];
            if (s.inferred()) {
                g.setFill(bg);
                g.fillOval(x - TOKEN_R, y - TOKEN_R, 2 * TOKEN_R, 2 * TOKEN_R);
                g.setStroke(c);
                g.setLineWidth(3);
                g.setLineDashes(3.2, 2.6);
                g.strokeOval(x - TOKEN_R + 1, y - TOKEN_R + 1, 2 * TOKEN_R - 2, 2 * TOKEN_R - 2);
                g.setLineDashes((double[]) null);
            } else {
                g.setFill(c);
                g.fillOval(x - TOKEN_R, y - TOKEN_R, 2 * TOKEN_R, 2 * TOKEN_R);
                g.setStroke(bg);
                g.setLineWidth(2);
                g.strokeOval(x - TOKEN_R, y - TOKEN_R, 2 * TOKEN_R, 2 * TOKEN_R);
            }
            g.setGlobalAlpha(1);
        }
        if (follow != null) {
            double[] p = tokenPosition(model, follow);
            if (p != null) {
                g.setStroke(accent());
                g.setLineWidth(3);
                g.strokeOval(p[0] - TOKEN_R - 5, p[1] - TOKEN_R - 5, 2 * TOKEN_R + 10, 2 * TOKEN_R + 10);
            }
        }
    }

    /** Above this many tokens in motion each is one plain square (one draw call), observed or not. */
    static final int CHEAP_ABOVE = 1_500;
    /** At most this many tokens in motion are drawn; beyond, an even sample (edge thickness shows the rest). */
    static final int DRAWN_MAX = 4_000;

    private void drawManyTokens(GraphicsContext g, Collection<TokenModel.Token> moving) {
        int every = Math.max(1, (moving.size() + DRAWN_MAX - 1) / DRAWN_MAX);
        int i = 0;
        double r = TOKEN_R * 0.8;
        Color last = null;
        for (TokenModel.Token t : moving) {
            if (i++ % every != 0) continue;
            EdgeStep s = t.current();
            layout.route(s.edgeIndex()).pointAt(ease(t.progress()), pt);
            Color c = tokenColour(t, s.to());
            if (c != last) {
                g.setFill(c);
                last = c;
            }
            g.fillRect(pt[0] - r, pt[1] - r, 2 * r, 2 * r);
        }
    }

    /** The part of its edge each moving token has walked: solid when observed, dashed when inferred. */
    private void drawTrails(GraphicsContext g, TokenModel model) {
        Collection<TokenModel.Token> moving = model.moving();
        if (moving.size() > 400) return; // beyond that the trails are a blur: the edges' thickness tells the story
        g.setLineWidth(4);
        for (TokenModel.Token t : moving) {
            EdgeStep s = t.current();
            DiagramLayout.Route r = layout.route(s.edgeIndex());
            int seg = r.pointAt(ease(t.progress()), pt);
            double[] xs = new double[seg + 2], ys = new double[seg + 2];
            System.arraycopy(r.xs(), 0, xs, 0, seg + 1);
            System.arraycopy(r.ys(), 0, ys, 0, seg + 1);
            xs[seg + 1] = pt[0];
            ys[seg + 1] = pt[1];
            g.setGlobalAlpha(t.leaving() ? 0.5 : 0.75);
            g.setStroke(tokenColour(t, s.to()));
            g.setLineDashes(s.inferred() ? new double[] {7, 7} : null);
            g.strokePolyline(xs, ys, seg + 2);
        }
        g.setLineDashes((double[]) null);
        g.setGlobalAlpha(1);
    }

    private DiagramLayout.Node endNodeFor(TokenModel.Token t) {
        if (t.history().isEmpty()) return layout.home(TcpState.CLOSED);
        TokenModel.Step last = t.history().get(t.history().size() - 1);
        TcpState.Edge e = last.from().edgeTo(last.to()).orElse(null);
        return e == null ? layout.home(TcpState.CLOSED) : layout.route(e).to();
    }

    static double ease(double t) {
        return t < 0.5 ? 2 * t * t : 1 - Math.pow(-2 * t + 2, 2) / 2;
    }

    /** Design-space position of a token as drawn, or null when it is not drawn (resting beyond the shown dots). */
    double[] tokenPosition(TokenModel model, TokenModel.Token t) {
        if (t.moving()) {
            double[] out = new double[2];
            layout.route(t.current().edgeIndex()).pointAt(ease(t.progress()), out);
            return out;
        }
        DiagramLayout.Node n = layout.home(t.at());
        Collection<TokenModel.Token> rest = model.resting(t.at());
        int shown = Math.min(DOTS_PER_NODE, rest.size());
        int i = 0;
        for (TokenModel.Token o : rest) {
            if (i >= shown) break;
            if (o == t) {
                double[] out = new double[2];
                dotSlot(n, i, shown, out);
                return out;
            }
            i++;
        }
        return null;
    }

    /** The token under a design-space point (moving ones first), or null. */
    TokenModel.Token tokenAt(TokenModel model, double x, double y) {
        double best = (TOKEN_R + 4) * (TOKEN_R + 4);
        TokenModel.Token hit = null;
        for (TokenModel.Token t : model.moving()) {
            if (t.leaving()) continue;
            layout.route(t.current().edgeIndex()).pointAt(ease(t.progress()), pt);
            double d = (pt[0] - x) * (pt[0] - x) + (pt[1] - y) * (pt[1] - y);
            if (d < best) { best = d; hit = t; }
        }
        if (hit != null) return hit;
        DiagramLayout.Node n = layout.nodeAt(x, y);
        if (n == null || n.terminal()) return null;
        Collection<TokenModel.Token> rest = model.resting(n.state());
        int shown = Math.min(DOTS_PER_NODE, rest.size());
        int i = 0;
        best = (DOT_R + 2) * (DOT_R + 2);
        for (TokenModel.Token t : rest) {
            if (i >= shown) break;
            dotSlot(n, i, shown, pt);
            double d = (pt[0] - x) * (pt[0] - x) + (pt[1] - y) * (pt[1] - y);
            if (d < best) { best = d; hit = t; }
            i++;
        }
        return hit;
    }

    // ---- overlays (screen units) ----

    private void drawOverlay(GraphicsContext g, double w, double h, DiagramOverlay o, boolean aggregated) {
        if (o == null) return;
        if (!compact) drawLegend(g, o, aggregated);
        if (o.followTitle() != null) drawHistoryStrip(g, w, h, o);
        if (o.tooltip() != null && !o.tooltip().isEmpty()) drawTooltip(g, w, h, o);
    }

    /** The colour key's entries as drawn ("name  count"), largest first. */
    private List<String> categoryLines(DiagramOverlay o) {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Integer> e : o.categories()) {
            Color c = category(e.getKey());
            String name = e.getKey() == null ? o.unknown() : c.equals(muted()) ? o.others() + ": " + e.getKey() : e.getKey();
            lines.add(name + "  " + NumberFormat.getIntegerInstance().format(e.getValue()));
        }
        return lines;
    }

    /**
     * Beside the one-line legend the colour key runs in rows too, wrapped at the canvas's width:
     * {x offset, row} per entry, then {widest row, rows} last.
     */
    private double[][] categoryRows(List<String> lines) {
        double max = Math.max(200, canvasWidth - 28 - 24);
        double[][] out = new double[lines.size() + 1][];
        double x = 0, widest = 0;
        int row = 0;
        for (int i = 0; i < lines.size(); i++) {
            double w = 20 + width(lines.get(i), UI_FONT);
            if (x > 0 && x + w > max) {
                row++;
                x = 0;
            }
            out[i] = new double[] {x, row};
            x += w;
            widest = Math.max(widest, x);
            x += 18;
        }
        out[lines.size()] = new double[] {widest, row + 1};
        return out;
    }

    private double categoryRowsHeight(DiagramOverlay o) {
        if (o.categories().isEmpty() || colourBy == RenderStyle.TokenColouring.STATE) return 0;
        double[][] rows = categoryRows(categoryLines(o));
        return rows[rows.length - 1][1] * 22 + 8;
    }

    private void drawCategoryRows(GraphicsContext g, DiagramOverlay o, double y) {
        if (o.categories().isEmpty() || colourBy == RenderStyle.TokenColouring.STATE) return;
        List<String> lines = categoryLines(o);
        double[][] rows = categoryRows(lines);
        double[] size = rows[lines.size()];
        double x = 14;
        card(g, x, y, size[0] + 24, size[1] * 22 + 8);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.setFont(UI_FONT);
        for (int i = 0; i < lines.size(); i++) {
            double ex = x + 12 + rows[i][0], cy = y + 15 + rows[i][1] * 22;
            g.setFill(category(o.categories().get(i).getKey()));
            g.fillOval(ex, cy - 6, 12, 12);
            g.setFill(foreground());
            g.fillText(lines.get(i), ex + 20, cy);
        }
    }

    private void drawCategories(GraphicsContext g, DiagramOverlay o, double y) {
        if (o.categories().isEmpty() || colourBy == RenderStyle.TokenColouring.STATE) return;
        double x = 14;
        double w = 0;
        List<String> names = new ArrayList<>();
        List<Color> colours = new ArrayList<>();
        for (Map.Entry<String, Integer> e : o.categories()) {
            Color c = category(e.getKey());
            String name = e.getKey() == null ? o.unknown() : c.equals(muted()) ? o.others() + ": " + e.getKey() : e.getKey();
            String line = name + "  " + NumberFormat.getIntegerInstance().format(e.getValue());
            names.add(line);
            colours.add(c);
            w = Math.max(w, width(line, UI_FONT));
        }
        card(g, x, y, w + 44, names.size() * 20 + 12);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.setFont(UI_FONT);
        for (int i = 0; i < names.size(); i++) {
            double cy = y + 16 + i * 20;
            g.setFill(colours.get(i));
            g.fillOval(x + 14, cy - 6, 12, 12);
            g.setFill(foreground());
            g.fillText(names.get(i), x + 34, cy);
        }
    }

    /**
     * The screen area the legend (and the colour key under it) covers, from the canvas's top-left
     * corner: {width, height}. The view fits the figure beside or below it, never under it.
     */
    double[] legendSize(DiagramOverlay o, boolean aggregated) {
        if (o == null || compact) return new double[] {0, 0};
        if (legendInLine()) {
            double h = lineLegendHeight(o, aggregated), w = lineLegendWidth(o, aggregated);
            if (!aggregated && categoryRowsHeight(o) > 0) {
                h += 6 + categoryRowsHeight(o);
                double[][] rows = categoryRows(categoryLines(o));
                w = Math.max(w, rows[rows.length - 1][0] + 24);
            }
            return new double[] {14 + w, 14 + h};
        }
        double titleW = width(o.title(), UI_BOLD);
        if (aggregated) return new double[] {14 + Math.max(titleW, width(o.legendAggregated(), UI_FONT)) + 24, 14 + 52};
        double w = 14 + Math.max(titleW + 24, Math.max(width(o.legendObserved(), UI_FONT), width(o.legendInferred(), UI_FONT)) + 48);
        double h = 14 + 76;
        if (!o.categories().isEmpty() && colourBy != RenderStyle.TokenColouring.STATE) {
            double cw = 0;
            for (Map.Entry<String, Integer> e : o.categories())
                cw = Math.max(cw, width((e.getKey() == null ? o.unknown() : o.others() + ": " + e.getKey()) + "  "
                        + NumberFormat.getIntegerInstance().format(e.getValue()), UI_FONT));
            w = Math.max(w, 14 + cw + 44);
            h = 14 + 86 + o.categories().size() * 20 + 12;
        }
        return new double[] {w, h};
    }

    /** Height of the one-line legend card. */
    static final double LINE_H = 30;

    /**
     * The legend as one line across the top (title, then the two token kinds side by side) when the
     * figure is the wide one: a card in the corner would take the width the figure needs.
     */
    boolean legendInLine() {
        return layout == DiagramLayout.wide();
    }

    private double canvasWidth = Double.MAX_VALUE;

    /** The canvas width the next legend must fit (a line too long for it breaks after the title). */
    void setCanvasWidth(double w) {
        canvasWidth = w;
    }

    /** Whether the title and the token kinds share one line (else the kinds go on a second line). */
    private boolean oneLine(DiagramOverlay o, boolean aggregated) {
        return 14 + titleAndKindsWidth(o, aggregated) + 14 <= canvasWidth;
    }

    private double titleAndKindsWidth(DiagramOverlay o, boolean aggregated) {
        return 12 + width(o.title(), UI_BOLD) + 18 + kindsWidth(o, aggregated) + 12;
    }

    private double kindsWidth(DiagramOverlay o, boolean aggregated) {
        if (aggregated) return width(o.legendAggregated(), UI_FONT);
        return 20 + width(o.legendObserved(), UI_FONT) + 18 + 20 + width(o.legendInferred(), UI_FONT);
    }

    private double lineLegendWidth(DiagramOverlay o, boolean aggregated) {
        if (oneLine(o, aggregated)) return titleAndKindsWidth(o, aggregated);
        return 12 + Math.max(width(o.title(), UI_BOLD), kindsWidth(o, aggregated)) + 12;
    }

    private double lineLegendHeight(DiagramOverlay o, boolean aggregated) {
        return oneLine(o, aggregated) ? LINE_H : 2 * LINE_H - 8;
    }

    private void drawLineLegend(GraphicsContext g, DiagramOverlay o, boolean aggregated) {
        double x = 14, y = 14, cy = y + LINE_H / 2;
        double h = lineLegendHeight(o, aggregated);
        if (!aggregated) drawCategoryRows(g, o, y + h + 6);
        card(g, x, y, lineLegendWidth(o, aggregated), h);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.setFont(UI_BOLD);
        g.setFill(foreground());
        g.fillText(o.title(), x + 12, cy);
        if (oneLine(o, aggregated)) {
            x += 12 + width(o.title(), UI_BOLD) + 18;
        } else {
            x += 12;
            cy += LINE_H - 8;
        }
        g.setFont(UI_FONT);
        if (aggregated) {
            g.setFill(muted());
            g.fillText(o.legendAggregated(), x, cy);
            return;
        }
        Color c = muted();
        g.setFill(c);
        g.fillOval(x, cy - 6, 12, 12);
        g.setFill(foreground());
        g.fillText(o.legendObserved(), x + 20, cy);
        x += 20 + width(o.legendObserved(), UI_FONT) + 18;
        g.setFill(background());
        g.fillOval(x, cy - 6, 12, 12);
        g.setStroke(c);
        g.setLineWidth(2.5);
        g.setLineDashes(3, 2.5);
        g.strokeOval(x + 1, cy - 5, 10, 10);
        g.setLineDashes((double[]) null);
        g.setFill(foreground());
        g.fillText(o.legendInferred(), x + 20, cy);
    }

    private void drawLegend(GraphicsContext g, DiagramOverlay o, boolean aggregated) {
        if (legendInLine()) {
            drawLineLegend(g, o, aggregated);
            return;
        }
        double x = 14, y = 14;
        if (!aggregated) drawCategories(g, o, y + 86);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.setFont(UI_FONT);
        double titleW = width(o.title(), UI_BOLD);
        if (aggregated) {
            double tw = Math.max(titleW, width(o.legendAggregated(), UI_FONT));
            card(g, x, y, tw + 24, 52);
            g.setFont(UI_BOLD);
            g.setFill(foreground());
            g.fillText(o.title(), x + 12, y + 15);
            g.setFont(UI_FONT);
            g.setFill(muted());
            g.fillText(o.legendAggregated(), x + 12, y + 37);
            return;
        }
        double w1 = width(o.legendObserved(), UI_FONT), w2 = width(o.legendInferred(), UI_FONT);
        double cw = Math.max(titleW + 24, Math.max(w1, w2) + 48);
        card(g, x, y, cw, 76);
        g.setFont(UI_BOLD);
        g.setFill(foreground());
        g.fillText(o.title(), x + 12, y + 15);
        g.setFont(UI_FONT);
        y += 22;
        Color c = muted();
        g.setFill(c);
        g.fillOval(x + 14, y + 10, 12, 12);
        g.setFill(background());
        g.fillOval(x + 14, y + 32, 12, 12);
        g.setStroke(c);
        g.setLineWidth(2.5);
        g.setLineDashes(3, 2.5);
        g.strokeOval(x + 15, y + 33, 10, 10);
        g.setLineDashes((double[]) null);
        g.setFill(foreground());
        g.fillText(o.legendObserved(), x + 36, y + 16);
        g.fillText(o.legendInferred(), x + 36, y + 38);
    }

    private void card(GraphicsContext g, double x, double y, double w, double h) {
        g.setFill(Color.BLACK.deriveColor(0, 1, 1, theme.isDark() ? 0.4 : 0.10));
        g.fillRoundRect(x + 1, y + 3, w, h, 14, 14);
        g.setFill(panel().deriveColor(0, 1, 1, 0.96));
        g.fillRoundRect(x, y, w, h, 14, 14);
        g.setStroke(edgeColour().deriveColor(0, 1, 1, 0.6));
        g.setLineWidth(1);
        g.strokeRoundRect(x, y, w, h, 14, 14);
    }

    private void drawTooltip(GraphicsContext g, double w, double h, DiagramOverlay o) {
        double tw = 0;
        for (int i = 0; i < o.tooltip().size(); i++)
            tw = Math.max(tw, width(o.tooltip().get(i), i == 0 ? UI_BOLD : UI_FONT));
        double cw = tw + 24, ch = o.tooltip().size() * 20 + 14;
        double x = o.mouseX() + 16, y = o.mouseY() + 16;
        if (x + cw > w - 4) x = o.mouseX() - cw - 12;
        if (y + ch > h - 4) y = o.mouseY() - ch - 12;
        card(g, x, y, cw, ch);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        for (int i = 0; i < o.tooltip().size(); i++) {
            g.setFont(i == 0 ? UI_BOLD : UI_FONT);
            g.setFill(i == 0 ? foreground() : muted());
            g.fillText(o.tooltip().get(i), x + 12, y + 17 + i * 20);
        }
    }

    private void drawHistoryStrip(GraphicsContext g, double w, double h, DiagramOverlay o) {
        List<double[]> chipBoxes = new ArrayList<>();
        double chipH = 40, pad = 10;
        double x0 = 14, y = h - chipH - 18;
        double titleW = width(o.followTitle(), UI_BOLD);
        double hintW = width(o.followHint(), UI_FONT);
        double total = 0;
        for (FollowStep s : o.followSteps()) {
            double cw = Math.max(width(s.title(), UI_BOLD), width(s.detail(), UI_FONT)) + 20;
            chipBoxes.add(new double[] {cw});
            total += cw + 8;
        }
        double cardW = Math.min(w - 28, Math.max(titleW + hintW + 40, total + 2 * pad));
        card(g, x0, y - 26, cardW, chipH + 26 + pad);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.setFont(UI_BOLD);
        g.setFill(foreground());
        g.fillText(o.followTitle(), x0 + pad, y - 12);
        g.setFont(UI_FONT);
        g.setFill(muted());
        g.fillText(o.followHint(), x0 + pad + titleW + 16, y - 12);
        // newest chips on the right; drop the oldest if they do not fit
        double avail = cardW - 2 * pad;
        int first = 0;
        while (first < o.followSteps().size() && total > avail) total -= chipBoxes.get(first++)[0] + 8;
        double x = x0 + pad;
        for (int i = first; i < o.followSteps().size(); i++) {
            FollowStep s = o.followSteps().get(i);
            double cw = chipBoxes.get(i)[0];
            Color c = state(s.state());
            g.setFill(background().interpolate(c, 0.18));
            g.fillRoundRect(x, y + 4, cw, chipH - 4, 10, 10);
            g.setStroke(c);
            g.setLineWidth(1.5);
            if (s.inferred()) g.setLineDashes(5, 4);
            g.strokeRoundRect(x, y + 4, cw, chipH - 4, 10, 10);
            g.setLineDashes((double[]) null);
            g.setFont(UI_BOLD);
            g.setFill(foreground());
            g.fillText(s.title(), x + 10, y + 15);
            g.setFont(UI_FONT);
            g.setFill(muted());
            g.fillText(s.detail(), x + 10, y + 32);
            x += cw + 8;
        }
    }

    /** Height kept free at the bottom of the canvas for the history strip. */
    static final double STRIP_H = 92;

    double width(String s, Font f) {
        String k = f.getSize() + (f.getStyle()) + "|" + s;
        Double w = widths.get(k);
        if (w == null) {
            measure.setFont(f);
            measure.setText(s);
            w = measure.getLayoutBounds().getWidth();
            if (widths.size() > 4096) widths.clear();
            widths.put(k, w);
        }
        return w;
    }
}
