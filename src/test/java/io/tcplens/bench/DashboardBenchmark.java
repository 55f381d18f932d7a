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
import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.util.prefs.Preferences;
import javafx.animation.AnimationTimer;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.stage.Stage;

/**
 * Drives the whole dashboard (tiles, connections table, charts and every registered view) headless
 * from a generated table and prints the FX-thread time per update: the hand-over (every view's
 * show()) and the following CSS + layout pass, median and p99, plus heap after GC; the FX thread's own
 * CPU time per hand-over; and for each hand-over over 16 ms whether its CPU time, a GC pause inside it
 * (JMX notifications) or a wait for a core made it slow.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.DashboardBenchmark -Dtcplens.args="20000 100000"</pre>
 * {@code -Dpolls=N} hand-overs are measured (40; with 40 the p99 is the slowest one). Then the
 * connections table is sorted by a column click ({@code -Dsorts}, 6: remote, time in state, process,
 * each way) and scrolled ({@code -Dscrolls}, 60 steps: half jumps across the whole table as a
 * scrollbar drag does, half three rows down as a mouse wheel does); printed: the FX-thread time of the
 * click, the time until the sorted rows are on screen (other rows than before the click, the first 50 in the new order), the FX-thread time of each scroll step with its
 * layout, and the longest gap between two pulses (a stall the user sees) during each.
 */
public final class DashboardBenchmark {
    public static void main(String[] args) throws Exception {
        int[] sizes = args.length == 0 ? new int[] {20_000, 100_000} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        int polls = Integer.getInteger("polls", 40);
        FxTestSupport.start();
        watchGc();
        System.out.printf(Locale.ROOT, "%-8s %6s %12s %12s %12s %12s %12s %10s%n", "sockets", "polls", "handover p50", "handover p99",
                "layout p50", "layout p99", "poll p50", "heap MB");
        for (int size : sizes) {
            GeneratedTable table = new GeneratedTable(size, Math.max(100, size / 10));
            FrameStats layout = new FrameStats(1000);
            FrameStats poll = new FrameStats(1000);
            UiPreferences prefs = new UiPreferences(Preferences.userRoot().node("tcplens-bench"));
            prefs.setIntervalMillis(Integer.getInteger("interval", 250));
            prefs.put("table.sort", ""); // every size starts sorted by state (a run remembers its last sort click)
            Stage[] stage = new Stage[1];
            MainWindow w = FxTestSupport.onFx(() -> {
                MainWindow mw = UiComposition.window(prefs, table, Theme.LIGHT);
                stage[0] = new Stage();
                stage[0].setWidth(1400);
                stage[0].setHeight(900);
                mw.show(stage[0]);
                long[] t0 = new long[2];
                mw.scene().addPreLayoutPulseListener(() -> {
                    t0[0] = System.nanoTime();
                    t0[1] = THREADS.getCurrentThreadCpuTime();
                });
                mw.scene().addPostLayoutPulseListener(() -> {
                    layout.record(System.nanoTime() - t0[0]);
                    LAYOUT_CPU.record(THREADS.getCurrentThreadCpuTime() - t0[1]);
                });
                return mw;
            });
            // warm-up, then measure
            waitForPolls(w, 10);
            w.dispatcher().stats().clear();
            w.dispatcher().cpuStats().clear();
            w.dispatcher().starts().clear();
            gcPauses.clear();
            w.dispatcher().perView().values().forEach(FrameStats::clear);
            layout.clear();
            long start = w.lastShown().sequence();
            long[] cpu0 = threadCpu();
            long wall0 = System.nanoTime();
            while (w.lastShown().sequence() < start + polls) {
                Thread.sleep(100);
            }
            printCpuPerPoll(cpu0, threadCpu(), w.lastShown().sequence() - start, System.nanoTime() - wall0);
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
            printPerView(w);
            slowHandOvers(w);
            otherViews(w, layout, size);
            sortAndScroll(w, size);
            FxTestSupport.onFx(() -> stage[0].close());
            Thread.sleep(500);
        }
        System.exit(0);
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** The FX thread's CPU time of each CSS + layout pass (beside its wall time). */
    private static final FrameStats LAYOUT_CPU = new FrameStats(1000);
    /** The threads whose CPU time per poll is printed (the rest of the process is "other"). */
    private static final List<String> CPU_THREADS = List.of("tcplens-poller", "tcplens-prepare", "JavaFX Application Thread",
            "tcplens-incident", "QuantumRenderer-0");

    /**
     * CPU time so far: the process, then each of {@link #CPU_THREADS} (0 for one not running); then the bytes each
     * of them allocated so far (what a poll leaves to the collector: the views' per-poll arrays, issue 11).
     */
    private static long[] threadCpu() {
        long[] out = new long[2 * CPU_THREADS.size() + 1];
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os)
            out[0] = os.getProcessCpuTime();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            int i = CPU_THREADS.indexOf(t.getName());
            if (i >= 0) out[i + 1] += Math.max(0, THREADS.getThreadCpuTime(t.threadId()));
            if (i >= 0 && THREADS instanceof com.sun.management.ThreadMXBean alloc)
                out[CPU_THREADS.size() + i + 1] += Math.max(0, alloc.getThreadAllocatedBytes(t.threadId()));
        }
        return out;
    }

    /**
     * CPU time per poll over the measured polls: the whole process (GC and compiler threads included)
     * and the threads that handle a poll, with the CPU seconds per wall second (issue 11: the window's CPU per second).
     */
    private static void printCpuPerPoll(long[] before, long[] after, long polls, long wallNanos) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "    CPU per poll over %d polls in %.1f s: process %.1f ms (%.3f s per s)",
                polls, wallNanos / 1e9, (after[0] - before[0]) / 1e6 / Math.max(1, polls), (after[0] - before[0]) / (double) wallNanos));
        for (int i = 0; i < CPU_THREADS.size(); i++)
            sb.append(String.format(Locale.ROOT, "; %s %.1f ms", CPU_THREADS.get(i), (after[i + 1] - before[i + 1]) / 1e6 / Math.max(1, polls)));
        sb.append(System.lineSeparator()).append("    allocated per poll:");
        for (int i = 0, at = CPU_THREADS.size() + 1; i < CPU_THREADS.size(); i++)
            sb.append(String.format(Locale.ROOT, " %s %.0f KB;", CPU_THREADS.get(i), (after[at + i] - before[at + i]) / 1024.0 / Math.max(1, polls)));
        System.out.println(sb);
    }

    /** GC pauses seen by the JMX notifications: {start, end} in System.nanoTime terms. */
    private static final List<long[]> gcPauses = new CopyOnWriteArrayList<>();

    /** Listens to every collector's pauses (a young or mixed pause stops the FX thread too). */
    private static void watchGc() {
        long nano0 = System.nanoTime();
        long up0 = ManagementFactory.getRuntimeMXBean().getUptime();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter ne)) continue;
            ne.addNotificationListener((n, h) -> {
                if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
                GarbageCollectionNotificationInfo i = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                // not a pause: G1's concurrent cycle, and Shenandoah's and ZGC's whole cycles ("Shenandoah Cycles", "ZGC Major
                // Cycles"), which run beside the application; their pauses come as their own beans ("Shenandoah Pauses")
                if (i.getGcAction().contains("concurrent") || i.getGcName().contains("Concurrent") || i.getGcName().endsWith("Cycles")) return;
                long start = nano0 + (i.getGcInfo().getStartTime() - up0) * 1_000_000L;
                long end = nano0 + (i.getGcInfo().getEndTime() - up0) * 1_000_000L;
                gcPauses.add(new long[] {start, Math.max(end, start + 1)});
            }, null, null);
        }
    }

    /**
     * Which part of each hand-over over 16 ms wall time missed it: the FX thread's own CPU time over
     * 16 ms, a GC pause inside it (ms resolution), or neither (the thread waited for a core).
     */
    private static void slowHandOvers(MainWindow w) {
        long[] starts = w.dispatcher().starts().values();
        long[] walls = w.dispatcher().stats().values();
        long[] cpus = w.dispatcher().cpuStats().values();
        int n = Math.min(starts.length, Math.min(walls.length, cpus.length));
        int slow = 0, cpuSlow = 0, gcSlow = 0, waited = 0;
        StringBuilder worst = new StringBuilder();
        for (int i = 0; i < n; i++) {
            if (walls[i] <= 16_000_000L) continue;
            slow++;
            long gc = 0;
            for (long[] p : gcPauses) gc += Math.max(0, Math.min(p[1], starts[i] + walls[i]) - Math.max(p[0], starts[i]));
            if (cpus[i] > 16_000_000L) cpuSlow++;
            else if (gc > 0 && walls[i] - gc <= 16_000_000L + 2_000_000L) gcSlow++;
            else waited++;
            worst.append(String.format(Locale.ROOT, " %.0f/%.0f/%.0f", walls[i] / 1e6, cpus[i] / 1e6, gc / 1e6));
        }
        double total = 0, longest = 0;
        int over16 = 0;
        for (long[] p : gcPauses) {
            double ms = (p[1] - p[0]) / 1e6;
            total += ms;
            longest = Math.max(longest, ms);
            if (ms > 16) over16++;
        }
        System.out.printf(Locale.ROOT, "    hand-overs over 16 ms wall: %d of %d; FX CPU over 16 ms: %d, a GC pause inside (rest within 16 ms): %d,"
                + " neither (waited for a core): %d; each wall/CPU/GC ms:%s%n", slow, n, cpuSlow, gcSlow, waited, worst);
        System.out.printf(Locale.ROOT, "    GC pauses meanwhile: %d, %.0f ms in all, longest %.0f ms, %d over 16 ms%n",
                gcPauses.size(), total, longest, over16);
    }

    private static void printPerView(MainWindow w) {
        w.dispatcher().perView().forEach((k, v) -> {
            FrameStats cpu = w.dispatcher().perViewCpu().get(k);
            System.out.printf(Locale.ROOT, "    %-16s show wall p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms; FX CPU p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n",
                    k, v.quantileMillis(0.5), v.quantileMillis(0.99), v.quantileMillis(1),
                    cpu == null ? Double.NaN : cpu.quantileMillis(0.5), cpu == null ? Double.NaN : cpu.quantileMillis(0.99),
                    cpu == null ? Double.NaN : cpu.quantileMillis(1));
        });
    }

    /**
     * Each of {@code -Dviews} (every tab fed by polls; connections again last) at the front for
     * {@code -Dviewpolls} (30) hand-overs after 3 warm-up ones: the whole hand-over's wall and FX CPU
     * time, the CSS + layout pass after it, and each show's wall and FX CPU time beside the tiles' and
     * status'; then one line per tab (issue 11: p99 per hand-over with each tab in front).
     */
    private static void otherViews(MainWindow w, FrameStats layout, int size) throws Exception {
        int n = Integer.getInteger("viewpolls", 30);
        StringBuilder summary = new StringBuilder();
        for (String id : System.getProperty("views", "charts,diagram,timewait,remotes,processes,advisor,connections").split(",")) {
            if (id.isBlank()) continue;
            FxTestSupport.onFx(() -> w.showView(id));
            long s0 = w.lastShown().sequence();
            while (w.lastShown().sequence() < s0 + 3) Thread.sleep(50);
            w.dispatcher().perView().values().forEach(FrameStats::clear);
            w.dispatcher().perViewCpu().values().forEach(FrameStats::clear);
            w.dispatcher().cpuStats().clear();
            w.dispatcher().stats().clear();
            w.dispatcher().starts().clear();
            gcPauses.clear();
            FxTestSupport.onFx(() -> {
                layout.clear();
                LAYOUT_CPU.clear();
            });
            long s1 = w.lastShown().sequence();
            while (w.lastShown().sequence() < s1 + n) Thread.sleep(50);
            FrameStats cpu = w.dispatcher().cpuStats();
            FrameStats wall = w.dispatcher().stats();
            double[] lay = FxTestSupport.onFx(() -> new double[] {layout.quantileMillis(0.5), layout.quantileMillis(0.99), LAYOUT_CPU.quantileMillis(0.99)});
            String load = Files.readString(Path.of("/proc/loadavg")).strip();
            System.out.printf(Locale.ROOT, "  %s at the front (%d hand-overs): hand-over wall p50 %.2f ms, p99 %.2f ms; FX CPU p50 %.2f ms, p99 %.2f ms;"
                            + " CSS+layout pass p50 %.2f, p99 %.2f ms (FX CPU p99 %.2f ms); load %s%n", id, cpu.count(), wall.quantileMillis(0.5), wall.quantileMillis(0.99),
                    cpu.quantileMillis(0.5), cpu.quantileMillis(0.99), lay[0], lay[1], lay[2], load);
            printPerView(w);
            slowHandOvers(w);
            summary.append(String.format(Locale.ROOT, "  %-8d %-12s %5d %10.2f %10.2f %10.2f %10.2f %10.2f %10.2f  %s%n", size, id, wall.count(),
                    wall.quantileMillis(0.5), wall.quantileMillis(0.99), cpu.quantileMillis(0.99), lay[1], lay[2],
                    wall.quantileMillis(1), load.substring(0, load.indexOf(' ', load.indexOf(' ') + 1))));
        }
        System.out.printf(Locale.ROOT, "  per tab in front:%n  %-8s %-12s %5s %10s %10s %10s %10s %10s %10s  %s%n%s", "sockets", "tab", "n",
                "wall p50", "wall p99", "CPU p99", "layout p99", "lay CPU99", "wall max", "load", summary);
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
        FrameStats clickCpu = new FrameStats(100);
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
            ConnectionRow firstBefore = FxTestSupport.onFx(() -> table.getItems().isEmpty() ? null : table.getItems().get(0));
            long t0 = System.nanoTime();
            long[] fx = FxTestSupport.onFx(() -> {
                maxGap[0] = 0;
                lastPulse[0] = 0;
                long c0 = System.nanoTime();
                long u0 = THREADS.getCurrentThreadCpuTime();
                col.setSortType(TableColumn.SortType.valueOf(sort[1]));
                table.getSortOrder().setAll(List.of(col));
                return new long[] {System.nanoTime() - c0, THREADS.getCurrentThreadCpuTime() - u0};
            });
            click.record(fx[0]);
            clickCpu.record(fx[1]);
            // on screen: other rows than before the click (a re-sort or a hand-over) whose first ones are in the new order
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline) {
                boolean ok = FxTestSupport.onFx(() -> {
                    if (table.getItems().isEmpty() || table.getItems().get(0) == firstBefore) return false;
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
        System.out.printf(Locale.ROOT, "    sort click (%d): FX time p50 %.2f ms, max %.2f ms (CPU p50 %.2f, max %.2f); on screen after p50 %.0f ms, max %.0f ms;"
                        + " longest pulse gap during a sort p50 %.0f ms, max %.0f ms%n", click.count(), click.quantileMillis(0.5),
                click.quantileMillis(1), clickCpu.quantileMillis(0.5), clickCpu.quantileMillis(1), shown.quantileMillis(0.5), shown.quantileMillis(1), sortGap.quantileMillis(0.5), sortGap.quantileMillis(1));
        // scrolling: a step, then the pulse that lays it out
        FrameStats jump = new FrameStats(1000);
        FrameStats wheel = new FrameStats(1000);
        FrameStats jumpCpu = new FrameStats(1000);
        FrameStats wheelCpu = new FrameStats(1000);
        int steps = Integer.getInteger("scrolls", 60);
        FxTestSupport.onFx(() -> {
            maxGap[0] = 0;
            lastPulse[0] = 0;
        });
        VirtualFlow<?> flow = FxTestSupport.onFx(() -> (VirtualFlow<?>) table.lookup(".virtual-flow"));
        for (int i = 0; i < steps; i++) {
            boolean isJump = i < steps / 2;
            int target = (int) ((long) (i * 7919L) % Math.max(1, size));
            long[] t = FxTestSupport.onFx(() -> {
                long c0 = System.nanoTime();
                long u0 = THREADS.getCurrentThreadCpuTime();
                if (isJump) table.scrollTo(Math.min(target, table.getItems().size() - 1));
                else flow.scrollPixels(3 * 24);
                table.applyCss();
                table.layout();
                return new long[] {System.nanoTime() - c0, THREADS.getCurrentThreadCpuTime() - u0};
            });
            (isJump ? jump : wheel).record(t[0]);
            (isJump ? jumpCpu : wheelCpu).record(t[1]);
            Thread.sleep(20);
        }
        long scrollGap = FxTestSupport.onFx(() -> {
            gaps.stop();
            return maxGap[0];
        });
        System.out.printf(Locale.ROOT, "    scroll: jump (scrollbar) FX time p50 %.2f ms, p99 %.2f ms; wheel (3 rows) p50 %.2f ms, p99 %.2f ms;"
                        + " longest pulse gap while scrolling %.0f ms%n", jump.quantileMillis(0.5), jump.quantileMillis(0.99),
                wheel.quantileMillis(0.5), wheel.quantileMillis(0.99), scrollGap / 1e6);
        System.out.printf(Locale.ROOT, "    scroll FX-thread CPU: jump p50 %.2f ms, p99 %.2f ms; wheel p50 %.2f ms, p99 %.2f ms; load %s%n",
                jumpCpu.quantileMillis(0.5), jumpCpu.quantileMillis(0.99), wheelCpu.quantileMillis(0.5), wheelCpu.quantileMillis(0.99),
                Files.readString(Path.of("/proc/loadavg")).strip());
    }

    private static void waitForPolls(MainWindow w, int n) throws InterruptedException {
        while (w.lastShown() == null || w.lastShown().sequence() < n) Thread.sleep(100);
    }
}
