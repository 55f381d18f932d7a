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
import java.util.ResourceBundle;
import javafx.geometry.VPos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;
import javafx.scene.shape.StrokeLineCap;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
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

        // segments
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
            // label at the middle of the drawn part, lifted clear of the (sloping) line
            double mx = (x0 + xe) / 2, my = (y0 + ye) / 2;
            String text = seg.label() + "  " + seg.numbers();
            if (lost) text += "  (" + b.getString("scenario.lost") + ")";
            else if (seg.fate() == Segment.Fate.DELAYED) text += "  (" + b.getString("scenario.delayed") + ")";
            g.setFont(label);
            g.setTextAlign(TextAlignment.CENTER);
            g.setTextBaseline(VPos.BOTTOM);
            double tw = textWidth(text, label);
            double slope = Math.abs(xe - x0) < 1 ? 0 : Math.abs((ye - y0) / (xe - x0));
            double lift = slope * tw / 2 + 5 * scale;
            double ty = my - lift;
            g.setFill(bg.deriveColor(0, 1, 1, 0.85));
            g.fillRect(mx - tw / 2 - 3, ty - 16 * scale, tw + 6, 16 * scale);
            g.setFill(c);
            g.fillText(text, mx, ty);
            g.setTextBaseline(VPos.CENTER);
        }

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

    private static double textWidth(String s, Font f) {
        javafx.scene.text.Text t = new javafx.scene.text.Text(s);
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
