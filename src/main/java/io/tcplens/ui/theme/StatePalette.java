package io.tcplens.ui.theme;

import io.tcplens.model.TcpState;
import java.util.EnumMap;
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

    static {
        // state          light      dark
        put(TcpState.ESTABLISHED, "#1f9d55", "#4ade80");
        put(TcpState.LISTEN, "#64748b", "#94a3b8");
        put(TcpState.SYN_SENT, "#c98a04", "#facc15");
        put(TcpState.SYN_RECV, "#e8590c", "#fb923c");
        put(TcpState.FIN_WAIT1, "#7c3aed", "#a78bfa");
        put(TcpState.FIN_WAIT2, "#9333ea", "#c084fc");
        put(TcpState.CLOSE_WAIT, "#dc2626", "#f87171");
        put(TcpState.CLOSING, "#db2777", "#f472b6");
        put(TcpState.LAST_ACK, "#be185d", "#fb7185");
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
