package io.tcplens.source.replay;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.databind.JsonNode;
import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTransition;
import io.tcplens.model.SocketHolders;
import java.util.HashMap;

/**
 * An indexed recording: every record's time and place in the file, not its rows. {@link #snapshot(int)}
 * reads the table at any record back from the file, starting at the nearest keyframe; stepping forward
 * one record at a time only applies that record's diff. Memory: the index (tens of bytes per record)
 * and one table. Thread-safe.
 */
public final class Recording {

    /**
     * One record as stored: a keyframe ({@code keyframe}, rows = the whole table) or a diff. Rows hold
     * their timer's absolute due time in {@code timerRemainingMs}; {@link #snapshot} turns it back into
     * the time remaining at the record's moment (a row carried over from an earlier record counts down).
     */
    record Frame(long timestampMillis, boolean keyframe, List<SocketEntry> rows, List<ConnectionKey> deleted,
                 List<String> warnings, SourceInfo source, Map<Long, List<SocketHolders.Holder>> holders) {}

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

    /** What the reader keeps per record: times and where each record's line starts. Growable. */
    static final class Index {
        private long[] raw = new long[64];       // the record's own "t"
        private long[] offset = new long[64];    // decompressed offset of its line
        private long[] member = new long[64];    // keyframes: compressed offset of the gzip member it starts, else -1
        private boolean[] keyframe = new boolean[64];
        private int size;

        void add(long t, boolean kf, long lineOffset, long memberOffset) {
            if (size == raw.length) {
                int n = size * 2;
                raw = Arrays.copyOf(raw, n);
                offset = Arrays.copyOf(offset, n);
                member = Arrays.copyOf(member, n);
                keyframe = Arrays.copyOf(keyframe, n);
            }
            raw[size] = t;
            offset[size] = lineOffset;
            member[size] = memberOffset;
            keyframe[size] = kf;
            size++;
        }

        int size() {
            return size;
        }

        long lastRawTime() {
            return raw[size - 1];
        }
    }

    private final Path file;
    private final RecordingHeader header;
    private final int size;
    private final long[] raw;        // each record's own time
    private final long[] offsets;    // decompressed offset of each record's line
    private final long[] members;    // keyframes: compressed offset where their gzip member starts (-1: none)
    private final long[] times;      // non-decreasing (a clock that stepped back is held flat)
    private final int[] keyframeAt;  // for each record, the index of the keyframe it builds on
    private final Stop stop;

    // the table at cursorIndex, and the file read up to the start of record `next`
    private Map<ConnectionKey, List<SocketEntry>> cursor;
    /** Holders (sockets several processes hold) of the cursor's rows, by inode. */
    private final Map<Long, List<SocketHolders.Holder>> cursorHolders = new HashMap<>();
    private int cursorIndex = -1;
    private Frame cursorFrame;
    private RecordingReader.LineSource reader;
    private int next;
    private int readerMember = -1; // the keyframe whose gzip member the reader was opened at, or -1

    Recording(Path file, RecordingHeader header, Index index, Stop stop) {
        this.file = file;
        this.header = header;
        this.stop = stop;
        this.size = index.size;
        this.raw = Arrays.copyOf(index.raw, size);
        this.offsets = Arrays.copyOf(index.offset, size);
        this.members = Arrays.copyOf(index.member, size);
        this.times = new long[size];
        this.keyframeAt = new int[size];
        int kf = 0;
        for (int i = 0; i < size; i++) {
            times[i] = i == 0 ? raw[i] : Math.max(times[i - 1], raw[i]);
            if (index.keyframe[i]) kf = i;
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
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
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
        return size == 0 ? header.createdMillis() : times[0];
    }

    public long lastMillis() {
        return size == 0 ? header.createdMillis() : times[times.length - 1];
    }

    public long durationMillis() {
        return lastMillis() - firstMillis();
    }

    /** The last record at or before {@code millis} (0 when it is before the first). */
    public int indexAt(long millis) {
        if (size == 0) throw new IllegalStateException("the recording has no records");
        int i = Arrays.binarySearch(times, millis);
        if (i >= 0) {
            while (i + 1 < times.length && times[i + 1] == millis) i++;
            return i;
        }
        return Math.max(0, -i - 2);
    }

    /**
     * The table as recorded at record {@code index}, with the recorded source. Read back from the
     * file: going forward applies the next records' diffs; going elsewhere starts at the keyframe
     * before {@code index} (its own gzip member when the writer made one, else decompressing from the
     * start). Only the current table is held. Throws {@link UncheckedIOException} when the file can no
     * longer be read as it was when opened.
     */
    public synchronized Snapshot snapshot(int index) {
        if (index < 0 || index >= size)
            throw new IndexOutOfBoundsException("record " + index + " of " + size);
        int kf = keyframeAt[index];
        for (int attempt = 0; ; attempt++) {
            try {
                if (cursor == null || cursorIndex < kf || cursorIndex > index || reader == null || next != cursorIndex + 1) {
                    position(kf);
                    cursor = new LinkedHashMap<>();
                    eventsComplete = false; // a seek: the records' events up to here are not this step's
                }
                while (cursorIndex < index) {
                    Frame f = readNext();
                    apply(cursor, f);
                    if (f.keyframe()) cursorHolders.clear();
                    for (SocketEntry e : f.rows()) {
                        List<SocketHolders.Holder> h = f.holders().get(e.inode());
                        if (h != null) cursorHolders.put(e.inode(), h);
                        else cursorHolders.remove(e.inode());
                    }
                    cursorIndex = next - 1;
                    cursorFrame = f;
                }
                break;
            } catch (IOException | RuntimeException e) {
                closeReader();
                cursor = null;
                cursorIndex = -1;
                if (readerMember >= 0 && attempt == 0) {
                    // read from a member: a wrong offset, or damage met earlier than when indexing
                    // (other read boundaries); read from the start as the index did
                    members[readerMember] = -1;
                    readerMember = -1;
                    continue;
                }
                throw new UncheckedIOException(new IOException("cannot read record " + (index + 1) + " of " + file
                        + " again (was it changed?): " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e));
            }
        }
        lastEvents = new EventBatch(pendingEvents, pendingLost, eventsComplete && index >= eventsFrom);
        pendingEvents.clear();
        pendingLost = 0;
        eventsComplete = true;
        eventsFrom = index;
        Frame f = cursorFrame;
        List<SocketEntry> rows = new ArrayList<>(cursor.size() + 8);
        long t = f.timestampMillis();
        for (List<SocketEntry> l : cursor.values()) {
            for (SocketEntry e : l) rows.add(e.timerRemainingMs() == null ? e : atTime(e, t));
        }
        return new Snapshot(f.timestampMillis(), rows, f.source() != null ? f.source() : header.source(), f.warnings(),
                SocketHolders.of(cursorHolders).retainAll(rows));
    }

    // the kernel events of the records read since the previous snapshot(): a step forward replays them
    private final List<KernelTransition> pendingEvents = new ArrayList<>();
    private long pendingLost;
    private boolean eventsComplete;
    private int eventsFrom = Integer.MAX_VALUE;
    private boolean hasEvents;
    private EventBatch lastEvents;

    /** True once a record with kernel events was read (recordings made with {@code record --events}). */
    public synchronized boolean hasEvents() {
        return hasEvents;
    }

    /**
     * The kernel events between the previous {@link #snapshot(int)} and the last one: complete when
     * playback stepped forward through records that all carried complete events (a seek or a record
     * without events makes it incomplete, so the views infer there); null before any snapshot.
     */
    public synchronized EventBatch lastEvents() {
        return lastEvents;
    }

    /** Puts the reader at the start of keyframe {@code kf}, with no table yet. */
    private void position(int kf) throws IOException {
        cursorIndex = kf - 1;
        if (reader != null && next <= kf) {
            reader.skip(offsets[kf] - offsets[next]);
            next = kf;
            return;
        }
        closeReader();
        if (members[kf] >= 0) {
            readerMember = kf;
            reader = RecordingReader.open(file, members[kf]);
            next = kf;
            return; // readNext checks that it begins with this keyframe
        }
        readerMember = -1;
        reader = RecordingReader.open(file, 0);
        reader.next(); // the header
        next = 0;
        reader.skip(offsets[kf] - reader.consumed());
        next = kf;
    }

    private Frame readNext() throws IOException {
        String line = reader.next();
        if (line == null) throw new EOFException("the file ends early");
        JsonNode node = RecordingCodec.MAPPER.readTree(line);
        Frame f = RecordingReader.frame(node, false);
        JsonNode ev = node.get("ev");
        if (ev == null) eventsComplete = false;
        else {
            EventBatch b = RecordingCodec.readEvents(ev);
            hasEvents = true;
            pendingEvents.addAll(b.transitions());
            pendingLost += b.lost();
            if (!b.complete()) eventsComplete = false;
        }
        if (f.timestampMillis() != raw[next]) throw new IOException("record " + (next + 1) + " is not the one indexed");
        next++;
        return f;
    }

    private void closeReader() {
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // only read from
            }
            reader = null;
        }
    }

    private static SocketEntry atTime(SocketEntry e, long t) {
        return e.withTimerRemaining(e.timerRemainingMs() - t);
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
