package io.tcplens.source.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.carrotsearch.hppc.IntArrayList;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.TimeWaitDuration;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident buffer keeps its compressed polls in a private temporary file (0600, unlinked at once,
 * closed with the buffer) with little on the heap, and a save from it writes the very bytes a buffer in
 * memory writes. Where no file can be made (a read-only directory, a path that is no directory) or a
 * write to it fails (a full disk), the polls are kept in memory, the buffer says why, and a save still
 * gives every poll.
 */
class IncidentBufferSpillTest {
    private static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "t", "test");
    private static final int SOCKETS = 20_000;

    /** The same polls into each buffer (a churning table with TIME_WAIT timers counting down). */
    private static void feed(int polls, IncidentBuffer... buffers) {
        ChurningTable table = new ChurningTable(SOCKETS);
        for (int p = 0; p < polls; p++) {
            Snapshot s = new Snapshot(ChurningTable.millis(p), table.next(), SRC, List.of());
            for (IncidentBuffer b : buffers) b.append(s);
        }
    }

    private static IncidentBuffer inMemory(long keepMillis, int segment) {
        return new IncidentBuffer(keepMillis, 64L << 20, segment, List.of());
    }

    /** The file descriptors of this process open on a deleted file that was in {@code dir}. */
    private static List<Path> openDeleted(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith(dir.resolve("tcplens-incident-").toString()) && target.endsWith(" (deleted)")) out.add(fd);
                } catch (IOException gone) {
                    // the listing's own descriptor, closed by now
                }
            }
        }
        return out;
    }

    private static void assertSameBytes(Path expected, Path actual) throws IOException {
        assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(actual), actual + " differs from " + expected);
    }

    @Test
    void savedFromTheFileByteForByteAsFromMemory(@TempDir Path dir) throws Exception {
        Path spillDir = Files.createDirectory(dir.resolve("tmp"));
        IncidentBuffer file = new IncidentBuffer(3_600_000, 64L << 20, 6, List.of(spillDir));
        IncidentBuffer memory = inMemory(3_600_000, 6);
        int polls = 27; // four whole segments and an open one
        feed(polls, file, memory);

        assertNull(file.inMemoryBecause());
        assertEquals(spillDir.toString(), file.fileDirectory());
        assertNotNull(memory.inMemoryBecause(), "a buffer given no directory says why it is in memory");
        assertEquals(memory.bytes(), file.bytes());
        assertEquals(polls, file.records());
        // only the block being filled is on the heap; the memory buffer holds all of it there
        assertTrue(file.heapBytes() <= SpillFile.BLOCK, "heap " + file.heapBytes());
        assertTrue(memory.heapBytes() >= memory.bytes(), "memory heap " + memory.heapBytes());
        assertTrue(file.bytes() > 4L * SpillFile.BLOCK, "segments span several blocks: " + file.bytes());

        // the file: nothing left in the directory, one descriptor on a deleted file, mode 0600
        try (Stream<Path> left = Files.list(spillDir)) {
            assertEquals(List.of(), left.toList());
        }
        List<Path> fds = openDeleted(spillDir);
        assertEquals(1, fds.size(), "open deleted files " + fds);
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(fds.get(0)));

        for (long from : new long[] {Long.MIN_VALUE, ChurningTable.millis(8), ChurningTable.millis(20)}) {
            Path a = dir.resolve("file-" + from + ".tcplens"), b = dir.resolve("memory-" + from + ".tcplens");
            int n = file.save(a, from, TimeWaitDuration.LINUX, false);
            assertEquals(memory.save(b, from, TimeWaitDuration.LINUX, false), n);
            assertSameBytes(b, a);
            Recording r = RecordingReader.read(a);
            assertEquals(n, r.size());
        }
        // a save closes the open segment: the next polls start a new one, in the file too
        feed(3, file, memory); // the same tables again, from the start: time went back, both start again
        assertEquals(memory.records(), file.records());

        file.close();
        memory.close();
        assertEquals(List.of(), openDeleted(spillDir), "closing the buffer closes its file");
    }

    @Test
    void blocksOfDroppedSegmentsAreWrittenAgain(@TempDir Path dir) throws Exception {
        // a 12-second window of 3-poll segments over 60 polls: most segments are dropped, their blocks reused
        IncidentBuffer file = new IncidentBuffer(12_000, 64L << 20, 3, List.of(dir));
        IncidentBuffer memory = inMemory(12_000, 3);
        feed(60, file, memory);
        assertEquals(memory.records(), file.records());
        assertTrue(file.records() < 20, "held " + file.records());
        Path a = dir.resolve("a.tcplens"), b = dir.resolve("b.tcplens");
        assertEquals(memory.save(b, Long.MIN_VALUE, TimeWaitDuration.LINUX, false), file.save(a, Long.MIN_VALUE, TimeWaitDuration.LINUX, false));
        assertSameBytes(b, a);
        // the file holds about the window, not the run
        FileChannel ch = FileChannel.open(openDeleted(dir).get(0), StandardOpenOption.READ);
        try (ch) {
            assertTrue(ch.size() <= 2 * file.bytes() + 8L * SpillFile.BLOCK, "file " + ch.size() + " for " + file.bytes() + " held");
        }
        file.close();
    }

    @Test
    void aReadOnlyDirectoryKeepsThePollsInMemoryAndSaysSo(@TempDir Path dir) throws Exception {
        Path readOnly = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(readOnly, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_EXECUTE));
        try {
            assumeFalse(Files.isWritable(readOnly), "root writes into a read-only directory anyway");
            IncidentBuffer b = new IncidentBuffer(3_600_000, 64L << 20, 5, List.of(readOnly));
            checkInMemory(b, dir);
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aPathThatIsNoDirectoryKeepsThePollsInMemoryAndSaysSo(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        IncidentBuffer b = new IncidentBuffer(3_600_000, 64L << 20, 5, List.of(notADirectory));
        checkInMemory(b, dir);
    }

    @Test
    void theNextDirectoryIsTriedFirst(@TempDir Path dir) throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        IncidentBuffer b = new IncidentBuffer(3_600_000, 64L << 20, 5, List.of(notADirectory, dir));
        feed(2, b);
        assertNull(b.inMemoryBecause());
        assertEquals(dir.toString(), b.fileDirectory());
        b.close();
    }

    private static void checkInMemory(IncidentBuffer b, Path dir) throws IOException {
        IncidentBuffer memory = inMemory(3_600_000, 5);
        feed(12, b, memory);
        assertNotNull(b.inMemoryBecause());
        assertNull(b.fileDirectory());
        assertEquals(memory.bytes(), b.bytes());
        Path a = dir.resolve("a.tcplens"), m = dir.resolve("m.tcplens");
        assertEquals(12, b.save(a, Long.MIN_VALUE, TimeWaitDuration.LINUX, false));
        memory.save(m, Long.MIN_VALUE, TimeWaitDuration.LINUX, false);
        assertSameBytes(m, a);
    }

    @Test
    void aFullDeviceKeepsThePollsInMemory(@TempDir Path dir) throws Exception {
        Path full = Path.of("/dev/full"); // every write fails with ENOSPC
        assumeFalse(!Files.exists(full), "no /dev/full");
        IncidentBuffer b = new IncidentBuffer(3_600_000, 64L << 20, 5,
                () -> new SpillFile(FileChannel.open(full, StandardOpenOption.READ, StandardOpenOption.WRITE), "/dev"));
        checkInMemory(b, dir);
        assertTrue(b.inMemoryBecause().toLowerCase().contains("space"), b.inMemoryBecause());
        b.close();
    }

    /** A disk that fills after {@code blocks} blocks: a real file whose later writes fail as a full disk's do. */
    private static FileChannel fillsAfter(Path file, int blocks) throws IOException {
        FileChannel real = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
        return new FileChannel() {
            int writes;

            @Override
            public int write(ByteBuffer src, long position) throws IOException {
                if (writes++ >= blocks) throw new IOException("No space left on device");
                return real.write(src, position);
            }

            @Override
            public int read(ByteBuffer dst, long position) throws IOException {
                return real.read(dst, position);
            }

            @Override
            public FileChannel truncate(long size) throws IOException {
                real.truncate(size);
                return this;
            }

            @Override
            public long size() throws IOException {
                return real.size();
            }

            @Override
            protected void implCloseChannel() throws IOException {
                real.close();
            }

            // not used by the buffer
            @Override
            public int read(ByteBuffer dst) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long read(ByteBuffer[] dsts, int offset, int length) {
                throw new UnsupportedOperationException();
            }

            @Override
            public int write(ByteBuffer src) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long write(ByteBuffer[] srcs, int offset, int length) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long position() {
                throw new UnsupportedOperationException();
            }

            @Override
            public FileChannel position(long newPosition) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void force(boolean metaData) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long transferTo(long position, long count, WritableByteChannel target) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long transferFrom(ReadableByteChannel src, long position, long count) {
                throw new UnsupportedOperationException();
            }

            @Override
            public MappedByteBuffer map(MapMode mode, long position, long size) {
                throw new UnsupportedOperationException();
            }

            @Override
            public FileLock lock(long position, long size, boolean shared) {
                throw new UnsupportedOperationException();
            }

            @Override
            public FileLock tryLock(long position, long size, boolean shared) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void aDiskThatFillsMidwayKeepsWhatWasWrittenAndTheRestInMemory(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("spill");
        IncidentBuffer b = new IncidentBuffer(3_600_000, 64L << 20, 6, () -> new SpillFile(fillsAfter(f, 7), dir.toString()));
        IncidentBuffer memory = inMemory(3_600_000, 6);
        feed(20, b, memory);
        assertTrue(b.inMemoryBecause().contains("No space left"), b.inMemoryBecause());
        assertTrue(Files.size(f) > 6L * SpillFile.BLOCK, "blocks written before the disk filled: " + Files.size(f));
        assertTrue(b.heapBytes() > 0 && b.heapBytes() < memory.heapBytes(), "heap " + b.heapBytes() + " vs " + memory.heapBytes());
        Path a = dir.resolve("a.tcplens"), m = dir.resolve("m.tcplens");
        assertEquals(20, b.save(a, Long.MIN_VALUE, TimeWaitDuration.LINUX, false));
        memory.save(m, Long.MIN_VALUE, TimeWaitDuration.LINUX, false);
        assertSameBytes(m, a);
        b.close();
    }

    @Test
    void savesBesideAppendsThatDropSegmentsReadBackWhole(@TempDir Path dir) throws Exception {
        // a 6-second window of 2-poll segments: while a save reads, the appends drop the segments it reads
        IncidentBuffer b = new IncidentBuffer(6_000, 64L << 20, 2, List.of(dir));
        feed(8, b);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger savesStarted = new AtomicInteger();
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread appender = new Thread(() -> {
            try {
                ChurningTable table = new ChurningTable(SOCKETS);
                for (int p = 0; p < 8; p++) table.next(); // the polls fed already
                for (int p = 8; p < 80; p++) {
                    // halfway, wait for a second save to begin, so that two saves read beside appends (a quiet CI
                    // rehearsal made all 72 appends while the first save ran: one save, "saves 1")
                    if (p == 44) {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                        while (savesStarted.get() < 2 && System.nanoTime() < deadline) Thread.onSpinWait();
                    }
                    b.append(new Snapshot(ChurningTable.millis(p), table.next(), SRC, List.of()));
                }
            } catch (Throwable t) {
                failed.set(t);
            } finally {
                done.set(true);
            }
        });
        appender.start();
        int saves = 0;
        while (!done.get() || saves == 0) {
            Path f = dir.resolve("save-" + saves++ + ".tcplens");
            savesStarted.incrementAndGet();
            int n = b.save(f, Long.MIN_VALUE, TimeWaitDuration.LINUX, false);
            Recording r = RecordingReader.read(f);
            assertEquals(n, r.size());
            for (int i = 0; i < r.size(); i++) assertEquals(SOCKETS, r.snapshot(i).sockets().size(), "save " + saves + " poll " + i);
            Files.delete(f);
        }
        appender.join();
        assertNull(failed.get());
        assertTrue(saves > 1, "saves " + saves);
        b.close();
    }

    @Test
    void blocksFreedWhileASaveReadsAreNotWrittenAgainUntilItEnds(@TempDir Path dir) throws Exception {
        SpillFile s = SpillFile.create(List.of(dir));
        try (s) {
            byte[] data = new byte[SpillFile.BLOCK];
            int first = s.write(data, data.length);
            s.pin();
            s.free(IntArrayList.from(first));
            int during = s.write(data, data.length);
            assertNotEquals(first, during, "a pinned block was written again");
            s.unpin();
            assertEquals(first, s.write(data, data.length), "freed once the save ended");
            s.pin();
            s.close(); // closed once the save is done
            s.unpin();
            assertEquals(-1, s.write(data, 10));
            assertNull(s.failure(), "closing is no failure");
        }
    }
}
