package io.tcplens.ui.shell;

import javafx.stage.Screen;
import javafx.stage.Stage;

/** The window as the user left it: size, position when that is still on a screen, maximised, selected tab. */
final class RememberedLayout {
    private RememberedLayout() {}

    static void restore(UiPreferences prefs, Stage stage, ViewTabs tabs) {
        double w = prefs.getDouble("window.width", -1), h = prefs.getDouble("window.height", -1);
        double x = prefs.getDouble("window.x", Double.NaN), y = prefs.getDouble("window.y", Double.NaN);
        if (w >= 900 && h >= 600) {
            stage.setWidth(w);
            stage.setHeight(h);
            if (!Double.isNaN(x) && !Double.isNaN(y) && !Screen.getScreensForRectangle(x + 40, y + 10, Math.min(w, 200), 30).isEmpty()) {
                stage.setX(x);
                stage.setY(y);
            }
        }
        stage.setMaximized(prefs.getBoolean("window.maximized", false));
        tabs.show(prefs.get(ViewTabs.LAST_TAB_KEY, ""));
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
