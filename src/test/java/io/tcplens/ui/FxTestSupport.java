package io.tcplens.ui;

import io.tcplens.testutil.Await;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import javafx.application.Platform;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import javax.imageio.ImageIO;

/**
 * Starts JavaFX once per test JVM on the built-in headless platform (surefire sets
 * -Dglass.platform=Headless -Dprism.order=sw), runs code on the FX thread and writes PNG snapshots.
 */
public final class FxTestSupport {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private FxTestSupport() {}

    public static void start() {
        if (System.getProperty("glass.platform") == null) System.setProperty("glass.platform", "Headless");
        if (System.getProperty("prism.order") == null) System.setProperty("prism.order", "sw");
        if (STARTED.compareAndSet(false, true)) {
            CountDownLatch latch = new CountDownLatch(1);
            Platform.startup(() -> {
                enlargeHeadlessFrameBuffer(); // before any window: each takes the buffer when it is made
                latch.countDown();
            });
            Platform.setImplicitExit(false);
            try {
                if (!latch.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("JavaFX did not start");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Whether this JVM has started JavaFX (a test has shown something). */
    public static boolean started() {
        return STARTED.get();
    }

    /** Runs on the FX thread and waits for the result. */
    public static <T> T onFx(Supplier<T> work) {
        start();
        if (Platform.isFxApplicationThread()) return work.get();
        CompletableFuture<T> f = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                f.complete(work.get());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        try {
            return f.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error err) throw err;
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("FX task timed out", e);
        }
    }

    public static void onFx(Runnable work) {
        onFx(() -> {
            work.run();
            return null;
        });
    }

    /** Waits (polling the FX thread) until the condition holds, or fails after the timeout. */
    public static void waitUntil(BooleanSupplier condition, long timeoutMillis, String what) {
        Await.until(() -> onFx(condition::getAsBoolean), Duration.ofMillis(timeoutMillis), what);
    }

    /** Lets pending runLater work and a layout pulse happen. */
    public static void settle() {
        onFx(() -> {});
        onFx(() -> {});
    }

    /**
     * A scene of {@code width} x {@code height} around {@code root} in {@code theme}'s stylesheets (not
     * on a stage): what a test of one view lays out, paints and snapshots. Made on the FX thread.
     */
    public static Scene themedScene(Parent root, double width, double height, Theme theme) {
        return onFx(() -> {
            Scene scene = new Scene(root, width, height);
            ThemeStyles.apply(scene, theme);
            return scene;
        });
    }

    /**
     * Shows {@code scene} on a new stage (a window of its own, so pulses run and popups can open), at the
     * headless screen's top-left corner ({@link #newStage}); close it when done.
     */
    public static Stage show(Scene scene) {
        return onFx(() -> {
            Stage stage = newStage(scene.getWidth(), scene.getHeight());
            stage.setScene(scene);
            stage.show();
            return stage;
        });
    }

    // ---- the headless screen ----

    /**
     * JavaFX 26's headless platform has one screen of this many pixels each way, and one frame buffer of
     * that many pixels squared into which each shown window's painted frame is copied at index
     * {@code (y + row) * 1000 + x + column}, with no clipping ({@code HeadlessWindow.blit}; see
     * {@link HeadlessScreenTest}). A stage centred on the screen and wider than it starts before the
     * buffer (x below 0); one of 1600 × 1000 or 1920 × 1080 ends past it, whatever its place; either
     * throws {@code IndexOutOfBoundsException} at every frame, and a stage that shrinks from such a size
     * throws in {@code HeadlessWindow.clearRect} and keeps its old size (the scene stays 1600 × 1000).
     */
    public static final int HEADLESS_SCREEN = 1000;

    /**
     * Rows of the frame buffer {@link #start} gives the headless platform in place of its own 1000 (same
     * 1000-pixel rows, 8.8 MB): a frame of up to 2200 rows' worth of pixels at (0, 0) fits, 1920 × 1080
     * (1,080,920 pixels) and 2048 × 2048 included, so a test that needs a large window for a layout check
     * paints, resizes and leaves full screen without a throw. The screen stays 1000 × 1000.
     */
    static final int BUFFER_ROWS = 2200;

    /** Whether {@link #start} could give the headless platform the larger frame buffer (false: JavaFX's own, 1000 rows). */
    private static volatile boolean largeBuffer;

    /**
     * Whether a frame of {@code width} × {@code height} at (0, 0) fits the headless frame buffer: its last
     * pixel's index, {@code (height - 1) * 1000 + width - 1}, inside it. In JavaFX's own buffer every size
     * within 1000 × 1000 fits, and so do 1024 × 700, 1360 × 860, 1400 × 900 and 1600 × 999 (their rows wrap
     * in the buffer, which no test reads: screenshots render the scene), 1600 × 1000 and 1920 × 1080 do
     * not; in the one {@link #start} gives, they do.
     */
    public static boolean fitsHeadlessScreen(double width, double height) {
        long w = (long) Math.ceil(width), h = (long) Math.ceil(height);
        long rows = largeBuffer ? BUFFER_ROWS : HEADLESS_SCREEN;
        return w >= 0 && h >= 0 && (h - 1) * HEADLESS_SCREEN + w <= rows * HEADLESS_SCREEN;
    }

    /** Whether the headless platform has the larger frame buffer (tests of this set-up). */
    static boolean largeHeadlessBuffer() {
        return largeBuffer;
    }

    /**
     * FX thread, before any window exists (windows take the buffer when they are made): gives the headless
     * platform a frame buffer of {@link #BUFFER_ROWS} rows. The field is JavaFX's own, package-private
     * ({@code HeadlessApplication.frameBuffer}, set once when the screens are first asked for): when it is
     * not there (another platform, a JavaFX that changed) nothing changes and a warning says so.
     */
    private static void enlargeHeadlessFrameBuffer() {
        try {
            Object app = Class.forName("com.sun.glass.ui.Application").getMethod("GetApplication").invoke(null);
            if (app == null || !app.getClass().getName().equals("com.sun.glass.ui.headless.HeadlessApplication")) return;
            javafx.stage.Screen.getPrimary(); // the screens, and with them JavaFX's own buffer, exist from here on
            java.lang.reflect.Field f = app.getClass().getDeclaredField("frameBuffer");
            f.setAccessible(true);
            f.set(app, java.nio.ByteBuffer.allocate(HEADLESS_SCREEN * BUFFER_ROWS * 4));
            largeBuffer = true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.err.println("FxTestSupport: the headless frame buffer stays 1000 x 1000 (" + e + "): a stage larger"
                    + " than that throws IndexOutOfBoundsException at HeadlessWindow.blit at every frame");
        }
    }

    /**
     * A new stage of {@code width} × {@code height} (0: the scene's own) at the headless screen's top-left
     * corner, kept there ({@link #keepOnHeadlessScreen}). FX thread.
     */
    public static Stage newStage(double width, double height) {
        Stage stage = new Stage();
        place(stage, width, height);
        keepOnHeadlessScreen(stage);
        return stage;
    }

    /** Sizes {@code stage} (0: leaves that side) and places it at (0, 0): a stage not yet shown is then not centred. FX thread. */
    public static void place(Stage stage, double width, double height) {
        stage.setX(0);
        stage.setY(0);
        if (width > 0) stage.setWidth(width);
        if (height > 0) stage.setHeight(height);
    }

    /**
     * Keeps {@code stage} at (0, 0) from now on, whatever the test or the window does (a stage centred on
     * the 1000-pixel screen and wider than it starts before the frame buffer). FX thread.
     */
    public static void keepOnHeadlessScreen(Stage stage) {
        stage.xProperty().addListener((o, a, n) -> {
            if (n.doubleValue() != 0) stage.setX(0);
        });
        stage.yProperty().addListener((o, a, n) -> {
            if (n.doubleValue() != 0) stage.setY(0);
        });
        if (stage.getX() != 0) stage.setX(0);
        if (stage.getY() != 0) stage.setY(0);
    }

    /** Snapshots a scene (or node) to target/screenshots/NAME.png and returns the path. */
    public static Path screenshot(Scene scene, String name) {
        WritableImage img = onFx(() -> scene.snapshot(null));
        return write(img, name);
    }

    public static Path screenshot(Node node, String name) {
        WritableImage img = onFx(() -> node.snapshot(null, null));
        return write(img, name);
    }

    private static Path write(WritableImage img, String name) {
        try {
            Path dir = Path.of("target", "screenshots");
            Files.createDirectories(dir);
            Path out = dir.resolve(name + ".png");
            ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", out.toFile());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
