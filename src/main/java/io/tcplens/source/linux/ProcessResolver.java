package io.tcplens.source.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Maps socket inodes to the process that holds them by scanning {@code /proc/PID/fd}. The map is
 * cached; a rescan happens only when the table shows inodes the cache does not know, and at most
 * once per {@code minRescanMillis}. A process whose fd directory cannot be read is skipped and
 * counted, never an error.
 */
public final class ProcessResolver {
    private final Path procRoot;
    private final long minRescanMillis;
    private Map<Long, Integer> inodeToPid = new HashMap<>();
    private final Map<Integer, String> names = new HashMap<>();
    /** Inodes a scan looked for and did not find (another namespace, a process we cannot read). */
    private java.util.Set<Long> unresolved = new java.util.HashSet<>();
    private long lastScan = Long.MIN_VALUE / 2;
    /** Even with nothing new, rescan this often (an fd may have been passed to another process). */
    private static final long FULL_RESCAN_MILLIS = 10_000;
    private int unreadable;

    /** An owner. */
    public record Owner(int pid, String name) {}

    public ProcessResolver(Path procRoot, long minRescanMillis) {
        this.procRoot = procRoot;
        this.minRescanMillis = minRescanMillis;
    }

    /** Processes skipped in the last scan because their fd directory was not readable (permission). */
    public int unreadableProcesses() {
        return unreadable;
    }

    /** Resolves the given inodes (0 = none, ignored), rescanning /proc when needed. */
    public Map<Long, Owner> resolve(Set<Long> inodes, long nowMillis) {
        boolean missing = false;
        for (long i : inodes) {
            if (i != 0 && !inodeToPid.containsKey(i) && !unresolved.contains(i)) {
                missing = true;
                break;
            }
        }
        long since = nowMillis - lastScan;
        if ((missing && since >= minRescanMillis) || since >= FULL_RESCAN_MILLIS) {
            scan();
            lastScan = nowMillis;
            java.util.Set<Long> notFound = new java.util.HashSet<>();
            for (long i : inodes) if (i != 0 && !inodeToPid.containsKey(i)) notFound.add(i);
            unresolved = notFound;
        }
        Map<Long, Owner> out = new HashMap<>();
        for (long i : inodes) {
            Integer pid = inodeToPid.get(i);
            if (pid != null) out.put(i, new Owner(pid, names.getOrDefault(pid, null)));
        }
        return out;
    }

    private void scan() {
        Map<Long, Integer> map = new HashMap<>(inodeToPid.size() + 64);
        int skipped = 0;
        Map<Integer, String> seenNames = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(procRoot)) {
            for (Path p : procs) {
                String n = p.getFileName().toString();
                if (n.isEmpty() || !Character.isDigit(n.charAt(0))) continue;
                int pid;
                try {
                    pid = Integer.parseInt(n);
                } catch (NumberFormatException e) {
                    continue;
                }
                boolean any = false;
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(p.resolve("fd"))) {
                    for (Path fd : fds) {
                        String target;
                        try {
                            target = Files.readSymbolicLink(fd).toString();
                        } catch (IOException | UnsupportedOperationException e) {
                            continue; // fd closed meanwhile
                        }
                        if (target.startsWith("socket:[") && target.endsWith("]")) {
                            try {
                                map.putIfAbsent(Long.parseLong(target, 8, target.length() - 1, 10), pid);
                                any = true;
                            } catch (NumberFormatException ignored) {
                                // not a socket link we understand
                            }
                        }
                    }
                } catch (java.nio.file.AccessDeniedException | SecurityException e) {
                    skipped++; // not ours to read: its sockets keep no owner
                    continue;
                } catch (IOException e) {
                    continue; // exited meanwhile: nothing to resolve
                }
                if (any) seenNames.put(pid, readName(p, pid));
            }
        } catch (IOException e) {
            skipped++;
        }
        names.clear();
        names.putAll(seenNames);
        inodeToPid = map;
        unreadable = skipped;
    }

    private String readName(Path procDir, int pid) {
        String cached = names.get(pid);
        if (cached != null) return cached;
        try {
            String comm = Files.readString(procDir.resolve("comm")).strip();
            return comm.isEmpty() ? null : comm;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
