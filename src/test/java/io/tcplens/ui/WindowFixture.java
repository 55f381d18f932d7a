package io.tcplens.ui;

import io.tcplens.app.UiComposition;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.theme.Theme;
import java.util.Locale;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import javafx.stage.Stage;

/**
 * The real window as the application composes it, shown on a headless stage of a given size, on a
 * source opened by spec, with remembered settings of its own (a cleared preferences node) so that
 * nothing saved by a run or another test changes what a test sees. {@link #close()} closes the stage
 * (which stops polling).
 */
public final class WindowFixture implements AutoCloseable {
    private final MainWindow window;
    private final Stage stage;

    private WindowFixture(MainWindow window, Stage stage) {
        this.window = window;
        this.stage = stage;
    }

    /**
     * @param prefsNode      the preferences node under the user root, cleared first (e.g. "tcplens-test/advisortab")
     * @param intervalMillis the poll interval
     * @param source         a source spec ("proc", "netns:…")
     */
    public static WindowFixture open(String prefsNode, long intervalMillis, String source, double width, double height) {
        return open(prefsNode, intervalMillis, source, width, height, Theme.LIGHT);
    }

    /** The same, opened in {@code theme} . */
    public static WindowFixture open(String prefsNode, long intervalMillis, String source, double width, double height, Theme theme) {
        Preferences node = Preferences.userRoot().node(prefsNode);
        try {
            node.clear();
        } catch (BackingStoreException e) {
            throw new IllegalStateException(e);
        }
        UiPreferences prefs = new UiPreferences(node);
        prefs.setIntervalMillis(intervalMillis);
        FxTestSupport.start();
        return FxTestSupport.onFx(() -> {
            MainWindow w = UiComposition.window(prefs, source, theme);
            Stage stage = new Stage();
            stage.setWidth(width);
            stage.setHeight(height);
            w.show(stage);
            return new WindowFixture(w, stage);
        });
    }

    public MainWindow window() {
        return window;
    }

    public Stage stage() {
        return stage;
    }

    /**
     * Screenshots of the window as it is now, light and dark, at 1024x700 and 1360x860
     * ({@code NAME-light-1024.png} …); then light at 1024x700 again.
     */
    public void screenshots(String name) {
        screenshots(window, stage, name);
        FxTestSupport.onFx(() -> {
            stage.setWidth(1024);
            stage.setHeight(700);
        });
    }

    /**
     * The same for any window on its stage; the theme goes back to light, the stage stays at the last
     * size (1360x860).
     */
    public static void screenshots(MainWindow window, Stage stage, String name) {
        for (Theme theme : Theme.values()) {
            FxTestSupport.onFx(() -> window.setTheme(theme));
            for (double[] size : new double[][] {{1024, 700}, {1360, 860}}) {
                FxTestSupport.onFx(() -> {
                    stage.setWidth(size[0]);
                    stage.setHeight(size[1]);
                });
                FxTestSupport.waitUntil(() -> window.scene().getWidth() == size[0], 10_000, "the window resized");
                FxTestSupport.settle();
                FxTestSupport.screenshot(window.scene(), name + "-" + theme.name().toLowerCase(Locale.ROOT) + "-" + (int) size[0]);
            }
        }
        FxTestSupport.onFx(() -> window.setTheme(Theme.LIGHT));
    }

    @Override
    public void close() {
        FxTestSupport.onFx(() -> stage.close()); // hiding the stage closes the window (stops polling)
    }
}
