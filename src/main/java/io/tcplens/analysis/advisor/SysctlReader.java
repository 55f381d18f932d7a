package io.tcplens.analysis.advisor;

import io.tcplens.analysis.ProcText;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads sysctls by their dotted name from a sysctl tree: {@code net.ipv4.tcp_tw_reuse} is the file
 * {@code ROOT/net/ipv4/tcp_tw_reuse}. ROOT is /proc/sys on a live Linux system; tests pass a
 * directory they filled themselves.
 */
public final class SysctlReader {
    private final Path root;

    public SysctlReader(Path root) {
        this.root = root;
    }

    public static SysctlReader system() {
        return new SysctlReader(Path.of("/proc/sys"));
    }

    public Path root() {
        return root;
    }

    /** The value as the kernel prints it (whitespace normalised to single spaces), or empty when absent/unreadable. */
    public Optional<String> read(String name) {
        if (!name.matches("[a-z0-9_]+(\\.[a-z0-9_]+)+")) throw new IllegalArgumentException("not a sysctl name: " + name);
        Path p = root.resolve(name.replace('.', '/'));
        try {
            return Optional.of(ProcText.read(p).trim().replaceAll("\\s+", " "));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The value as a number, or empty when absent or not one number. */
    public OptionalLong readLong(String name) {
        Optional<String> v = read(name);
        if (v.isEmpty()) return OptionalLong.empty();
        try {
            return OptionalLong.of(Long.parseLong(v.get()));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
