package io.tcplens.ui.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.diagram.DiagramLayout;
import org.junit.jupiter.api.Test;

/** The diagram's viewport: fitting centres the layout, zooming keeps the point under the pointer, panning moves by pixels. */
class ViewportTest {
    private final DiagramLayout layout = DiagramLayout.rfc9293();

    @Test
    void fitCentresTheLayoutInsideTheArea() {
        Viewport v = Viewport.fit(layout, 1600, 900);
        double left = v.toScreenX(0), right = v.toScreenX(layout.width());
        double top = v.toScreenY(0), bottom = v.toScreenY(layout.height());
        assertTrue(left >= 9.99 && right <= 1600.01 - 10 && top >= 9.99 && bottom <= 900.01 - 10, "inside the margins");
        assertEquals(1600 - right, left, 1e-9, "centred across");
        assertEquals(900 - bottom, top, 1e-9, "centred down");
        assertTrue(Math.abs(left - 10) < 1e-9 || Math.abs(top - 10) < 1e-9, "touches the margin on the tight side");
    }

    @Test
    void zoomKeepsThePointUnderThePointerAndPanMovesByPixels() {
        Viewport v = Viewport.fit(layout, 1200, 800);
        double dx = v.toDesignX(300), dy = v.toDesignY(200);
        Viewport z = v.zoomAt(1.5, 300, 200);
        assertEquals(v.scale() * 1.5, z.scale(), 1e-9);
        assertEquals(300, z.toScreenX(dx), 1e-9);
        assertEquals(200, z.toScreenY(dy), 1e-9);
        Viewport p = z.panBy(25, -40);
        assertEquals(325, p.toScreenX(dx), 1e-9);
        assertEquals(160, p.toScreenY(dy), 1e-9);
        assertEquals(8, Viewport.IDENTITY.zoomAt(1000, 0, 0).scale(), 1e-9, "zoom is bounded");
    }

    @Test
    void fitBesideTheLegendNeverPutsTheFigureUnderTheCard() {
        // issue 13 item 8: the legend card (top-left) covered nodes in Step through, Present and narrow windows
        double[][] areas = {{1024, 520}, {600, 400}, {1600, 900}, {500, 700}, {1900, 1000}, {300, 260}};
        double[][] cards = {{230, 96}, {230, 270}, {420, 96}};
        for (double[] a : areas) {
            for (double[] c : cards) {
                Viewport v = Viewport.fitBeside(layout, a[0], a[1], c[0], c[1]);
                double left = v.toScreenX(0), top = v.toScreenY(0);
                double right = v.toScreenX(layout.width()), bottom = v.toScreenY(layout.height());
                boolean clear = left >= c[0] - 1e-9 || top >= c[1] - 1e-9;
                assertTrue(clear, "figure " + left + "," + top + " under the " + c[0] + "x" + c[1] + " card in " + a[0] + "x" + a[1]);
                assertTrue(right <= a[0] + 1e-9 && bottom <= a[1] + 1e-9 && left >= -1e-9 && top >= -1e-9, "inside the area");
                // and no smaller than it must be: the larger of the two free areas decides the scale
                double best = Math.max(Viewport.fit(layout, a[0] - c[0], a[1]).scale(), Viewport.fit(layout, a[0], a[1] - c[1]).scale());
                assertTrue(v.scale() >= best - 1e-9, "as large as the free space allows");
            }
        }
    }
}
