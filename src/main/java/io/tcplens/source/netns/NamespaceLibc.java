package io.tcplens.source.netns;

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

/**
 * The three libc calls a namespace switch needs — {@code open}, {@code setns} and {@code close} —
 * through the Foreign Function &amp; Memory API, errno captured after each. {@code setns(2)} moves
 * only the calling thread, which is why {@link NamespaceThread} owns a thread of its own.
 */
final class NamespaceLibc {
    static final int O_RDONLY = 0;
    static final int O_CLOEXEC = 0x80000;
    static final int CLONE_NEWNET = 0x40000000;
    static final int EPERM = 1;
    static final int ENOENT = 2;
    static final int ESRCH = 3;
    static final int EACCES = 13;
    static final int EINVAL = 22;

    private NamespaceLibc() {}

    private static final class Handles {
        static final Linker LINKER = Linker.nativeLinker();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final Linker.Option ERRNO_OPT = Linker.Option.captureCallState("errno");
        static final MethodHandle OPEN = find("open",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        static final MethodHandle SETNS = find("setns",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        static final MethodHandle CLOSE = find("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));

        private static MethodHandle find(String name, FunctionDescriptor fd) {
            SymbolLookup libc = LINKER.defaultLookup();
            MemorySegment sym = libc.find(name).orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
            return LINKER.downcallHandle(sym, fd, ERRNO_OPT);
        }
    }

    /** A failed call and its errno. */
    static final class CallFailed extends Exception {
        final int errno;

        CallFailed(String call, int errno) {
            super(call + " failed: " + errnoName(errno));
            this.errno = errno;
        }
    }

    /** Opens {@code path} read-only; returns the file descriptor. */
    static int open(String path) throws CallFailed {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Handles.CAPTURE);
            int fd = (int) Handles.OPEN.invokeExact(state, arena.allocateFrom(path), O_RDONLY | O_CLOEXEC);
            if (fd < 0) throw new CallFailed("open(" + path + ")", errno(state));
            return fd;
        } catch (CallFailed | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Moves the calling thread into the network namespace {@code fd} refers to. */
    static void setnsNet(int fd) throws CallFailed {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Handles.CAPTURE);
            int rc = (int) Handles.SETNS.invokeExact(state, fd, CLONE_NEWNET);
            if (rc != 0) throw new CallFailed("setns(CLONE_NEWNET)", errno(state));
        } catch (CallFailed | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void close(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Handles.CAPTURE);
            int ignored = (int) Handles.CLOSE.invokeExact(state, fd);
        } catch (Throwable ignored) {
            // nothing useful to do about a failed close
        }
    }

    private static int errno(MemorySegment state) {
        return (int) Handles.ERRNO.get(state, 0L);
    }

    static String errnoName(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM (operation not permitted)";
            case ENOENT -> "ENOENT (no such file)";
            case ESRCH -> "ESRCH (no such process)";
            case EACCES -> "EACCES (permission denied)";
            case EINVAL -> "EINVAL (not a network namespace)";
            default -> "errno " + errno;
        };
    }
}
