package io.tcplens.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/**
 * The FX thread's hand-overs in a real window, from a JFR recording of their own (JDK 25's method
 * tracing of {@code FrameDispatcher.handOver}) beside the JVM's safepoint operations and GC pauses:
 * each hand-over's wall time and whether a pause of the JVM fell inside it. {@link WindowMemoryBenchmark}
 * ({@code -Dhandovers=true}) starts the recording in each window ({@link #startLater}), dumps it at the end of
 * the run and prints {@link #summary()}.
 */
final class HandOverTimes {
    /** The recording's name (for {@code jcmd PID JFR.dump name=…}). */
    static final String NAME = "handovers";
    /** The method whose every call is one hand-over to the FX thread (one per frame). */
    static final String METHOD = "io.tcplens.ui.shell.FrameDispatcher::handOver";
    /**
     * Also traced: every pulse of a scene on the FX thread (CSS, layout and the sync to the render tree) and every
     * paint of a scene on the renderer thread: how often the window pulses and renders, and their time.
     */
    static final String PULSE = "javafx.scene.Scene$ScenePulseListener::pulse";
    static final String PAINT = "com.sun.javafx.tk.quantum.ViewPainter::paintImpl";
    /**
     * With {@code -DpulseCauses=true} (and stacks on every traced call: costs CPU, not for A/B figures): what asks
     * JavaFX for a pulse and what starts an animation; {@code -DhandoversKeep=DIR} keeps the recording to read them.
     */
    static final String CAUSES = "com.sun.javafx.tk.quantum.QuantumToolkit::requestNextPulse;"
            + "com.sun.scenario.animation.AbstractPrimaryTimer::addPulseReceiver;com.sun.scenario.animation.AbstractPrimaryTimer::addAnimationTimer";
    /** A hand-over longer than this misses the goal (issue 11: FX-thread p99 ≤ 16 ms per hand-over). */
    static final double GOAL_MS = 16.0;

    /** One hand-over: its wall time and the JVM's pauses inside it. */
    record HandOver(Instant start, double millis, double pausedMillis, int pauses) {}

    private final List<HandOver> handOvers;
    /** Pulses and paints traced over the span read: count, total milliseconds, and the span in seconds. */
    private long pulses, paints;
    private double pulseMillis, paintMillis, seconds = Double.NaN;
    private final List<Double> gcPauses;
    /** The safepoint operations of a collector (their names start with G1, Shenandoah, Z, Parallel, Serial or GC) over the span read. */
    private final int gcStops;
    /** The hand-overs with one of those inside. */
    private final int handOversWithGcStop;
    /** What chance would put inside the hand-overs: each GC stop's start is as likely anywhere in the span read. */
    private final double expectedWithGcStop;

    HandOverTimes(List<HandOver> handOvers, List<Double> gcPauses) {
        this(handOvers, gcPauses, 0, 0, Double.NaN);
    }

    HandOverTimes(List<HandOver> handOvers, List<Double> gcPauses, int gcStops, int handOversWithGcStop, double expectedWithGcStop) {
        this.handOvers = handOvers;
        this.gcPauses = gcPauses;
        this.gcStops = gcStops;
        this.handOversWithGcStop = handOversWithGcStop;
        this.expectedWithGcStop = expectedWithGcStop;
    }

    /**
     * The recording's options for {@code jcmd PID JFR.start}: nothing but the traced method, VM operations
     * (every collector's pauses run as safepoint operations) and GC pause phases, no stacks, no threshold.
     * Started by jcmd in the running window, not by {@code -XX:StartFlightRecording}: that option adds
     * {@code jdk.jfr} to the JVM's modules at start, and the JVM then refuses an AOT cache trained without
     * it ("Mismatched values for property jdk.module.addmods") and runs the set without its cache.
     */
    static List<String> jcmdStartArgs() {
        boolean causes = Boolean.getBoolean("pulseCauses");
        return List.of("JFR.start", "name=" + NAME, "settings=none",
                "+jdk.MethodTrace#enabled=true", "+jdk.MethodTrace#filter=" + METHOD + ";" + PULSE + ";" + PAINT + (causes ? ";" + CAUSES : ""),
                "+jdk.MethodTrace#threshold=0ms", "+jdk.MethodTrace#stackTrace=" + causes,
                "+jdk.ExecuteVMOperation#enabled=true", "+jdk.ExecuteVMOperation#threshold=0ms",
                "+jdk.GCPhasePause#enabled=true", "+jdk.GCPhasePause#threshold=0ms");
    }

    /**
     * Starts the recording in the JVM {@code pid} from a daemon thread, {@code afterSeconds} from now (the
     * window's JVM takes attach requests once it is up), trying again twice 2 s apart if jcmd fails.
     */
    static void startLater(String jcmd, long pid, int afterSeconds) {
        Thread.ofPlatform().daemon().name("handovers-jfr-start").start(() -> {
            try {
                Thread.sleep(afterSeconds * 1000L);
                for (int attempt = 0; attempt < 3; attempt++) {
                    List<String> cmd = new ArrayList<>(List.of(jcmd, Long.toString(pid)));
                    cmd.addAll(jcmdStartArgs());
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                    if (p.waitFor() == 0) return;
                    Thread.sleep(2000);
                }
                System.out.println("    FX hand-overs: jcmd JFR.start failed three times");
            } catch (IOException | InterruptedException e) {
                System.out.println("    FX hand-overs: not recorded: " + e);
            }
        });
    }

    /** The hand-overs (of {@link #METHOD}, or of {@code method} in tests) that began at or after {@code from}. */
    static HandOverTimes read(Path recording, Instant from) throws IOException {
        return read(recording, from, METHOD.substring(METHOD.lastIndexOf(':') + 1));
    }

    static HandOverTimes read(Path recording, Instant from, String method) throws IOException {
        List<RecordedEvent> traced = new ArrayList<>();
        List<RecordedEvent> stops = new ArrayList<>(); // safepoint VM operations: the Java threads stood still
        List<Double> gc = new ArrayList<>();
        long pulses = 0, paints = 0;
        double pulseMillis = 0, paintMillis = 0;
        Instant firstEvent = null, lastEvent = null;
        for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
            if (e.getStartTime().isBefore(from)) continue;
            switch (e.getEventType().getName()) {
                case "jdk.MethodTrace" -> {
                    if (e.getValue("method") instanceof jdk.jfr.consumer.RecordedMethod m) {
                        if (m.getName().equals(method)) traced.add(e);
                        else if (m.getName().equals("pulse")) {
                            pulses++;
                            pulseMillis += e.getDuration().toNanos() / 1e6;
                        } else if (m.getName().equals("paintImpl")) {
                            paints++;
                            paintMillis += e.getDuration().toNanos() / 1e6;
                        }
                        if (firstEvent == null || e.getStartTime().isBefore(firstEvent)) firstEvent = e.getStartTime();
                        if (lastEvent == null || e.getEndTime().isAfter(lastEvent)) lastEvent = e.getEndTime();
                    }
                }
                case "jdk.ExecuteVMOperation" -> {
                    if (e.getBoolean("safepoint")) stops.add(e);
                }
                case "jdk.GCPhasePause" -> gc.add(e.getDuration().toNanos() / 1e6);
                default -> { }
            }
        }
        List<HandOver> out = new ArrayList<>();
        List<RecordedEvent> gcStops = stops.stream().filter(HandOverTimes::isGcStop).toList();
        int withGcStop = 0;
        long handOverNanos = 0;
        Instant first = null, last = null;
        for (RecordedEvent h : traced) {
            Instant s = h.getStartTime(), e = h.getEndTime();
            long paused = 0;
            int n = 0;
            boolean gcInside = false;
            for (RecordedEvent p : stops) {
                Instant ps = p.getStartTime().isAfter(s) ? p.getStartTime() : s;
                Instant pe = p.getEndTime().isBefore(e) ? p.getEndTime() : e;
                if (pe.isAfter(ps)) {
                    paused += Duration.between(ps, pe).toNanos();
                    n++;
                    gcInside |= isGcStop(p);
                }
            }
            if (gcInside) withGcStop++;
            handOverNanos += h.getDuration().toNanos();
            if (first == null || s.isBefore(first)) first = s;
            if (last == null || e.isAfter(last)) last = e;
            out.add(new HandOver(s, h.getDuration().toNanos() / 1e6, paused / 1e6, n));
        }
        out.sort((a, b) -> a.start().compareTo(b.start()));
        // chance: a stop overlaps a hand-over when it starts within the hand-over or within its own length before it
        double expected = Double.NaN;
        int inSpan = 0;
        if (first != null && last.isAfter(first)) {
            double span = Duration.between(first, last).toNanos();
            double sum = 0;
            for (RecordedEvent p : gcStops) {
                if (p.getStartTime().isBefore(first) || p.getStartTime().isAfter(last)) continue;
                inSpan++;
                sum += Math.min(1.0, (handOverNanos + (double) traced.size() * p.getDuration().toNanos()) / span);
            }
            expected = sum;
        }
        HandOverTimes times = new HandOverTimes(out, gc, inSpan, withGcStop, expected);
        times.pulses = pulses;
        times.paints = paints;
        times.pulseMillis = pulseMillis;
        times.paintMillis = paintMillis;
        if (firstEvent != null && lastEvent.isAfter(firstEvent)) times.seconds = Duration.between(firstEvent, lastEvent).toNanos() / 1e9;
        return times;
    }

    /** A collector's stop of the Java threads (G1CollectForAllocation, G1PauseRemark, ZMarkStart, ShenandoahFinalMark…). */
    private static boolean isGcStop(RecordedEvent vmOperation) {
        String op = vmOperation.getString("operation");
        return op != null && (op.startsWith("G1") || op.startsWith("Shenandoah") || op.startsWith("Z") || op.startsWith("Parallel")
                || op.startsWith("Serial") || op.startsWith("GC") || op.startsWith("CollectFor"));
    }

    List<HandOver> handOvers() {
        return handOvers;
    }

    /** Over the goal ({@link #GOAL_MS}). */
    long slow() {
        return handOvers.stream().filter(h -> h.millis() > GOAL_MS).count();
    }

    /** Over the goal with a pause of the JVM inside. */
    long slowWithPause() {
        return handOvers.stream().filter(h -> h.millis() > GOAL_MS && h.pauses() > 0).count();
    }

    /** Over the goal only because of the pauses inside: without them it would have met it. */
    long slowOnlyByPause() {
        return handOvers.stream().filter(h -> h.millis() > GOAL_MS && h.millis() - h.pausedMillis() <= GOAL_MS).count();
    }

    static double quantile(List<Double> values, double q) {
        if (values.isEmpty()) return Double.NaN;
        List<Double> s = new ArrayList<>(values);
        s.sort(null);
        return s.get(Math.min(s.size() - 1, Math.max(0, (int) Math.ceil(s.size() * q) - 1)));
    }

    String summary() {
        List<Double> ms = handOvers.stream().map(HandOver::millis).toList();
        if (ms.isEmpty()) return "FX hand-overs: none traced";
        return String.format(Locale.ROOT, "FX hand-overs (from 10 s): %d, wall p50 %.2f ms, p99 %.2f ms, longest %.2f ms; over %.0f ms: %d"
                        + " (%d with a JVM pause inside, %d of them only by it); GC pause phases (JFR) %d, p50 %.2f ms, p99 %.2f ms",
                ms.size(), quantile(ms, 0.5), quantile(ms, 0.99), quantile(ms, 1.0), GOAL_MS, slow(), slowWithPause(), slowOnlyByPause(),
                gcPauses.size(), quantile(gcPauses, 0.5), quantile(gcPauses, 0.99))
                + String.format(Locale.ROOT, "; GC stops %d, in a hand-over %d (chance: %.1f)", gcStops, handOversWithGcStop, expectedWithGcStop)
                + String.format(Locale.ROOT, "%n    scene pulses (FX thread: CSS, layout, sync) %d, %.1f per s, %.1f ms per s; paints (renderer) %d, %.1f per s, %.1f ms per s",
                pulses, pulses / seconds, pulseMillis / seconds, paints, paints / seconds, paintMillis / seconds);
    }
}
