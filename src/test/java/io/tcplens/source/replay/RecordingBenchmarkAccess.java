package io.tcplens.source.replay;

/** Lets a profiling run reuse the benchmark's table generator. */
public final class RecordingBenchmarkAccess {
    private RecordingBenchmarkAccess() {}

    public static java.util.List<io.tcplens.model.Snapshot> gen(int n, int p, io.tcplens.model.SourceInfo s) {
        return RecordingBenchmark.generate(n, p, s);
    }
}
