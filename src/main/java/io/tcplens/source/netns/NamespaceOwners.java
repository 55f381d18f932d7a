package io.tcplens.source.netns;

import io.tcplens.model.SocketEntry;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Owners of a namespace's sockets, taken only from the processes of that namespace: a process
 * counts when its {@code /proc/PID/ns/net} is {@code net:[INODE]} of the namespace; its
 * {@code /proc/PID/fd} links then give socket inode → PID. Rescans when the table shows inodes it
 * does not know (at most every 500 ms) and every 10 s in any case.
 */
final class NamespaceOwners {
    private static final long MIN_RESCAN_MILLIS = 500;
    private static final long FULL_RESCAN_MILLIS = 10_000;
    private final Path procRoot;
    private final String nsLink;
    private Map<Long, Integer> inodeToPid = new HashMap<>();
    private final Map<Integer, String> names = new HashMap<>();
    private Set<Long> unresolved = new HashSet<>();
    private long lastScan = Long.MIN_VALUE / 2;
    private int unreadable;

    NamespaceOwners(Path procRoot, long namespaceInode) {
        this.procRoot = procRoot;
        this.nsLink = "net:[" + namespaceInode + "]";
    }

    List<SocketEntry> attach(List<SocketEntry> rows, long now, List<String> warnings) {
        boolean missing = false;
        for (SocketEntry e : rows) {
            long i = e.inode();
            if (i != 0 && !inodeToPid.containsKey(i) && !unresolved.contains(i)) {
                missing = true;
                break;
            }
        }
        long since = now - lastScan;
        if ((missing && since >= MIN_RESCAN_MILLIS) || since >= FULL_RESCAN_MILLIS) {
            scan();
            lastScan = now;
            Set<Long> notFound = new HashSet<>();
            for (SocketEntry e : rows) if (e.inode() != 0 && !inodeToPid.containsKey(e.inode())) notFound.add(e.inode());
            unresolved = notFound;
        }
        List<SocketEntry> out = new ArrayList<>(rows.size());
        int unowned = 0;
        for (SocketEntry e : rows) {
            Integer pid = e.inode() == 0 ? null : inodeToPid.get(e.inode());
            if (pid != null) out.add(e.withOwner(pid, names.get(pid), false));
            else {
                if (e.inode() != 0) unowned++;
                out.add(e);
            }
        }
        if (unowned > 0 && unreadable > 0)
            warnings.add("process names hidden for " + unowned + " socket(s): " + unreadable
                    + " process(es) of the namespace could not be read (run as root)");
        return out;
    }

    private void scan() {
        Map<Long, Integer> map = new HashMap<>();
        Map<Integer, String> seen = new HashMap<>();
        int skipped = 0;
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(procRoot)) {
            for (Path p : procs) {
                String n = p.getFileName().toString();
                if (n.isEmpty() || !Character.isDigit(n.charAt(0))) continue;
                int pid;
                try {
                    pid = Integer.parseInt(n);
                    if (!nsLink.equals(Files.readSymbolicLink(p.resolve("ns/net")).toString())) continue;
                } catch (NumberFormatException e) {
                    continue;
                } catch (java.nio.file.AccessDeniedException e) {
                    skipped++;
                    continue;
                } catch (IOException e) {
                    continue; // exited meanwhile
                }
                boolean any = false;
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(p.resolve("fd"))) {
                    for (Path fd : fds) {
                        String target;
                        try {
                            target = Files.readSymbolicLink(fd).toString();
                        } catch (IOException | UnsupportedOperationException e) {
                            continue;
                        }
                        if (target.startsWith("socket:[") && target.endsWith("]")) {
                            try {
                                map.putIfAbsent(Long.parseLong(target, 8, target.length() - 1, 10), pid);
                                any = true;
                            } catch (NumberFormatException ignored) {
                                // not a socket link
                            }
                        }
                    }
                } catch (java.nio.file.AccessDeniedException e) {
                    skipped++;
                    continue;
                } catch (IOException e) {
                    continue;
                }
                if (any) seen.put(pid, names.containsKey(pid) ? names.get(pid) : comm(p));
            }
        } catch (IOException e) {
            skipped++;
        }
        names.clear();
        names.putAll(seen);
        inodeToPid = map;
        unreadable = skipped;
    }

    static String comm(Path procDir) {
        try {
            String c = Files.readString(procDir.resolve("comm")).strip();
            return c.isEmpty() ? null : c;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
