package io.tcplens.ui.aggregate;

import io.tcplens.model.SourceInfo;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Ending a process from the window: SIGTERM, or SIGKILL on request, through the JDK's
 * {@link ProcessHandle}. Refused, with the bundle key of the reason, for PID 1, for TcpLens itself,
 * for a process that is gone, and on a replay or simulated source (its PIDs are not this machine's
 * processes now). {@link #command} gives the equivalent {@code kill} for people who run it themselves.
 */
public final class EndProcess {
    private EndProcess() {}

    /** What happened: ended, or the bundle key of why not. */
    public record Outcome(boolean ended, String reasonKey) {}

    /** Why this process may not be ended from here (a bundle key), or empty when it may. */
    public static Optional<String> refusal(long pid, SourceInfo.Kind source) {
        if (source == SourceInfo.Kind.REPLAY || source == SourceInfo.Kind.SIMULATED) return Optional.of("action.refused.notLive");
        if (pid <= 1) return Optional.of("action.refused.pid1");
        if (pid == ProcessHandle.current().pid()) return Optional.of("action.refused.self");
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) return Optional.empty();
        return Optional.of("action.refused.gone");
    }

    /** The equivalent command line. */
    public static String command(long pid, boolean kill) {
        return "kill -" + (kill ? "KILL" : "TERM") + " " + pid;
    }

    /** Sends the signal (after {@link #refusal} said nothing) and waits up to {@code waitMillis} for the exit. */
    public static Outcome end(long pid, SourceInfo.Kind source, boolean kill, long waitMillis) {
        Optional<String> no = refusal(pid, source);
        if (no.isPresent()) return new Outcome(false, no.get());
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        if (h == null) return new Outcome(false, "action.refused.gone");
        boolean sent;
        try {
            sent = kill ? h.destroyForcibly() : h.destroy();
        } catch (SecurityException e) {
            sent = false;
        }
        if (!sent) return new Outcome(false, "action.refused.denied");
        try {
            h.onExit().get(waitMillis, TimeUnit.MILLISECONDS);
            return new Outcome(true, kill ? "action.killed" : "action.terminated");
        } catch (TimeoutException e) {
            return new Outcome(false, "action.stillRunning");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "action.stillRunning");
        } catch (ExecutionException e) {
            return new Outcome(false, "action.stillRunning");
        }
    }
}
