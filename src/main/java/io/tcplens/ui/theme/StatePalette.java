package io.tcplens.ui.theme;

import io.tcplens.model.TcpState;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javafx.scene.paint.Color;

/**
 * The one named colour per TCP state, shared by tiles, charts, diagram, timeline and tables. The
 * same values are CSS looked-up colours ({@code -tcp-time-wait} …) in the theme stylesheets, so
 * CSS-styled nodes and canvas drawing agree. A test checks that both stay in step.
 */
public final class StatePalette {
    private StatePalette() {}

    private static final Map<TcpState, String[]> HEX = new EnumMap<>(TcpState.class);

    /**
     * The order states are listed in wherever several are: the tiles (and the chart's legend), the
     * connections table's filter chips, the Processes &amp; ports columns — the tiles' order, the one a
     * person sees first: open, then the closing states by how often they matter, LISTEN last. (The
     * chips listed LISTEN second and the process tables CLOSE-W before TIME-W and FIN-W2 before FIN-W1.)
     */
    public static final List<TcpState> ORDER = List.of(TcpState.ESTABLISHED, TcpState.TIME_WAIT, TcpState.CLOSE_WAIT,
            TcpState.SYN_RECV, TcpState.SYN_SENT, TcpState.FIN_WAIT1, TcpState.FIN_WAIT2, TcpState.LAST_ACK, TcpState.CLOSING,
            TcpState.LISTEN);

    static {
        // state          light      dark
        put(TcpState.ESTABLISHED, "#1f9d55", "#4ade80");
        put(TcpState.LISTEN, "#64748b", "#94a3b8");
        put(TcpState.SYN_SENT, "#c98a04", "#facc15");
        put(TcpState.SYN_RECV, "#e8590c", "#fb923c");
        put(TcpState.FIN_WAIT1, "#7c3aed", "#a78bfa");
        put(TcpState.FIN_WAIT2, "#9333ea", "#c084fc");
        put(TcpState.CLOSE_WAIT, "#dc2626", "#f87171");
        // teal, not a second red: the Last-ACK/Closing tile and chart area were #be185d / #fb7185 beside
        // CLOSE_WAIT's red (CIEDE2000 5.8 apart in the dark theme: one red band in the states chart)
        put(TcpState.CLOSING, "#0d9488", "#5eead4");
        put(TcpState.LAST_ACK, "#0f766e", "#2dd4bf");
        put(TcpState.TIME_WAIT, "#2563eb", "#60a5fa");
        put(TcpState.CLOSED, "#9ca3af", "#6b7280");
    }

    private static void put(TcpState s, String light, String dark) {
        HEX.put(s, new String[] {light, dark});
    }

    public static String hex(TcpState s, Theme t) {
        return HEX.get(s)[t.isDark() ? 1 : 0];
    }

    public static Color color(TcpState s, Theme t) {
        return Color.web(hex(s, t));
    }

    /** The CSS looked-up colour name, e.g. {@code -tcp-time-wait}. */
    public static String cssName(TcpState s) {
        return "-tcp-" + s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The style class for a state, e.g. {@code state-time-wait}. */
    public static String styleClass(TcpState s) {
        return "state-" + s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Warning colour used when a tile/threshold is exceeded ({@link CanvasPalette#warning}). */
    public static Color warning(Theme t) {
        return CanvasPalette.of(t).warning();
    }
}
