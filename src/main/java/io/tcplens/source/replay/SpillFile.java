package io.tcplens.source.replay;

import com.carrotsearch.hppc.IntArrayList;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the {@link IncidentBuffer} keeps its compressed polls off the heap: a private temporary file
 * (created 0600, then unlinked at once, so nothing is left behind when the buffer closes or the process
 * ends, however it ends), in blocks of {@link #BLOCK} bytes. The page cache holds what was written
 * recently; it is not the process's heap nor its resident memory. A freed block is written again by the
 * next one; blocks freed while a save reads ({@link #pin}) wait until it is done. When a write fails
 * (disk full, the file system gone read-only) the file says so once ({@link #failure}) and takes no more
 * blocks: the buffer keeps the rest in memory. Positional reads may run beside writes.
 */
final class SpillFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SpillFile.class);
    static final int BLOCK = 64 * 1024;

    private final FileChannel channel;
    private final String where;
    private final IntArrayList free = new IntArrayList();
    private final IntArrayList waiting = new IntArrayList();
    private int made;
    private int pins;
    private boolean closeWhenUnpinned;
    private boolean closed;
    private volatile String failure;

    SpillFile(FileChannel channel, String where) {
        this.channel = Objects.requireNonNull(channel);
        this.where = where;
    }

    /**
     * A new spill file in the first of {@code dirs} where one can be made (null entries are skipped).
     * Throws the last directory's error when none can.
     */
    static SpillFile create(List<Path> dirs) throws IOException {
        IOException last = null;
        for (Path dir : dirs) {
            if (dir == null) continue;
            try {
                Path f = Files.createTempFile(dir, "tcplens-incident-", ".tmp",
                        PosixFilePermissions.asFileAttribute(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
                try {
                    return new SpillFile(FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE), dir.toString());
                } finally {
                    Files.deleteIfExists(f); // the open channel keeps it; no name left to clean up
                }
            } catch (IOException | UnsupportedOperationException e) {
                IOException io = e instanceof IOException x ? x : new IOException(e.getMessage(), e);
                if (last != null) io.addSuppressed(last);
                last = io;
            }
        }
        throw last != null ? last : new IOException("no directory for the incident buffer's file");
    }

    /** java.io.tmpdir, then $XDG_RUNTIME_DIR. */
    static List<Path> defaultDirs() {
        List<Path> dirs = new ArrayList<>(2);
        String tmp = System.getProperty("java.io.tmpdir");
        if (tmp != null && !tmp.isBlank()) dirs.add(Path.of(tmp));
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (xdg != null && !xdg.isBlank()) dirs.add(Path.of(xdg));
        return dirs;
    }

    /** The directory the file was made in (it has no name there any more). */
    String where() {
        return where;
    }

    /** Why blocks are no longer written (the first failed write), or null. */
    String failure() {
        return failure;
    }

    /** True while blocks can be written. */
    boolean usable() {
        return failure == null && !closed;
    }

    /**
     * Writes {@code len} (≤ {@link #BLOCK}) bytes of {@code b} to a free block; returns it, or -1 when
     * the write failed (then {@link #failure} says why and no more blocks are taken).
     */
    synchronized int write(byte[] b, int len) {
        if (!usable()) return -1;
        int block = free.isEmpty() ? made++ : free.removeLast();
        try {
            ByteBuffer buf = ByteBuffer.wrap(b, 0, len);
            long at = (long) block * BLOCK;
            while (buf.hasRemaining()) at += channel.write(buf, at);
            return block;
        } catch (IOException | RuntimeException e) {
            free.add(block);
            failure = e.getMessage() == null ? e.toString() : e.getMessage();
            LOG.warn("incident buffer: cannot write its temporary file in {} ({}); the polls from now on are kept in memory", where, failure);
            return -1;
        }
    }

    /** Gives blocks back (those written again later; while a save reads, once it is done). */
    synchronized void free(IntArrayList blocks) {
        (pins > 0 ? waiting : free).addAll(blocks);
    }

    /** A save starts reading: no block is written again until {@link #unpin}. */
    synchronized void pin() {
        pins++;
    }

    synchronized void unpin() {
        if (--pins > 0) return;
        free.addAll(waiting);
        waiting.clear();
        if (closeWhenUnpinned) close();
    }

    /** Every block is free (the buffer forgot everything): the file is cut to nothing, unless a save reads. */
    synchronized void reset() {
        if (pins > 0 || closed) return;
        free.clear();
        waiting.clear();
        made = 0;
        try {
            channel.truncate(0);
        } catch (IOException e) {
            // blocks are written again from the start anyway
        }
    }

    /** Blocks in the file (written and free). */
    synchronized int blocks() {
        return made;
    }

    /** Reads blocks {@code blocks} in order, {@code bytes} in all (every block full but the last). */
    InputStream open(IntArrayList blocks, long bytes) {
        int[] ids = blocks.toArray();
        return new InputStream() {
            private final byte[] buf = new byte[BLOCK];
            private int next, pos, end;
            private long left = bytes;

            private boolean fill() throws IOException {
                while (pos == end) {
                    if (next == ids.length || left == 0) return false;
                    int len = (int) Math.min(BLOCK, left);
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, len);
                    long at = (long) ids[next++] * BLOCK;
                    while (b.hasRemaining()) {
                        int n = channel.read(b, at);
                        if (n < 0) throw new IOException("incident buffer's temporary file ends early");
                        at += n;
                    }
                    pos = 0;
                    end = len;
                    left -= len;
                }
                return true;
            }

            @Override
            public int read() throws IOException {
                return fill() ? buf[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                if (len == 0) return 0;
                if (!fill()) return -1;
                int n = Math.min(len, end - pos);
                System.arraycopy(buf, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /** Closes the file (it is gone with it); while a save reads, once that save is done. */
    @Override
    public synchronized void close() {
        if (closed) return;
        if (pins > 0) {
            closeWhenUnpinned = true;
            return;
        }
        closed = true;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the incident buffer's file: {}", e.toString());
        }
    }
}
