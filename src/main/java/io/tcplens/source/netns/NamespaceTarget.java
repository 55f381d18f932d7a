package io.tcplens.source.netns;

import java.nio.file.Path;

/**
 * Which network namespace to look into: a name as {@code ip netns add} makes it (a file under
 * /var/run/netns) or the namespace of a process ({@code pid:PID}, how a container is reached).
 *
 * @param name the ip-netns name, or null for a process's namespace
 * @param pid  the process, or 0 for a named namespace
 */
public record NamespaceTarget(String name, int pid) {
    /** Where {@code ip netns} keeps its names. */
    public static final Path NETNS_DIR = Path.of("/var/run/netns");

    public NamespaceTarget {
        if ((name == null) == (pid <= 0)) throw new IllegalArgumentException("a namespace is a name or a pid, not both");
    }

    /**
     * Parses {@code NAME} or {@code pid:PID}.
     *
     * @throws IllegalArgumentException with one clear sentence when it is neither
     */
    public static NamespaceTarget parse(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("--netns needs a name or pid:PID");
        String t = text.strip();
        if (t.startsWith("pid:")) {
            try {
                int pid = Integer.parseInt(t.substring(4));
                if (pid > 0) return new NamespaceTarget(null, pid);
            } catch (NumberFormatException ignored) {
                // fall through to the message
            }
            throw new IllegalArgumentException("'" + t + "' is not pid:PID with a process id");
        }
        if (t.contains("/") || t.equals(".") || t.equals("..") || t.contains("\0"))
            throw new IllegalArgumentException("'" + t + "' is not a network namespace name (names as `ip netns list` shows them)");
        return new NamespaceTarget(t, 0);
    }

    /** The file that stands for the namespace: /var/run/netns/NAME or /proc/PID/ns/net. */
    public Path path() {
        return name != null ? NETNS_DIR.resolve(name) : Path.of("/proc", Integer.toString(pid), "ns", "net");
    }

    /** As typed: NAME or pid:PID. */
    public String spec() {
        return name != null ? name : "pid:" + pid;
    }

    /** As a person reads it: "namespace blue" or "namespace of PID 1234". */
    public String describe() {
        return name != null ? "network namespace '" + name + "'" : "network namespace of PID " + pid;
    }

    @Override
    public String toString() {
        return spec();
    }
}
