package io.tcplens.source.replay;

import io.tcplens.model.SourceInfo;
import io.tcplens.source.TimeWaitDuration;

/**
 * The first line of a {@code .tcplens} file: what wrote it and what was recorded.
 *
 * @param format         file format version ({@link RecordingCodec#FORMAT_VERSION})
 * @param createdMillis  when recording started (epoch ms)
 * @param source         the source that was recorded (live, lab…)
 * @param timeWait       that source's TIME_WAIT length, so replayed timers mean the same
 * @param tool           what wrote the file, e.g. "TcpLens 0.1.0"
 * @param keyframeEvery  a full table is written every this many records (the others are diffs)
 */
public record RecordingHeader(int format, long createdMillis, SourceInfo source, TimeWaitDuration timeWait,
                              String tool, int keyframeEvery) {}
