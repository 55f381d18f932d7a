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
import java.util.List;
import io.tcplens.model.SocketHolders;

/** Live Linux source reading /proc/net/tcp and /proc/net/tcp6, owners from /proc/PID/fd. */
public final class ProcNetSource implements SocketTableSource {
    static final SourceInfo INFO = new SourceInfo(SourceInfo.Kind.LIVE, "proc", "Linux /proc/net/tcp{,6}");

    private final Path procRoot;
    private final ProcNetTcpParser parser = new ProcNetTcpParser();
    private final SocketOwners owners;
    private volatile boolean resolveOwners;

    public ProcNetSource(Path procRoot, boolean resolveOwners) {
        this.procRoot = procRoot;
        this.resolveOwners = resolveOwners;
        this.owners = new SocketOwners(procRoot);
    }

    public ProcNetSource() {
        this(Path.of("/proc"), true);
    }

    @Override
    public SourceInfo info() {
        return INFO;
    }

    @Override
    public void setOwnersWanted(boolean wanted) {
        resolveOwners = wanted;
    }

    @Override
    public boolean ownersCostAPoll() {
        return true;
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
        if (resolveOwners) rows = owners.attach(rows, now, warnings);
        return new Snapshot(now, rows, INFO, warnings, resolveOwners ? owners.holders() : SocketHolders.NONE);
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 120 ? s.substring(0, 117) + "…" : s;
    }
}
