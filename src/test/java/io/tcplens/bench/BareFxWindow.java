package io.tcplens.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;

/**
 * The floor for {@link StartupBenchmark}: a bare JavaFX window (one label, the default theme) on the
 * same jars, printing when its first frame is drawn, in ms after JVM start, then exiting. With the
 * argument {@code --stay} it stays open: the reference for the window's memory in
 * {@link WindowMemoryBenchmark} (option set {@code bare}).
 */
public final class BareFxWindow {
    private BareFxWindow() {}

    /** Not an Application itself: the JDK launcher refuses a JavaFX main class run from the class path. */
    public static void main(String[] args) {
        Application.launch(Window.class, args);
    }

    public static final class Window extends Application {

        @Override
        public void start(Stage stage) {
            stage.setScene(new Scene(new StackPane(new Label("bare")), 1360, 860));
            stage.show();
            new AnimationTimer() {
                @Override
                public void handle(long now) {
                    long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                    System.out.println("first frame " + ms + " ms after JVM start (CPU " + cpuMillis() + " ms)");
                    stop();
                    if (!getParameters().getRaw().contains("--stay")) Platform.exit();
                }
            }.start();
        }
    }

    /** CPU time used by this process (user + system, ms), as the app logs it; -1 without /proc. */
    static long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
