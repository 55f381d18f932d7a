package io.tcplens.source.replay;

import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import java.util.List;

/** Lets a profiling run reuse the benchmark's table generator. */
public final class RecordingBenchmarkAccess {
    private RecordingBenchmarkAccess() {}

    public static List<Snapshot> gen(int n, int p, SourceInfo s) {
        return RecordingBenchmark.generate(n, p, s);
    }
}
