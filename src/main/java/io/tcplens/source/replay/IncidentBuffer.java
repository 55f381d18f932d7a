package io.tcplens.source.replay;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.TimeWaitDuration;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.time.Instant;

/**
 * The last minutes of polls, kept in memory so that an incident can be saved after it happened
 * ({@link #save}: a {@code .tcplens} recording with the polls' own timestamps). Polls are held the way a
 * recording holds them — a full table, then only what changed, as gzip-compressed records of the same
 * format ({@link RecordingCodec}) — in segments of {@code segmentRecords} polls, each starting with a
 * full table. Memory is bounded twice: segments older than the window are dropped, and while the
 * compressed bytes exceed {@code maxBytes} the oldest segment is dropped too (then less than the
 * window is kept, and {@link #spanMillis} says how much). Besides the segments, the last table is held
 * once (the rows of the latest poll, to diff the next one against). Thread-safe.
 */
public final class IncidentBuffer {
    public static final long DEFAULT_KEEP_MILLIS = 15 * 60_000;
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    public static final int DEFAULT_SEGMENT_RECORDS = 60;

    private final long keepMillis;
    private final long maxBytes;
    private final int segmentRecords;
    private final Deque<Segment> closed = new ArrayDeque<>();
    private long closedBytes;
    private Segment open;
    private TableDiff diff = new TableDiff();
    private boolean trimmedForMemory;

    /** One gzip stream of records that starts with a full table. */
    private static final class Segment {
        final Chunks bytes = new Chunks();
        GZIPOutputStream gzip;
        final long firstMillis;
        long lastMillis;
        int records;
        final SourceInfo source;

        Segment(long firstMillis, SourceInfo source) throws IOException {
            this.firstMillis = firstMillis;
            this.lastMillis = firstMillis;
            this.source = source;
            this.gzip = new GZIPOutputStream(bytes, 16 * 1024);
        }

        void finish() throws IOException {
            if (gzip != null) {
                gzip.finish();
                gzip = null;
                bytes.trim();
            }
        }

        long size() {
            return bytes.size();
        }
    }

    /**
     * A segment's compressed bytes in chunks of at most {@link #CHUNK}: nothing is copied as it grows, and
     * no array reaches half a G1 region (which G1 gives whole regions: a segment of 100k-socket polls in one
     * array that doubled as it grew was 2-4 MB in a 4 MB array, plus a copy of it when the segment closed,
     * and each closed segment's array left most of a region empty).
     */
    static final class Chunks extends OutputStream {
        static final int CHUNK = 256 * 1024;
        private final List<byte[]> chunks = new ArrayList<>();
        private byte[] last = new byte[16 * 1024];
        private int used;
        private long size;

        @Override
        public void write(int b) {
            if (used == last.length) room();
            last[used++] = (byte) b;
            size++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            while (len > 0) {
                if (used == last.length) room();
                int n = Math.min(len, last.length - used);
                System.arraycopy(b, off, last, used, n);
                used += n;
                off += n;
                len -= n;
                size += n;
            }
        }

        /** The last chunk is full: it grows (doubling up to a whole chunk) or a new one starts. */
        private void room() {
            if (last.length < CHUNK) {
                last = Arrays.copyOf(last, Math.min(CHUNK, last.length * 2));
            } else {
                chunks.add(last);
                last = new byte[CHUNK];
                used = 0;
            }
        }

        /** No more writes: the last chunk is cut to what it holds. */
        void trim() {
            if (used < last.length) last = Arrays.copyOf(last, used);
        }

        long size() {
            return size;
        }

        /** The bytes written so far, read in order. */
        InputStream open() {
            List<InputStream> parts = new ArrayList<>(chunks.size() + 1);
            for (byte[] c : chunks) parts.add(new ByteArrayInputStream(c));
            parts.add(new ByteArrayInputStream(last, 0, used));
            return new SequenceInputStream(Collections.enumeration(parts));
        }
    }

    public IncidentBuffer(long keepMillis, long maxBytes, int segmentRecords) {
        if (keepMillis < 1000 || maxBytes < 1 || segmentRecords < 1) throw new IllegalArgumentException("bad incident buffer bounds");
        this.keepMillis = keepMillis;
        this.maxBytes = maxBytes;
        this.segmentRecords = segmentRecords;
    }

    public IncidentBuffer(long keepMillis, long maxBytes) {
        this(keepMillis, maxBytes, DEFAULT_SEGMENT_RECORDS);
    }

    public long keepMillis() {
        return keepMillis;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Adds one poll (oldest first; a poll older than the last one held starts the buffer again). */
    public synchronized void append(Snapshot s) {
        long t = s.timestampMillis();
        try {
            if (open != null && (t < open.lastMillis || !s.source().equals(open.source))) clear();
            if (open == null && !closed.isEmpty() && (t < closed.peekLast().lastMillis || !s.source().equals(closed.peekLast().source)))
                clear();
            // what changed since the previous poll, as a recording stores it (one lookup per row; tcp_info not compared)
            boolean first = diff.isEmpty();
            TableDiff.Changes changes = diff.next(s);
            boolean full = open == null || open.records >= segmentRecords || first;
            if (full) {
                if (open != null) close(open);
                open = new Segment(t, s.source());
            }
            // streamed into the gzip stream: a 100k-row table as a tree was an object per value, every minute
            RecordingCodec.writeRecord(open.gzip, s, full ? null : changes, -1, null, null);
            open.gzip.write('\n');
            open.records++;
            open.lastMillis = t;
            prune(t);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // in memory: not expected
        }
    }

    private void close(Segment s) throws IOException {
        s.finish();
        closed.addLast(s);
        closedBytes += s.size();
    }

    private void prune(long now) {
        long cut = now - keepMillis;
        // a segment may go once the next one starts at or before the cut: all of it is older
        while (!closed.isEmpty()) {
            Segment next = closed.size() > 1 ? second() : open;
            if (next == null || next.firstMillis > cut) break;
            drop();
        }
        while (!closed.isEmpty() && closedBytes + (open == null ? 0 : open.size()) > maxBytes) {
            drop();
            trimmedForMemory = true;
        }
    }

    private Segment second() {
        var it = closed.iterator();
        it.next();
        return it.next();
    }

    private void drop() {
        Segment s = closed.removeFirst();
        closedBytes -= s.size();
    }

    /** Forgets everything (another source, or time went back). */
    public synchronized void clear() {
        closed.clear();
        closedBytes = 0;
        open = null;
        diff = new TableDiff();
        trimmedForMemory = false;
    }

    /** Compressed bytes held (the last table, held once for diffing, is not counted). */
    public synchronized long bytes() {
        return closedBytes + (open == null ? 0 : open.size());
    }

    /** Polls held. */
    public synchronized int records() {
        int n = open == null ? 0 : open.records;
        for (Segment s : closed) n += s.records;
        return n;
    }

    /** Time of the oldest poll held, or -1 when empty. */
    public synchronized long firstMillis() {
        Segment s = closed.isEmpty() ? open : closed.peekFirst();
        return s == null ? -1 : s.firstMillis;
    }

    /** Time of the latest poll held, or -1 when empty. */
    public synchronized long lastMillis() {
        return open != null ? open.lastMillis : closed.isEmpty() ? -1 : closed.peekLast().lastMillis;
    }

    /** How much time the held polls cover. */
    public synchronized long spanMillis() {
        long f = firstMillis();
        return f < 0 ? 0 : lastMillis() - f;
    }

    /** True when older polls were dropped to stay within {@code maxBytes} (the buffer covers less than its window). */
    public synchronized boolean trimmedForMemory() {
        return trimmedForMemory;
    }

    /** What a save writes: the segments' bytes, finished (the open segment is closed: the next poll starts a new one). */
    private synchronized List<Segment> segments() throws IOException {
        if (open != null) {
            close(open);
            open = null;
        }
        return List.copyOf(closed);
    }

    /**
     * Writes the polls from {@code fromMillis} on (all of them with {@link Long#MIN_VALUE}) to a new
     * recording with their own timestamps; returns how many were written. The records are copied as
     * they are held; only where the first poll saved is not a full table is one built for it. Runs off
     * the thread that appends (only taking the segments is synchronized).
     */
    public int save(Path file, long fromMillis, TimeWaitDuration timeWait, boolean overwrite) throws IOException {
        List<Segment> segs = segments();
        if (segs.isEmpty()) throw new IOException("no polls to save yet");
        int written = 0;
        RecordingWriter w = null;
        try {
            for (Segment seg : segs) {
                if (seg.lastMillis < fromMillis) continue;
                boolean whole = seg.firstMillis >= fromMillis;
                Map<ConnectionKey, List<SocketEntry>> table = whole ? null : new LinkedHashMap<>();
                boolean started = false;
                try (RecordingReader.LineSource lines = new RecordingReader.LineSource(
                        new GZIPInputStream(seg.bytes.open()))) {
                    String line;
                    while ((line = lines.next()) != null) {
                        if (started) {
                            w.appendEncodedDiff(line);
                            written++;
                            continue;
                        }
                        ObjectNode rec = (ObjectNode) RecordingCodec.MAPPER.readTree(line);
                        if (!whole) {
                            // inside the segment: rebuild the table up to the first poll saved, and write it in full
                            Recording.Frame f = RecordingReader.frame(rec, table.isEmpty());
                            apply(table, f);
                            if (f.timestampMillis() < fromMillis) continue;
                            rec = fullTable(table, rec);
                        }
                        if (w == null) w = new RecordingWriter(file, seg.source, timeWait, segmentRecords,
                                rec.get("t").asLong(), overwrite);
                        w.appendEncodedKeyframe(rec);
                        written++;
                        started = true;
                    }
                }
            }
            if (w == null) throw new IOException("no polls to save from " + Instant.ofEpochMilli(fromMillis));
        } finally {
            if (w != null) w.close();
        }
        return written;
    }

    /** A keyframe record of {@code table} (rows holding due times) at the time of {@code rec}, with its warnings. */
    private static ObjectNode fullTable(Map<ConnectionKey, List<SocketEntry>> table, ObjectNode rec) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("t", rec.get("t"));
        ArrayNode full = out.putArray("full");
        for (List<SocketEntry> rows : table.values()) for (SocketEntry e : rows) full.add(RecordingCodec.socket(e, 0));
        if (rec.has("w")) out.set("w", rec.get("w"));
        return out;
    }

    private static void apply(Map<ConnectionKey, List<SocketEntry>> table, Recording.Frame f) {
        if (f.keyframe()) table.clear();
        else for (ConnectionKey k : f.deleted()) table.remove(k);
        Map<ConnectionKey, List<SocketEntry>> put = new LinkedHashMap<>();
        for (SocketEntry e : f.rows()) put.computeIfAbsent(e.key(), k -> new ArrayList<>(1)).add(e);
        put.forEach((k, rows) -> table.put(k, List.copyOf(rows)));
    }
}
