package io.tcplens.ui.shell;

import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.RunningAnimations;
import io.tcplens.ui.TestPreferences;
import io.tcplens.lab.script.Scripts;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.lab.ScenarioPlayerView;
import io.tcplens.ui.theme.Theme;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;

/**
 * A probe, not a suite test (its name does not end in Test): the real window on a generated churning table
 * ({@code -Dcensus.size}, 100,000; a poll a second), one tab after the other ({@code -Dcensus.tabs}), and for
 * each over {@code -Dcensus.seconds} (10): pulses per second, split into the pulses of a hand-over (a new
 * poll shown since the pulse before) and those between polls; the scene's dirty nodes at each pulse before CSS
 * and layout (what asked for it: the node's class, style classes and its parent's) and after (what is synced to
 * the renderer, how many); CSS + layout time per pulse; the FX thread's and the renderer's CPU; the animations
 * registered with JavaFX's primary timer. What keeps the FX thread and {@code QuantumRenderer} busy between polls.
 * <pre>mvn -q -o -Daot.skip=true test -Dtest=PulseCensus -Dsurefire.failIfNoSpecifiedTests=false -Dcensus.tabs=connections,diagram</pre>
 */
class PulseCensus {
    private static final Field DIRTY_NODES = field(Scene.class, "dirtyNodes");
    private static final Field DIRTY_SIZE = field(Scene.class, "dirtyNodesSize");
    /** What asks JavaFX for a pulse, and what starts an animation (their callers are printed). */
    private static final String TRACED = "com.sun.javafx.tk.quantum.QuantumToolkit::requestNextPulse;com.sun.javafx.tk.quantum.QuantumToolkit::setAnimationRunnable;"
            + "com.sun.scenario.animation.AbstractPrimaryTimer::addPulseReceiver;com.sun.scenario.animation.AbstractPrimaryTimer::addAnimationTimer";
    private static final Field CSS_FLAG = field(Node.class, "cssFlag");

    @Test
    void census() throws Exception {
        int size = Integer.getInteger("census.size", 100_000);
        int seconds = Integer.getInteger("census.seconds", 10);
        String[] tabs = System.getProperty("census.tabs", "connections,diagram,charts,timewait,remotes,processes,advisor,lab,scenario").split(",");
        Theme theme = Theme.valueOf(System.getProperty("census.theme", "DARK"));
        try (WindowFixture f = WindowFixture.open(TestPreferences.cleared("tcplens-test/census", 1000),
                new GeneratedTable(size, size / 100), 1360, 860, theme, mw -> {})) {
            MainWindow window = f.window();
            FxTestSupport.waitUntil(() -> window.lastShown() != null && window.lastShown().sequence() >= 2, 120_000, "two polls");
            for (String spec : tabs) {
                // "scenario+play": the scenario tab with its auto-play started (it goes on playing after the tab is left)
                String tab = spec.replace("+play", "");
                Recording rec = new Recording(); // from the tab's showing: what starts an animation then
                rec.enable("jdk.MethodTrace").with("filter", TRACED).withStackTrace().withThreshold(java.time.Duration.ZERO);
                rec.start();
                FxTestSupport.onFx(() -> window.showView(tab));
                if (spec.endsWith("+play")) FxTestSupport.onFx(() -> { // the longest script, long enough to go on playing
                    ScenarioPlayerView player = window.part(ScenarioPlayerView.class);
                    player.select(Scripts.all().stream().max(Comparator.comparingInt(s -> s.steps().size())).orElseThrow().id());
                    player.slower();
                    player.slower(); // a step every 8 s: still playing when the tab is left
                    player.togglePlay();
                });
                long from = FxTestSupport.onFx(() -> window.lastShown().sequence());
                FxTestSupport.waitUntil(() -> window.lastShown().sequence() >= from + 3, 120_000, "three polls on " + tab);
                measure(window, spec, seconds, rec);
            }
        }
    }

    private static void measure(MainWindow window, String tab, int seconds, Recording rec) throws Exception {
        Scene scene = FxTestSupport.onFx(window::scene);
        Map<String, Integer> before = new TreeMap<>(); // FX thread only
        Map<String, Integer> after = new TreeMap<>();
        long[] n = new long[6]; // pulses, at hand-over, between, css+layout nanos, synced nodes, pulses with nothing dirty
        long[] seq = {-1};
        long[] t0 = {0};
        Runnable pre = () -> {
            t0[0] = System.nanoTime();
            n[0]++;
            long s = window.lastShown().sequence();
            boolean handOver = s != seq[0];
            seq[0] = s;
            n[handOver ? 1 : 2]++;
            Node[] dirty = dirty(scene);
            if (dirty.length == 0) n[5]++;
            for (Node d : dirty) before.merge((handOver ? "H " : "B ") + name(d), 1, Integer::sum);
            List<Node> layout = new ArrayList<>(), css = new ArrayList<>();
            requesters(scene.getRoot(), layout, css);
            for (Node d : layout) before.merge((handOver ? "H layout " : "B layout ") + name(d), 1, Integer::sum);
            for (Node d : css) before.merge((handOver ? "H css " : "B css ") + name(d), 1, Integer::sum);
        };
        Runnable post = () -> {
            n[3] += System.nanoTime() - t0[0];
            boolean handOver = n[1] > 0 && seq[0] == window.lastShown().sequence();
            Node[] dirty = dirty(scene);
            n[4] += dirty.length;
            for (Node d : dirty) after.merge(name(d), 1, Integer::sum);
        };
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        FxTestSupport.onFx(() -> {
            seq[0] = window.lastShown().sequence();
            scene.addPreLayoutPulseListener(pre);
            scene.addPostLayoutPulseListener(post);
            return null;
        });
        long polls0 = FxTestSupport.onFx(() -> window.lastShown().sequence());
        Map<String, Long> cpu0 = cpu(mx);
        long w0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        Map<String, Long> cpu1 = cpu(mx);
        double wall = (System.nanoTime() - w0) / 1e9;
        long polls = FxTestSupport.onFx(() -> {
            scene.removePreLayoutPulseListener(pre);
            scene.removePostLayoutPulseListener(post);
            return window.lastShown().sequence();
        }) - polls0;
        int animations = FxTestSupport.onFx(RunningAnimations::count);
        rec.stop();
        Path jfr = Files.createTempFile("census", ".jfr");
        rec.dump(jfr);
        rec.close();
        Map<String, Integer> askers = new TreeMap<>();
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            if (!(e.getValue("method") instanceof RecordedMethod m) || e.getStackTrace() == null) continue;
            List<String> frames = new ArrayList<>();
            String ours = null, beforeOurs = null;
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                String c = f.getMethod().getType().getName();
                if (c.startsWith("jdk.jfr") || c.equals("com.sun.javafx.tk.quantum.QuantumToolkit")) continue;
                String at = c.substring(c.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
                if (c.startsWith("io.tcplens")) {
                    ours = at + ":" + f.getLineNumber();
                    break;
                }
                if (frames.size() < Integer.getInteger("census.depth", 3)) frames.add(at);
                beforeOurs = at;
            }
            if (ours != null) frames.add("... " + beforeOurs + " <- " + ours);
            askers.merge(m.getName() + " <- " + String.join(" <- ", frames), 1, Integer::sum);
        }
        Files.deleteIfExists(jfr);
        System.out.printf("=== %s: %.1f s, %d polls shown; pulses %.1f/s (at a hand-over %d, between polls %d, nothing dirty before CSS %d);"
                        + " CSS+layout %.2f ms per pulse; synced nodes %.1f per pulse; animations registered %d%n",
                tab, wall, polls, n[0] / wall, n[1], n[2], n[5], n[0] == 0 ? 0 : n[3] / 1e6 / n[0], n[0] == 0 ? 0 : (double) n[4] / n[0], animations);
        for (String t : cpu1.keySet()) {
            double s = (cpu1.get(t) - cpu0.getOrDefault(t, 0L)) / 1e9 / wall;
            if (s >= 0.001) System.out.printf("    cpu %-40s %.3f s/s%n", t, s);
        }
        FxTestSupport.onFx(() -> {
            before.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(Integer.getInteger("census.lines", 25))
                    .forEach(e -> System.out.printf("    dirty before CSS %5d  %s%n", e.getValue(), e.getKey()));
            askers.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(Integer.getInteger("census.askers", 12))
                    .forEach(e -> System.out.printf("    asked        %5d  %s%n", e.getValue(), e.getKey()));
            after.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(10)
                    .forEach(e -> System.out.printf("    synced          %5d  %s%n", e.getValue(), e.getKey()));
            return null;
        });
    }

    /** The deepest parents that need layout and the top-most nodes whose CSS is not clean: what asked for layout and CSS. */
    private static void requesters(Node n, List<Node> layout, List<Node> css) {
        try {
            Object flag = CSS_FLAG.get(n);
            if (!"CLEAN".equals(String.valueOf(flag))) {
                css.add(n);
                if (!(n instanceof Parent)) return;
            }
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
        if (n instanceof Parent p) {
            boolean deeper = false;
            for (Node k : p.getChildrenUnmodifiable()) {
                if (k instanceof Parent kp && kp.isNeedsLayout()) deeper = true;
            }
            if (p.isNeedsLayout() && !deeper) layout.add(p);
            for (Node k : p.getChildrenUnmodifiable()) {
                if (k instanceof Parent kp && kp.isNeedsLayout()) requesters(k, layout, css);
                else if (!"CLEAN".equals(String.valueOf(flagOf(k)))) requesters(k, layout, css);
            }
        }
    }

    private static Object flagOf(Node n) {
        try {
            return CSS_FLAG.get(n);
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Long> cpu(ThreadMXBean mx) {
        Map<String, Long> out = new TreeMap<>();
        for (ThreadInfo i : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (i == null) continue;
            String name = i.getThreadName().replaceAll("\\d+$", "#");
            long c = mx.getThreadCpuTime(i.getThreadId());
            if (c > 0) out.merge(name, c, Long::sum);
        }
        return out;
    }

    private static Node[] dirty(Scene scene) {
        try {
            Node[] all = (Node[]) DIRTY_NODES.get(scene);
            int size = DIRTY_SIZE.getInt(scene);
            if (all == null) return new Node[0];
            Node[] out = new Node[size];
            System.arraycopy(all, 0, out, 0, size);
            return out;
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    static String name(Node n) {
        List<String> path = new ArrayList<>();
        Node p = n.getParent();
        for (int i = 0; i < 3 && p != null; i++, p = p.getParent())
            path.add(0, p.getClass().getSimpleName() + (p.getStyleClass().isEmpty() ? "" : p.getStyleClass().toString())
                    + (p.getId() == null ? "" : "#" + p.getId()));
        return String.join(" > ", path) + " > " + n.getClass().getSimpleName() + n.getStyleClass() + (n.getId() == null ? "" : "#" + n.getId());
    }

    private static Field field(Class<?> c, String name) {
        try {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new AssertionError("JavaFX changed: " + e, e);
        }
    }
}
