package io.tcplens.ui.theme;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import io.tcplens.model.TcpState;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import javafx.application.Application;
import javafx.scene.Scene;

/**
 * Applies a theme: AtlantaFX Primer light/dark as the user-agent stylesheet, our base.css, and a
 * stylesheet generated from {@link StatePalette} that defines the looked-up colour of every state
 * ({@code -tcp-time-wait: #2563eb;}) and the per-state classes — so CSS and Canvas share one palette.
 */
public final class ThemeStyles {
    private ThemeStyles() {}

    public static final String BASE = Objects.requireNonNull(ThemeStyles.class.getResource("/io/tcplens/ui/theme/base.css")).toExternalForm();

    public static void applyUserAgent(Theme t) {
        // the binary form AtlantaFX ships beside the CSS: the same rules, no parsing at start-up (issue 13)
        Application.setUserAgentStylesheet(t.isDark() ? new PrimerDark().getUserAgentStylesheetBSS()
                : new PrimerLight().getUserAgentStylesheetBSS());
    }

    /** Replaces this scene's TcpLens stylesheets with those of the theme. */
    public static void apply(Scene scene, Theme t) {
        applyUserAgent(t);
        scene.getStylesheets().removeIf(s -> s.startsWith("data:text/css") || s.equals(BASE));
        scene.getStylesheets().add(0, BASE);
        scene.getStylesheets().add(1, paletteCss(t));
        scene.getRoot().getStyleClass().removeAll("theme-light", "theme-dark");
        scene.getRoot().getStyleClass().add(t.isDark() ? "theme-dark" : "theme-light");
    }

    /** The generated palette stylesheet as a data: URL. */
    public static String paletteCss(Theme t) {
        StringBuilder css = new StringBuilder(".root {\n");
        for (TcpState s : TcpState.values())
            css.append("  ").append(StatePalette.cssName(s)).append(": ").append(StatePalette.hex(s, t)).append(";\n");
        css.append("  -tcp-warning: ").append(CanvasPalette.css(CanvasPalette.of(t).warning())).append(";\n");
        css.append("}\n");
        for (TcpState s : TcpState.values())
            css.append('.').append(StatePalette.styleClass(s)).append(" { -state-color: ")
                    .append(StatePalette.cssName(s)).append("; }\n");
        return dataUrl(css.toString());
    }

    /** A stylesheet given as text, as a data: URL that {@code getStylesheets()} accepts. */
    public static String dataUrl(String css) {
        return "data:text/css;base64," + Base64.getEncoder().encodeToString(css.getBytes(StandardCharsets.UTF_8));
    }
}
