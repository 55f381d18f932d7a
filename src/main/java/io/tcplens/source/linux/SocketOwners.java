package io.tcplens.source.linux;

import io.tcplens.model.SocketEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    ProcessResolver resolver() {
        return resolver;
    }

    List<SocketEntry> attach(List<SocketEntry> rows, long now, List<String> warnings) {
        ProcessResolver.Attached a = resolver.attach(rows, now);
        int unowned = a.unowned();
        if (unowned > 0 && resolver.unreadableProcesses() > 0) {
            warnings.add(ROOT ? "owner unknown for " + unowned + " socket(s): " + resolver.unreadableProcesses()
                    + " process(es) refused to let root read their file descriptors"
                    : "process names hidden for " + unowned + " socket(s): run as root to see other users' sockets");
        }
        return a.rows();
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
