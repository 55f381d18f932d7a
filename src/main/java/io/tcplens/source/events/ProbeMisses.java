package io.tcplens.source.events;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How often the kernel skipped running the feed's tracepoint program: the {@code recursion_misses} of the
 * bpftrace child's BPF programs of type tracepoint, read from {@code /proc/PID/fdinfo} (Linux 5.12+).
 *
 * <p>The kernel does not run a tracing program on a CPU where one is already running (a TCP state change in a
 * softirq that interrupted a program mid-run, on a machine busy with other sockets' changes): the event is
 * gone and no perf buffer counts it as lost; only this counter does. Seen here with three other tracing
 * windows open and 100k-socket tables being built beside the tests: thousands in 20 s, and twice a client's
 * close (FIN_WAIT1 → FIN_WAIT2 → CLOSE) missing with no loss reported. The counter is for the whole program,
 * every namespace: a skipped run may not have been one of the watched namespace's events, so it is an upper bound.
 * The feed shows the count in its status; the tracker infers the connections whose events then disagree with the
 * table.
 */
final class ProbeMisses {
    /** {@code BPF_PROG_TYPE_TRACEPOINT}. */
    static final int TRACEPOINT = 5;

    /** No program (yet): counts nothing. */
    static final ProbeMisses NONE = new ProbeMisses(List.of());

    private final List<Path> fdinfos;

    private ProbeMisses(List<Path> fdinfos) {
        this.fdinfos = fdinfos;
    }

    /** The tracepoint programs {@code pid} holds now (none when it cannot be read: then {@link #read()} is 0). */
    static ProbeMisses of(long pid) {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
            for (Path p : ds) {
                try {
                    if (field(Files.readString(p), "prog_type") == TRACEPOINT) found.add(p);
                } catch (IOException ignored) {
                    // the fd closed meanwhile
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux, not ours to read, or gone: nothing to count
        }
        return new ProbeMisses(List.copyOf(found));
    }

    /** Whether any tracepoint program was found (else the kernel's skips cannot be counted). */
    boolean counting() {
        return !fdinfos.isEmpty();
    }

    /** The kernel's skips of the programs so far (their sum; a program whose fd is gone counts 0). */
    long read() {
        long sum = 0;
        for (Path p : fdinfos) {
            try {
                sum += Math.max(0, field(Files.readString(p), "recursion_misses"));
            } catch (IOException ignored) {
                // the child ended
            }
        }
        return sum;
    }

    /** A numeric field of an fdinfo text ({@code name:\tvalue} lines), or -1 when absent. */
    static long field(String fdinfo, String name) {
        int at = 0;
        while (at < fdinfo.length()) {
            int end = fdinfo.indexOf('\n', at);
            if (end < 0) end = fdinfo.length();
            int colon = fdinfo.indexOf(':', at);
            if (colon > at && colon < end && fdinfo.regionMatches(at, name, 0, name.length()) && colon - at == name.length()) {
                try {
                    return Long.parseLong(fdinfo.substring(colon + 1, end).strip());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            at = end + 1;
        }
        return -1;
    }
}
