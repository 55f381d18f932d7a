package io.tcplens.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.TcpState;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Both arrangements: RFC 9293 figure 5 and the wide one for landscape panes. */
class DiagramLayoutTest {
    static List<DiagramLayout> layouts() {
        return List.of(DiagramLayout.rfc9293(), DiagramLayout.wide());
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void everyRfcEdgeHasARouteBetweenItsBoxes(DiagramLayout layout) {
        List<TcpState.Edge> edges = TcpState.edges();
        assertEquals(20, edges.size());
        assertEquals(edges.size(), layout.routes().size());
        for (int i = 0; i < edges.size(); i++) {
            TcpState.Edge e = edges.get(i);
            DiagramLayout.Route r = layout.route(e);
            assertNotNull(r, "route for " + e);
            assertSame(r, layout.route(i));
            assertEquals(e.from(), r.from().state());
            assertEquals(e.to(), r.to().state());
            assertTrue(r.length() > 40, "visible length " + e);
            // starts on the source box border and ends on the target box border
            assertTrue(onBorder(r.from(), r.xs()[0], r.ys()[0]), "start of " + e);
            int n = r.size();
            assertTrue(onBorder(r.to(), r.xs()[n - 1], r.ys()[n - 1]), "end of " + e);
        }
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void everyStateHasABoxAndBoxesDoNotOverlap(DiagramLayout layout) {
        for (TcpState s : TcpState.values()) assertNotNull(layout.home(s), s.name());
        assertTrue(layout.closedEnd().terminal());
        List<DiagramLayout.Node> nodes = layout.nodes();
        assertEquals(TcpState.values().length + 1, nodes.size());
        for (int i = 0; i < nodes.size(); i++)
            for (int j = i + 1; j < nodes.size(); j++)
                assertFalse(overlap(box(nodes.get(i), 10), box(nodes.get(j), 10)), nodes.get(i) + " / " + nodes.get(j));
    }

    @ParameterizedTest
    @MethodSource("layouts")
    void finishedConnectionsEndAtTheBottomClosedAndAbortsReturnToTheTop(DiagramLayout layout) {
        assertTrue(layout.route(TcpState.TIME_WAIT.edgeTo(TcpState.CLOSED).orElseThrow()).to().terminal());
        assertTrue(layout.route(TcpState.LAST_ACK.edgeTo(TcpState.CLOSED).orElseThrow()).to().terminal());
        assertFalse(layout.route(TcpState.LISTEN.edgeTo(TcpState.CLOSED).orElseThrow()).to().terminal());
        assertFalse(layout.route(TcpState.SYN_SENT.edgeTo(TcpState.CLOSED).orElseThrow()).to().terminal());
    }

    /**
     * Label boxes (estimated with a generous 7.4 units per character of the 13-unit font) overlap no
     * box and no other label, at normal size and at the largest boost small windows get (1.3×).
     */
    @ParameterizedTest
    @ValueSource(doubles = {1.0, 1.3})
    void labelsDoNotOverlapBoxesOrEachOther(double boost) {
        for (DiagramLayout layout : layouts()) labelsDoNotOverlapBoxesOrEachOther(layout, boost);
    }

    private static void labelsDoNotOverlapBoxesOrEachOther(DiagramLayout layout, double boost) {
        List<DiagramLayout.Route> routes = layout.routes();
        for (int i = 0; i < routes.size(); i++) {
            double[] a = labelBox(routes.get(i), boost);
            assertTrue(a[0] >= 0 && a[2] <= layout.width() && a[1] >= 0 && a[3] <= layout.height(),
                    "label inside the figure: " + routes.get(i).edge());
            for (DiagramLayout.Node n : layout.nodes())
                assertFalse(overlap(a, box(n, 2)), routes.get(i).edge() + " label over " + n.state());
            for (int j = i + 1; j < routes.size(); j++)
                assertFalse(overlap(a, labelBox(routes.get(j), boost)), routes.get(i).edge() + " / " + routes.get(j).edge());
        }
    }

    @Test
    void theWideLayoutIsChosenForLandscapeAreasAndFigureFiveForTallOnes() {
        assertSame(DiagramLayout.wide(), DiagramLayout.bestFor(1024, 400));
        assertSame(DiagramLayout.wide(), DiagramLayout.bestFor(1600, 720));
        assertSame(DiagramLayout.rfc9293(), DiagramLayout.bestFor(900, 900));
        assertSame(DiagramLayout.rfc9293(), DiagramLayout.bestFor(500, 700));
        DiagramLayout w = DiagramLayout.wide();
        assertTrue(w.width() / w.height() > 2.5, "wide: " + w.width() + " x " + w.height());
    }

    @Test
    void pointAtWalksFromStartToEnd() {
        DiagramLayout.Route r = DiagramLayout.rfc9293().route(TcpState.FIN_WAIT2.edgeTo(TcpState.TIME_WAIT).orElseThrow());
        assertEquals(r.xs()[0], r.pointAt(0).x(), 1e-9);
        assertEquals(r.ys()[r.size() - 1], r.pointAt(1).y(), 1e-9);
        DiagramLayout.Point mid = r.pointAt(0.5);
        assertTrue(r.distanceTo(mid.x(), mid.y()) < 1e-6);
    }

    static double[] labelBox(DiagramLayout.Route r, double boost) {
        TcpState.Edge e = r.edge();
        double w = Math.max(e.event().length(), e.action().length()) * 7.4 * boost + 14;
        double h = 39 * boost;
        return new double[] {r.label().x() - w / 2, r.label().y() - h / 2, r.label().x() + w / 2, r.label().y() + h / 2};
    }

    private static double[] box(DiagramLayout.Node n, double pad) {
        return new double[] {n.left() - pad, n.top() - pad, n.right() + pad, n.bottom() + pad};
    }

    private static boolean overlap(double[] a, double[] b) {
        return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    }

    private static boolean onBorder(DiagramLayout.Node n, double x, double y) {
        double eps = 0.5;
        boolean inside = x >= n.left() - eps && x <= n.right() + eps && y >= n.top() - eps && y <= n.bottom() + eps;
        boolean edge = Math.abs(x - n.left()) < eps || Math.abs(x - n.right()) < eps
                || Math.abs(y - n.top()) < eps || Math.abs(y - n.bottom()) < eps;
        return inside && edge;
    }
}
