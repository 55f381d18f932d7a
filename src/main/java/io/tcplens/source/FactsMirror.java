package io.tcplens.source;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A local directory laid out like another machine's /proc and /etc, holding copies of the files
 * the analyses read (sysctls, /proc/net/netstat, routes, resolv.conf): the {@link MachineFacts}
 * of a remote or namespaced source. Deleted on {@link #close()} and when the JVM exits.
 */
public final class FactsMirror implements MachineFacts, AutoCloseable {
    private final String origin;
    private final Path root;
    private volatile List<String> ownAddresses = List.of();
    private volatile String operatorAddress;

    public FactsMirror(String origin) {
        this.origin = origin;
        try {
            this.root = Files.createTempDirectory("tcplens-facts-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        root.toFile().deleteOnExit();
    }

    /** Writes {@code text} as the mirror's copy of the absolute path {@code machinePath} (e.g. /proc/net/netstat). */
    public void put(String machinePath, String text) {
        if (!machinePath.startsWith("/") || machinePath.contains("/../") || machinePath.endsWith("/..")) return;
        Path p = root.resolve(machinePath.substring(1)).normalize();
        if (!p.startsWith(root)) return;
        try {
            Files.createDirectories(p.getParent());
            Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the analysis then says the fact is unknown; nothing shown becomes wrong
        }
    }

    public void setOwnAddresses(List<String> addresses) {
        ownAddresses = List.copyOf(addresses);
    }

    public void setOperatorAddress(String address) {
        operatorAddress = address == null || address.isBlank() ? null : address.strip();
    }

    /** The mirror's root (for tests). */
    public Path root() {
        return root;
    }

    @Override
    public String factsOrigin() {
        return origin;
    }

    @Override
    public Path sysctlRoot() {
        return root.resolve("proc/sys");
    }

    @Override
    public Path procRoot() {
        return root.resolve("proc");
    }

    @Override
    public Optional<Path> resolvConf() {
        Path p = root.resolve("etc/resolv.conf");
        return Files.isRegularFile(p) ? Optional.of(p) : Optional.empty();
    }

    @Override
    public List<String> ownAddresses() {
        return ownAddresses;
    }

    @Override
    public Optional<String> operatorAddress() {
        return Optional.ofNullable(operatorAddress);
    }

    @Override
    public void close() {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> all = new ArrayList<>(s.toList());
            all.sort(Comparator.reverseOrder());
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temp directory left behind
        }
    }
}
