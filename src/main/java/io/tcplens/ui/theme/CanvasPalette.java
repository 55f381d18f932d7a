package io.tcplens.ui.theme;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javafx.scene.paint.Color;

/**
 * The colours every Canvas painter and the tiles use besides the state colours ({@link StatePalette}),
 * by role, one set per theme. They follow GitHub's Primer palette, like the AtlantaFX Primer theme the
 * controls use, so canvases and controls sit on the same background. No colour literal lives in Java
 * outside this package; a test checks it.
 *
 * @param background a canvas's background (and the window's)
 * @param surface    cards, tiles and panels drawn on the background
 * @param foreground text and strong lines
 * @param muted      secondary text, axes
 * @param border     grid lines, card and tile borders
 * @param line       diagram edges: stronger than a border, weaker than text
 * @param highlight  what the user is following (a token's path)
 * @param warning    a threshold exceeded, "expiring soon"
 * @param danger     failures, refused or reset connections
 * @param onFill     text drawn on a filled state, warning or danger colour
 * @param categories colours for processes or remote hosts, largest first
 */
public record CanvasPalette(Color background, Color surface, Color foreground, Color muted, Color border, Color line,
                            Color highlight, Color warning, Color danger, Color onFill, List<Color> categories) {

    public static final CanvasPalette LIGHT = new CanvasPalette(
            c("#ffffff"), c("#ffffff"), c("#1f2328"), c("#656d76"), c("#d0d7de"), c("#8c959f"),
            c("#d97706"), c("#d97706"), c("#cf222e"), Color.WHITE,
            cs("#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#c026d3", "#65a30d", "#b45309", "#4f46e5"));

    public static final CanvasPalette DARK = new CanvasPalette(
            c("#0d1117"), c("#1c2128"), c("#e6edf3"), c("#8b949e"), c("#30363d"), c("#6e7681"),
            c("#f59e0b"), c("#f59e0b"), c("#f85149"), Color.WHITE,
            cs("#60a5fa", "#f87171", "#4ade80", "#c084fc", "#fb923c", "#22d3ee", "#e879f9", "#a3e635", "#fbbf24", "#818cf8"));

    public static CanvasPalette of(Theme t) {
        return t.isDark() ? DARK : LIGHT;
    }

    /** A colour as CSS text ({@code #rrggbb}), for an inline style. */
    public static String css(Color c) {
        return String.format(Locale.ROOT, "#%02x%02x%02x", Math.round(c.getRed() * 255), Math.round(c.getGreen() * 255),
                Math.round(c.getBlue() * 255));
    }

    private static Color c(String hex) {
        return Color.web(hex);
    }

    private static List<Color> cs(String... hex) {
        return Arrays.stream(hex).map(Color::web).toList();
    }
}
