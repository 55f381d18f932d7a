package io.tcplens.bench;

import io.tcplens.app.UiComposition;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.shell.FrameStats;
import io.tcplens.ui.table.ConnectionColumn;
import io.tcplens.ui.table.ConnectionRow;
import io.tcplens.ui.table.ConnectionsView;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.theme.Theme;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.prefs.Preferences;
import javafx.animation.AnimationTimer;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.stage.Stage;

/**
 * Drives the whole dashboard (tiles, connections table, charts and every registered view) headless
 * from a generated table and prints the FX-thread time per update: the hand-over (every view's
 * show()) and the following CSS + layout pass, median and p99, plus heap after GC.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.DashboardBenchmark -Dtcplens.args="20000 100000"</pre>
 * {@code -Dpolls=N} hand-overs are measured (40; with 40 the p99 is the slowest one). Then the
 * connections table is sorted by a column click ({@code -Dsorts}, 6: remote, time in state, process,
 * each way) and scrolled ({@code -Dscrolls}, 60 steps: half jumps across the whole table as a
 * scrollbar drag does, half three rows down as a mouse wheel does); printed: the FX-thread time of the
 * click, the time until the sorted rows are on screen, the FX-thread time of each scroll step with its
 * layout, and the longest gap between two pulses (a stall the user sees) during each.
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
            w.dispatcher().cpuStats().clear();
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
            FrameStats cpu = w.dispatcher().cpuStats();
            System.out.printf(Locale.ROOT, "    hand-over FX-thread CPU time p50 %.2f ms, p99 %.2f ms, max %.2f ms (wall p99 beyond it: a GC pause or a busy core);"
                    + " load %s%n", cpu.quantileMillis(0.5), cpu.quantileMillis(0.99), cpu.quantileMillis(1),
                    Files.readString(Path.of("/proc/loadavg")).strip());
            w.dispatcher().perView().forEach((k, v) -> System.out.printf(Locale.ROOT, "    %-16s show p50 %8.2f ms  p99 %8.2f ms%n",
                    k, v.quantileMillis(0.5), v.quantileMillis(0.99)));
            sortAndScroll(w, size);
            FxTestSupport.onFx(() -> stage[0].close());
            Thread.sleep(500);
        }
        System.exit(0);
    }

    /** Times sort clicks and scroll steps on the connections table (see the class comment). */
    private static void sortAndScroll(MainWindow w, int size) throws Exception {
        ConnectionsView view = (ConnectionsView) w.views().stream().filter(v -> v instanceof ConnectionsView).findFirst().orElseThrow();
        TableView<ConnectionRow> table = view.table();
        FxTestSupport.onFx(() -> w.showView(ConnectionsView.ID));
        Thread.sleep(500);
        // the longest time between two pulses while the user acts: what they see as a stall
        long[] lastPulse = {0};
        long[] maxGap = {0};
        AnimationTimer gaps = new AnimationTimer() {
            @Override
            public void handle(long now) {
                if (lastPulse[0] != 0) maxGap[0] = Math.max(maxGap[0], now - lastPulse[0]);
                lastPulse[0] = now;
            }
        };
        FxTestSupport.onFx(gaps::start);
        FrameStats click = new FrameStats(100);
        FrameStats shown = new FrameStats(100);
        FrameStats sortGap = new FrameStats(100);
        String[][] sorts = {{"REMOTE", "ASCENDING"}, {"REMOTE", "DESCENDING"}, {"TIME_IN_STATE", "DESCENDING"},
                {"TIME_IN_STATE", "ASCENDING"}, {"PROCESS", "ASCENDING"}, {"PROCESS", "DESCENDING"}};
        int nSorts = Integer.getInteger("sorts", sorts.length);
        for (int i = 0; i < nSorts; i++) {
            String[] sort = sorts[i % sorts.length];
            TableColumn<ConnectionRow, ?> col = table.getColumns().stream()
                    .filter(c -> c.getUserData() instanceof ConnectionColumn cc && cc.name().equals(sort[0])).findFirst().orElseThrow();
            Comparator<ConnectionRow> want = ConnectionColumn.valueOf(sort[0]).comparator(sort[1].equals("ASCENDING"));
            long before = w.dispatcher().stats().count();
            long t0 = System.nanoTime();
            long fx = FxTestSupport.onFx(() -> {
                maxGap[0] = 0;
                lastPulse[0] = 0;
                long c0 = System.nanoTime();
                col.setSortType(TableColumn.SortType.valueOf(sort[1]));
                table.getSortOrder().setAll(List.of(col));
                return System.nanoTime() - c0;
            });
            click.record(fx);
            // on screen: a hand-over after the click whose first rows are in the new order
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                boolean ok = FxTestSupport.onFx(() -> {
                    if (w.dispatcher().stats().count() <= before && w.dispatcher().stats().count() < 600) return false;
                    List<ConnectionRow> top = table.getItems().subList(0, Math.min(50, table.getItems().size()));
                    for (int k = 1; k < top.size(); k++) {
                        if (top.get(k).status() == ConnectionRow.Status.CLOSED) break;
                        if (want.compare(top.get(k - 1), top.get(k)) > 0) return false;
                    }
                    return true;
                });
                if (ok) break;
                Thread.sleep(5);
            }
            shown.record(System.nanoTime() - t0);
            sortGap.record(FxTestSupport.onFx(() -> maxGap[0]));
        }
        System.out.printf(Locale.ROOT, "    sort click (%d): FX time p50 %.2f ms, max %.2f ms; on screen after p50 %.0f ms, max %.0f ms;"
                        + " longest pulse gap during a sort p50 %.0f ms, max %.0f ms%n", click.count(), click.quantileMillis(0.5),
                click.quantileMillis(1), shown.quantileMillis(0.5), shown.quantileMillis(1), sortGap.quantileMillis(0.5), sortGap.quantileMillis(1));
        // scrolling: a step, then the pulse that lays it out
        FrameStats jump = new FrameStats(1000);
        FrameStats wheel = new FrameStats(1000);
        int steps = Integer.getInteger("scrolls", 60);
        FxTestSupport.onFx(() -> {
            maxGap[0] = 0;
            lastPulse[0] = 0;
        });
        VirtualFlow<?> flow = FxTestSupport.onFx(() -> (VirtualFlow<?>) table.lookup(".virtual-flow"));
        for (int i = 0; i < steps; i++) {
            boolean isJump = i < steps / 2;
            int target = (int) ((long) (i * 7919L) % Math.max(1, size));
            long t = FxTestSupport.onFx(() -> {
                long c0 = System.nanoTime();
                if (isJump) table.scrollTo(Math.min(target, table.getItems().size() - 1));
                else flow.scrollPixels(3 * 24);
                table.applyCss();
                table.layout();
                return System.nanoTime() - c0;
            });
            (isJump ? jump : wheel).record(t);
            Thread.sleep(20);
        }
        long scrollGap = FxTestSupport.onFx(() -> {
            gaps.stop();
            return maxGap[0];
        });
        System.out.printf(Locale.ROOT, "    scroll: jump (scrollbar) FX time p50 %.2f ms, p99 %.2f ms; wheel (3 rows) p50 %.2f ms, p99 %.2f ms;"
                        + " longest pulse gap while scrolling %.0f ms%n", jump.quantileMillis(0.5), jump.quantileMillis(0.99),
                wheel.quantileMillis(0.5), wheel.quantileMillis(0.99), scrollGap / 1e6);
    }

    private static void waitForPolls(MainWindow w, int n) throws InterruptedException {
        while (w.lastShown() == null || w.lastShown().sequence() < n) Thread.sleep(100);
    }
}
