package io.tcplens.source.linux;

import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.IntIntHashMap;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SocketHolders;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * Attaches the owning process to each socket by inode through a {@link ProcessResolver}, and says
 * once per poll why owners are missing. Shared by the Linux sources (/proc and netlink), so both
 * give the same owners and the same warnings.
 */
public final class SocketOwners {
    private static final boolean ROOT = isRoot();
    private final ProcessResolver resolver;

    private final Path procRoot;
    /** Whether a holder still runs; null: {@link #holdsFds} under {@link #procRoot}. */
    private final IntPredicate running;
    private int unowned;

    SocketOwners(Path procRoot) {
        this.procRoot = procRoot;
        this.resolver = new ProcessResolver(procRoot, 500);
        this.running = null;
    }

    /**
     * Several holders through another resolver (one namespace's processes, another machine's), each
     * holder checked at every poll with {@code running}; the caller writes its own warnings
     * ({@link #unowned()}), {@link #attach} adds none.
     */
    public SocketOwners(ProcessResolver resolver, IntPredicate running) {
        this.procRoot = null;
        this.resolver = resolver;
        this.running = running;
    }

    /** Sockets (with an inode) the last {@link #attach} left without an owner. */
    public int unowned() {
        return unowned;
    }

    /** A process is there and holds descriptors (a zombie holds none): for {@link #SocketOwners(ProcessResolver, java.util.function.IntPredicate)}. */
    public static boolean running(Path procRoot, int pid) {
        Path fd = procRoot.resolve(Integer.toString(pid)).resolve("fd");
        if (!FD_COUNTS) return Files.isDirectory(fd.getParent());
        return fdCount(fd) != 0;
    }

    ProcessResolver resolver() {
        return resolver;
    }

    private SocketHolders holders = SocketHolders.NONE;

    /** The sockets of the last {@link #attach} that several processes hold, with every holder. */
    public SocketHolders holders() {
        return holders;
    }

    /**
     * Works out the owners of the rows so far while the table is still being read (see
     * {@link ProcessResolver#prepare}); {@link #attach} with the same list then does what is left.
     */
    public void prepare(List<SocketEntry> rows) {
        resolver.prepare(rows);
    }

    /** Places of the last {@link #attach} where a shared socket's row was given another holder (see {@link #copiedPlaces}). */
    private final IntArrayList renamedPlaces = new IntArrayList();
    private final IntArrayList copied = new IntArrayList();

    /**
     * The places of the last {@link #attach}'s rows that may be a copy of the row given there (another owner):
     * every such place (some maybe twice, or with the given row after all). In a table where no owner changed,
     * none: {@link InetDiagParser#adopt(List, List, int[], int)} then reads no row. Read it before the next attach.
     */
    IntArrayList copiedPlaces() {
        if (renamedPlaces.isEmpty()) return resolver.copiedPlaces();
        copied.clear();
        copied.addAll(resolver.copiedPlaces());
        copied.addAll(renamedPlaces);
        return copied;
    }

    public List<SocketEntry> attach(List<SocketEntry> rows, long now, List<String> warnings) {
        renamedPlaces.clear();
        ProcessResolver.Attached a = resolver.attach(rows, now);
        int unowned = this.unowned = a.unowned();
        List<SocketEntry> out = a.rows();
        List<SocketEntry> renamed = null;
        Map<Long, List<SocketHolders.Holder>> shared = null;
        // several processes hold some socket: name the lowest living pid of each (none: nothing to do, no row read)
        int end = resolver.anyShared() ? out.size() : 0;
        for (int i = 0; i < end; i++) {
            SocketEntry e = out.get(i);
            if (e.pid() == null) continue;
            // several processes hold it: name the lowest living pid (not whichever was read first), list them all beside
            List<ProcessResolver.Owner> all = alive(resolver.holders(e.inode()), now);
            if (all == null || all.isEmpty()) continue;
            ProcessResolver.Owner o = all.get(0);
            if (all.size() > 1) {
                if (shared == null) shared = new HashMap<>();
                List<SocketHolders.Holder> hs = new ArrayList<>(all.size());
                for (ProcessResolver.Owner h : all) hs.add(new SocketHolders.Holder(h.pid(), h.name()));
                shared.put(e.inode(), hs);
            }
            if (o.pid() != e.pid()) {
                if (renamed == null) renamed = new ArrayList<>(out);
                renamed.set(i, e.withOwner(o.pid(), o.name(), false));
                renamedPlaces.add(i);
            }
        }
        holders = shared == null ? SocketHolders.NONE : SocketHolders.of(shared);
        if (running == null && unowned > 0 && resolver.unreadableProcesses() > 0) {
            warnings.add(ROOT ? "owner unknown for " + unowned + " socket(s): " + resolver.unreadableProcesses()
                    + " process(es) refused to let root read their file descriptors"
                    : "process names hidden for " + unowned + " socket(s): run as root to see other users' sockets");
        }
        return renamed == null ? out : renamed;
    }

    private final IntIntHashMap aliveAt = new IntIntHashMap();
    private long aliveStamp = Long.MIN_VALUE;

    /**
     * The holders still running: a holder that exited since the last scan (a worker that ended) is
     * never named. One stat of /proc/PID per holder per poll; null when none was given.
     */
    private List<ProcessResolver.Owner> alive(List<ProcessResolver.Owner> holders, long now) {
        if (holders == null) return null;
        if (aliveStamp != now) {
            aliveAt.clear();
            aliveStamp = now;
        }
        List<ProcessResolver.Owner> out = null;
        for (int i = 0; i < holders.size(); i++) {
            ProcessResolver.Owner h = holders.get(i);
            int known = aliveAt.getOrDefault(h.pid(), -1);
            if (known < 0) {
                known = (running == null ? holdsFds(h.pid()) : running.test(h.pid())) ? 1 : 0;
                aliveAt.put(h.pid(), known);
            }
            if (known == 0 && out == null) out = new ArrayList<>(holders.subList(0, i));
            else if (known == 1 && out != null) out.add(h);
        }
        return out == null ? holders : out.isEmpty() ? null : out;
    }

    /** Whether /proc/PID/fd reports a descriptor count (Linux 6.2+): its size, else 0 whatever is open. */
    private static final boolean FD_COUNTS = fdCount(Path.of("/proc/self/fd")) > 0;

    /**
     * The process is there and holds descriptors: an exited one has no /proc/PID, and a zombie (exited,
     * not yet reaped by its parent) keeps /proc/PID but no descriptor ({@code fd} has size 0 on 6.2+).
     */
    private boolean holdsFds(int pid) {
        Path fd = procRoot.resolve(Integer.toString(pid)).resolve("fd");
        if (!FD_COUNTS) return Files.isDirectory(fd.getParent());
        long n = fdCount(fd);
        return n != 0; // -1: unreadable (another user's process): there, so named
    }

    private static long fdCount(Path fd) {
        try {
            return Files.readAttributes(fd, BasicFileAttributes.class).size();
        } catch (AccessDeniedException | SecurityException e) {
            return -1;
        } catch (IOException e) {
            return 0;
        }
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
