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
            Platform.startup(latch::countDown);
            Platform.setImplicitExit(false);
            try {
                if (!latch.await(30, TimeUnit.SECONDS)) throw new IllegalStateException("JavaFX did not start");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
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

    /** Shows {@code scene} on a new stage (a window of its own, so pulses run and popups can open); close it when done. */
    public static Stage show(Scene scene) {
        return onFx(() -> {
            Stage stage = new Stage();
            stage.setScene(scene);
            stage.show();
            return stage;
        });
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
