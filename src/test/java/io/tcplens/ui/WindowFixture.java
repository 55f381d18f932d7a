package io.tcplens.ui;

import io.tcplens.app.UiComposition;
import io.tcplens.source.SocketTableSource;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.theme.Theme;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javafx.stage.Stage;

/**
 * The real window as the application composes it, shown on a headless stage of a given size (or the
 * size its settings remember), on a source opened by spec or given as an object, with remembered
 * settings of its own ({@link TestPreferences}: a cleared preferences node) so that nothing saved by a
 * run or another test changes what a test sees. {@link #close()} closes the stage (which stops polling).
 * A stage of a given size is placed at the headless screen's top-left corner and kept there
 * ({@link FxTestSupport#keepOnHeadlessScreen}); a restored one where the window's own layout code puts it.
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
        return open(TestPreferences.cleared(prefsNode, intervalMillis), source, width, height, theme);
    }

    /** The window on {@code prefs} (see {@link TestPreferences}) and a source spec, on a stage of the given size. */
    public static WindowFixture open(UiPreferences prefs, String source, double width, double height, Theme theme) {
        return open(() -> UiComposition.window(prefs, source, theme), sized(width, height), w -> {});
    }

    /** The same on a source object (a generated table, a test's controlled source). */
    public static WindowFixture open(UiPreferences prefs, SocketTableSource source, double width, double height, Theme theme) {
        return open(prefs, source, width, height, theme, w -> {});
    }

    /**
     * The same, and {@code afterShow} run on the FX thread right after the window is shown, before
     * anything else the FX thread has queued (a tab to bring to front before the first poll is shown).
     */
    public static WindowFixture open(UiPreferences prefs, SocketTableSource source, double width, double height, Theme theme,
                                     Consumer<MainWindow> afterShow) {
        return open(() -> UiComposition.window(prefs, source, theme), sized(width, height), afterShow);
    }

    /** The same on a source spec. */
    public static WindowFixture open(UiPreferences prefs, String source, double width, double height, Theme theme,
                                     Consumer<MainWindow> afterShow) {
        return open(() -> UiComposition.window(prefs, source, theme), sized(width, height), afterShow);
    }

    /** The window at the size and place {@code prefs} remember (as the app starts it: {@link MainWindow#restoreLayout}). */
    public static WindowFixture restored(UiPreferences prefs, SocketTableSource source, Theme theme) {
        return restored(prefs, source, theme, w -> {});
    }

    /** The same, and {@code afterShow} run on the FX thread right after the window is shown. */
    public static WindowFixture restored(UiPreferences prefs, SocketTableSource source, Theme theme, Consumer<MainWindow> afterShow) {
        MainWindow[] made = new MainWindow[1];
        return open(() -> made[0] = UiComposition.window(prefs, source, theme), stage -> made[0].restoreLayout(stage), afterShow);
    }

    /**
     * A stage of that size at the headless screen's top-left corner, kept there whatever the test later
     * does to its size (a frame off (0, 0), or too large for the headless screen's buffer, threw at
     * every frame: {@link FxTestSupport#keepOnHeadlessScreen}).
     */
    private static Consumer<Stage> sized(double width, double height) {
        return stage -> {
            FxTestSupport.place(stage, width, height);
            FxTestSupport.keepOnHeadlessScreen(stage);
        };
    }

    /**
     * Composes the window, places a new stage, shows the window on it and runs {@code afterShow}, all in
     * one FX task (nothing queued on the FX thread, such as a poll's hand-over, runs in between).
     */
    private static WindowFixture open(Supplier<MainWindow> compose, Consumer<Stage> place, Consumer<MainWindow> afterShow) {
        FxTestSupport.start();
        return FxTestSupport.onFx(() -> {
            MainWindow w = compose.get();
            Stage stage = new Stage();
            place.accept(stage);
            try {
                w.show(stage);
                afterShow.accept(w);
            } catch (RuntimeException | Error e) {
                stage.close(); // the test that fails here has no fixture to close
                throw e;
            }
            return new WindowFixture(w, stage);
        });
    }

    /** Waits until the window shows its first poll. */
    public void awaitFirstPoll(long timeoutMillis) {
        FxTestSupport.waitUntil(() -> window.lastShown() != null, timeoutMillis, "first poll shown");
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
        for (Theme theme : Theme.values()) screenshots(window, stage, name, theme);
        FxTestSupport.onFx(() -> window.setTheme(Theme.LIGHT));
    }

    /**
     * The window in {@code theme} at 1024x700 and 1360x860 ({@code NAME-THEME-1024.png} …); the theme
     * stays, the stage stays at 1360x860. Returns the files written.
     */
    public static List<Path> screenshots(MainWindow window, Stage stage, String name, Theme theme) {
        List<Path> shots = new ArrayList<>();
        FxTestSupport.onFx(() -> window.setTheme(theme));
        for (double[] size : new double[][] {{1024, 700}, {1360, 860}}) {
            FxTestSupport.onFx(() -> {
                stage.setWidth(size[0]);
                stage.setHeight(size[1]);
            });
            FxTestSupport.waitUntil(() -> window.scene().getWidth() == size[0], 10_000, "the window resized");
            FxTestSupport.settle();
            shots.add(FxTestSupport.screenshot(window.scene(), name + "-" + theme.name().toLowerCase(Locale.ROOT) + "-" + (int) size[0]));
        }
        return shots;
    }

    @Override
    public void close() {
        FxTestSupport.onFx(() -> stage.close()); // hiding the stage closes the window (stops polling)
    }
}
