package io.tcplens.app;

import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.theme.Theme;
import java.lang.management.ManagementFactory;
import java.util.List;
import javafx.animation.AnimationTimer;
import javafx.application.Application;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JavaFX application: opens the main window on live data (or the source given with --source). */
public final class TcpLensApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(TcpLensApp.class);

    public static void launchWindow(String[] args) {
        Application.launch(TcpLensApp.class, args);
    }

    @Override
    public void start(Stage stage) {
        List<String> raw = getParameters().getRaw();
        String source = null;
        Theme theme = null;
        for (int i = 0; i < raw.size(); i++) {
            String a = raw.get(i);
            if (a.equals("--source") && i + 1 < raw.size()) source = raw.get(++i);
            else if (a.startsWith("--source=")) source = a.substring("--source=".length());
            else if (a.equals("--dark")) theme = Theme.DARK;
            else if (a.equals("--light")) theme = Theme.LIGHT;
        }
        MainWindow w = new MainWindow(new UiPreferences(), source, theme);
        AppIcons.addTo(stage);
        w.show(stage);
        new AnimationTimer() {
            @Override
            public void handle(long now) {
                long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                LOG.info("first frame {} ms after JVM start", ms);
                stop();
            }
        }.start();
    }
}
