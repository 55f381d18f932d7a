package io.tcplens.source.netns;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import io.tcplens.source.linux.ProcessResolver;
import io.tcplens.source.linux.SocketOwners;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Owners of a namespace's sockets, taken only from the processes of that namespace: the shared
 * {@link ProcessResolver} (incremental scans of {@code /proc/PID/fd}) with a filter that accepts a
 * process when its {@code /proc/PID/ns/net} is {@code net:[INODE]} of the namespace. A socket several
 * of them hold (after fork(), SCM_RIGHTS) lists every holder, lowest pid first, as {@code ss -p} in the
 * namespace does; a holder that ended (or is a zombie) is dropped at the next poll ({@link SocketOwners}).
 */
final class NamespaceOwners {
    private static final long MIN_RESCAN_MILLIS = 500;
    private final ProcessResolver resolver;
    private final SocketOwners owners;

    NamespaceOwners(Path procRoot, long namespaceInode) {
        String nsLink = "net:[" + namespaceInode + "]";
        this.resolver = new ProcessResolver(new ProcessResolver.ProcFdLister(procRoot),
                pid -> nsLink.equals(Files.readSymbolicLink(procRoot.resolve(Integer.toString(pid)).resolve("ns/net")).toString()),
                MIN_RESCAN_MILLIS);
        this.owners = new SocketOwners(resolver, pid -> SocketOwners.running(procRoot, pid));
    }

    List<SocketEntry> attach(List<SocketEntry> rows, long now, List<String> warnings) {
        List<SocketEntry> out = owners.attach(rows, now, warnings);
        if (owners.unowned() > 0 && resolver.unreadableProcesses() > 0)
            warnings.add("process names hidden for " + owners.unowned() + " socket(s): " + resolver.unreadableProcesses()
                    + " process(es) of the namespace could not be read (run as root)");
        return out;
    }

    /** The sockets of the last {@link #attach} that several of the namespace's processes hold. */
    SocketHolders holders() {
        return owners.holders();
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
