package io.tcplens.source.replay;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A recording read into memory as its records (keyframes and diffs). {@link #snapshot(int)} rebuilds
 * the table at any record from the nearest keyframe; stepping forward one record at a time only
 * applies that record's diff. Thread-safe.
 */
public final class Recording {

    /**
     * One record as stored: a keyframe ({@code keyframe}, rows = the whole table) or a diff. Rows hold
     * their timer's absolute due time in {@code timerRemainingMs}; {@link #snapshot} turns it back into
     * the time remaining at the record's moment (a row carried over from an earlier record counts down).
     */
    record Frame(long timestampMillis, boolean keyframe, List<SocketEntry> rows, List<ConnectionKey> deleted,
                 List<String> warnings, SourceInfo source) {}

    /**
     * Where reading stopped before the end of the file.
     *
     * @param line          1-based line (of the decompressed text) that could not be read
     * @param goodRecords   records read before it
     * @param lastGoodMillis timestamp of the last good record, or null when there was none
     * @param reason        what was wrong, in one line
     */
    public record Stop(long line, int goodRecords, Long lastGoodMillis, String reason) {
        public String message() {
            return "read " + goodRecords + " record(s); stopped at line " + line + ": " + reason;
        }
    }

    private final Path file;
    private final RecordingHeader header;
    private final List<Frame> frames;
    private final long[] times;      // non-decreasing (a clock that stepped back is held flat)
    private final int[] keyframeAt;  // for each record, the index of the keyframe it builds on
    private final Stop stop;

    private Map<ConnectionKey, List<SocketEntry>> cursor;
    private int cursorIndex = -1;

    Recording(Path file, RecordingHeader header, List<Frame> frames, Stop stop) {
        this.file = file;
        this.header = header;
        this.frames = List.copyOf(frames);
        this.stop = stop;
        this.times = new long[frames.size()];
        this.keyframeAt = new int[frames.size()];
        int kf = 0;
        for (int i = 0; i < frames.size(); i++) {
            Frame f = frames.get(i);
            times[i] = i == 0 ? f.timestampMillis() : Math.max(times[i - 1], f.timestampMillis());
            if (f.keyframe()) kf = i;
            keyframeAt[i] = kf;
        }
    }

    public Path file() {
        return file;
    }

    public RecordingHeader header() {
        return header;
    }

    /** Number of records (snapshots). */
    public int size() {
        return frames.size();
    }

    public boolean isEmpty() {
        return frames.isEmpty();
    }

    /** Present when the file was truncated or damaged: where reading stopped and why. */
    public Optional<Stop> stop() {
        return Optional.ofNullable(stop);
    }

    /** The record's time on the recording's clock (never before the previous record's). */
    public long timeOf(int index) {
        return times[index];
    }

    public long firstMillis() {
        return frames.isEmpty() ? header.createdMillis() : times[0];
    }

    public long lastMillis() {
        return frames.isEmpty() ? header.createdMillis() : times[times.length - 1];
    }

    public long durationMillis() {
        return lastMillis() - firstMillis();
    }

    /** The last record at or before {@code millis} (0 when it is before the first). */
    public int indexAt(long millis) {
        if (frames.isEmpty()) throw new IllegalStateException("the recording has no records");
        int i = Arrays.binarySearch(times, millis);
        if (i >= 0) {
            while (i + 1 < times.length && times[i + 1] == millis) i++;
            return i;
        }
        return Math.max(0, -i - 2);
    }

    /** The table as recorded at record {@code index}, with the recorded source. */
    public synchronized Snapshot snapshot(int index) {
        if (index < 0 || index >= frames.size())
            throw new IndexOutOfBoundsException("record " + index + " of " + frames.size());
        int kf = keyframeAt[index];
        int from;
        if (cursor != null && cursorIndex >= kf && cursorIndex <= index) {
            from = cursorIndex + 1;
        } else {
            cursor = new LinkedHashMap<>();
            from = kf;
        }
        for (int i = from; i <= index; i++) apply(cursor, frames.get(i));
        cursorIndex = index;
        Frame f = frames.get(index);
        List<SocketEntry> rows = new ArrayList<>(cursor.size() + 8);
        long t = f.timestampMillis();
        for (List<SocketEntry> l : cursor.values()) {
            for (SocketEntry e : l) rows.add(e.timerRemainingMs() == null ? e : atTime(e, t));
        }
        return new Snapshot(f.timestampMillis(), rows, f.source() != null ? f.source() : header.source(), f.warnings());
    }

    private static SocketEntry atTime(SocketEntry e, long t) {
        return new SocketEntry(e.key(), e.state(), e.kernelState(), e.sendQueue(), e.receiveQueue(), e.timer(),
                e.timerRemainingMs() - t, e.retransmits(), e.uid(), e.inode(), e.pid(), e.process(), e.ownerLastKnown());
    }

    private static void apply(Map<ConnectionKey, List<SocketEntry>> table, Frame f) {
        if (f.keyframe()) table.clear();
        else for (ConnectionKey k : f.deleted()) table.remove(k);
        Map<ConnectionKey, List<SocketEntry>> put = new LinkedHashMap<>();
        for (SocketEntry e : f.rows()) put.computeIfAbsent(e.key(), k -> new ArrayList<>(1)).add(e);
        for (Map.Entry<ConnectionKey, List<SocketEntry>> e : put.entrySet()) {
            List<SocketEntry> rows = List.copyOf(e.getValue());
            if (table.containsKey(e.getKey())) table.replace(e.getKey(), rows); // keeps its place in the order
            else table.put(e.getKey(), rows);
        }
    }
}
