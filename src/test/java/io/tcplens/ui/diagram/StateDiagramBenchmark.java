package io.tcplens.ui.diagram;

import io.tcplens.ui.TestShellContext;
import io.tcplens.diagram.DiagramPlan;
import io.tcplens.diagram.SimulatedTraffic;
import io.tcplens.engine.PollResult;
import io.tcplens.ui.FxTestSupport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.scene.Parent;

/**
 * Drives the state diagram headless (software pipeline) with generated transitions and prints the
 * FX-thread cost of each animation frame (median, p99), of each hand-over ({@code show}), the
 * background {@code prepare} cost, and the achieved pulse interval.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.ui.diagram.StateDiagramBenchmark</pre>
 */
public final class StateDiagramBenchmark {
    private static final long POLL_MS = 1000;
    private static final long WARMUP_MS = 3000;
    private static final long MEASURE_MS = 10_000;

    public static void main(String[] args) throws Exception {
        FxTestSupport.start();
        System.out.printf("state diagram benchmark: poll every %d ms, %d s measured after %d s warm-up, window 1000x900, prism %s%n",
                POLL_MS, MEASURE_MS / 1000, WARMUP_MS / 1000, System.getProperty("prism.order"));
        run(1_000, 100);
        run(20_000, 2_000);
        run(100_000, 10_000);
        Platform.exit();
        System.exit(0);
    }

    private static void run(int tokens, int transitionsPerSecond) throws Exception {
        TestShellContext ctx = new TestShellContext();
        List<Long> frames = Collections.synchronizedList(new ArrayList<>());
        List<Long> frameCpu = Collections.synchronizedList(new ArrayList<>());
        List<Long> shows = Collections.synchronizedList(new ArrayList<>());
        List<Long> showCpu = Collections.synchronizedList(new ArrayList<>());
        List<Long> intervals = Collections.synchronizedList(new ArrayList<>());
        List<Long> prepares = new ArrayList<>();
        AtomicBoolean measuring = new AtomicBoolean();
        long[] lastPulse = {0};
        Stage[] stage = new Stage[1];
        StateDiagramView view = FxTestSupport.onFx(() -> {
            StateDiagramView v = new StateDiagramView(ctx);
            v.measure(new StateDiagramView.FrameProbe() {
                @Override
                public void frame(long wall, long cpu) {
                    if (!measuring.get()) return;
                    frames.add(wall);
                    frameCpu.add(cpu);
                    long now = System.nanoTime();
                    if (lastPulse[0] != 0) intervals.add(now - lastPulse[0]);
                    lastPulse[0] = now;
                }

                @Override
                public void show(long wall, long cpu) {
                    if (!measuring.get()) return;
                    shows.add(wall);
                    showCpu.add(cpu);
                }
            });
            stage[0] = new Stage();
            stage[0].setScene(new Scene((Parent) v.node(), 1000, 900));
            stage[0].show();
            return v;
        });
        SimulatedTraffic traffic = new SimulatedTraffic(tokens, 42);
        long start = System.currentTimeMillis();
        long end = start + WARMUP_MS + MEASURE_MS;
        long simNow = 1_764_000_000_000L;
        int polls = 0;
        while (System.currentTimeMillis() < end) {
            long due = start + polls * POLL_MS;
            long wait = due - System.currentTimeMillis();
            if (wait > 0) Thread.sleep(wait);
            measuring.set(System.currentTimeMillis() >= start + WARMUP_MS);
            PollResult r = traffic.poll(simNow += POLL_MS, (int) (transitionsPerSecond * POLL_MS / 1000));
            long t0 = System.nanoTime();
            DiagramPlan p = view.prepare(r, List.of(r)); // background thread, as in the shell
            if (measuring.get()) prepares.add(System.nanoTime() - t0);
            Platform.runLater(() -> view.show(p));
            polls++;
        }
        measuring.set(false);
        boolean aggregated = FxTestSupport.onFx(() -> view.model().aggregated());
        int moving = FxTestSupport.onFx(() -> view.model().moving().size());
        FxTestSupport.onFx(() -> stage[0].close());
        System.out.printf("%,7d tokens, %,6d transitions/s (%s, %d frames, ~%d moving at the end)%n"
                        + "    frame  wall median %6.2f ms  p99 %7.2f ms   cpu median %6.2f ms  p99 %7.2f ms%n"
                        + "    show   wall median %6.2f ms  p99 %7.2f ms   cpu median %6.2f ms  p99 %7.2f ms (once per poll)%n"
                        + "    prepare (background) median %.1f ms  p99 %.1f ms;  pulse interval median %.1f ms  p99 %.1f ms%n",
                tokens, transitionsPerSecond, aggregated ? "aggregated" : "tokens", frames.size(), moving,
                ms(frames, 50), ms(frames, 99), ms(frameCpu, 50), ms(frameCpu, 99),
                ms(shows, 50), ms(shows, 99), ms(showCpu, 50), ms(showCpu, 99),
                ms(prepares, 50), ms(prepares, 99), ms(intervals, 50), ms(intervals, 99));
    }

    private static double ms(List<Long> ns, int pct) {
        List<Long> s;
        synchronized (ns) {
            s = new ArrayList<>(ns);
        }
        if (s.isEmpty()) return Double.NaN;
        Collections.sort(s);
        int i = Math.min(s.size() - 1, (int) Math.ceil(pct / 100.0 * s.size()) - 1);
        return s.get(Math.max(0, i)) / 1e6;
    }
}
