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
}
