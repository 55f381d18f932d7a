package io.tcplens.source.linux;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import java.io.IOException;
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

    /** tcp and tcp6 as last read: each file's lines are compared with its own last listing (see {@link ProcNetTcpParser#read}). */
    private final ProcNetTcpParser.Listing[] listings = {new ProcNetTcpParser.Listing(), new ProcNetTcpParser.Listing()};
    private int lastCount = 16;

    @Override
    public Snapshot poll() throws SourceException {
        long now = System.currentTimeMillis();
        List<SocketEntry> rows = new ArrayList<>(lastCount + (lastCount >>> 4));
        List<String> warnings = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        int files = 0;
        int malformed = 0;
        String firstBad = null;
        String[] names = {"tcp", "tcp6"};
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            Path file = procRoot.resolve("net").resolve(name);
            bad.clear();
            try {
                parser.read(listings[i], file, now, rows, bad);
            } catch (NoSuchFileException e) {
                if (name.equals("tcp")) throw new SourceException(file + " does not exist: is this Linux with /proc mounted?");
                continue;
            } catch (IOException e) {
                throw new SourceException("cannot read " + file + ": " + e.getMessage(), e);
            }
            malformed += bad.size();
            if (firstBad == null && !bad.isEmpty()) firstBad = name + ": " + bad.get(0).strip();
            files++;
        }
        if (files == 0) throw new SourceException("no TCP table under " + procRoot);
        lastCount = rows.size();
        if (malformed > 0)
            warnings.add(malformed + " malformed line(s) skipped, first: " + abbreviate(firstBad));
        if (resolveOwners) rows = owners.attach(rows, now, warnings);
        return new Snapshot(now, rows, INFO, warnings, resolveOwners ? owners.holders() : SocketHolders.NONE);
    }

    /** Rows the last poll gave again from the listings before (the same objects) and rows it made (tests). */
    int[] lastGivenAndMade() {
        return new int[] {listings[0].given() + listings[1].given(), listings[0].made() + listings[1].made()};
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 120 ? s.substring(0, 117) + "…" : s;
    }
}
