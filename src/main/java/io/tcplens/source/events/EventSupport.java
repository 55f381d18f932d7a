package io.tcplens.source.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Whether kernel state-change events can run here, and if not, why (one line). Needs: Linux, the
 * {@code bpftrace} program, root or CAP_BPF + CAP_PERFMON (or CAP_SYS_ADMIN), the kernel's BTF
 * ({@code /sys/kernel/btf/vmlinux}) and tracefs with the {@code sock:inet_sock_set_state} tracepoint.
 * When tracefs is not mounted and this process may mount it, it is mounted at {@code /sys/kernel/tracing}.
 */
public final class EventSupport {
    static final int CAP_SYS_ADMIN = 21;
    static final int CAP_PERFMON = 38;
    static final int CAP_BPF = 39;
    private static final Path TRACEFS = Path.of("/sys/kernel/tracing");
    private static final Path DEBUG_TRACEFS = Path.of("/sys/kernel/debug/tracing");
    private static final String TP = "events/sock/inet_sock_set_state";

    /** @param reason null when available, else one line saying why events are off */
    public record Check(String bpftrace, String reason) {
        public boolean available() {
            return reason == null;
        }
    }

    private EventSupport() {}

    /** Where bpftrace is: {@code -Dtcplens.bpftrace=PATH}, else {@code bpftrace} on the PATH; null when absent. */
    public static String findBpftrace() {
        String p = System.getProperty("tcplens.bpftrace");
        if (p != null && !p.isBlank()) return Files.isExecutable(Path.of(p)) ? p : null;
        String path = System.getenv("PATH");
        if (path == null) path = "/usr/bin:/bin:/usr/sbin:/sbin";
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (dir.isEmpty()) continue;
            Path c = Path.of(dir, "bpftrace");
            if (Files.isExecutable(c)) return c.toString();
        }
        return null;
    }

    /**
     * Whether the tracepoint {@code power:cpu_idle} is there (in tracefs, where {@link #check()} found or mounted it):
     * the batched program writes a CPU's events before it idles ({@link EventBatches}).
     */
    static boolean idleTracepoint() {
        String idle = "events/power/cpu_idle";
        return Files.isDirectory(TRACEFS.resolve(idle)) || Files.isDirectory(DEBUG_TRACEFS.resolve(idle));
    }

    public static Check check() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux"))
            return new Check(null, "events: off (kernel state-change events need Linux)");
        String bpftrace = findBpftrace();
        if (bpftrace == null)
            return new Check(null, "events: off (bpftrace is not installed: apt-get install bpftrace)");
        long caps = effectiveCapabilities();
        boolean privileged = has(caps, CAP_SYS_ADMIN) || (has(caps, CAP_BPF) && has(caps, CAP_PERFMON));
        if (!privileged)
            return new Check(bpftrace, "events: off (needs root or CAP_BPF + CAP_PERFMON; running as uid "
                    + uid() + " without them)");
        if (!Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")))
            return new Check(bpftrace, "events: off (the kernel has no BTF: /sys/kernel/btf/vmlinux is missing)");
        if (!Files.isDirectory(TRACEFS.resolve(TP)) && !Files.isDirectory(DEBUG_TRACEFS.resolve(TP))) {
            String mounted = has(caps, CAP_SYS_ADMIN) ? mountTracefs() : "not mounted, and mounting needs CAP_SYS_ADMIN";
            if (!Files.isDirectory(TRACEFS.resolve(TP)))
                return new Check(bpftrace, "events: off (tracefs with sock:inet_sock_set_state is not available: "
                        + mounted + ")");
        }
        return new Check(bpftrace, null);
    }

    private static String mountTracefs() {
        try {
            Process p = new ProcessBuilder("mount", "-t", "tracefs", "nodev", TRACEFS.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "mount -t tracefs timed out";
            }
            return p.exitValue() == 0 ? "mounted" : "mount -t tracefs failed: " + out;
        } catch (IOException e) {
            return "mount -t tracefs failed: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    static boolean has(long caps, int cap) {
        return (caps & (1L << cap)) != 0;
    }

    /** CapEff of this process (0 when unreadable). */
    static long effectiveCapabilities() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status")))
                if (l.startsWith("CapEff:")) return Long.parseUnsignedLong(l.substring(7).strip(), 16);
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static String uid() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status")))
                if (l.startsWith("Uid:")) return l.substring(4).strip().split("\\s+")[1];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
        return "?";
    }

    /** The network namespace inode of {@code nsFile} (e.g. /proc/self/ns/net or /run/netns/NAME), or 0. */
    /**
     * The number of online CPUs from {@code /sys/devices/system/cpu/online} (e.g. {@code 0-3,6}), where a
     * {@code profile} probe fires; the JVM's processor count when the file cannot be read.
     */
    static int onlineCpus() {
        try {
            String list = Files.readString(Path.of("/sys/devices/system/cpu/online")).strip();
            int n = 0;
            for (String part : list.split(",")) {
                if (part.isBlank()) continue;
                int dash = part.indexOf('-');
                n += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1)) - Integer.parseInt(part.substring(0, dash)) + 1;
            }
            if (n > 0) return n;
        } catch (IOException | RuntimeException ignored) {
            // not Linux, or not readable
        }
        return Runtime.getRuntime().availableProcessors();
    }

    public static long netnsInode(Path nsFile) {
        try {
            Object ino = Files.getAttribute(nsFile, "unix:ino");
            return ino instanceof Long l ? l : 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return 0;
        }
    }

    /** This process's network namespace inode, or 0. */
    public static long ownNetns() {
        return netnsInode(Path.of("/proc/self/ns/net"));
    }
}
