package io.tcplens.source.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.carrotsearch.hppc.LongHashSet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** {@link FdDirReader} (FFM) reads the same socket inodes as the NIO reader, on real processes. */
@EnabledOnOs(OS.LINUX)
class FdDirReaderTest {
    private static final Path PROC = Path.of("/proc");

    private static long[] sorted(long[] a) {
        long[] c = a.clone();
        Arrays.sort(c);
        return c;
    }

    private static long[] nio(long pid) throws IOException {
        return sorted(ProcessResolver.readSockets(PROC.resolve(Long.toString(pid)).resolve("fd")));
    }

    @Test
    void sameInodesAsNioForAChildHoldingThousandsOfLoopbackSockets() throws Exception {
        FdDirReader reader = FdDirReader.create(PROC);
        assertNotNull(reader, "FFM reader available on Linux");
        assertTrue(new ProcessResolver.ProcFdLister(PROC).nativeReader());
        Process child = FdHolder.start(3000);
        try {
            int pid = (int) child.pid();
            long[] expected = nio(pid);
            assertTrue(expected.length >= 3000, "child's sockets: " + expected.length);
            assertArrayEquals(expected, sorted(reader.socketInodes(pid)));
            // reused buffers: a second read, and another process in between, give the same answer
            reader.socketInodes((int) ProcessHandle.current().pid());
            assertArrayEquals(expected, sorted(reader.socketInodes(pid)));
            assertArrayEquals(expected, sorted(new ProcessResolver.ProcFdLister(PROC).socketInodes(pid)));
            assertArrayEquals(expected, sorted(new ProcessResolver.ProcFdLister(PROC, false).socketInodes(pid)));
        } finally {
            FdHolder.stop(child);
        }
    }

    @Test
    void vanishedProcessIsAnIoErrorNotAccessDenied() throws Exception {
        FdDirReader reader = FdDirReader.create(PROC);
        assertNotNull(reader);
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        int pid = (int) p.pid();
        IOException e = assertThrows(IOException.class, () -> reader.socketInodes(pid));
        assertFalse(e instanceof AccessDeniedException, e.toString());
        assertThrows(IOException.class, () -> nio(pid)); // as the NIO reader does
    }

    @Test
    void fdsClosedDuringTheReadAreSkipped() throws Exception {
        FdDirReader reader = FdDirReader.create(PROC);
        assertNotNull(reader);
        Process child = FdHolder.start(4000);
        try {
            int pid = (int) child.pid();
            long[] before = sorted(reader.socketInodes(pid));
            LongHashSet all = new LongHashSet();
            all.addAll(before);
            BufferedReader out = child.inputReader(StandardCharsets.UTF_8);
            PrintStream in = new PrintStream(child.getOutputStream(), true, StandardCharsets.UTF_8);
            in.println("close");
            int reads = 0;
            // read while the child closes half its sockets: never an error, never an inode it did not hold
            do {
                for (long ino : reader.socketInodes(pid)) assertTrue(all.contains(ino), "unknown inode " + ino);
                reads++;
            } while (!out.ready());
            assertEquals("closed", out.readLine());
            long[] after = sorted(reader.socketInodes(pid));
            assertArrayEquals(nio(pid), after);
            assertTrue(after.length <= before.length - 1900, before.length + " -> " + after.length + " after " + reads + " reads");
        } finally {
            FdHolder.stop(child);
        }
    }

    @Test
    void resolverFindsTheChildAsOwnerThroughEitherReader() throws Exception {
        Process child = FdHolder.start(200);
        try {
            int pid = (int) child.pid();
            long[] inodes = nio(pid);
            for (boolean nat : new boolean[] {true, false}) {
                ProcessResolver r = new ProcessResolver(new ProcessResolver.ProcFdLister(PROC, nat),
                        p -> p == pid, 0);
                r.refresh(inodes, inodes.length, 1_000_000);
                for (long ino : inodes) assertEquals(pid, r.owner(ino).pid(), "native " + nat);
            }
        } finally {
            FdHolder.stop(child);
        }
    }
}
