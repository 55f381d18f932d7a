package io.tcplens.cli;

import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.LinuxPortRangeReader;
import io.tcplens.analysis.ports.PortRangeReaders;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.source.MachineFacts;
import io.tcplens.source.SocketTableSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import picocli.CommandLine.Option;

/** Options of the commands that watch the table for a while to measure rates ({@code ports}, {@code advise}). */
public final class SamplingOptions {
    @Option(names = "--sample", paramLabel = "D", defaultValue = "3s",
            description = "How long to watch before answering, so close rates and growth can be measured, e.g. 0s, 3s, 1m. Default: ${DEFAULT-VALUE}.")
    String sample = "3s";

    @Option(names = "--interval", paramLabel = "D", defaultValue = "250ms",
            description = "Time between polls while watching. Default: ${DEFAULT-VALUE}.")
    String interval = "250ms";

    @Option(names = "--sysctl-root", paramLabel = "DIR",
            description = "Read kernel settings from this sysctl tree instead of /proc/sys (Linux).")
    Path sysctlRoot;

    Duration sampleDuration() {
        Duration d = Durations.parseSpan(sample);
        if (!d.isZero() && d.compareTo(Durations.MIN_INTERVAL) < 0)
            throw new CliException("--sample too short: '" + sample + "' (0, or at least 100ms)");
        return d;
    }

    Path sysctlRootOrDefault() {
        if (sysctlRoot != null && !Files.isDirectory(sysctlRoot))
            throw new CliException("--sysctl-root: not a directory: " + sysctlRoot);
        return sysctlRoot == null ? Path.of("/proc/sys") : sysctlRoot;
    }

    /** The port range of the machine {@code source} shows (a server over SSH, a namespace), else this machine's. */
    EphemeralPortRange portRange(SocketTableSource source) {
        if (sysctlRoot == null && source instanceof MachineFacts f)
            return new LinuxPortRangeReader(f.sysctlRoot()).read();
        return portRange();
    }

    /** The sysctl tree of the machine {@code source} shows, unless --sysctl-root says otherwise. */
    Path sysctlRootFor(SocketTableSource source) {
        if (sysctlRoot == null && source instanceof MachineFacts f) return f.sysctlRoot();
        return sysctlRootOrDefault();
    }

    EphemeralPortRange portRange() {
        return sysctlRoot != null ? new LinuxPortRangeReader(sysctlRootOrDefault()).read()
                : PortRangeReaders.forThisPlatform().read();
    }

    /**
     * Polls once, then on for the sample duration after that first poll, handing each poll to
     * {@code each}; returns the last.
     */
    PollResult watch(PollingEngine engine, Consumer<PollResult> each) throws InterruptedException {
        Duration total = sampleDuration();
        Duration step = Durations.parse(interval);
        PollResult r = engine.pollOnce();
        each.accept(r);
        // counted from the end of the first poll: counted from before it, a first poll slowed by a busy
        // machine (a fresh JVM, every process's descriptors read) took a 6 s sample whole, and the rate
        // was measured over no time at all
        long end = System.nanoTime() + total.toNanos();
        while (System.nanoTime() < end) {
            long sleep = Math.min(step.toMillis(), Math.max(0, (end - System.nanoTime()) / 1_000_000));
            if (sleep > 0) Thread.sleep(sleep);
            r = engine.pollOnce();
            each.accept(r);
        }
        if (r.error() != null) throw new CliException(r.error());
        return r;
    }
}
