package io.tcplens.source.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    /** Rough heap cost of one socket row (or one record) held for replay. */
    static final long BYTES_PER_ROW = 400;

    /** How many rows (plus records) a recording may hold: half the heap this JVM may use. */
    static long rowBudget() {
        return Math.max(10_000, Runtime.getRuntime().maxMemory() / 2 / BYTES_PER_ROW);
    }

    public static Recording read(Path file) throws IOException {
        return read(file, rowBudget());
    }

    /**
     * Reads with a bound on what is held: once {@code budget} rows (plus one per record) are held,
     * reading stops with a {@link Recording#stop()} that says so, instead of running out of memory.
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

        List<Recording.Frame> frames = new ArrayList<>();
        Recording.Stop stop = null;
        long line = 1;
        long held = 0;
        while (true) {
            String text;
            line++;
            try {
                text = lines.next();
            } catch (IOException e) {
                stop = stop(line, frames, reason(e));
                break;
            }
            if (text == null) {
                if (lines.unclosed()) stop = stop(line, frames,
                        "the recording was not closed (the recorder stopped or crashed); every complete record was read");
                break;
            }
            if (!lines.lastLineTerminated()) {
                stop = stop(line, frames, "the file ends in the middle of a record (truncated)");
                break;
            }
            try {
                Recording.Frame f = frame(RecordingCodec.MAPPER.readTree(text), frames.isEmpty());
                held += 1 + f.rows().size() + f.deleted().size();
                if (held > budget) {
                    stop = stop(line, frames, "the recording is too large to replay in this much memory (more than "
                            + budget + " rows and records held; the rest is not read)");
                    break;
                }
                frames.add(f);
            } catch (JsonProcessingException e) {
                stop = stop(line, frames, "the record is not valid JSON (damaged)");
                break;
            } catch (RuntimeException e) {
                stop = stop(line, frames, "the record is damaged: " + e.getMessage());
                break;
            }
        }
        return new Recording(file, header, frames, stop);
    }

    private static Recording.Stop stop(long line, List<Recording.Frame> frames, String reason) {
        Long last = frames.isEmpty() ? null : frames.get(frames.size() - 1).timestampMillis();
        String when = last == null ? "" : " (last good record at " + Instant.ofEpochMilli(last) + ")";
        return new Recording.Stop(line, frames.size(), last, reason + when);
    }

    private static Recording.Frame frame(JsonNode n, boolean first) {
        if (n == null || !n.isObject()) throw new IllegalArgumentException("a record is not a JSON object");
        JsonNode tn = n.get("t");
        if (tn == null || !tn.isIntegralNumber()) throw new IllegalArgumentException("a record has no time \"t\"");
        long t = tn.asLong();
        List<String> warnings = RecordingCodec.strings(n.get("w"));
        SourceInfo src = n.has("src") ? RecordingCodec.readSource(n.get("src")) : null;
        JsonNode full = n.get("full");
        if (full != null) {
            return new Recording.Frame(t, true, rows(full, t), List.of(), warnings, src);
        }
        if (first) throw new IllegalArgumentException("the first record is not a full table");
        JsonNode put = n.get("put");
        JsonNode del = n.get("del");
        if (put == null || del == null) throw new IllegalArgumentException("a record is neither a table nor a diff");
        if (!del.isArray()) throw new IllegalArgumentException("\"del\" is not an array");
        List<ConnectionKey> deleted = new ArrayList<>(del.size());
        for (JsonNode k : del) deleted.add(RecordingCodec.readKey(k));
        return new Recording.Frame(t, false, rows(put, t), deleted, warnings, src);
    }

    private static List<SocketEntry> rows(JsonNode arr, long t) {
        if (!arr.isArray()) throw new IllegalArgumentException("socket rows are not an array");
        List<SocketEntry> out = new ArrayList<>(arr.size());
        for (JsonNode a : arr) out.add(RecordingCodec.readSocket(a, 0)); // timers kept as due times
        return out;
    }

    private static String reason(IOException e) {
        if (e instanceof EOFException) return "the file ends in the middle of a record (truncated)";
        if (e instanceof ZipException z) return "the compressed data is damaged (" + z.getMessage() + ")";
        if (e instanceof CharacterCodingException) return "the record is not valid UTF-8 text (damaged)";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Hands the inflater at most {@link #CHUNK} compressed bytes at a time. */
    private static final class SmallReads extends java.io.FilterInputStream {
        static final int CHUNK = 64;

        SmallReads(InputStream in) {
            super(new java.io.BufferedInputStream(in, 64 * 1024));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, Math.min(len, CHUNK));
        }
    }

    /** Splits decompressed bytes into UTF-8 lines and tells whether the last one ended with a newline. */
    private static final class LineSource {
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
                    .decode(java.nio.ByteBuffer.wrap(line.toByteArray())).toString();
        }
    }
}
