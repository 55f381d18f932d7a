package io.tcplens.source.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.HashMap;
import java.util.Map;

/**
 * Interface index to name, as libc's {@code if_indextoname(3)} answers it (an {@code SIOCGIFNAME}
 * ioctl in the calling thread's network namespace, so a reader that entered another namespace gets
 * that namespace's names; {@code /sys/class/net} would show whatever namespace sysfs was mounted
 * from). Names are cached for one poll only: interfaces come, go and get renamed.
 */
final class InterfaceNames {
    private static final int IF_NAMESIZE = 16;

    private static final class Libc {
        static final MethodHandle IF_INDEXTONAME;

        static {
            Linker linker = Linker.nativeLinker();
            MemorySegment sym = linker.defaultLookup().find("if_indextoname")
                    .orElseThrow(() -> new UnsatisfiedLinkError("libc has no if_indextoname"));
            IF_INDEXTONAME = linker.downcallHandle(sym,
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        }
    }

    private final Map<Integer, String> poll = new HashMap<>();

    /** Call once per poll: forgets the names seen before. */
    void startPoll() {
        poll.clear();
    }

    /** The name of interface {@code index}, or null when there is none (it went away) or it cannot be asked. */
    String name(int index) {
        if (index <= 0) return null;
        return poll.computeIfAbsent(index, InterfaceNames::lookup);
    }

    static String lookup(int index) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(IF_NAMESIZE);
            MemorySegment r = (MemorySegment) Libc.IF_INDEXTONAME.invokeExact(index, buf);
            if (r.address() == 0) return null;
            return buf.getString(0);
        } catch (Throwable t) {
            return null;
        }
    }
}
