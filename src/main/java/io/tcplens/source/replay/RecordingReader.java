package io.tcplens.source.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.SourceInfo;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads a {@code .tcplens} file. A truncated or damaged file is read up to its last good record and
 * {@link Recording#stop()} says where reading stopped and why; a file that is not a TcpLens recording
 * (or an unreadable one) raises an {@link IOException} whose message is one clear line.
 */
public final class RecordingReader {
    private RecordingReader() {}

    /** Longest line (record) read: a keyframe of about 200,000 sockets. */
    public static final int MAX_LINE_BYTES = 32 << 20;
    /** Most decompressed text read from one file. */
    public static final long MAX_DECOMPRESSED_BYTES = 16L << 30;
    /** Heap an index entry may take per record (its times and offsets, with room for growth). */
    static final long BYTES_PER_RECORD = 64;

    /** How many records a recording may index: a quarter of the heap this JVM may use. */
    static long rowBudget() {
        return Math.max(10_000, Runtime.getRuntime().maxMemory() / 4 / BYTES_PER_RECORD);
    }

    public static Recording read(Path file) throws IOException {
        return read(file, rowBudget());
    }

    /**
     * Reads the file once, checking every record, and keeps only an index (each record's time and
     * where it starts; where each keyframe's compressed data starts): tables are read back from the
     * file when asked for. Once {@code budget} records are indexed, reading stops with a
     * {@link Recording#stop()} that says so, instead of running out of memory.
     */
    public static Recording read(Path file, long budget) throws IOException {
        byte[] magic = new byte[2];
        try (InputStream raw = Files.newInputStream(file)) {
            int n = raw.readNBytes(magic, 0, 2);
            if (n == 0) throw new RecordingFormatException(file + " is empty, not a TcpLens recording");
            if (n < 2 || (magic[0] & 0xff) != 0x1f || (magic[1] & 0xff) != 0x8b)
                throw new RecordingFormatException(file + " is not a TcpLens recording (not gzip-compressed)");
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        try (InputStream raw = new SmallReads(Files.newInputStream(file))) {
            InputStream in;
            try {
                // a small input buffer: when the data is damaged, only what the last few compressed
                // bytes decoded to is lost, not a whole buffer of good records
                in = new GZIPInputStream(raw, SmallReads.CHUNK);
            } catch (IOException e) {
                throw new RecordingFormatException(file + " is not a TcpLens recording (" + reason(e) + ")");
            }
            return read(file, new LineSource(in), budget);
        }
    }

    private static Recording read(Path file, LineSource lines, long budget) throws IOException {
        String first;
        try {
            first = lines.next();
        } catch (IOException e) {
            throw new RecordingFormatException(file + " is not a TcpLens recording (cannot decompress its start: "
                    + reason(e) + ")");
        }
        if (first == null) throw new RecordingFormatException(file + " is not a TcpLens recording (no header)");
        JsonNode headerNode;
        try {
            headerNode = RecordingCodec.MAPPER.readTree(first);
        } catch (JsonProcessingException e) {
            throw new RecordingFormatException(file + " is not a TcpLens recording (first line is not its header)");
        }
        RecordingHeader header;
        try {
            header = RecordingCodec.readHeader(headerNode);
        } catch (RecordingFormatException e) {
            throw new RecordingFormatException(file + ": " + e.getMessage());
        }

        // a writer that starts gzip members at keyframes ends the file with {"end":true}: without it, a
        // file cut just after a member's end would look complete
        boolean needsEnd = headerNode.path("members").asBoolean(false);
        Recording.Index index = new Recording.Index();
        Recording.Stop stop = null;
        long line = 1;
        while (true) {
            String text;
            line++;
            long start = lines.consumed();
            try {
                text = lines.next();
            } catch (IOException e) {
                stop = stop(line, index, reason(e));
                break;
            }
            if (text == null) {
                if (lines.unclosed() || needsEnd) stop = stop(line, index,
                        "the recording was not closed (the recorder stopped or crashed); every complete record was read");
                break;
            }
            if (!lines.lastLineTerminated()) {
                stop = stop(line, index, "the file ends in the middle of a record (truncated)");
                break;
            }
            try {
                if (index.size() >= budget) {
                    stop = stop(line, index, "the recording is too large to replay in this much memory (more than "
                            + budget + " records; the rest is not read)");
                    break;
                }
                JsonNode n = RecordingCodec.MAPPER.readTree(text);
                if (n != null && n.path("end").asBoolean(false)) break; // closed by its writer
                Recording.Frame f = frame(n, index.size() == 0);
                index.add(f.timestampMillis(), f.keyframe(), start, f.keyframe() ? n.path("z").asLong(-1) : -1);
            } catch (JsonProcessingException e) {
                stop = stop(line, index, "the record is not valid JSON (damaged)");
                break;
            } catch (RuntimeException e) {
                stop = stop(line, index, "the record is damaged: " + e.getMessage());
                break;
            }
        }
        return new Recording(file, header, index, stop);
    }

    private static Recording.Stop stop(long line, Recording.Index index, String reason) {
        Long last = index.size() == 0 ? null : index.lastRawTime();
        String when = last == null ? "" : " (last good record at " + Instant.ofEpochMilli(last) + ")";
        return new Recording.Stop(line, index.size(), last, reason + when);
    }

    /**
     * Opens the decompressed text of {@code file} from {@code compressedOffset} (0, or where a gzip
     * member starts).
     */
    static LineSource open(Path file, long compressedOffset) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            raw.skipNBytes(compressedOffset);
            return new LineSource(new GZIPInputStream(new SmallReads(raw), SmallReads.CHUNK));
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    static Recording.Frame frame(JsonNode n, boolean first) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("a record is not a JSON object");
        JsonNode tn = n.get("t");
        if (tn == null || !tn.isIntegralNumber()) throw new IllegalArgumentException("a record has no time \"t\"");
        long t = tn.asLong();
        List<String> warnings = RecordingCodec.strings(n.get("w"));
        SourceInfo src = n.has("src") ? RecordingCodec.readSource(n.get("src")) : null;
        JsonNode full = n.get("full");
        if (full != null) {
            return new Recording.Frame(t, true, rows(full, t), List.of(), warnings, src, holders(full));
        }
        if (first) throw new IllegalArgumentException("the first record is not a full table");
        JsonNode put = n.get("put");
        JsonNode del = n.get("del");
        if (put == null || del == null) throw new IllegalArgumentException("a record is neither a table nor a diff");
        if (!del.isArray()) throw new IllegalArgumentException("\"del\" is not an array");
        List<ConnectionKey> deleted = new ArrayList<>(del.size());
        for (JsonNode k : del) deleted.add(RecordingCodec.readKey(k));
        return new Recording.Frame(t, false, rows(put, t), deleted, warnings, src, holders(put));
    }

    private static List<SocketEntry> rows(JsonNode arr, long t) {
        if (!arr.isArray()) throw new IllegalArgumentException("socket rows are not an array");
        List<SocketEntry> out = new ArrayList<>(arr.size());
        for (JsonNode a : arr) out.add(RecordingCodec.readSocket(a, 0)); // timers kept as due times
        return out;
    }

    /** The rows' holders by inode (format 2's "o"), only for rows that have them. */
    private static Map<Long, List<SocketHolders.Holder>> holders(JsonNode arr) {
        Map<Long, List<SocketHolders.Holder>> m = null;
        for (JsonNode a : arr) {
            if (a.size() != 17) continue;
            List<SocketHolders.Holder> h = RecordingCodec.readHolders(a);
            if (h.isEmpty()) continue;
            if (m == null) m = new HashMap<>();
            m.put(a.get(12).asLong(), h);
        }
        return m == null ? Map.of() : m;
    }

    private static String reason(IOException e) {
        if (e instanceof EOFException) return "the file ends in the middle of a record (truncated)";
        if (e instanceof ZipException z) return "the compressed data is damaged (" + z.getMessage() + ")";
        if (e instanceof CharacterCodingException) return "the record is not valid UTF-8 text (damaged)";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Hands the inflater at most {@link #CHUNK} compressed bytes at a time. */
    private static final class SmallReads extends FilterInputStream {
        static final int CHUNK = 64;

        SmallReads(InputStream in) {
            super(new BufferedInputStream(in, 64 * 1024));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, Math.min(len, CHUNK));
        }
    }

    /** Splits decompressed bytes into UTF-8 lines and tells whether the last one ended with a newline. */
    static final class LineSource implements Closeable {
        private final InputStream in;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int len;
        private boolean terminated = true;
        private boolean unclosed;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
        private long total;

        LineSource(InputStream in) {
            this.in = in;
        }

        /** Decompressed bytes consumed so far (lines and their newlines). */
        long consumed() {
            return total;
        }

        /** Skips {@code n} decompressed bytes (to the start of a later line). */
        void skip(long n) throws IOException {
            while (n > 0) {
                if (pos == len) {
                    len = Math.max(0, in.read(buf));
                    pos = 0;
                    if (len == 0) throw new EOFException("the recording is shorter than when it was opened");
                }
                int k = (int) Math.min(n, len - pos);
                pos += k;
                n -= k;
                total += k;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }

        String next() throws IOException {
            line.reset();
            while (true) {
                if (pos == len) {
                    try {
                        len = in.read(buf);
                    } catch (EOFException e) {
                        // the compressed stream stops without its end marker: a writer that never closed
                        if (line.size() > 0) throw e;
                        unclosed = true;
                        len = -1;
                    }
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        if (line.size() == 0) return null;
                        terminated = false;
                        return decode();
                    }
                }
                int start = pos;
                while (pos < len && buf[pos] != '\n') pos++;
                if (line.size() + (pos - start) > MAX_LINE_BYTES)
                    throw new IOException("a record is longer than " + (MAX_LINE_BYTES >> 20) + " MB (damaged, or not a recording)");
                total += pos - start + (pos < len ? 1 : 0);
                if (total > MAX_DECOMPRESSED_BYTES)
                    throw new IOException("the recording decompresses to more than " + (MAX_DECOMPRESSED_BYTES >> 30) + " GB");
                line.write(buf, start, pos - start);
                if (pos < len) {
                    pos++;
                    terminated = true;
                    return decode();
                }
            }
        }

        /** True when the data ended cleanly between records but the gzip trailer is missing. */
        boolean unclosed() {
            return unclosed;
        }

        boolean lastLineTerminated() {
            return terminated;
        }

        private String decode() throws CharacterCodingException {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(line.toByteArray())).toString();
        }
    }
}
