package io.tcplens.source.netns;

import io.tcplens.source.FactsMirror;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Copies a namespace's own facts into a {@link FactsMirror}; must run on the {@link NamespaceThread}
 * (the per-namespace sysctls under /proc/sys/net answer for the namespace of the thread that opens
 * them, and /proc/thread-self/net is that thread's namespace). Own addresses come from
 * {@code fib_trie} (IPv4 LOCAL entries) and {@code if_inet6}.
 */
final class NamespaceFacts {
    private static final Path NET = Path.of("/proc/thread-self/net");

    private NamespaceFacts() {}

    static void copy(FactsMirror m) {
        for (String dir : new String[] {"/proc/sys/net/ipv4", "/proc/sys/net/core"}) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of(dir))) {
                for (Path f : files) {
                    if (!Files.isRegularFile(f) || !Files.isReadable(f)) continue;
                    try {
                        m.put(f.toString(), read(f));
                    } catch (IOException | RuntimeException e) {
                        // write-only or vanished: not a fact
                    }
                }
            } catch (IOException e) {
                // no such tree here
            }
        }
        for (String n : new String[] {"route", "ipv6_route"}) copyFile(m, n);
        copyCounters(m);
        m.setOwnAddresses(addresses());
    }

    static void copyCounters(FactsMirror m) {
        copyFile(m, "netstat");
    }

    private static void copyFile(FactsMirror m, String name) {
        try {
            m.put("/proc/net/" + name, read(NET.resolve(name)));
        } catch (IOException | RuntimeException e) {
            // absent (no IPv6): unknown
        }
    }

    /** procfs reports size 0: read as a stream to the end (Files.readString would stop after one byte). */
    static String read(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return new String(in.readNBytes(4 << 20), StandardCharsets.US_ASCII);
        }
    }

    static List<String> addresses() {
        Set<String> out = new LinkedHashSet<>();
        try {
            String last = null;
            for (String line : read(NET.resolve("fib_trie")).split("\n")) {
                String t = line.strip();
                if (t.startsWith("|-- ")) last = t.substring(4).strip();
                else if (t.contains("/32 host LOCAL") && last != null) out.add(last);
            }
        } catch (IOException | RuntimeException e) {
            // no IPv4 here
        }
        try {
            for (String line : read(NET.resolve("if_inet6")).split("\n")) {
                String hex = line.strip().split("\\s+")[0];
                if (hex.length() != 32) continue;
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < 32; i += 4) b.append(i == 0 ? "" : ":").append(hex, i, i + 4);
                out.add(b.toString());
            }
        } catch (IOException | RuntimeException e) {
            // no IPv6 here
        }
        return new ArrayList<>(out);
    }
}
