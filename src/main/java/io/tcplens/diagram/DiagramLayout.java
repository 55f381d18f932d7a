package io.tcplens.diagram;

import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the RFC 9293 state diagram puts its states and edges, in a fixed design space of
 * {@link #width()} × {@link #height()} units that a view scales to its size. Laid out as RFC 9293
 * figure 5: CLOSED at the top, LISTEN under it, SYN-RECEIVED left and SYN-SENT right, ESTABLISHED in
 * the centre, the active close (FIN-WAIT-1, FIN-WAIT-2, CLOSING, TIME-WAIT) on the left and below,
 * the passive close (CLOSE-WAIT, LAST-ACK) on the right, and CLOSED again at the bottom right where
 * finished connections end. {@link #wide()} arranges the same boxes and edges from left to right for
 * landscape areas (a window's diagram tab), {@link #bestFor} picks one. Plain Java: no toolkit.
 */
public final class DiagramLayout {

    /** A state's box. CLOSED has two: the start at the top and the end ({@code terminal}) at the bottom. */
    public record Node(TcpState state, boolean terminal, double cx, double cy, double w, double h) {
        public double left() { return cx - w / 2; }
        public double top() { return cy - h / 2; }
        public double right() { return cx + w / 2; }
        public double bottom() { return cy + h / 2; }

        public boolean contains(double x, double y) {
            return x >= left() && x <= right() && y >= top() && y <= bottom();
        }
    }

    /** A point in design units. */
    public record Point(double x, double y) {}

    /**
     * One edge's route: a polyline with rounded corners, flattened to points, from the border of the
     * source box to the border of the target box (where the arrowhead goes). The label is centred on
     * {@code label}, which sits on the route or just beside it.
     */
    public static final class Route {
        private final TcpState.Edge edge;
        private final int index;
        private final Node from;
        private final Node to;
        private final double[] xs;
        private final double[] ys;
        private final double[] cum;
        private final Point label;

        Route(TcpState.Edge edge, int index, Node from, Node to, List<Point> pts, Point label) {
            this.edge = edge;
            this.index = index;
            this.from = from;
            this.to = to;
            this.label = label;
            int n = pts.size();
            xs = new double[n];
            ys = new double[n];
            cum = new double[n];
            for (int i = 0; i < n; i++) {
                xs[i] = pts.get(i).x();
                ys[i] = pts.get(i).y();
                if (i > 0) cum[i] = cum[i - 1] + Math.hypot(xs[i] - xs[i - 1], ys[i] - ys[i - 1]);
            }
        }

        public TcpState.Edge edge() { return edge; }
        /** Position of the edge in {@link TcpState#edges()}. */
        public int index() { return index; }
        public Node from() { return from; }
        public Node to() { return to; }
        public Point label() { return label; }
        public double length() { return cum[cum.length - 1]; }
        /** Flattened x coordinates (shared array: do not modify). */
        public double[] xs() { return xs; }
        public double[] ys() { return ys; }
        public int size() { return xs.length; }

        /** The point at {@code fraction} (0…1) of the route's length. */
        public Point pointAt(double fraction) {
            double[] p = new double[2];
            pointAt(fraction, p);
            return new Point(p[0], p[1]);
        }

        /** Allocation-free form: writes x, y into {@code out}; returns the index of the segment. */
        public int pointAt(double fraction, double[] out) {
            double f = Math.max(0, Math.min(1, fraction));
            double d = f * length();
            int lo = 0;
            int hi = cum.length - 1;
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (cum[mid] <= d) lo = mid; else hi = mid;
            }
            double seg = cum[hi] - cum[lo];
            double t = seg <= 0 ? 0 : (d - cum[lo]) / seg;
            out[0] = xs[lo] + (xs[hi] - xs[lo]) * t;
            out[1] = ys[lo] + (ys[hi] - ys[lo]) * t;
            return lo;
        }

        /** Direction (radians) at the end, for the arrowhead. */
        public double endAngle() {
            int n = xs.length;
            return Math.atan2(ys[n - 1] - ys[n - 2], xs[n - 1] - xs[n - 2]);
        }

        /** True when the part of the route nearest to the point runs vertically. */
        public boolean verticalNear(double x, double y) {
            double best = Double.MAX_VALUE;
            boolean vertical = false;
            for (int i = 1; i < xs.length; i++) {
                double dx = xs[i] - xs[i - 1];
                double dy = ys[i] - ys[i - 1];
                double len2 = dx * dx + dy * dy;
                double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - xs[i - 1]) * dx + (y - ys[i - 1]) * dy) / len2));
                double d = Math.hypot(x - (xs[i - 1] + t * dx), y - (ys[i - 1] + t * dy));
                if (d < best) {
                    best = d;
                    vertical = Math.abs(dy) > Math.abs(dx);
                }
            }
            return vertical;
        }

        /** Shortest distance from a point to the route. */
        public double distanceTo(double x, double y) {
            double best = Double.MAX_VALUE;
            for (int i = 1; i < xs.length; i++) {
                double dx = xs[i] - xs[i - 1];
                double dy = ys[i] - ys[i - 1];
                double len2 = dx * dx + dy * dy;
                double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - xs[i - 1]) * dx + (y - ys[i - 1]) * dy) / len2));
                best = Math.min(best, Math.hypot(x - (xs[i - 1] + t * dx), y - (ys[i - 1] + t * dy)));
            }
            return best;
        }
    }

    public static final double BOX_W = 184;
    public static final double BOX_H = 66;
    private static final double CORNER = 16;

    private final double width;
    private final double height;
    private final List<Node> nodes;
    private final Map<TcpState, Node> home = new EnumMap<>(TcpState.class);
    private final Node closedEnd;
    private final List<Route> routes;
    private final Map<TcpState.Edge, Route> byEdge = new HashMap<>();

    private DiagramLayout(double width, double height, List<Node> nodes, Node closedEnd, List<Route> routes) {
        this.width = width;
        this.height = height;
        this.nodes = List.copyOf(nodes);
        for (Node n : nodes) if (!n.terminal()) home.put(n.state(), n);
        this.closedEnd = closedEnd;
        this.routes = List.copyOf(routes);
        for (Route r : routes) byEdge.put(r.edge(), r);
    }

    public double width() { return width; }
    public double height() { return height; }

    /** Every box, the terminal CLOSED included. */
    public List<Node> nodes() { return nodes; }

    /** The box where a connection in this state rests (CLOSED: the top one). */
    public Node home(TcpState s) { return home.get(s); }

    /** The CLOSED box at the bottom, where finished connections end. */
    public Node closedEnd() { return closedEnd; }

    /** One route per RFC edge, in the order of {@link TcpState#edges()}. */
    public List<Route> routes() { return routes; }

    public Route route(TcpState.Edge e) { return byEdge.get(e); }

    public Route route(int edgeIndex) { return routes.get(edgeIndex); }

    /** The box at a design-space point, or null. */
    public Node nodeAt(double x, double y) {
        for (Node n : nodes) if (n.contains(x, y)) return n;
        return null;
    }

    private static final DiagramLayout RFC = build();
    private static final DiagramLayout WIDE = buildWide();

    /** The layout of RFC 9293 figure 5. */
    public static DiagramLayout rfc9293() {
        return RFC;
    }

    /**
     * The same states and edges laid out for a wide, low area (a window's diagram tab is about 2.5 times as
     * wide as it is high): a connection's life reads from left to right. CLOSED on the left; LISTEN above and
     * SYN-SENT below it; SYN-RECEIVED over ESTABLISHED; the active close along the top row (FIN-WAIT-1,
     * FIN-WAIT-2), CLOSING and TIME-WAIT in the middle row, the passive close along the bottom (CLOSE-WAIT,
     * LAST-ACK); CLOSED again on the right where finished connections end.
     */
    public static DiagramLayout wide() {
        return WIDE;
    }

    /** Whichever layout draws larger in a {@code w} × {@code h} area: {@link #wide()} in landscape areas. */
    public static DiagramLayout bestFor(double w, double h) {
        double rfc = Math.min(w / RFC.width, h / RFC.height), wide = Math.min(w / WIDE.width, h / WIDE.height);
        return wide > rfc ? WIDE : RFC;
    }

    // Columns and rows of the figure.
    private static final double L = 180, C = 620, R = 1060;
    private static final double R0 = 64, R1 = 232, R2 = 402, R3 = 572, R4 = 734, R5 = 896, R6 = 1058;

    private static DiagramLayout build() {
        Map<TcpState, Node> n = new EnumMap<>(TcpState.class);
        put(n, TcpState.CLOSED, C, R0);
        put(n, TcpState.LISTEN, C, R1);
        put(n, TcpState.SYN_RECV, L, R2);
        put(n, TcpState.SYN_SENT, R, R2);
        put(n, TcpState.ESTABLISHED, C, R3);
        put(n, TcpState.FIN_WAIT1, L, R4);
        put(n, TcpState.CLOSE_WAIT, R, R4);
        put(n, TcpState.FIN_WAIT2, L, R5);
        put(n, TcpState.CLOSING, C, R5);
        put(n, TcpState.LAST_ACK, R, R5);
        put(n, TcpState.TIME_WAIT, C, R6);
        Node end = new Node(TcpState.CLOSED, true, R, R6, BOX_W, BOX_H);
        List<Node> nodes = new ArrayList<>(n.values());
        nodes.add(end);

        double hw = BOX_W / 2, hh = BOX_H / 2;
        Map<String, Object[]> spec = new HashMap<>();
        // key "FROM>TO": waypoints (x0,y0,x1,y1,...), label point
        spec.put("CLOSED>LISTEN", new Object[] {pts(C - 42, R0 + hh, C - 42, R1 - hh), p(C - 120, (R0 + R1) / 2)});
        spec.put("LISTEN>CLOSED", new Object[] {pts(C + 42, R1 - hh, C + 42, R0 + hh), p(C + 116, (R0 + R1) / 2)});
        spec.put("CLOSED>SYN_SENT", new Object[] {pts(C + hw, R0 - 16, R + 62, R0 - 16, R + 62, R2 - hh),
                p(R + 62, R1 + 26)});
        spec.put("SYN_SENT>CLOSED", new Object[] {pts(R - 30, R2 - hh, R - 30, R0 + 16, C + hw, R0 + 16),
                p(R - 30, R1 - 66)});
        spec.put("LISTEN>SYN_SENT", new Object[] {pts(C + hw, R1 + 14, R - 70, R1 + 14, R - 70, R2 - hh),
                p((C + hw + R - 70) / 2 - 6, R1 + 14)});
        spec.put("LISTEN>SYN_RECV", new Object[] {pts(C - hw, R1 + 14, L + 30, R1 + 14, L + 30, R2 - hh),
                p((C - hw + L + 30) / 2 + 6, R1 + 14)});
        spec.put("SYN_RECV>LISTEN", new Object[] {pts(L - 40, R2 - hh, L - 40, R1 - 18, C - hw, R1 - 18),
                p(L - 40, (R1 + R2) / 2 + 8)});
        spec.put("SYN_SENT>SYN_RECV", new Object[] {pts(R - hw, R2 - 20, L + hw, R2 - 20), p(C, R2 - 20)});
        spec.put("SYN_RECV>ESTABLISHED", new Object[] {pts(L + hw, R2 + 20, C - 40, R2 + 20, C - 40, R3 - hh),
                p((L + hw + C - 40) / 2, R2 + 20)});
        spec.put("SYN_SENT>ESTABLISHED", new Object[] {pts(R - hw, R2 + 20, C + 40, R2 + 20, C + 40, R3 - hh),
                p((R - hw + C + 40) / 2, R2 + 20)});
        spec.put("SYN_RECV>FIN_WAIT1", new Object[] {pts(L, R2 + hh, L, R4 - hh), p(L, (R2 + R4) / 2)});
        spec.put("ESTABLISHED>FIN_WAIT1", new Object[] {pts(C - 40, R3 + hh, C - 40, R4 - 16, L + hw, R4 - 16),
                p((L + hw + C - 40) / 2, R4 - 16)});
        spec.put("ESTABLISHED>CLOSE_WAIT", new Object[] {pts(C + 40, R3 + hh, C + 40, R4 - 16, R - hw, R4 - 16),
                p((R - hw + C + 40) / 2, R4 - 16)});
        spec.put("FIN_WAIT1>FIN_WAIT2", new Object[] {pts(L, R4 + hh, L, R5 - hh), p(L, (R4 + R5) / 2)});
        spec.put("FIN_WAIT1>CLOSING", new Object[] {pts(L + hw, R4 + 18, C, R4 + 18, C, R5 - hh),
                p(C, (R4 + 18 + R5 - hh) / 2 + 4)});
        spec.put("FIN_WAIT2>TIME_WAIT", new Object[] {pts(L, R5 + hh, L, R6, C - hw, R6), p((L + C - hw) / 2 + 20, R6)});
        spec.put("CLOSING>TIME_WAIT", new Object[] {pts(C, R5 + hh, C, R6 - hh), p(C, (R5 + R6) / 2)});
        spec.put("CLOSE_WAIT>LAST_ACK", new Object[] {pts(R, R4 + hh, R, R5 - hh), p(R, (R4 + R5) / 2)});
        spec.put("LAST_ACK>CLOSED", new Object[] {pts(R, R5 + hh, R, R6 - hh), p(R, (R5 + R6) / 2)});
        spec.put("TIME_WAIT>CLOSED", new Object[] {pts(C + hw, R6, R - hw, R6), p((C + R) / 2, R6)});

        return new DiagramLayout(1240, 1112, nodes, end, routes(spec, n, end));
    }

    // Columns and rows of the wide figure.
    private static final double X0 = 124, X1 = 424, X2 = 744, X3 = 1064, X4 = 1424, X5 = 1784;
    private static final double YT = 112, YM = 327, YB = 542;

    private static DiagramLayout buildWide() {
        Map<TcpState, Node> n = new EnumMap<>(TcpState.class);
        put(n, TcpState.CLOSED, X0, YM);
        put(n, TcpState.LISTEN, X1, YT);
        put(n, TcpState.SYN_SENT, X1, YB);
        put(n, TcpState.SYN_RECV, X2, YT);
        put(n, TcpState.ESTABLISHED, X2, YM);
        put(n, TcpState.FIN_WAIT1, X3, YT);
        put(n, TcpState.CLOSING, X3, YM);
        put(n, TcpState.CLOSE_WAIT, X3, YB);
        put(n, TcpState.FIN_WAIT2, X4, YT);
        put(n, TcpState.TIME_WAIT, X4, YM);
        put(n, TcpState.LAST_ACK, X4, YB);
        Node end = new Node(TcpState.CLOSED, true, X5, YM, BOX_W, BOX_H);
        List<Node> nodes = new ArrayList<>(n.values());
        nodes.add(end);

        double hw = BOX_W / 2, hh = BOX_H / 2;
        double gap12 = (X1 + hw + X2 - hw) / 2, gap23 = (X2 + hw + X3 - hw) / 2;
        Map<String, Object[]> spec = new HashMap<>();
        // horizontal edges run a little below the boxes' middle and enter a box's top-right corner nowhere:
        // the count badges sit there
        spec.put("CLOSED>LISTEN", new Object[] {pts(X0 - 30, YM - hh, X0 - 30, YT - 14, X1 - hw, YT - 14),
                p((X0 - 30 + X1 - hw) / 2 - 4, YT - 14)});
        spec.put("LISTEN>CLOSED", new Object[] {pts(X1 - hw, YT + 14, X0 + 40, YT + 14, X0 + 40, YM - hh),
                p(X0 + 40, (YT + 14 + YM - hh) / 2 + 10)});
        spec.put("CLOSED>SYN_SENT", new Object[] {pts(X0 - 30, YM + hh, X0 - 30, YB + 14, X1 - hw, YB + 14),
                p((X0 - 30 + X1 - hw) / 2 - 4, YB + 14)});
        spec.put("SYN_SENT>CLOSED", new Object[] {pts(X1 - hw, YB - 14, X0 + 40, YB - 14, X0 + 40, YM + hh),
                p(X0 + 40, (YB - 14 + YM + hh) / 2 - 10)});
        spec.put("LISTEN>SYN_SENT", new Object[] {pts(X1, YT + hh, X1, YB - hh), p(X1, YM)});
        spec.put("LISTEN>SYN_RECV", new Object[] {pts(X1 + hw, YT + 10, X2 - hw, YT + 10), p(gap12, YT + 10)});
        spec.put("SYN_RECV>LISTEN", new Object[] {pts(X2 - 40, YT - hh, X2 - 40, YT - 76, X1 + 40, YT - 76, X1 + 40, YT - hh),
                p(gap12, YT - 76)});
        spec.put("SYN_SENT>SYN_RECV", new Object[] {pts(X1 + hw, YB - 14, gap12, YB - 14, gap12, YT + hh + 26,
                X2 - 56, YT + hh + 26, X2 - 56, YT + hh), p(gap12, YM + 50)}); // its rate chip clears ESTABLISHED
        spec.put("SYN_SENT>ESTABLISHED", new Object[] {pts(X1 + hw, YB + 14, X2 - 40, YB + 14, X2 - 40, YM + hh),
                p(X2 - 40, (YM + YB) / 2 + 10)});
        spec.put("SYN_RECV>ESTABLISHED", new Object[] {pts(X2, YT + hh, X2, YM - hh), p(X2, (YT + YM) / 2 - 14)});
        spec.put("SYN_RECV>FIN_WAIT1", new Object[] {pts(X2 + hw, YT + 10, X3 - hw, YT + 10), p(gap23, YT + 10)});
        spec.put("ESTABLISHED>FIN_WAIT1", new Object[] {pts(X2 + hw, YM - 14, gap23, YM - 14, gap23, YT + hh + 26,
                X3 - 56, YT + hh + 26, X3 - 56, YT + hh), p(gap23, (YT + hh + 26 + YM - 14) / 2 + 20)});
        spec.put("ESTABLISHED>CLOSE_WAIT", new Object[] {pts(X2 + hw, YM + 14, gap23, YM + 14, gap23, YB - 14, X3 - hw, YB - 14),
                p(gap23, (YM + YB) / 2 - 6)});
        spec.put("FIN_WAIT1>FIN_WAIT2", new Object[] {pts(X3 + hw, YT + 10, X4 - hw, YT + 10), p((X3 + X4) / 2, YT + 10)});
        spec.put("FIN_WAIT1>CLOSING", new Object[] {pts(X3, YT + hh, X3, YM - hh), p(X3, (YT + YM) / 2 + 6)});
        spec.put("FIN_WAIT2>TIME_WAIT", new Object[] {pts(X4, YT + hh, X4, YM - hh), p(X4, (YT + YM) / 2 + 6)});
        spec.put("CLOSING>TIME_WAIT", new Object[] {pts(X3 + hw, YM + 10, X4 - hw, YM + 10), p((X3 + X4) / 2, YM + 10)});
        spec.put("CLOSE_WAIT>LAST_ACK", new Object[] {pts(X3 + hw, YB + 10, X4 - hw, YB + 10), p((X3 + X4) / 2, YB + 10)});
        spec.put("LAST_ACK>CLOSED", new Object[] {pts(X4 + hw, YB + 10, X5, YB + 10, X5, YM + hh), p(X5, (YM + YB) / 2 + 16)});
        spec.put("TIME_WAIT>CLOSED", new Object[] {pts(X4 + hw, YM + 10, X5 - hw, YM + 10), p((X4 + X5) / 2, YM + 10)});
        return new DiagramLayout(X5 + hw + 24, YB + hh + 44, nodes, end, routes(spec, n, end));
    }

    private static List<Route> routes(Map<String, Object[]> spec, Map<TcpState, Node> n, Node end) {
        List<Route> routes = new ArrayList<>();
        List<TcpState.Edge> edges = TcpState.edges();
        for (int i = 0; i < edges.size(); i++) {
            TcpState.Edge e = edges.get(i);
            Object[] s = spec.get(e.from().name() + ">" + e.to().name());
            if (s == null) throw new IllegalStateException("no route for " + e);
            Node from = n.get(e.from());
            boolean toEnd = e.to() == TcpState.CLOSED
                    && (e.from() == TcpState.TIME_WAIT || e.from() == TcpState.LAST_ACK);
            Node to = toEnd ? end : n.get(e.to());
            routes.add(new Route(e, i, from, to, rounded((double[]) s[0]), (Point) s[1]));
        }
        return routes;
    }

    private static void put(Map<TcpState, Node> m, TcpState s, double x, double y) {
        m.put(s, new Node(s, false, x, y, BOX_W, BOX_H));
    }

    private static double[] pts(double... v) {
        return v;
    }

    private static Point p(double x, double y) {
        return new Point(x, y);
    }

    /** Flattens a polyline, replacing each inner corner by a quadratic curve of radius CORNER. */
    static List<Point> rounded(double[] v) {
        int n = v.length / 2;
        List<Point> out = new ArrayList<>();
        out.add(new Point(v[0], v[1]));
        for (int i = 1; i < n - 1; i++) {
            double px = v[2 * i - 2], py = v[2 * i - 1];
            double cx = v[2 * i], cy = v[2 * i + 1];
            double nx = v[2 * i + 2], ny = v[2 * i + 3];
            double d1 = Math.hypot(cx - px, cy - py), d2 = Math.hypot(nx - cx, ny - cy);
            double r = Math.min(CORNER, Math.min(d1, d2) / 2);
            double ax = cx + (px - cx) * r / d1, ay = cy + (py - cy) * r / d1;
            double bx = cx + (nx - cx) * r / d2, by = cy + (ny - cy) * r / d2;
            out.add(new Point(ax, ay));
            for (int k = 1; k <= 8; k++) {
                double t = k / 8.0, u = 1 - t;
                out.add(new Point(u * u * ax + 2 * u * t * cx + t * t * bx, u * u * ay + 2 * u * t * cy + t * t * by));
            }
        }
        out.add(new Point(v[2 * n - 2], v[2 * n - 1]));
        return out;
    }
}
