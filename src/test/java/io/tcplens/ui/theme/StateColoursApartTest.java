package io.tcplens.ui.theme;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.TcpState;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.tiles.CountTile;
import io.tcplens.ui.tiles.StateGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 (second half): every TCP state's one colour can be told from every other tile's, in both
 * themes — the Last-ACK/Closing area of the states chart was the same red as Close-wait's (CIEDE2000
 * 5.8 apart in the dark theme, 19.9 in the light one at full strength and much less as a translucent
 * chart area). The threshold: CIEDE2000 ≥ 12 between two states of different tiles (FIN-WAIT-1/2 and
 * LAST-ACK/CLOSING share a tile and are shades of one hue on purpose); the closest pair that remains
 * is LISTEN's slate against FIN-WAIT-1's violet in the dark theme (12.4). The changed colour keeps its
 * contrast where it is text: the tile's title and figure on the tile (≥ 4.5:1) and on the tile's amber
 * "over threshold" fill (≥ 3:1, bold 12 px title and 24 px figure), read from the themed CSS.
 */
class StateColoursApartTest {
    static final double MIN_DELTA_E = 12;

    @Test
    void statesOfDifferentTilesAreAtLeastDeltaE12Apart() {
        List<String> close = new ArrayList<>();
        for (Theme t : Theme.values()) {
            List<TcpState> states = new ArrayList<>();
            for (StateGroup g : StateGroup.values()) if (g.colourState() != null) states.addAll(g.states());
            for (int i = 0; i < states.size(); i++)
                for (int j = i + 1; j < states.size(); j++) {
                    TcpState a = states.get(i), b = states.get(j);
                    if (group(a) == group(b)) continue;
                    double d = deltaE2000(StatePalette.color(a, t), StatePalette.color(b, t));
                    if (d < MIN_DELTA_E) close.add(t + " " + a + "/" + b + " " + Math.round(d * 10) / 10.0);
                }
        }
        assertTrue(close.isEmpty(), "states too alike: " + close);
        // the pair the screenshots showed
        for (Theme t : Theme.values())
            assertTrue(deltaE2000(StatePalette.color(TcpState.CLOSE_WAIT, t), StatePalette.color(TcpState.LAST_ACK, t)) > 30, t.name());
    }

    @Test
    void theLastAckTileKeepsItsContrastOnTheTileAndOnItsWarningFill() {
        for (Theme t : Theme.values()) {
            for (boolean warning : new boolean[] {false, true}) {
                Color[] fg = new Color[1], bg = new Color[1];
                FxTestSupport.onFx(() -> {
                    Label title = new Label("Last-ACK/Closing");
                    title.getStyleClass().add("count-tile-title");
                    StackPane tile = new StackPane(title);
                    tile.getStyleClass().addAll("count-tile", StatePalette.styleClass(StateGroup.LAST_ACK_CLOSING.colourState()));
                    tile.getStylesheets().add(Objects.requireNonNull(CountTile.class.getResource("/io/tcplens/ui/tiles/tiles.css")).toExternalForm());
                    tile.pseudoClassStateChanged(CountTile.WARNING, warning);
                    Scene scene = FxTestSupport.themedScene(new StackPane(tile), 300, 100, t);
                    scene.getRoot().applyCss();
                    fg[0] = (Color) title.getTextFill();
                    bg[0] = (Color) tile.getBackground().getFills().getLast().getFill();
                });
                assertEquals(StatePalette.color(TcpState.LAST_ACK, t), fg[0], "the tile's title is the state's colour");
                double c = contrast(fg[0], bg[0]);
                assertTrue(c >= (warning ? 3.0 : 4.5), t + (warning ? " on the warning fill " : " on the tile ") + bg[0] + ": " + c);
            }
        }
    }

    private static StateGroup group(TcpState s) {
        for (StateGroup g : StateGroup.values()) if (g.colourState() != null && g.states().contains(s)) return g;
        return null;
    }

    /** WCAG 2 contrast ratio. */
    static double contrast(Color a, Color b) {
        double la = luminance(a), lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(Color c) {
        return 0.2126 * lin(c.getRed()) + 0.7152 * lin(c.getGreen()) + 0.0722 * lin(c.getBlue());
    }

    private static double lin(double v) {
        return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }

    private static double[] lab(Color c) {
        double r = lin(c.getRed()), g = lin(c.getGreen()), b = lin(c.getBlue());
        double x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047, y = 0.2126 * r + 0.7152 * g + 0.0722 * b,
                z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
        double fx = f(x), fy = f(y), fz = f(z);
        return new double[] {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
    }

    private static double f(double t) {
        return t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16.0 / 116;
    }

    /** CIEDE2000 colour difference (Sharma, Wu, Dalal 2005). */
    static double deltaE2000(Color c1, Color c2) {
        double[] p = lab(c1), q = lab(c2);
        double l1 = p[0], a1 = p[1], b1 = p[2], l2 = q[0], a2 = q[1], b2 = q[2];
        double cb = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
        double g = 0.5 * (1 - Math.sqrt(Math.pow(cb, 7) / (Math.pow(cb, 7) + Math.pow(25, 7))));
        double a1p = (1 + g) * a1, a2p = (1 + g) * a2;
        double c1p = Math.hypot(a1p, b1), c2p = Math.hypot(a2p, b2);
        double h1p = (Math.toDegrees(Math.atan2(b1, a1p)) + 360) % 360, h2p = (Math.toDegrees(Math.atan2(b2, a2p)) + 360) % 360;
        double dl = l2 - l1, dc = c2p - c1p, dh = h2p - h1p;
        if (c1p * c2p == 0) dh = 0;
        else if (dh > 180) dh -= 360;
        else if (dh < -180) dh += 360;
        double dH = 2 * Math.sqrt(c1p * c2p) * Math.sin(Math.toRadians(dh / 2));
        double lbp = (l1 + l2) / 2, cbp = (c1p + c2p) / 2, hbp;
        if (c1p * c2p == 0) hbp = h1p + h2p;
        else if (Math.abs(h1p - h2p) <= 180) hbp = (h1p + h2p) / 2;
        else if (h1p + h2p < 360) hbp = (h1p + h2p + 360) / 2;
        else hbp = (h1p + h2p - 360) / 2;
        double t = 1 - 0.17 * Math.cos(Math.toRadians(hbp - 30)) + 0.24 * Math.cos(Math.toRadians(2 * hbp))
                + 0.32 * Math.cos(Math.toRadians(3 * hbp + 6)) - 0.20 * Math.cos(Math.toRadians(4 * hbp - 63));
        double dTheta = 30 * Math.exp(-Math.pow((hbp - 275) / 25, 2));
        double rc = 2 * Math.sqrt(Math.pow(cbp, 7) / (Math.pow(cbp, 7) + Math.pow(25, 7)));
        double sl = 1 + 0.015 * Math.pow(lbp - 50, 2) / Math.sqrt(20 + Math.pow(lbp - 50, 2)), sc = 1 + 0.045 * cbp,
                sh = 1 + 0.015 * cbp * t, rt = -Math.sin(Math.toRadians(2 * dTheta)) * rc;
        return Math.sqrt(Math.pow(dl / sl, 2) + Math.pow(dc / sc, 2) + Math.pow(dH / sh, 2) + rt * (dc / sc) * (dH / sh));
    }
}
