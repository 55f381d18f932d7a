package io.tcplens.source.linux;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Live Linux source reading /proc/net/tcp and /proc/net/tcp6, owners from /proc/PID/fd. */
public final class ProcNetSource implements SocketTableSource {
    static final SourceInfo INFO = new SourceInfo(SourceInfo.Kind.LIVE, "proc", "Linux /proc/net/tcp{,6}");

    private static final boolean ROOT = isRoot();
    private final Path procRoot;
    private final ProcNetTcpParser parser = new ProcNetTcpParser();
    private final ProcessResolver resolver;
    private final boolean resolveOwners;

    public ProcNetSource(Path procRoot, boolean resolveOwners) {
        this.procRoot = procRoot;
        this.resolveOwners = resolveOwners;
        this.resolver = new ProcessResolver(procRoot, 500);
    }

    public ProcNetSource() {
        this(Path.of("/proc"), true);
    }

    @Override
    public SourceInfo info() {
        return INFO;
    }

    @Override
    public Snapshot poll() throws SourceException {
        long now = System.currentTimeMillis();
        List<SocketEntry> rows = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int files = 0;
        int malformed = 0;
        String firstBad = null;
        for (String name : new String[] {"tcp", "tcp6"}) {
            Path file = procRoot.resolve("net").resolve(name);
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
                ProcNetTcpParser.Result r = parser.parse(in);
                rows.addAll(r.sockets());
                malformed += r.malformed().size();
                if (firstBad == null && !r.malformed().isEmpty()) firstBad = name + ": " + r.malformed().get(0).strip();
                files++;
            } catch (NoSuchFileException e) {
                if (name.equals("tcp")) throw new SourceException(file + " does not exist: is this Linux with /proc mounted?");
            } catch (IOException e) {
                throw new SourceException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        if (files == 0) throw new SourceException("no TCP table under " + procRoot);
        if (malformed > 0)
            warnings.add(malformed + " malformed line(s) skipped, first: " + abbreviate(firstBad));
        if (resolveOwners) rows = attachOwners(rows, now, warnings);
        return new Snapshot(now, rows, INFO, warnings);
    }

    private List<SocketEntry> attachOwners(List<SocketEntry> rows, long now, List<String> warnings) {
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

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 120 ? s.substring(0, 117) + "…" : s;
    }
}
