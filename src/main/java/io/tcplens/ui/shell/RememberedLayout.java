package io.tcplens.ui.shell;

import javafx.geometry.Dimension2D;
import javafx.geometry.Rectangle2D;
import javafx.stage.Screen;
import javafx.stage.Stage;

/**
 * The window as the user left it: size, position when that is still on a screen, maximised, selected tab.
 * A window that would not fit the screen it opens on (the first start on a 1024×700 screen; a size left on
 * a larger monitor) opens as large as that screen's visible area instead, all of it on the screen.
 */
final class RememberedLayout {
    /** The scene's size when nothing is saved (MainWindow). */
    static final double DEFAULT_WIDTH = 1360, DEFAULT_HEIGHT = 860;

    private RememberedLayout() {}

    static void restore(UiPreferences prefs, Stage stage, ViewTabs tabs) {
        double w = prefs.getDouble("window.width", -1), h = prefs.getDouble("window.height", -1);
        double x = prefs.getDouble("window.x", Double.NaN), y = prefs.getDouble("window.y", Double.NaN);
        boolean saved = w >= 900 && h >= 600;
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        if (saved && !Double.isNaN(x) && !Double.isNaN(y)) {
            var on = Screen.getScreensForRectangle(x + 40, y + 10, Math.min(w, 200), 30);
            if (!on.isEmpty()) screen = on.get(0).getVisualBounds();
            else x = y = Double.NaN; // that screen is gone: centred on the primary one
        }
        double wantW = saved ? w : DEFAULT_WIDTH, wantH = saved ? h : DEFAULT_HEIGHT;
        Dimension2D size = fitted(wantW, wantH, screen);
        boolean cut = size.getWidth() < wantW || size.getHeight() < wantH; // larger than the screen's visible area
        if (saved || cut) {
            stage.setWidth(size.getWidth());
            stage.setHeight(size.getHeight());
        }
        if (saved && !Double.isNaN(x) && !Double.isNaN(y)) {
            stage.setX(Math.max(screen.getMinX(), Math.min(x, screen.getMaxX() - size.getWidth())));
            stage.setY(Math.max(screen.getMinY(), Math.min(y, screen.getMaxY() - size.getHeight())));
        } else if (cut) {
            stage.setX(screen.getMinX() + (screen.getWidth() - size.getWidth()) / 2);
            stage.setY(screen.getMinY() + (screen.getHeight() - size.getHeight()) / 2);
        }
        stage.setMaximized(prefs.getBoolean("window.maximized", false));
        tabs.show(prefs.get(ViewTabs.LAST_TAB_KEY, ""));
    }

    /** {@code width} × {@code height}, no larger than {@code screen}'s visible area. */
    static Dimension2D fitted(double width, double height, Rectangle2D screen) {
        return new Dimension2D(Math.min(width, screen.getWidth()), Math.min(height, screen.getHeight()));
    }

    static void save(UiPreferences prefs, Stage stage) {
        prefs.putBoolean("window.maximized", stage.isMaximized());
        if (!stage.isMaximized() && !stage.isFullScreen() && stage.getWidth() > 0) {
            prefs.putDouble("window.width", stage.getWidth());
            prefs.putDouble("window.height", stage.getHeight());
            prefs.putDouble("window.x", stage.getX());
            prefs.putDouble("window.y", stage.getY());
        }
    }
}
