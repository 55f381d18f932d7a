package io.tcplens.ui.lab;

import io.tcplens.lab.script.Host;
import io.tcplens.lab.script.ScenarioPlayer;
import io.tcplens.lab.script.Script;
import io.tcplens.lab.script.Segment;
import io.tcplens.lab.script.Step;
import io.tcplens.model.TcpState;
import io.tcplens.ui.theme.CanvasPalette;
import io.tcplens.ui.theme.StatePalette;
import io.tcplens.ui.theme.Theme;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.Text;
import javafx.scene.text.TextAlignment;

/**
 * The sequence diagram of a script, drawn on one Canvas: two host lifelines coloured by state
 * (StatePalette), each segment an arrow from its send step to its arrival step (lost: a cross half way;
 * delayed: dashed; still in flight: drawn up to now), the current step ringed like a laser pointer.
 */
final class SequenceDiagram extends Region {
    private final Canvas canvas = new Canvas();
    private final ResourceBundle b;
    private final String hostA, hostB;
    private ScenarioPlayer player;
    private Theme theme = Theme.LIGHT;
    private double scale = 1;

    SequenceDiagram(ResourceBundle bundle) {
        this.b = bundle;
        this.hostA = b.getString("scenario.hostA");
        this.hostB = b.getString("scenario.hostB");
        getChildren().add(canvas);
        getStyleClass().add("sequence-diagram");
        widthProperty().addListener(o -> redraw());
        heightProperty().addListener(o -> redraw());
        setMinSize(300, 200);
    }

    void setPlayer(ScenarioPlayer p) {
        this.player = p;
        redraw();
    }

    void setTheme(Theme t) {
        this.theme = t;
        redraw();
    }

    /** Type size factor (presentation mode uses a larger one). */
    void setScale(double s) {
        this.scale = s;
        redraw();
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        redraw();
    }

    void redraw() {
        double w = getWidth(), h = getHeight();
        if (w <= 0 || h <= 0 || player == null) return;
        GraphicsContext g = canvas.getGraphicsContext2D();
        double scale = Math.min(this.scale, w / 620); // shrink to fit a narrow pane
        CanvasPalette pal = CanvasPalette.of(theme);
        Color bg = pal.background();
        Color fg = pal.foreground();
        Color muted = pal.muted();
        Color danger = pal.danger();
        g.setFill(bg);
        g.fillRect(0, 0, w, h);

        Script s = player.script();
        int n = s.steps().size();
        int pos = player.position();
        double xa = w * 0.22, xb = w * 0.78;
        double top = 58 * scale, bottom = h - 16;
        double row = (bottom - top) / (n + 1);
        Font label = Font.font("System", FontWeight.BOLD, 13 * scale);
        Font small = Font.font("Monospaced", 11 * scale);

        // host headers
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.CENTER);
        for (Host hst : Host.values()) {
            double x = hst == Host.A ? xa : xb;
            TcpState st = player.state(hst);
            Color c = StatePalette.color(st, theme);
            g.setFill(c);
            double bw = Math.min(170 * scale, w * 0.42);
            g.fillRoundRect(x - bw / 2, 8, bw, 40 * scale, 8, 8);
            g.setFill(pal.onFill());
            g.setFont(label);
            g.fillText((hst == Host.A ? hostA : hostB) + " · " + st.name(), x, 8 + 20 * scale);
        }

        // lifelines coloured by state, up to the current step
        g.setLineCap(StrokeLineCap.BUTT);
        for (Host hst : Host.values()) {
            double x = hst == Host.A ? xa : xb;
            g.setStroke(muted);
            g.setLineWidth(1);
            g.setLineDashes(4, 4);
            g.strokeLine(x, top, x, bottom);
            g.setLineDashes();
            for (int i = -1; i <= pos; i++) {
                TcpState st = s.stateAfter(i, hst);
                double y0 = yOf(i, top, row), y1 = yOf(Math.min(i + 1, pos + 1), top, row);
                if (i == pos) y1 = y0 + row * 0.6;
                if (st == TcpState.CLOSED) continue;
                g.setStroke(StatePalette.color(st, theme));
                g.setLineWidth(7 * scale);
                g.strokeLine(x, y0, x, y1);
            }
            // state names where they change
            g.setFont(small);
            g.setTextAlign(hst == Host.A ? TextAlignment.RIGHT : TextAlignment.LEFT);
            for (int i = 0; i <= pos; i++) {
                TcpState before = s.stateAfter(i - 1, hst), after = s.stateAfter(i, hst);
                if (before == after) continue;
                double y = yOf(i, top, row);
                g.setFill(StatePalette.color(after, theme));
                g.fillText(after.name(), hst == Host.A ? x - 24 * scale : x + 24 * scale, y);
            }
        }

        // segments: the arrows first, then their labels, each placed where it covers no other label and
        // crosses no other arrow (issue 13 item 8: "(delayed)" printed over its twin, "(lost)" across FIN)
        List<double[]> lines = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Color> colours = new ArrayList<>();
        for (int i = 0; i <= pos; i++) {
            Step st = s.steps().get(i);
            if (st.sends() == null) continue;
            Segment seg = st.sends();
            double x0 = seg.from() == Host.A ? xa : xb, x1 = seg.to() == Host.A ? xa : xb;
            double y0 = yOf(i, top, row);
            int arrive = s.receivedAt(seg.id());
            boolean lost = seg.fate() == Segment.Fate.LOST;
            boolean inFlight = !lost && (arrive < 0 || arrive > pos);
            double frac;
            double yEnd;
            if (lost) {
                frac = 0.5;
                yEnd = y0 + row * 0.9;
            } else if (arrive >= 0) {
                yEnd = yOf(arrive, top, row);
                frac = inFlight ? Math.min(0.9, (pos - i + 0.5) / (double) (arrive - i)) : 1;
            } else {
                yEnd = y0 + row;
                frac = 0.5;
            }
            double xe = x0 + (x1 - x0) * frac, ye = y0 + (yEnd - y0) * frac;
            Color c = lost ? danger : seg.fate() == Segment.Fate.DELAYED ? muted : fg;
            g.setStroke(c);
            g.setLineWidth(2 * scale);
            if (seg.fate() == Segment.Fate.DELAYED || inFlight) g.setLineDashes(8, 6);
            g.strokeLine(x0, y0, xe, ye);
            g.setLineDashes();
            if (lost) {
                double r = 9 * scale;
                g.setStroke(danger);
                g.setLineWidth(3 * scale);
                g.strokeLine(xe - r, ye - r, xe + r, ye + r);
                g.strokeLine(xe - r, ye + r, xe + r, ye - r);
            } else if (!inFlight) {
                arrowHead(g, x0, y0, xe, ye, c, 11 * scale);
            }
            String text = seg.label() + "  " + seg.numbers();
            if (lost) text += "  (" + b.getString("scenario.lost") + ")";
            else if (seg.fate() == Segment.Fate.DELAYED) text += "  (" + b.getString("scenario.delayed") + ")";
            lines.add(new double[] {x0, y0, xe, ye});
            texts.add(text);
            colours.add(c);
        }
        labelBoxes.clear();
        // the current step's ring (drawn last, over everything): no label goes under it ("ACK seq=900
        // ack=501" ran into it at "stray-segment" step 8 in a 1024x700 window)
        ringBox = null;
        if (pos >= 0) {
            Step cur = s.steps().get(pos);
            double x = cur.actor() == Host.A ? xa : xb, y = yOf(pos, top, row), r = 17.5 * scale;
            ringBox = new double[] {x - r, y - r, 2 * r, 2 * r};
        }
        g.setTextAlign(TextAlignment.CENTER);
        g.setTextBaseline(VPos.BOTTOM);
        for (int k = 0; k < lines.size(); k++) {
            double[] l = lines.get(k);
            double[] best = null;
            Font bestFont = label;
            int bestHits = Integer.MAX_VALUE;
            // crowded (a short pane, many segments): further along the arrow, then further off it, then a
            // slightly smaller type (never below ~10 px); a label never covers another label (issue 13 item 8:
            // "stray-segment" step 8 in a 1024x700 window), crossing an arrow is only avoided where it can be
            search:
            for (double shrink : new double[] {1, 0.88, 0.78}) {
                Font f = shrink == 1 ? label : Font.font("System", FontWeight.BOLD, Math.max(10, 13 * scale * shrink));
                double tw = textWidth(texts.get(k), f);
                double lh = Math.max(12.5, 16 * scale * shrink);
                double slope = Math.abs(l[2] - l[0]) < 1 ? 0 : Math.abs((l[3] - l[1]) / (l[2] - l[0]));
                double lift = slope * tw / 2 + 5 * scale;
                for (double off : new double[] {0, lh * 0.6, lh * 1.2, lh * 1.8})
                for (double t : new double[] {0.5, 0.35, 0.65, 0.2, 0.8, 0.1, 0.9}) {
                    double mx = l[0] + (l[2] - l[0]) * t, my = l[1] + (l[3] - l[1]) * t;
                    for (int side : new int[] {-1, 1}) {
                        double bottomY = side < 0 ? my - lift - off : my + lift + lh + off;
                        double[] box = {Math.max(2, Math.min(w - tw - 8, mx - tw / 2 - 3)), bottomY - lh, tw + 6, lh};
                        int hits = 0;
                        for (double[] o : labelBoxes) if (intersects(box, o)) hits += 1000;
                        if (ringBox != null && intersects(box, ringBox)) hits += 100;
                        if (box[1] < top - 10 * scale || box[1] + box[3] > h) hits += 500;
                        for (int j = 0; j < lines.size(); j++) if (j != k && crosses(box, lines.get(j))) hits += 10;
                        if (off > 0) hits += 1; // nearer the arrow when all else is equal
                        if (shrink < 1) hits += 2; // full size when all else is equal
                        if (hits < bestHits) {
                            bestHits = hits;
                            best = box;
                            bestFont = f;
                        }
                    }
                    if (bestHits == 0) break search;
                }
                if (bestHits < 10) break; // no label and no arrow covered: good enough at this size
            }
            labelBoxes.add(best);
            g.setFont(bestFont);
            g.setFill(bg.deriveColor(0, 1, 1, 0.85));
            g.fillRect(best[0], best[1], best[2], best[3]);
            g.setFill(colours.get(k));
            g.fillText(texts.get(k), best[0] + best[2] / 2, best[1] + best[3]);
        }
        g.setTextBaseline(VPos.CENTER);

        // the current step, ringed
        if (pos >= 0) {
            Step cur = s.steps().get(pos);
            double x = cur.actor() == Host.A ? xa : xb, y = yOf(pos, top, row);
            Color ring = StatePalette.warning(theme);
            g.setStroke(ring);
            g.setLineWidth(3 * scale);
            g.strokeOval(x - 16 * scale, y - 16 * scale, 32 * scale, 32 * scale);
            g.setFill(ring.deriveColor(0, 1, 1, 0.25));
            g.fillOval(x - 16 * scale, y - 16 * scale, 32 * scale, 32 * scale);
        }
    }

    /** Where the last frame put each segment's label: x, y, width, height (tests check that none overlap). */
    public List<double[]> labelBoxes() {
        return List.copyOf(labelBoxes);
    }

    private final List<double[]> labelBoxes = new ArrayList<>();

    /** Where the last frame drew the current step's ring (x, y, width, height), or null before the first step. */
    double[] ringBox() {
        return ringBox == null ? null : ringBox.clone();
    }

    private double[] ringBox;

    private static boolean intersects(double[] a, double[] b) {
        return a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
    }

    /** Whether the line segment (x0, y0)–(x1, y1) passes through the box. */
    private static boolean crosses(double[] box, double[] seg) {
        // Liang–Barsky clipping: the segment meets the box when some part of it survives the clip
        double x0 = seg[0], y0 = seg[1], dx = seg[2] - seg[0], dy = seg[3] - seg[1];
        double[] p = {-dx, dx, -dy, dy};
        double[] q = {x0 - box[0], box[0] + box[2] - x0, y0 - box[1], box[1] + box[3] - y0};
        double u0 = 0, u1 = 1;
        for (int i = 0; i < 4; i++) {
            if (p[i] == 0) {
                if (q[i] < 0) return false;
            } else {
                double r = q[i] / p[i];
                if (p[i] < 0) u0 = Math.max(u0, r);
                else u1 = Math.min(u1, r);
                if (u0 > u1) return false;
            }
        }
        return true;
    }

    private static double textWidth(String s, Font f) {
        Text t = new Text(s);
        t.setFont(f);
        return t.getLayoutBounds().getWidth();
    }

    private static double yOf(int step, double top, double row) {
        return top + row * (step + 1);
    }

    private static void arrowHead(GraphicsContext g, double x0, double y0, double x1, double y1, Color c, double size) {
        double a = Math.atan2(y1 - y0, x1 - x0);
        double[] xs = {x1, x1 - size * Math.cos(a - 0.4), x1 - size * Math.cos(a + 0.4)};
        double[] ys = {y1, y1 - size * Math.sin(a - 0.4), y1 - size * Math.sin(a + 0.4)};
        g.setFill(c);
        g.fillPolygon(xs, ys, 3);
    }
}
