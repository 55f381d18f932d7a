package io.tcplens.source.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A {@code NETLINK_SOCK_DIAG} socket driven through the Foreign Function &amp; Memory API: the libc
 * calls {@code socket}, {@code setsockopt}, {@code sendto}, {@code recv} and {@code close}, with
 * errno captured after each. Knows nothing of TCP: {@link NetlinkSource} builds the requests and
 * {@link InetDiagParser} reads the replies. Not thread-safe; {@link #close()} may be called once.
 */
final class NetlinkSocket implements AutoCloseable {
    static final int AF_NETLINK = 16;
    static final int SOCK_RAW = 3;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int NETLINK_SOCK_DIAG = 4;
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;
    private static final int MSG_TRUNC = 0x20;
    private static final int EINTR = 4;
    private static final int EAGAIN = 11;

    private static final ValueLayout.OfInt NATIVE_INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.nativeOrder());

    /** The libc entry points, looked up once on first use (so a non-Linux JVM never touches them). */
    private static final class Libc {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");
        static final MethodHandle SOCKET = find("socket",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        static final MethodHandle SETSOCKOPT = find("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        static final MethodHandle SENDTO = find("sendto", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        static final MethodHandle RECV = find("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        static final MethodHandle CLOSE = find("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

        private static MethodHandle find(String name, FunctionDescriptor fd) {
            SymbolLookup libc = LINKER.defaultLookup();
            MemorySegment sym = libc.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
            return LINKER.downcallHandle(sym, fd, ERRNO_OPT);
        }
    }

    /** A failed system call: what was attempted and the errno. */
    static final class NativeCallException extends Exception {
        final int errno;

        NativeCallException(String call, int errno) {
            this(call + " failed: " + errnoName(errno), errno, true);
        }

        private NativeCallException(String message, int errno, boolean unused) {
            super(message);
            this.errno = errno;
        }

        static NativeCallException shortSend(long sent, long len) {
            return new NativeCallException("sendto(netlink) sent only " + sent + " of " + len + " bytes", 0, true);
        }
    }

    private int fd;

    private NetlinkSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Opens the socket with a receive timeout, so a kernel that never answers cannot hang a poll.
     *
     * @throws NativeCallException when socket() or setsockopt() fails
     * @throws UnsatisfiedLinkError or another {@link LinkageError}/{@link RuntimeException} when the
     *         native linker or libc is unusable here (not Linux, native access denied)
     */
    static NetlinkSocket open(int receiveTimeoutMillis) throws NativeCallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Libc.CAPTURE);
            int fd = (int) Libc.SOCKET.invokeExact(state, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
            if (fd < 0) throw new NativeCallException("socket(AF_NETLINK, SOCK_RAW, NETLINK_SOCK_DIAG)", errno(state));
            NetlinkSocket s = new NetlinkSocket(fd);
            MemorySegment tv = arena.allocate(16, 8); // struct timeval { long tv_sec; long tv_usec; }
            tv.set(ValueLayout.JAVA_LONG, 0, receiveTimeoutMillis / 1000);
            tv.set(ValueLayout.JAVA_LONG, 8, (receiveTimeoutMillis % 1000) * 1000L);
            int rc = (int) Libc.SETSOCKOPT.invokeExact(state, fd, SOL_SOCKET, SO_RCVTIMEO, tv, 16);
            if (rc != 0) {
                int e = errno(state);
                s.close();
                throw new NativeCallException("setsockopt(SO_RCVTIMEO)", e);
            }
            return s;
        } catch (NativeCallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Sends {@code len} bytes of {@code message} to the kernel (netlink port 0). */
    void send(MemorySegment message, long len, Arena arena) throws NativeCallException {
        MemorySegment state = arena.allocate(Libc.CAPTURE);
        MemorySegment kernel = arena.allocate(12, 4); // struct sockaddr_nl { u16 family; u16 pad; u32 pid; u32 groups; }
        kernel.set(ValueLayout.JAVA_SHORT.withOrder(ByteOrder.nativeOrder()), 0, (short) AF_NETLINK);
        while (true) {
            long n;
            try {
                n = (long) Libc.SENDTO.invokeExact(state, checkOpen(), message, len, 0, kernel, 12);
            } catch (NativeCallException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (n == len) return;
            int e = errno(state);
            if (n < 0 && e == EINTR) continue;
            throw n < 0 ? new NativeCallException("sendto(netlink)", e) : NativeCallException.shortSend(n, len);
        }
    }

    /**
     * Receives one datagram into {@code buffer}. Returns its full length, which exceeds the
     * buffer's size when the datagram was cut (MSG_TRUNC reports the real length).
     *
     * @throws NativeCallException on error; errno EAGAIN means the receive timeout passed
     */
    long receive(MemorySegment buffer, MemorySegment callState) throws NativeCallException {
        while (true) {
            long n;
            try {
                n = (long) Libc.RECV.invokeExact(callState, checkOpen(), buffer, buffer.byteSize(), MSG_TRUNC);
            } catch (NativeCallException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
            if (n >= 0) return n;
            int e = errno(callState);
            if (e == EINTR) continue;
            throw new NativeCallException("recv(netlink)", e);
        }
    }

    static MemorySegment allocateCallState(Arena arena) {
        return arena.allocate(Libc.CAPTURE);
    }

    static boolean isTimeout(NativeCallException e) {
        return e.errno == EAGAIN;
    }

    private int checkOpen() throws NativeCallException {
        if (fd < 0) throw new NativeCallException("using the closed netlink socket", 9);
        return fd;
    }

    @Override
    public void close() {
        int f = fd;
        fd = -1;
        if (f < 0) return;
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) Libc.CLOSE.invokeExact(arena.allocate(Libc.CAPTURE), f);
        } catch (Throwable ignored) {
            // nothing more to do for a descriptor we are giving up
        }
    }

    private static int errno(MemorySegment state) {
        return (int) Libc.ERRNO.get(state, 0L);
    }

    static int nativeInt(MemorySegment s, long offset) {
        return s.get(NATIVE_INT, offset);
    }

    /** A readable name for the errno values these calls produce. */
    static String errnoName(int errno) {
        return switch (errno) {
            case 1 -> "EPERM, operation not permitted";
            case 2 -> "ENOENT, no such handler (is the inet_diag/tcp_diag module available?)";
            case 4 -> "EINTR, interrupted";
            case 9 -> "EBADF, bad file descriptor";
            case 11 -> "EAGAIN, no answer before the timeout";
            case 12 -> "ENOMEM, out of memory";
            case 13 -> "EACCES, permission denied";
            case 14 -> "EFAULT, bad address";
            case 22 -> "EINVAL, invalid argument";
            case 23 -> "ENFILE, too many open files in the system";
            case 24 -> "EMFILE, too many open files";
            case 93 -> "EPROTONOSUPPORT, protocol not supported";
            case 95 -> "EOPNOTSUPP, operation not supported";
            case 97 -> "EAFNOSUPPORT, address family not supported";
            case 105 -> "ENOBUFS, no buffer space";
            default -> "errno " + errno;
        };
    }
}
