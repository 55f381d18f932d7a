package io.tcplens.analysis.advisor;

import io.tcplens.analysis.ports.Listeners;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.engine.PollResult;
import java.util.Map;

/**
 * What the rules look at: the latest poll, its port report (null when none was made), its listening
 * ports, the kernel's settings, and the oldest and newest samples of the advisor's window.
 */
public record Observation(PollResult latest, PortReport ports, Listeners listeners, KernelSettings settings,
                          Sample first, Sample last) {

    /** One poll as the advisor remembers it: what growth is measured from. */
    public record Sample(long atMillis, Map<String, Integer> closeWaitByOwner, int synRecv, NetstatCounters counters) {}

    /** Seconds between the oldest and newest sample. */
    public double observedSeconds() {
        return (last.atMillis() - first.atMillis()) / 1000.0;
    }
}
