package io.tcplens.source.replay;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.TimeWaitDuration;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import io.tcplens.io.SafeFiles;
import java.nio.file.Files;
import java.nio.file.FileSystemException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPOutputStream;
import io.tcplens.model.EventBatch;
import java.nio.charset.StandardCharsets;

/**
 * Appends snapshots to a new {@code .tcplens} file (see {@link RecordingCodec} for the format): a
 * keyframe first and every {@code keyframeEvery} records, diffs in between. Every record is followed
 * by a gzip SYNC_FLUSH and a flush to the OS, so a crash or a kill leaves a file that reads up to the
 * last record written. Thread-safe.
 */
public final class RecordingWriter implements AutoCloseable {
    public static final int DEFAULT_KEYFRAME_EVERY = 120;
    public static final String EXTENSION = ".tcplens";

    private final Path file;
    private final SourceInfo source;
    private final int keyframeEvery;
    private final CountingStream counted;
    private GZIPOutputStream gzip;
    private final SafeFiles.Replacement replacement;
    private final Object fileKey;
    private final TableDiff diff = new TableDiff();
    private long records;
    private boolean closed;

    /** Creates {@code file} (it must not exist yet) and writes the header. */
    public RecordingWriter(Path file, SourceInfo source, TimeWaitDuration timeWait) throws IOException {
        this(file, source, timeWait, false);
    }

    /**
     * Creates {@code file} and writes the header. With {@code overwrite}, an existing regular file is
     * replaced (atomically, once the header is on disk, keeping its mode and owner); anything else at
     * the path (a symbolic link, directory, FIFO, socket or device) is refused, never removed.
     */
    public RecordingWriter(Path file, SourceInfo source, TimeWaitDuration timeWait, boolean overwrite) throws IOException {
        this(file, source, timeWait, DEFAULT_KEYFRAME_EVERY, System.currentTimeMillis(), overwrite);
    }

    public RecordingWriter(Path file, SourceInfo source, TimeWaitDuration timeWait, int keyframeEvery,
                           long createdMillis) throws IOException {
        this(file, source, timeWait, keyframeEvery, createdMillis, false);
    }

    public RecordingWriter(Path file, SourceInfo source, TimeWaitDuration timeWait, int keyframeEvery,
                           long createdMillis, boolean overwrite) throws IOException {
        if (keyframeEvery < 1) throw new IllegalArgumentException("keyframeEvery must be at least 1");
        this.file = file;
        this.source = source;
        this.keyframeEvery = keyframeEvery;
        SafeFiles.Replacement replacement = null;
        OutputStream os;
        if (overwrite) {
            replacement = SafeFiles.begin(file, true);
            os = replacement.stream();
        } else {
            // CREATE_NEW fails on anything at the path, a dangling symbolic link included
            os = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }
        this.replacement = replacement;
        this.counted = new CountingStream(os);
        GZIPOutputStream gz;
        try {
            gz = new GZIPOutputStream(counted, 64 * 1024, true);
            this.gzip = gz;
            String version = RecordingWriter.class.getPackage().getImplementationVersion();
            ObjectNode h = RecordingCodec.header(new RecordingHeader(RecordingCodec.FORMAT_VERSION, createdMillis, source,
                    timeWait, "TcpLens" + (version == null ? "" : " " + version), keyframeEvery));
            h.put("members", true); // keyframes start gzip members; the file ends with {"end":true}
            writeLine(h);
            if (replacement != null) replacement.commit();
            this.fileKey = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException | RuntimeException e) {
            try {
                if (replacement != null) replacement.close();
                else counted.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Throws when the file being written is no longer at its path (deleted, or replaced by another
     * file): records written after that would be lost.
     */
    public void checkStillThere() throws IOException {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(null, null, "it was deleted while recording");
        }
        if (fileKey != null && !fileKey.equals(a.fileKey()))
            throw new FileSystemException(null, null, "it was replaced by another file while recording");
    }

    public Path file() {
        return file;
    }

    /** Records written so far (the header not counted). */
    public synchronized long records() {
        return records;
    }

    /** Compressed bytes written to the file so far. */
    public synchronized long bytesWritten() {
        return counted.count;
    }

    /** Appends one snapshot and flushes it to the OS. */
    public synchronized void append(Snapshot s) throws IOException {
        append(s, null);
    }

    /**
     * Appends one snapshot with the kernel's state changes since the previous one (null: none were
     * recorded), so that replay shows the real sequence; a reader that does not know events skips them.
     */
    public synchronized void append(Snapshot s, EventBatch events) throws IOException {
        if (closed) throw new IOException("recording " + file + " is closed");
        boolean first = diff.isEmpty();
        // rows compared with their timers as due times, so a timer that only counts down is no change
        TableDiff.Changes changes = diff.next(s);
        long member = -1;
        if (first || records % keyframeEvery == 0) {
            // each keyframe starts a gzip member of its own: a reader seeks to it without inflating
            // what comes before ("z" says where it starts in the file)
            gzip.finish();
            member = counted.count;
            gzip = new GZIPOutputStream(counted, 64 * 1024, true);
            changes = null;
        }
        // written straight to the stream, no tree of the record (the same text)
        RecordingCodec.writeRecord(gzip, s, changes, member, s.source().equals(source) ? null : s.source(), events);
        gzip.write('\n');
        gzip.flush(); // SYNC_FLUSH: everything so far can be inflated, then the bytes go to the OS
        records++;
    }

    /**
     * Appends a keyframe record already encoded in this format ({@code {"t":…,"full":[…]}}, timers as
     * due times; {@link IncidentBuffer}): it starts a gzip member and gets its {@code "z"}. With
     * {@link #appendEncodedDiff}, for copying records; not to be mixed with {@link #append(Snapshot)} on
     * one writer.
     */
    synchronized void appendEncodedKeyframe(ObjectNode rec) throws IOException {
        if (closed) throw new IOException("recording " + file + " is closed");
        gzip.finish();
        long member = counted.count;
        gzip = new GZIPOutputStream(counted, 64 * 1024, true);
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("t", rec.get("t"));
        out.put("z", member);
        rec.properties().forEach(e -> {
            if (!e.getKey().equals("t") && !e.getKey().equals("z")) out.set(e.getKey(), e.getValue());
        });
        writeLine(out);
        records++;
    }

    /** Appends a diff record already encoded in this format (one line, no newline), after {@link #appendEncodedKeyframe}. */
    synchronized void appendEncodedDiff(String line) throws IOException {
        if (closed) throw new IOException("recording " + file + " is closed");
        if (records == 0) throw new IOException("a recording starts with a full table");
        gzip.write(line.getBytes(StandardCharsets.UTF_8));
        gzip.write('\n');
        records++;
    }

    private void writeLine(ObjectNode node) throws IOException {
        gzip.write(RecordingCodec.MAPPER.writeValueAsBytes(node));
        gzip.write('\n');
        gzip.flush(); // SYNC_FLUSH: everything so far can be inflated, then the bytes go to the OS
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) return;
        closed = true;
        try {
            try {
                writeLine(JsonNodeFactory.instance.objectNode().put("end", true));
            } finally {
                gzip.close();
            }
        } finally {
            if (replacement != null) replacement.close();
        }
    }

    private static final class CountingStream extends FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
