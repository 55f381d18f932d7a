package io.tcplens.source.linux;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the socket inodes among a process's fds ({@code /proc/PID/fd}) without an object per fd:
 * libc {@code open}, {@code getdents64} and {@code readlinkat} through the Foreign Function &amp;
 * Memory API into buffers reused from call to call, {@code "socket:[N]"} parsed from the bytes.
 * The only allocation per call is the returned array. {@link #create} answers null where the calls
 * are not available (the caller then reads the directory with NIO). Not thread-safe.
 */
final class FdDirReader {
    private static final int O_RDONLY = 0, O_DIRECTORY = 0x10000, O_CLOEXEC = 0x80000;
    private static final int ENOENT = 2, ESRCH = 3, EINTR = 4, EACCES = 13, EPERM = 1;
    /** Offsets in {@code struct linux_dirent64}: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, name. */
    private static final int D_RECLEN = 16, D_NAME = 19;
    private static final int DENTS_BYTES = 32 * 1024, LINK_BYTES = 64, PATH_BYTES = 4096;
    private static final byte[] SOCKET_PREFIX = "socket:[".getBytes(StandardCharsets.US_ASCII);
    /**
     * The directory's records and a link's bytes are read from heap copies (one bulk copy each), not from the
     * native buffers through layouts: under the launchers' C1-only JIT a segment read keeps its checks, about
     * as dear as the load itself several times over (see InetDiagParser, SegmentReadBenchmark).
     */
    private static final VarHandle HOST_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());

    /** The libc entry points, looked up once on first use. */
    private static final class Libc {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");
        static final MethodHandle OPEN = find("open",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), true);
        static final MethodHandle GETDENTS64 = find("getdents64",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), true);
        static final MethodHandle READLINKAT = find("readlinkat", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                // the name as a raw 64-bit address (into the dents buffer): no segment object per fd
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), false);
        static final MethodHandle CLOSE = find("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), false);

        private static MethodHandle find(String name, FunctionDescriptor fd, boolean errno) {
            SymbolLookup libc = LINKER.defaultLookup();
            MemorySegment sym = libc.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
            return errno ? LINKER.downcallHandle(sym, fd, ERRNO_OPT) : LINKER.downcallHandle(sym, fd);
        }
    }

    private final byte[] root;
    private final MemorySegment path, dents, link, capture;
    private long[] found = new long[256];
    /** Heap copies of what the last getdents64 and readlinkat wrote. */
    private final byte[] dentBytes = new byte[DENTS_BYTES], linkBytes = new byte[LINK_BYTES];

    private FdDirReader(Path procRoot) {
        root = procRoot.toString().getBytes(StandardCharsets.UTF_8);
        Arena arena = Arena.ofAuto();
        path = arena.allocate(PATH_BYTES);
        dents = arena.allocate(DENTS_BYTES, 8);
        link = arena.allocate(LINK_BYTES);
        capture = arena.allocate(Libc.CAPTURE);
    }

    /** A reader of {@code procRoot}'s fd directories, or null where the native calls are not available. */
    static FdDirReader create(Path procRoot) {
        try {
            if (!System.getProperty("os.name", "").startsWith("Linux")) return null;
            // without native access granted (the launchers grant it; a bare `java -cp` does not) the first
            // downcall would print the JVM's "restricted method" warning on stderr: read with NIO instead
            if (!FdDirReader.class.getModule().isNativeAccessEnabled()) return null;
            if (ValueLayout.ADDRESS.byteSize() != 8 || Libc.CLOSE == null || Libc.GETDENTS64 == null) return null;
            FdDirReader r = new FdDirReader(procRoot);
            if (r.root.length + 32 > PATH_BYTES) return null;
            return r;
        } catch (Throwable e) { // no FFM, no native access, no such symbol: the NIO reader is used
            return null;
        }
    }

    /**
     * The socket inodes among {@code pid}'s fds, in directory order. {@link AccessDeniedException}
     * when the directory may not be read; another {@link IOException} when the process is gone.
     * An fd closed between the listing and its link's read is skipped.
     */
    long[] socketInodes(int pid) throws IOException {
        int dir = openFdDir(pid);
        int n = 0;
        long base = dents.address();
        try {
            while (true) {
                long got;
                try {
                    got = (long) Libc.GETDENTS64.invokeExact(capture, dir, dents, (long) DENTS_BYTES);
                } catch (Throwable t) {
                    throw new IOException("getdents64", t);
                }
                if (got == 0) break;
                if (got < 0) {
                    int errno = (int) Libc.ERRNO.get(capture, 0L);
                    if (errno == EINTR) continue;
                    throw new IOException("getdents64 /proc/" + pid + "/fd: errno " + errno); // gone meanwhile
                }
                if (got > DENTS_BYTES) throw new IOException("getdents64: " + got + " bytes in a " + DENTS_BYTES + "-byte buffer");
                byte[] d = dentBytes;
                MemorySegment.copy(dents, ValueLayout.JAVA_BYTE, 0, d, 0, (int) got);
                for (int off = 0; off < got; ) {
                    int reclen = Short.toUnsignedInt((short) HOST_SHORT.get(d, off + D_RECLEN));
                    if (reclen == 0) throw new IOException("getdents64: empty record");
                    if (d[off + D_NAME] != '.') { // not "." or ".."
                        long ino = readSocketLink(dir, base + off + D_NAME);
                        if (ino >= 0) {
                            if (n == found.length) found = Arrays.copyOf(found, n * 2);
                            found[n++] = ino;
                        }
                    }
                    off += reclen;
                }
            }
        } finally {
            try {
                int ignored = (int) Libc.CLOSE.invokeExact(dir);
            } catch (Throwable ignored) {
                // nothing to do
            }
        }
        return Arrays.copyOf(found, n);
    }

    private int openFdDir(int pid) throws IOException {
        long p = 0;
        for (byte b : root) path.set(ValueLayout.JAVA_BYTE, p++, b);
        if (root.length == 0 || root[root.length - 1] != '/') path.set(ValueLayout.JAVA_BYTE, p++, (byte) '/');
        p = putDigits(p, pid);
        path.set(ValueLayout.JAVA_BYTE, p++, (byte) '/');
        path.set(ValueLayout.JAVA_BYTE, p++, (byte) 'f');
        path.set(ValueLayout.JAVA_BYTE, p++, (byte) 'd');
        path.set(ValueLayout.JAVA_BYTE, p, (byte) 0);
        while (true) {
            int fd;
            try {
                fd = (int) Libc.OPEN.invokeExact(capture, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            } catch (Throwable t) {
                throw new IOException("open", t);
            }
            if (fd >= 0) return fd;
            int errno = (int) Libc.ERRNO.get(capture, 0L);
            if (errno == EINTR) continue;
            String where = new String(root, StandardCharsets.UTF_8) + "/" + pid + "/fd";
            if (errno == EACCES || errno == EPERM) throw new AccessDeniedException(where);
            if (errno == ENOENT || errno == ESRCH) throw new NoSuchFileException(where);
            throw new IOException("open " + where + ": errno " + errno);
        }
    }

    private long putDigits(long p, int v) {
        if (v < 0) throw new IllegalArgumentException("pid " + v);
        int digits = 1;
        for (int x = v; x >= 10; x /= 10) digits++;
        for (int i = digits - 1; i >= 0; i--) {
            path.set(ValueLayout.JAVA_BYTE, p + i, (byte) ('0' + v % 10));
            v /= 10;
        }
        return p + digits;
    }

    /** The inode of the socket fd {@code name} (the address of a C string) of the directory {@code dir}, or -1. */
    private long readSocketLink(int dir, long name) {
        long len;
        try {
            len = (long) Libc.READLINKAT.invokeExact(dir, name, link, (long) LINK_BYTES);
        } catch (Throwable t) {
            return -1;
        }
        // closed meanwhile (-1), or longer than any socket link (truncated)
        if (len <= SOCKET_PREFIX.length + 1 || len >= LINK_BYTES) return -1;
        int n = (int) len;
        byte[] b = linkBytes;
        MemorySegment.copy(link, ValueLayout.JAVA_BYTE, 0, b, 0, n);
        for (int i = 0; i < SOCKET_PREFIX.length; i++) if (b[i] != SOCKET_PREFIX[i]) return -1;
        if (b[n - 1] != ']') return -1;
        long v = 0;
        for (int i = SOCKET_PREFIX.length; i < n - 1; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9 || v > (Long.MAX_VALUE - d) / 10) return -1;
            v = v * 10 + d;
        }
        return v;
    }
}
