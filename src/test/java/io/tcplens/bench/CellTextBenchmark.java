package io.tcplens.bench;

import com.sun.management.ThreadMXBean;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.shell.RowsInPlace;
import io.tcplens.ui.shell.SteadyText;
import io.tcplens.ui.theme.Theme;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.scene.Scene;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;

/**
 * The FX thread's work after a poll that changes the text of the cells on screen, with JavaFX's own table
 * cells (B) against {@link SteadyText}'s (A), in one JVM on the same rows: a table of {@code N} rows
 * (20,000), four columns whose text stays and eight whose counts change at every poll, 1400 × 900, light
 * theme. Rounds of A then B ({@code -Drounds}, 3) of {@code -Dpolls} (60) polls each; each poll updates the
 * rows in place (as the app's tables, {@link RowsInPlace}) and the next pulse's CSS + layout pass is timed
 * on the FX thread (CPU time between the scene's pre- and post-layout pulse listeners) with the bytes the
 * FX thread allocated meanwhile. Prints p50, mean and p90 per poll for A and B, and the load.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.CellTextBenchmark \
 *     -Djvm.flags="-XX:TieredStopAtLevel=1"</pre>
 * Run under the launchers' C1-only JIT, as the window.
 */
public final class CellTextBenchmark {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    private record Row(int id, int poll) {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int rounds = Integer.getInteger("rounds", 3);
        int polls = Integer.getInteger("polls", 60);
        FxTestSupport.start();
        List<double[]> a = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            a.addAll(run(true, n, polls, r));
            b.addAll(run(false, n, polls, r));
        }
        System.out.printf(Locale.ROOT, "%d rows, %d rounds of %d polls each; load %s%n", n, rounds, polls, Files.readString(Path.of("/proc/loadavg")).strip());
        print("A SteadyText cells", a);
        print("B JavaFX's cells  ", b);
        System.exit(0);
    }

    private static void print(String what, List<double[]> s) {
        double[] cpu = s.stream().mapToDouble(x -> x[0]).sorted().toArray();
        double[] alloc = s.stream().mapToDouble(x -> x[1]).sorted().toArray();
        System.out.printf(Locale.ROOT, "%s: CSS+layout pass after a poll, FX CPU p50 %.2f ms, mean %.2f ms, p90 %.2f ms; FX allocated p50 %.0f KB, mean %.0f KB (%d polls)%n",
                what, q(cpu, 0.5), Arrays.stream(cpu).average().orElse(0), q(cpu, 0.9), q(alloc, 0.5), Arrays.stream(alloc).average().orElse(0), cpu.length);
    }

    private static double q(double[] sorted, double p) {
        return sorted.length == 0 ? Double.NaN : sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
    }

    /** One phase: a fresh window with steady or plain cells, {@code polls} polls; per poll {FX CPU ms, FX KB}. */
    private static List<double[]> run(boolean steady, int n, int polls, int round) throws Exception {
        RowsInPlace<Row> items = new RowsInPlace<>();
        List<double[]> out = new ArrayList<>();
        long[] t0 = new long[2];
        boolean[] measure = {false};
        Stage stage = FxTestSupport.onFx(() -> {
            TableView<Row> t = new TableView<>(items);
            for (int c = 0; c < 12; c++) {
                int k = c;
                TableColumn<Row, String> col = new TableColumn<>("c" + c);
                col.setCellValueFactory(x -> new ReadOnlyObjectWrapper<>(k < 4 ? "host-" + (x.getValue().id() * (k + 1)) + ".example"
                        : String.format(Locale.ROOT, "%,d", x.getValue().id() * 31 + x.getValue().poll() * (k + 7))));
                if (steady) col.setCellFactory(SteadyText.cells());
                col.setPrefWidth(105);
                t.getColumns().add(col);
            }
            Scene scene = FxTestSupport.themedScene(new BorderPane(t), 1400, 900, Theme.LIGHT);
            Stage s = FxTestSupport.newStage(1400, 900);
            s.setScene(scene);
            s.show();
            scene.addPreLayoutPulseListener(() -> {
                t0[0] = THREADS.getCurrentThreadCpuTime();
                t0[1] = THREADS.getCurrentThreadAllocatedBytes();
            });
            scene.addPostLayoutPulseListener(() -> {
                if (!measure[0]) return;
                measure[0] = false;
                out.add(new double[] {(THREADS.getCurrentThreadCpuTime() - t0[0]) / 1e6, (THREADS.getCurrentThreadAllocatedBytes() - t0[1]) / 1024.0});
            });
            return s;
        });
        for (int p = 0; p < polls + 10; p++) {
            int poll = p + round * 1000;
            boolean counted = p >= 10; // the first polls warm the cells and the JIT
            List<Row> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) rows.add(new Row(i, poll));
            int before = out.size();
            FxTestSupport.onFx(() -> {
                items.show(rows);
                measure[0] = counted;
            });
            if (counted) FxTestSupport.waitUntil(() -> out.size() > before, 10_000, "the pulse after the poll");
            else FxTestSupport.settle();
            Thread.sleep(20);
        }
        FxTestSupport.onFx(stage::close);
        return out;
    }
}
