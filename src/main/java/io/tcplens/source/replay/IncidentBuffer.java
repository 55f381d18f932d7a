package io.tcplens.source.replay;

import com.carrotsearch.hppc.IntArrayList;
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
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last minutes of polls, kept so that an incident can be saved after it happened ({@link #save}: a
 * {@code .tcplens} recording with the polls' own timestamps). Polls are held the way a recording holds
 * them — a full table, then only what changed, as gzip-compressed records of the same format
 * ({@link RecordingCodec}, at the fastest level) — in segments of {@code segmentRecords} polls, each
 * starting with a full table. The compressed bytes go to a private temporary file as they are written
 * ({@link SpillFile}: unlinked at once, so it goes with the buffer or the process); only the block being
 * filled and an index are on the heap. Where no file can be made or a write to it fails they are kept in
 * memory instead ({@link #inMemoryBecause} says why; nothing held is lost). The bytes are bounded twice:
 * segments older than the window are dropped, and while the compressed bytes exceed {@code maxBytes}
 * the oldest segment is dropped too (then less than the window is kept, and {@link #spanMillis} says how
 * much). Besides the segments, the last table is held once (the rows of the latest poll, to diff the
 * next one against). Thread-safe.
 */
public final class IncidentBuffer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(IncidentBuffer.class);
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
    /** Gzip level of the held polls: the fastest (a save compresses them again at the recording's level). */
    static final int LEVEL = Deflater.BEST_SPEED;
    private final SpillOpener spillOpener;
    private SpillFile spill;
    private boolean spillTried;
    private String spillFailure;
    private boolean closedBuffer;

    /** One gzip stream of records that starts with a full table. */
    private static final class Segment {
        final Chunks bytes;
        GZIPOutputStream gzip;
        final long firstMillis;
        long lastMillis;
        int records;
        final SourceInfo source;

        Segment(long firstMillis, SourceInfo source, SpillFile spill) throws IOException {
            this.firstMillis = firstMillis;
            this.lastMillis = firstMillis;
            this.source = source;
            this.bytes = new Chunks(spill);
            this.gzip = new GZIPOutputStream(bytes, 16 * 1024) {
                {
                    def.setLevel(LEVEL);
                }
            };
        }

        void finish() throws IOException {
            if (gzip != null) {
                gzip.close(); // finished, and the deflater's native memory freed now (closing the chunks does nothing)
                gzip = null;
                bytes.trim();
            }
        }

        long size() {
            return bytes.size();
        }
    }

    /**
     * A segment's compressed bytes: in blocks of the buffer's {@link SpillFile} while it can be written
     * (only the block being filled is on the heap), else in memory, in chunks of at most {@link #CHUNK}:
     * nothing is copied as it grows, and no array reaches half a G1 region (which G1 gives whole regions:
     * a segment of 100k-socket polls in one array that doubled as it grew was 2-4 MB in a 4 MB array,
     * plus a copy of it when the segment closed, and each closed segment's array left most of a region
     * empty). A segment whose file write failed keeps its first bytes in the file and the rest in memory.
     */
    static final class Chunks extends OutputStream {
        static final int CHUNK = 256 * 1024;
        private final SpillFile spill;
        private final IntArrayList blocks = new IntArrayList();
        private long fileBytes;
        private final List<byte[]> chunks = new ArrayList<>();
        private byte[] last;
        private int used;
        private long size;

        /** In memory only. */
        Chunks() {
            this(null);
        }

        /** In blocks of {@code spill} while it can be written (null: in memory). */
        Chunks(SpillFile spill) {
            this.spill = spill;
            this.last = new byte[spilling() ? SpillFile.BLOCK : 16 * 1024];
        }

        private boolean spilling() {
            return spill != null && chunks.isEmpty() && spill.usable();
        }

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

        /**
         * The last chunk is full: it goes to the file (and is filled again), or it grows (doubling up to a
         * whole chunk), or a new one starts.
         */
        private void room() {
            if (spilling() && last.length == SpillFile.BLOCK) {
                int block = spill.write(last, used);
                if (block >= 0) {
                    blocks.add(block);
                    fileBytes += used;
                    used = 0;
                    return;
                }
            }
            if (last.length < CHUNK) {
                last = Arrays.copyOf(last, Math.min(CHUNK, last.length * 2));
            } else {
                chunks.add(last);
                last = new byte[CHUNK];
                used = 0;
            }
        }

        /** No more writes: the last chunk goes to the file, or is cut to what it holds. */
        void trim() {
            if (used > 0 && spilling() && last.length == SpillFile.BLOCK) {
                int block = spill.write(last, used);
                if (block >= 0) {
                    blocks.add(block);
                    fileBytes += used;
                    used = 0;
                    last = new byte[0];
                    return;
                }
            }
            if (used < last.length) last = Arrays.copyOf(last, used);
        }

        long size() {
            return size;
        }

        /** Bytes on the heap (the file's not counted). */
        long heapBytes() {
            long n = last.length;
            for (byte[] c : chunks) n += c.length;
            return n;
        }

        /** Bytes in the file. */
        long fileBytes() {
            return fileBytes;
        }

        /** The segment is dropped: its blocks are the file's again. */
        void release() {
            if (spill != null && !blocks.isEmpty()) spill.free(blocks);
            blocks.clear();
        }

        /** The bytes written so far, read in order. */
        InputStream open() {
            return reader().get();
        }

        /**
         * What {@link #open} reads, taken now: the blocks' list is copied (a segment dropped while a save
         * reads it gives its blocks back; they are not written again until the save unpins the file).
         */
        Supplier<InputStream> reader() {
            IntArrayList ids = blocks.clone();
            long inFile = fileBytes;
            List<byte[]> mem = List.copyOf(chunks);
            byte[] tail = last;
            int tailUsed = used;
            return () -> {
                List<InputStream> parts = new ArrayList<>(mem.size() + 2);
                if (!ids.isEmpty()) parts.add(spill.open(ids, inFile));
                for (byte[] c : mem) parts.add(new ByteArrayInputStream(c));
                parts.add(new ByteArrayInputStream(tail, 0, tailUsed));
                return new SequenceInputStream(Collections.enumeration(parts));
            };
        }
    }

    public IncidentBuffer(long keepMillis, long maxBytes, int segmentRecords) {
        this(keepMillis, maxBytes, segmentRecords, SpillFile.defaultDirs());
    }

    /**
     * With the closed polls in a temporary file in the first of {@code spillDirs} where one can be made
     * (none given, or none writable: in memory, and {@link #inMemoryBecause} says why).
     */
    IncidentBuffer(long keepMillis, long maxBytes, int segmentRecords, List<Path> spillDirs) {
        this(keepMillis, maxBytes, segmentRecords, opener(List.copyOf(spillDirs)));
    }

    private static SpillOpener opener(List<Path> dirs) {
        return () -> SpillFile.create(dirs);
    }

    /** Makes the buffer's file (at its first poll). */
    @FunctionalInterface
    interface SpillOpener {
        SpillFile open() throws IOException;
    }

    IncidentBuffer(long keepMillis, long maxBytes, int segmentRecords, SpillOpener spillOpener) {
        if (keepMillis < 1000 || maxBytes < 1 || segmentRecords < 1) throw new IllegalArgumentException("bad incident buffer bounds");
        this.keepMillis = keepMillis;
        this.maxBytes = maxBytes;
        this.segmentRecords = segmentRecords;
        this.spillOpener = spillOpener;
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
                open = new Segment(t, s.source(), spill());
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
        s.bytes.release();
    }

    /** The file the segments are written to, made at the first poll; null when it cannot be (then in memory). */
    private SpillFile spill() {
        if (!spillTried && !closedBuffer) {
            spillTried = true;
            try {
                spill = spillOpener.open();
                LOG.debug("incident buffer: polls kept in a temporary file in {}", spill.where());
            } catch (IOException e) {
                spillFailure = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.warn("incident buffer: no temporary file could be made ({}); the polls are kept in memory", spillFailure);
            }
        }
        return spill != null && spill.usable() ? spill : null;
    }

    /** Forgets everything (another source, or time went back). */
    public synchronized void clear() {
        for (Segment s : closed) s.bytes.release();
        closed.clear();
        closedBytes = 0;
        if (open != null) {
            try {
                open.finish(); // the deflater's memory freed now
            } catch (IOException e) {
                // in memory or a block write that failed (said once already): nothing to keep
            }
            open.bytes.release();
        }
        open = null;
        diff = new TableDiff();
        trimmedForMemory = false;
        if (spill != null) spill.reset();
    }

    /**
     * Forgets everything and closes the temporary file (gone with it; a save that reads it now ends
     * first). Polls appended later are kept in memory.
     */
    public synchronized void close() {
        clear();
        closedBuffer = true;
        if (spill != null) spill.close();
    }

    /**
     * Null while the polls go to the temporary file; else why they are kept in memory (no file could be
     * made, or a write to it failed: the polls written before are still read from it).
     */
    public synchronized String inMemoryBecause() {
        if (spill != null) return spill.failure();
        return spillTried ? spillFailure : null;
    }

    /** The directory of the temporary file the polls go to (it has no name there), or null (in memory). */
    public synchronized String fileDirectory() {
        return spill == null || spill.failure() != null ? null : spill.where();
    }

    /** Bytes of held polls on the heap (those in the file not counted). */
    public synchronized long heapBytes() {
        long n = open == null ? 0 : open.bytes.heapBytes();
        for (Segment s : closed) n += s.bytes.heapBytes();
        return n;
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

    /**
     * What a save writes: the segments' bytes, finished (the open segment is closed: the next poll starts
     * a new one), and the file, pinned (its blocks are not written again until it is unpinned), or null.
     */
    private record Held(List<Segment> segments, List<Supplier<InputStream>> readers, SpillFile pinned) {}

    private synchronized Held segments() throws IOException {
        if (open != null) {
            close(open);
            open = null;
        }
        if (spill != null) spill.pin();
        List<Supplier<InputStream>> readers = new ArrayList<>(closed.size());
        for (Segment seg : closed) readers.add(seg.bytes.reader());
        return new Held(List.copyOf(closed), readers, spill);
    }

    /**
     * Writes the polls from {@code fromMillis} on (all of them with {@link Long#MIN_VALUE}) to a new
     * recording with their own timestamps; returns how many were written. The records are copied as
     * they are held; only where the first poll saved is not a full table is one built for it. Runs off
     * the thread that appends (only taking the segments is synchronized).
     */
    public int save(Path file, long fromMillis, TimeWaitDuration timeWait, boolean overwrite) throws IOException {
        Held held = segments();
        try {
            return save(held, file, fromMillis, timeWait, overwrite);
        } finally {
            if (held.pinned() != null) held.pinned().unpin();
        }
    }

    private int save(Held held, Path file, long fromMillis, TimeWaitDuration timeWait, boolean overwrite) throws IOException {
        List<Segment> segs = held.segments();
        if (segs.isEmpty()) throw new IOException("no polls to save yet");
        int written = 0;
        RecordingWriter w = null;
        try {
            for (int i = 0; i < segs.size(); i++) {
                Segment seg = segs.get(i);
                if (seg.lastMillis < fromMillis) continue;
                boolean whole = seg.firstMillis >= fromMillis;
                Map<ConnectionKey, List<SocketEntry>> table = whole ? null : new LinkedHashMap<>();
                boolean started = false;
                try (RecordingReader.LineSource lines = new RecordingReader.LineSource(
                        new GZIPInputStream(held.readers().get(i).get()))) {
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
