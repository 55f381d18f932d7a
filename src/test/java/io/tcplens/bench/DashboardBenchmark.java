package io.tcplens.bench;

import io.tcplens.app.UiComposition;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.shell.FrameStats;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.theme.Theme;
import java.util.Arrays;
import java.util.Locale;
import java.util.prefs.Preferences;
import javafx.stage.Stage;

/**
 * Drives the whole dashboard (tiles, connections table, charts and every registered view) headless
 * from a generated table and prints the FX-thread time per update: the hand-over (every view's
 * show()) and the following CSS + layout pass, median and p99, plus heap after GC.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.DashboardBenchmark -Dtcplens.args="20000 100000"</pre>
 */
public final class DashboardBenchmark {
    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {20_000, 100_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        int polls = Integer.getInteger("polls", 40);
        FxTestSupport.start();
        System.out.printf(Locale.ROOT, "%-8s %6s %12s %12s %12s %12s %12s %10s%n", "sockets", "polls", "handover p50", "handover p99",
                "layout p50", "layout p99", "poll p50", "heap MB");
        for (int size : sizes) {
            GeneratedTable table = new GeneratedTable(size, Math.max(100, size / 10));
            FrameStats layout = new FrameStats(1000);
            FrameStats poll = new FrameStats(1000);
            UiPreferences prefs = new UiPreferences(Preferences.userRoot().node("tcplens-bench"));
            prefs.setIntervalMillis(250);
            Stage[] stage = new Stage[1];
            MainWindow w = FxTestSupport.onFx(() -> {
                MainWindow mw = UiComposition.window(prefs, table, Theme.LIGHT);
                stage[0] = new Stage();
                stage[0].setWidth(1400);
                stage[0].setHeight(900);
                mw.show(stage[0]);
                long[] t0 = new long[1];
                mw.scene().addPreLayoutPulseListener(() -> t0[0] = System.nanoTime());
                mw.scene().addPostLayoutPulseListener(() -> layout.record(System.nanoTime() - t0[0]));
                return mw;
            });
            // warm-up, then measure
            waitForPolls(w, 10);
            w.dispatcher().stats().clear();
            w.dispatcher().perView().values().forEach(FrameStats::clear);
            layout.clear();
            long start = w.lastShown().sequence();
            while (w.lastShown().sequence() < start + polls) {
                Thread.sleep(100);
            }
            for (int i = 0; i < 1; i++) poll.record(w.lastShown().pollNanos());
            FrameStats h = w.dispatcher().stats();
            System.gc();
            Thread.sleep(300);
            Runtime rt = Runtime.getRuntime();
            long heap = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
            System.out.printf(Locale.ROOT, "%-8d %6d %12.2f %12.2f %12.2f %12.2f %12.2f %10d%n", size, h.count(), h.quantileMillis(0.5),
                    h.quantileMillis(0.99), layout.quantileMillis(0.5), layout.quantileMillis(0.99), w.lastShown().pollMillis(), heap);
            w.dispatcher().perView().forEach((k, v) -> System.out.printf(Locale.ROOT, "    %-16s show p50 %8.2f ms  p99 %8.2f ms%n",
                    k, v.quantileMillis(0.5), v.quantileMillis(0.99)));
            FxTestSupport.onFx(() -> stage[0].close());
            Thread.sleep(500);
        }
        System.exit(0);
    }

    private static void waitForPolls(MainWindow w, int n) throws InterruptedException {
        while (w.lastShown() == null || w.lastShown().sequence() < n) Thread.sleep(100);
    }
}
