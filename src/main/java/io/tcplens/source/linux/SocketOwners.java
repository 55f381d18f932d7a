package io.tcplens.source.linux;

import io.tcplens.model.SocketEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Attaches the owning process to each socket by inode through a {@link ProcessResolver}, and says
 * once per poll why owners are missing. Shared by the Linux sources (/proc and netlink), so both
 * give the same owners and the same warnings.
 */
final class SocketOwners {
    private static final boolean ROOT = isRoot();
    private final ProcessResolver resolver;

    SocketOwners(Path procRoot) {
        this.resolver = new ProcessResolver(procRoot, 500);
    }

    List<SocketEntry> attach(List<SocketEntry> rows, long now, List<String> warnings) {
        Set<Long> inodes = new HashSet<>();
        for (SocketEntry e : rows) if (e.inode() != 0) inodes.add(e.inode());
        Map<Long, ProcessResolver.Owner> owners = resolver.resolve(inodes, now);
        List<SocketEntry> out = new ArrayList<>(rows.size());
        int unowned = 0;
        for (SocketEntry e : rows) {
            ProcessResolver.Owner o = e.inode() == 0 ? null : owners.get(e.inode());
            if (o != null) out.add(e.withOwner(o.pid(), o.name(), false));
            else {
                if (e.inode() != 0) unowned++;
                out.add(e);
            }
        }
        if (unowned > 0 && resolver.unreadableProcesses() > 0) {
            warnings.add(ROOT ? "owner unknown for " + unowned + " socket(s): " + resolver.unreadableProcesses()
                    + " process(es) refused to let root read their file descriptors"
                    : "process names hidden for " + unowned + " socket(s): run as root to see other users' sockets");
        }
        return out;
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
