package io.tcplens.app;

import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.shell.Presentation;
import io.tcplens.ui.shell.ShellTab;
import io.tcplens.ui.shell.ShortcutSheet;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.theme.ThemeStyles;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The JavaFX application: opens the main window with the {@link WindowOptions} given (live data unless --source says otherwise). */
public final class TcpLensApp extends Application {
    private static final Logger LOG = LoggerFactory.getLogger(TcpLensApp.class);

    public static void launchWindow(String[] args) {
        GraphicsWithoutGpu.chooseBeforeToolkit(); // no GPU: no OpenGL probes (issue 11, ~55 MB resident)
        try {
            Application.launch(TcpLensApp.class, args);
        } catch (RuntimeException | Error e) {
            // no display or no GTK: say so in one line, and point to the command line, which needs neither
            System.err.println("tcplens: cannot open the window: " + why(e)
                    + ". The command line works without one, e.g. `tcplens counts` (see `tcplens --help`).");
            LOG.debug("window start-up failed", e);
            System.exit(1);
        }
    }

    static String why(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) all.append(' ').append(t.getMessage());
        String m = all.toString();
        if (m.contains("GTK")) return "the GTK 3 library is missing (on Debian/Ubuntu: sudo apt install libgtk-3-0)";
        if (m.contains("DISPLAY") || m.contains("display")) { // the toolkit's own words too: which of its checks failed
            String display = System.getenv("DISPLAY");
            return "no display (" + (display == null || display.isBlank() ? "DISPLAY is not set" : "DISPLAY=" + display)
                    + ": " + deepest(e) + "; use a desktop session or xvfb-run)";
        }
        return m.strip().isEmpty() ? e.getClass().getSimpleName() : m.strip();
    }

    private static String deepest(Throwable e) {
        String last = e.getClass().getSimpleName();
        for (Throwable t = e; t != null; t = t.getCause())
            if (t.getMessage() != null && !t.getMessage().isBlank()) last = t.getMessage().strip();
        return last;
    }

    @Override
    public void start(Stage stage) {
        boolean measure = Boolean.getBoolean("tcplens.startup.threads"); // where start-up's time goes
        long entered = measure ? sinceJvmStart() : 0;
        WindowOptions o = WindowOptions.parse(getParameters().getRaw().toArray(String[]::new));
        UiPreferences prefs = new UiPreferences();
        // the theme's user-agent stylesheet before the first control: JavaFX then never loads its own
        // (Modena), only to replace it at once (issue 13)
        ThemeStyles.applyUserAgent(o.theme() != null ? o.theme() : prefs.theme());
        MainWindow w = UiComposition.window(prefs, o.source(), o.theme());
        ShortcutSheet.setLinkOpener(getHostServices()::showDocument); // Help → Documentation
        AppIcons.addTo(stage);
        w.restoreLayout(stage);
        long built = measure ? sinceJvmStart() : 0;
        w.show(stage);
        if (measure) // the FX thread's share: the toolkit up, the window built, shown
            LOG.info("start() {} ms after JVM start, window built at {} ms, shown at {} ms", entered, built, sinceJvmStart());
        if (o.presentation()) Presentation.of(stage.getScene()).set(true);
        if (Boolean.getBoolean("tcplens.exitAfterFirstPoll")) { // a training run never hangs a build or an install
            Thread.ofPlatform().name("tcplens-training-guard").daemon().start(() -> {
                try {
                    Thread.sleep(120_000);
                } catch (InterruptedException e) {
                    return;
                }
                LOG.warn("no poll on screen within 120 s: ending the training run");
                System.exit(0);
            });
        }
        // start-up figures (StartupBenchmark reads these lines): the first frame, then the first frame
        // that shows a poll's data. Looked at after each pulse the window makes anyway, not by an AnimationTimer,
        // which would make JavaFX pulse 60 times a second until a poll is on screen: for good when none comes
        // (a source that fails, a remote host that does not answer; issue 11)
        Scene scene = stage.getScene();
        scene.addPostLayoutPulseListener(new Runnable() {
            private boolean framed;
            private boolean done;
            private int toured = -1; // a training run: the tabs shown so far, one per frame

            /** No longer looked at (removed after this pulse: the scene is going through its listeners now). */
            private void stop() {
                done = true;
                Platform.runLater(() -> scene.removePostLayoutPulseListener(this));
            }

            @Override
            public void run() {
                if (done) return;
                if (toured >= 0) { // a training run shows every tab once (each is built when first shown), so
                    List<ShellTab> tabs = w.views(); // their classes are in the AOT cache too, then ends
                    if (toured < tabs.size()) {
                        w.showView(tabs.get(toured++).id());
                        Platform.requestNextPulse(); // the next tab at the next pulse
                    } else {
                        stop();
                        stage.close();
                        System.exit(0);
                    }
                    return;
                }
                long ms = sinceJvmStart();
                if (!framed) {
                    framed = true;
                    long cpu = cpuMillis();
                    if (Boolean.getBoolean("tcplens.startup.threads")) LOG.info("CPU per thread at the first frame: {}", threadCpu());
                    LOG.info("first frame {} ms after JVM start (CPU {} ms)", ms, cpu);
                }
                if (w.lastShown() != null) {
                    long cpu = cpuMillis();
                    // (before the line StartupBenchmark waits for, which ends the run)
                    if (Boolean.getBoolean("tcplens.startup.threads")) LOG.info("CPU per thread at the first poll on screen: {}", threadCpu());
                    LOG.info("first poll on screen {} ms after JVM start (CPU {} ms)", ms, cpu);
                    StartupHeap.restore(); // the launchers' heap options from now on
                    // a training run for the JDK's AOT cache (-XX:AOTCacheOutput) ends after a tour of the tabs
                    if (Boolean.getBoolean("tcplens.exitAfterFirstPoll")) {
                        toured = 0;
                        Platform.requestNextPulse();
                    } else {
                        stop();
                    }
                }
            }
        });
    }

    private static long sinceJvmStart() {
        return System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    }

    /**
     * CPU time per thread so far, ms, largest first, threads of one kind (C1 and C2 compilers, GC
     * workers) summed; {@code -Dtcplens.startup.threads=true} logs it at the first frame and the first
     * poll on screen (where start-up's CPU goes, issue 13).
     */
    static String threadCpu() {
        Map<String, Long> byName = new TreeMap<>();
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
                    String kind = name.startsWith("C2 ") ? "C2" : name.startsWith("C1 ") ? "C1" : name.startsWith("GC ") || name.startsWith("G1 ") ? "GC" : name;
                    byName.merge(kind, ms, Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return "?";
        }
        StringBuilder sb = new StringBuilder();
        byName.entrySet().stream().filter(e -> e.getValue() >= 20).sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                .forEach(e -> sb.append(e.getKey()).append(' ').append(e.getValue()).append(", "));
        return sb.isEmpty() ? "" : sb.substring(0, sb.length() - 2);
    }

    /**
     * CPU time this process has used (user + system, ms; -1 where /proc is missing): beside the wall
     * times, the figure that depends least on what else the machine runs.
     */
    static long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
