package io.tcplens.source.linux;

import com.carrotsearch.hppc.IntObjectHashMap;
import com.carrotsearch.hppc.IntObjectMap;
import com.carrotsearch.hppc.LongArrayList;
import com.carrotsearch.hppc.LongHashSet;
import com.carrotsearch.hppc.LongIntHashMap;
import com.carrotsearch.hppc.cursors.LongCursor;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import io.tcplens.model.BigMaps;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.IntHashSet;
import com.carrotsearch.hppc.LongObjectHashMap;
import java.util.ArrayList;
import java.util.Arrays;
import io.tcplens.model.RowAlignment;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Maps socket inodes to the process that holds them by reading {@code /proc/PID/fd} (or, through
 * an {@link FdLister}, another machine's; through a {@link ProcessFilter}, only some processes,
 * e.g. one network namespace's), incrementally:
 * <ul>
 *   <li>a <em>light</em> scan lists the processes and stats each {@code /proc/PID/fd} directory
 *   (on Linux 6.2+ its size is the number of open fds) and reads the links only of processes
 *   that are new or whose fd count changed;</li>
 *   <li>a <em>deep</em> scan reads every link of every process — only when a light scan left
 *   inodes unresolved (a process closed one socket and opened another) that a later poll still lists
 *   (a socket closed by then needs no owner), and then at most once per
 *   {@code max(minDeepMillis, 20 × its last duration)}, so it never runs on a timer when nothing
 *   changed, and its cost stays a small share of the time even on a table of 100k sockets.</li>
 * </ul>
 * Scans happen only when the table shows inodes the map does not know (and not more often than
 * {@code minRescanMillis}); a process whose fd directory cannot be read is skipped and counted,
 * never an error. Not thread-safe: one poller owns it.
 */
public final class ProcessResolver {
    /** Even with nothing new in the table, a light scan this often. */
    private static final long LIGHT_RESCAN_MILLIS = 10_000;
    private final FdLister lister;
    private final ProcessFilter filter;
    private final long minRescanMillis;
    private final long minDeepMillis;
    private final LongIntHashMap inodeToPid = new LongIntHashMap();
    private final IntObjectMap<Proc> procs = new IntObjectHashMap<>();
    /** Inodes a scan looked for and did not find (another namespace, a process we cannot read). */
    private LongHashSet unresolved = new LongHashSet();
    private long lastScan = Long.MIN_VALUE / 2;
    private long lastDeep = Long.MIN_VALUE / 2;
    private long deepNanos;
    private int unreadable;
    private int lightScans;
    private int deepScans;
    private int processesRead;

    /** What is known of one process. */
    private static final class Proc {
        final Integer pid;
        long fdCount;
        long[] inodes = new long[0];
        String name;
        /** Its name was read again at a poll after the first read (a fork's child may not have exec'd yet then). */
        boolean nameConfirmed;
        boolean seen;
        private Owner owner;

        Proc(int pid) {
            this.pid = pid;
        }

        Owner ownerRecord() {
            Owner o = owner;
            if (o == null || !Objects.equals(o.name(), name)) owner = o = new Owner(pid, name);
            return o;
        }
    }

    /** An owner: the pid (boxed once per process) and its name (null when unreadable). */
    public record Owner(Integer pid, String name) {}

    /**
     * Where the processes and their fds come from: this machine's {@code /proc} ({@link ProcFdLister}),
     * or another's read in one batch (the ssh source). A call that may not read a process throws
     * {@link AccessDeniedException} (counted as unreadable); any other {@link IOException} means the
     * process went away meanwhile.
     */
    public interface FdLister {
        /** The processes now, at the start of a scan. */
        int[] pids() throws IOException;

        /** How many fds the process has open, or -1 when the lister cannot tell cheaply (its links are then read at every scan). */
        long fdCount(int pid) throws IOException;

        /** The socket inodes among the process's fds. */
        long[] socketInodes(int pid) throws IOException;

        /** The process's name, or null. */
        String name(int pid);

        /** Whether the process still exists (asked for the owners of the current table, at every poll: keep it cheap). */
        boolean alive(int pid);
    }

    /** Which processes count, e.g. only those of one network namespace. */
    @FunctionalInterface
    public interface ProcessFilter {
        ProcessFilter ALL = pid -> true;

        /** Whether {@code pid}'s sockets are looked at; {@link AccessDeniedException} counts it as unreadable. */
        boolean accept(int pid) throws IOException;
    }

    /** Processes and fd links from a {@code /proc} tree ({@code /proc/PID/fd}, {@code /proc/PID/comm}). */
    public static final class ProcFdLister implements FdLister {
        private final Path procRoot;
        /** Reads fd directories without an object per fd; null: NIO ({@link #readSockets}). */
        private final FdDirReader reader;

        public ProcFdLister(Path procRoot) {
            this(procRoot, true);
        }

        /** {@code nativeReader} false: always the NIO reader (for comparisons). */
        public ProcFdLister(Path procRoot, boolean nativeReader) {
            this.procRoot = procRoot;
            this.reader = nativeReader ? FdDirReader.create(procRoot) : null;
        }

        /** Whether fd directories are read through {@link FdDirReader} (else NIO). */
        public boolean nativeReader() {
            return reader != null;
        }

        public Path procRoot() {
            return procRoot;
        }

        @Override
        public int[] pids() throws IOException {
            IntArrayList out = new IntArrayList();
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(procRoot)) {
                for (Path dir : dirs) {
                    String n = dir.getFileName().toString();
                    if (n.isEmpty() || !Character.isDigit(n.charAt(0))) continue;
                    try {
                        out.add(Integer.parseInt(n));
                    } catch (NumberFormatException e) {
                        // not a process
                    }
                }
            }
            return out.toArray();
        }

        @Override
        public long fdCount(int pid) throws IOException {
            try {
                // on Linux 6.2+ the size of /proc/PID/fd is the number of open fds (0 before: unknown)
                return Files.readAttributes(fdDir(pid), BasicFileAttributes.class).size();
            } catch (SecurityException e) {
                throw new AccessDeniedException(fdDir(pid).toString());
            }
        }

        @Override
        public long[] socketInodes(int pid) throws IOException {
            try {
                if (reader != null) synchronized (reader) {
                    return reader.socketInodes(pid);
                }
                return readSockets(fdDir(pid));
            } catch (SecurityException e) {
                throw new AccessDeniedException(fdDir(pid).toString());
            }
        }

        @Override
        public String name(int pid) {
            return readName(procRoot.resolve(Integer.toString(pid)));
        }

        @Override
        public boolean alive(int pid) {
            return Files.isDirectory(procRoot.resolve(Integer.toString(pid)));
        }

        private Path fdDir(int pid) {
            return procRoot.resolve(Integer.toString(pid)).resolve("fd");
        }
    }

    public ProcessResolver(Path procRoot, long minRescanMillis) {
        this(new ProcFdLister(procRoot), ProcessFilter.ALL, minRescanMillis, 2_000);
    }

    /** Owners among the processes {@code filter} accepts, as {@code lister} lists them. */
    public ProcessResolver(FdLister lister, ProcessFilter filter, long minRescanMillis) {
        this(lister, filter, minRescanMillis, 2_000);
    }

    ProcessResolver(Path procRoot, long minRescanMillis, long minDeepMillis) {
        this(new ProcFdLister(procRoot), ProcessFilter.ALL, minRescanMillis, minDeepMillis);
    }

    ProcessResolver(FdLister lister, ProcessFilter filter, long minRescanMillis, long minDeepMillis) {
        this.lister = lister;
        this.filter = filter;
        this.minRescanMillis = minRescanMillis;
        this.minDeepMillis = minDeepMillis;
    }

    /** The table's rows with their owners, and how many sockets (with an inode) stayed without one. */
    public record Attached(List<SocketEntry> rows, int unowned) {}

    private long[] scratch = new long[1024];

    /**
     * Rows taken ahead of {@link #attach} by {@link #prepare}: the list (null: none), how many of its
     * rows, and the map's version they were looked up at; and what was worked out for them.
     */
    private List<SocketEntry> preparing;
    private int prepared;
    private long preparedVersion;
    private SocketEntry[] prepRaw = new SocketEntry[0], prepOut = new SocketEntry[0];
    private int prepUnowned;
    /** {@link #ownerOf}'s one-entry cache: rows of one process come in runs. Reset at the start of each pass. */
    private int lastPid = -1;
    private Owner lastOwner;

    /**
     * Works out the owners of the rows of {@code rows} not yet taken, as {@link #attach} would if no
     * scan changed anything: call it while the table is still being read (a netlink dump arrives in
     * parts, and the poller waits for the kernel between them), with the same list object as it grows,
     * then {@link #attach} with it. {@link #attach} then only does what is left: the rows that came
     * after the last call, the scan decision, and (only when a scan or a dead owner changed the map)
     * the rows whose owner it touched. Rows are only ever appended to the list in between.
     */
    public void prepare(List<SocketEntry> rows) {
        if (rows != preparing) startPreparing(rows);
        int n = rows.size();
        if (n > prepRaw.length) growPrepared(n);
        SocketEntry[] prevRaw = previousRaw, prevOut = previousOut;
        int[] prevPid = previousPid;
        // the last attach's owners are the map's as it left it, unless another caller's refresh changed it since
        boolean hits = previousVersion == preparedVersion;
        int unowned = prepUnowned;
        for (int i = prepared; i < n; i++) {
            SocketEntry e = rows.get(i);
            long ino = scratch[i] = e.inode();
            ConnectionKey key = e.key();
            if (prepRaw[i] != e) prepRaw[i] = e; // (the spare holds the rows of the attach before the last: mostly these, at these places)
            // a socket seen at the last attach near where it was (its key object: netlink keeps a
            // socket's key for its life, also while its row changes, e.g. a TIME_WAIT timer) and with
            // the same inode takes its pid and owner from there, without a lookup. The last attach's
            // keys are its rows' (no array of keys kept beside them)
            int at = -1;
            for (int j = alignment.cursor(), end = alignment.end(); j < end; j++) {
                if (prevRaw[j].key() == key) {
                    alignment.found(j);
                    at = j;
                    break;
                }
            }
            int hit = at;
            if (hit >= 0 && (!hits || prevRaw[hit] != e && prevRaw[hit].inode() != ino)) hit = -1; // another inode (e.g. the socket entered TIME_WAIT)
            hitScratch[i] = hit;
            Owner o;
            SocketEntry out;
            if (hit >= 0) {
                int pid = prevPid[hit];
                pidScratch[i] = pid;
                // the owner the last attach gave it: an owner is a function of its pid and the processes
                // known, and whatever changes those touches the inodes concerned (no array of owners kept)
                o = ownerOf(pid);
                out = prevRaw[hit] == e ? prevOut[hit] : o == null ? unowned(e, ino, prevOut[hit]) : e.withOwner(o.pid(), o.name(), false);
            } else {
                int pid = pidOf(ino);
                pidScratch[i] = pid;
                o = ownerOf(pid);
                out = o == null ? unowned(e, ino, at >= 0 ? prevOut[at] : null) : e.withOwner(o.pid(), o.name(), false);
            }
            setOut(i, i, out);
            if (o == null && ino != 0) unowned++;
        }
        prepUnowned = unowned;
        prepared = n;
    }

    private void startPreparing(List<SocketEntry> rows) {
        preparing = rows;
        prepared = 0;
        // (a first attach's every owned place grew it to the table's length: let go when few are left)
        if (copied.buffer.length > 4096 && copied.size() < (copied.buffer.length >> 3)) copied.release();
        else copied.clear();
        preparedVersion = mapVersion;
        prepUnowned = 0;
        lastPid = -1;
        lastOwner = null;
        alignment.start(previousCount);
        // the arrays of the attach before the last, which nothing reads any more, are filled again (at
        // 250k sockets each is a humongous object to G1); only the owned rows are new each time
        int cap = BigMaps.belowHumongous(rows.size(), Math.max(rows.size(), previousCount + (previousCount >> 4) + 16));
        prepRaw = spareRaw.length >= cap ? spareRaw : new SocketEntry[cap];
        // the owned rows are the last attach's array again while each place gets the same row (a table
        // where no owner changed: no array of a reference per row made at every poll and kept to the next)
        prepOut = previousOut;
        outShared = true;
        if (scratch.length < cap) growScratch(cap);
    }

    /**
     * Room for {@code n} rows: by half, but first only up to G1's humongous size ({@link BigMaps#belowHumongous}; here
     * and in {@link #startPreparing}). A 100k table's arrays (106k) met the burst table's remake (old and new TIME_WAIT
     * in one dump) and stayed at 150k after it: the three int arrays and the arrays of rows each a humongous 1 MB
     * region, the long array two, where below 131k none but the long array is humongous (issue 11, round 28).
     */
    private void growPrepared(int n) {
        int cap = BigMaps.belowHumongous(n, Math.max(n, prepRaw.length + (prepRaw.length >> 1)));
        prepRaw = Arrays.copyOf(prepRaw, cap);
        prepOut = outShared ? ownOut(cap, prepared) : Arrays.copyOf(prepOut, cap);
        if (scratch.length < cap) growScratch(cap);
    }

    /**
     * To {@code cap} (the callers add the room to grow), not to twice the length: doubled as a first
     * poll's list grew, the three arrays reached 262,144 slots at 100k rows (4 MB, seven 1 MB G1 regions).
     */
    private void growScratch(int cap) {
        scratch = Arrays.copyOf(scratch, cap);
        pidScratch = Arrays.copyOf(pidScratch, scratch.length);
        hitScratch = Arrays.copyOf(hitScratch, scratch.length);
    }

    /** {@link #refresh} for these rows' inodes, then each row with its owner ({@link #owner}) attached. */
    public Attached attach(List<SocketEntry> rows, long nowMillis) {
        prepare(rows); // the rows not taken yet (all of them when the caller did not prepare)
        preparing = null;
        int n = rows.size();
        SocketEntry[] prevRaw = previousRaw;
        pidsVersion = mapVersion;
        pidsFor = scratch;
        touched.clear();
        touchedAll = false;
        long before = preparedVersion; // what the prepared owners were looked up at
        refresh(scratch, n, nowMillis);
        // what the refresh changed: only the inodes whose owner it touched are looked up again (all of
        // them when it touched more than the set keeps, or when the attach before was not one); nothing:
        // the prepared owners stand
        boolean same = mapVersion == before;
        boolean all = !same && (touchedAll || previousVersion != before);
        boolean someTouched = !same && !touched.isEmpty();
        int unowned = prepUnowned;
        if (!same) {
            unowned = 0;
            lastPid = -1; // a scan may have changed the processes since the prepare
            lastOwner = null;
            for (int i = 0; i < n; i++) {
                SocketEntry e = prepRaw[i];
                int hit = hitScratch[i];
                long ino = scratch[i];
                if (ino == 0 || (hit >= 0 && !all && (!someTouched || !touched.contains(ino)))) {
                    // the same socket, whose owner no scan touched, or one no process can hold (no inode: no
                    // lookup, whatever a scan changed): as prepared
                    if (ino != 0 && ownerOf(pidScratch[i]) == null) unowned++; // its owner untouched: as prepared
                    continue;
                }
                int pid = pidOf(ino);
                pidScratch[i] = pid;
                Owner o = ownerOf(pid);
                if (o != null) {
                    // after a scan that changed nothing for this socket, its owned row of the last attach
                    SocketEntry was = hit >= 0 && prevRaw[hit] == e ? previousOut[hit] : null;
                    setOut(i, n, was != null && was.pid() == o.pid() && was.process() == o.name() && !was.ownerLastKnown()
                            ? was : e.withOwner(o.pid(), o.name(), false));
                } else {
                    if (ino != 0) unowned++;
                    setOut(i, n, unowned(e));
                }
            }
        }
        touchedLast = touchedAll ? -1 : touched.size();
        emptied(touched); // read only above
        SocketEntry[] out = prepOut; // the last attach's array when every place got its row again (never written since)
        outShared = false;
        // for the next attach: this one's rows as given and what each became
        SocketEntry[] raw = prepRaw;
        // the pids looked up are the next attach's previous ones as they are (no copy into a spare): the
        // scratch for the next attach is the array of the attach before this one
        int[] pids = pidScratch;
        pidScratch = previousPid.length >= scratch.length ? previousPid : new int[scratch.length];
        pidsVersion = -1;
        // nothing past n is read: drop what it held (a spare array's older rows)
        Arrays.fill(raw, n, raw.length, null);
        spareRaw = previousRaw;
        spareCount = previousCount;
        // the spares are only filled again: let go of the rows of the attach before this one now
        // (every TIME_WAIT row changes at each poll, so they were a third generation of rows kept live)
        Arrays.fill(spareRaw, 0, Math.min(spareCount, spareRaw.length), null);
        previousRaw = raw;
        previousOut = out;
        previousPid = pids;
        previousCount = n;
        previousVersion = mapVersion;
        // out is kept, never written again: the snapshot takes it as it is (no copy)
        return new Attached(Snapshot.handedRows(out, n), unowned);
    }

    /**
     * Whether {@link #prepOut} is still the last attach's array, every place given so far having got that
     * place's row again: nothing written into it (a snapshot of the last poll reads it).
     */
    private boolean outShared;

    /** The array of the last attach's owned rows (for tests). */
    SocketEntry[] lastOwnedArray() {
        return previousOut;
    }

    /**
     * The places of this attach (the last one, once it returned) whose owned row may not be the row given there
     * (a row with another owner: {@code withOwner}'s copy, or the last attach's copy): every such place, and
     * maybe some whose owned row is the given one again. For the source that gives its rows again
     * (InetDiagParser#adopt reads only these places, not every row at every poll: a table where no owner
     * changed has none).
     */
    private final IntArrayList copied = new IntArrayList();

    /** See {@link #copied}: valid until the next {@link #prepare} of another list or {@link #attach}. Not to be changed. */
    IntArrayList copiedPlaces() {
        return copied;
    }

    /** Place {@code i} of this attach's owned rows is {@code row}; places before {@code filled} are given. */
    private void setOut(int i, int filled, SocketEntry row) {
        if (row != prepRaw[i]) copied.add(i);
        if (outShared) {
            if (i < previousCount && previousOut[i] == row) return;
            prepOut = ownOut(prepRaw.length, filled);
        }
        prepOut[i] = row;
    }

    /** An array of this attach's own for the owned rows, of {@code cap}, with the {@code filled} places given so far. */
    private SocketEntry[] ownOut(int cap, int filled) {
        SocketEntry[] o = new SocketEntry[cap];
        System.arraycopy(previousOut, 0, o, 0, Math.min(filled, previousCount)); // each of them the last attach's
        outShared = false;
        return o;
    }

    /** The pid that holds this socket inode, or -1 (none known, or no inode). */
    private int pidOf(long ino) {
        if (ino == 0) return -1;
        int slot = inodeToPid.indexOf(ino);
        return inodeToPid.indexExists(slot) ? inodeToPid.indexGet(slot) : -1;
    }

    /** The owner of process {@code pid} (null for -1 or a process not known). */
    private Owner ownerOf(int pid) {
        if (pid < 0) return null;
        if (pid != lastPid) {
            Proc p = procs.get(pid);
            lastOwner = p == null ? null : p.ownerRecord();
            lastPid = pid;
        }
        return lastOwner;
    }

    /**
     * {@code e} without a living owner. A row no process can hold (no inode: a TIME_WAIT socket, an
     * orphan) keeps the last known owner its source gave it (InetDiagParser, from the same socket's last
     * row, found by cookie), or else takes the owner named by the row of the socket the last attach had at
     * this place ({@code before}: the same key object, which netlink keeps for a socket's whole life, also
     * into TIME_WAIT), marked last known: what ConnectionTracker would give it, but as the one row the
     * source gives again (adopted by the parser), not the source's row and the tracker's copy of it.
     */
    private static SocketEntry unowned(SocketEntry e, long ino, SocketEntry before) {
        if (ino == 0) {
            if (e.ownerLastKnown() && e.pid() != null) return e; // the source named it (InetDiagParser, by the socket's cookie)
            if (before != null && before.pid() != null) return e.withOwner(before.pid(), before.process(), true);
        }
        return unowned(e);
    }

    /** {@code e} without an owner (a source may give a row with the owner it had at the last poll: see InetDiagParser#adopt). */
    private static SocketEntry unowned(SocketEntry e) {
        return e.pid() == null && e.process() == null ? e : e.withOwner(null, null, false);
    }

    /**
     * The last attach's rows as given (whose inodes it read; their keys are the ones aligned with), their
     * owned rows and pids (an owner is its pid's: {@link #ownerOf}), by position (see {@link RowAlignment}).
     */
    private SocketEntry[] previousRaw = new SocketEntry[0], previousOut = new SocketEntry[0];
    /** The same arrays of the attach before the last (to be filled again), and its count (its pids: {@link #pidScratch}). */
    private SocketEntry[] spareRaw = new SocketEntry[0];
    private int spareCount;
    private int[] previousPid = new int[0];
    private int previousCount;
    /** The map's version the last attach ended at (a {@link #refresh} by another caller in between changes it). */
    private long previousVersion = -1;
    private int[] hitScratch = new int[1024];
    private final RowAlignment alignment = new RowAlignment();

    /**
     * The inodes whose owner entry the current attach's refresh removed or added (scans and dropped
     * dead owners), so only their rows are looked up again; past {@link #TOUCHED_MAX},
     * {@link #touchedAll} instead.
     */
    private final LongHashSet touched = new LongHashSet();
    private boolean touchedAll;
    private static final int TOUCHED_MAX = 1 << 16;
    /**
     * A scratch set whose table is longer than this is given back when emptied: a scan that drops or
     * adds many owners (a 100k table's first scan, a process with thousands of sockets exiting) grew
     * {@link #touched} and {@link #orphaned} to 131,073 slots, 1 MB each, kept for the window's life
     * while they held a handful of inodes (G1 gave each two regions). Grown again only by another such scan.
     */
    static final int SCRATCH_SET_KEPT = 4096;

    /** Inodes whose owner entry the last attach's refresh touched, -1 for all of them (for tests). */
    private int touchedLast;

    int touchedInLastAttach() {
        return touchedLast;
    }

    /** The longest of the per-row arrays now (for tests): the rows, the owned rows, the inodes, pids and hits. */
    int rowArraysLength() {
        int m = Math.max(prepRaw.length, prepOut.length);
        for (int l : new int[] {spareRaw.length, previousRaw.length, previousOut.length, scratch.length, pidScratch.length, hitScratch.length, previousPid.length}) m = Math.max(m, l);
        return m;
    }

    /** Slots of the scratch sets' tables now (for tests). */
    int scratchSetSlots() {
        return touched.keys.length + orphaned.keys.length;
    }

    /** Empties a scratch set, and gives back its table when a large scan grew it. */
    static void emptied(LongHashSet set) {
        if (set.keys.length > SCRATCH_SET_KEPT + 1) set.release();
        else set.clear();
    }

    /**
     * A process's socket inodes in ascending order, each once (a socket on two of its fds is one), as
     * {@link #scan} compares them with its last read: {@code inodes} itself when it already is, sorted in
     * place when {@code own} (the lister made it for this call), else a sorted copy.
     */
    static long[] sortedUnique(long[] inodes, boolean own) {
        boolean sorted = true;
        for (int i = 1; i < inodes.length && sorted; i++) sorted = inodes[i - 1] < inodes[i];
        if (sorted) return inodes;
        long[] s = own ? inodes : inodes.clone();
        Arrays.sort(s);
        int n = 0;
        for (int i = 0; i < s.length; i++) if (n == 0 || s[n - 1] != s[i]) s[n++] = s[i];
        return n == s.length ? s : Arrays.copyOf(s, n);
    }

    private void touch(long ino) {
        if (touchedAll) return;
        if (touched.size() >= TOUCHED_MAX) {
            touchedAll = true;
            emptied(touched);
        } else {
            touched.add(ino);
        }
    }

    /** Maps an inode to a process if it has no owner yet (and notes it as touched when it had none). */
    private void mapIfAbsent(long ino, int pid) {
        if (inodeToPid.putIfAbsent(ino, pid)) touch(ino);
    }

    /** Removes an inode's owner entry, noting it as touched. */
    private void unmap(long ino) {
        inodeToPid.remove(ino);
        touch(ino);
    }

    /** Each scratch inode's pid (-1: none known), as of {@link #pidsVersion}. */
    private int[] pidScratch = new int[1024];
    /** Changes of {@link #inodeToPid} so far, and the count {@link #pidScratch} was looked up at. */
    private long mapVersion, pidsVersion = -1;

    /** The inode array {@link #pidScratch} was filled for (refresh's callers may pass their own). */
    private long[] pidsFor;

    private boolean pidsValid(long[] inodes) {
        return pidsFor == inodes && pidsVersion == mapVersion;
    }

    /** Processes skipped in the last scan because their fd directory was not readable (permission). */
    public int unreadableProcesses() {
        return unreadable;
    }

    /** Light and deep scans so far, and processes whose links were read (for tests and benchmarks). */
    public String scanStats() {
        return lightScans + " light, " + deepScans + " deep scans, " + processesRead + " process fd lists read";
    }

    int deepScans() {
        return deepScans;
    }

    int processesRead() {
        return processesRead;
    }

    /**
     * Makes sure the map is current for these inodes (0 = none, ignored): scans when one of them is
     * unknown, as described above. Then {@link #owner(long)} answers.
     */
    public void refresh(long[] inodes, int count, long nowMillis) {
        // an owner that has exited is never shown: check the owners of this table (one stat per
        // process), and when one is gone, rescan now instead of at the next timed light scan
        if (!deadOwners(inodes, count).isEmpty()) {
            LongHashSet orphaned = new LongHashSet();
            for (var c : dead) {
                Proc p = procs.remove(c.value);
                if (p != null) for (long ino : p.inodes) if (inodeToPid.get(ino) == c.value) {
                    unmap(ino);
                    orphaned.add(ino);
                }
            }
            dead.clear();
            mapVersion++;
            // a process that shared the socket (a child that inherited it) listed it at its last read
            adopt(orphaned);
            // their sockets are now unknown: look for the process that holds them now (e.g. a child)
            // at once, not after minRescanMillis
            lastScan = Long.MIN_VALUE / 2;
        }
        refreshKnown(inodes, count, nowMillis);
    }

    /** PIDs of owners found to have exited (scratch of {@link #refresh}). */
    private final IntHashSet dead = new IntHashSet();

    private IntHashSet deadOwners(long[] inodes, int count) {
        dead.clear();
        IntHashSet checked = new IntHashSet();
        boolean known = pidsValid(inodes);
        int last = -1;
        for (int i = 0; i < count; i++) {
            int pid;
            if (known) {
                pid = pidScratch[i];
                if (pid < 0) continue;
            } else {
                long ino = inodes[i];
                if (ino == 0) continue;
                int slot = inodeToPid.indexOf(ino);
                if (!inodeToPid.indexExists(slot)) continue;
                pid = inodeToPid.indexGet(slot);
            }
            if (pid == last) continue;
            last = pid;
            if (!checked.add(pid)) continue;
            if (!lister.alive(pid)) {
                dead.add(pid);
                continue;
            }
            // an owner's name is read once more at the poll after it was first read: read then, a forked
            // child that inherited the socket could still be the shell it was forked from, not what it exec'd
            Proc p = procs.get(pid);
            if (p != null && !p.nameConfirmed) {
                p.nameConfirmed = true;
                if (renamed(p)) mapVersion++;
            }
        }
        return dead;
    }

    private void refreshKnown(long[] inodes, int count, long nowMillis) {
        LongArrayList missing = null;
        boolean known = pidsValid(inodes);
        boolean awaiting = !awaitingDeep.isEmpty(), waited = false;
        for (int i = 0; i < count; i++) {
            long ino = inodes[i];
            if (ino != 0 && (known ? pidScratch[i] < 0 : !inodeToPid.containsKey(ino))) {
                if (!unresolved.contains(ino)) {
                    if (missing == null) missing = new LongArrayList();
                    missing.add(ino);
                } else if (awaiting && awaitingDeep.contains(ino)) {
                    waited = true; // a light scan could not place it at an earlier poll, and it is still there
                }
            }
        }
        // none of the sockets waiting for a deep scan is still in the table unplaced: none is looked for any more
        if (awaiting && !waited) emptied(awaitingDeep);
        if (missing == null && !waited) {
            // nothing unknown: still notice, now and then, sockets passed to another process — a
            // light scan reads only the processes whose fd count changed
            if (nowMillis - lastScan >= LIGHT_RESCAN_MILLIS) {
                lastScan = nowMillis;
                lightScan();
            }
            return;
        }
        LongHashSet still = null;
        if (missing != null) {
            if (nowMillis - lastScan < minRescanMillis) return;
            lastScan = nowMillis;
            lightScan();
            still = stillMissing(missing);
        }
        // a deep scan (every link of every process) only for sockets a light scan left unplaced at an earlier poll
        // and still in the table now: not for those that closed in between. A process that opens and closes
        // connections all the time (a server's clients, the steady 100k table's workers: 18,000 fds each) is
        // caught by a dump with sockets that are gone before the scan, and a deep scan for them, every
        // max(2 s, 20 × its time), was 38 % of the poller's CPU on that table (round 24, CPU-time samples).
        // A socket passed to a process whose fd count stayed the same gets its owner a poll later.
        long deepGap = Math.max(minDeepMillis, 20 * deepNanos / 1_000_000);
        boolean deep = waited && nowMillis - lastDeep >= deepGap;
        if (deep) {
            lastDeep = nowMillis;
            long t0 = System.nanoTime();
            deepScan();
            deepNanos = System.nanoTime() - t0;
            emptied(awaitingDeep); // what it did not find stays unresolved: not looked for again but by a timed scan
            if (missing != null) still = stillMissing(missing);
        }
        // remember what no scan could place, so it does not trigger the next poll's scan; forget
        // inodes no longer in the table (the set only ever holds the current table's)
        LongHashSet keep = new LongHashSet();
        for (int i = 0; i < count; i++) if (inodes[i] != 0 && unresolved.contains(inodes[i])) keep.add(inodes[i]);
        if (still != null) {
            for (LongCursor c : still) {
                keep.add(c.value);
                if (!deep) awaitingDeep.add(c.value); // looked for by a deep scan at the next poll that still lists it
            }
        }
        unresolved = keep;
        if (!awaitingDeep.isEmpty()) awaitingDeep.removeAll(ino -> !keep.contains(ino));
    }

    /**
     * Inodes a light scan could not place, not looked for by a deep scan yet (a subset of {@link #unresolved}): a
     * deep scan looks for them at a later poll that still lists one of them.
     */
    private final LongHashSet awaitingDeep = new LongHashSet();

    private LongHashSet stillMissing(LongArrayList missing) {
        LongHashSet s = new LongHashSet();
        for (LongCursor c : missing) if (!inodeToPid.containsKey(c.value)) s.add(c.value);
        return s;
    }

    /** The owner of {@code inode} as of the last scan, or null. */
    public Owner owner(long inode) {
        if (inode == 0) return null;
        int slot = inodeToPid.indexOf(inode);
        if (!inodeToPid.indexExists(slot)) return null;
        int pid = inodeToPid.indexGet(slot);
        Proc p = procs.get(pid);
        return p == null ? null : p.ownerRecord();
    }

    private void lightScan() {
        lightScans++;
        scan(false);
    }

    private void deepScan() {
        deepScans++;
        scan(true);
    }

    /** Inodes whose owner a scan dropped (scratch of {@link #scan}). */
    private final LongHashSet orphaned = new LongHashSet();

    private void scan(boolean deep) {
        boolean changed = false; // the map or an owner's name: the next attach then looks every owner up again
        int skipped = 0;
        for (var c : procs) c.value.seen = false;
        int[] pids;
        try {
            pids = lister.pids();
        } catch (IOException e) {
            pids = new int[0];
            skipped++;
        }
        for (int pid : pids) {
            long fdCount;
            try {
                if (!filter.accept(pid)) continue;
                fdCount = lister.fdCount(pid);
            } catch (AccessDeniedException e) {
                skipped++;
                continue;
            } catch (IOException e) {
                continue; // exited meanwhile
            }
            Proc p = procs.get(pid);
            if (p != null && !deep && fdCount > 0 && p.fdCount == fdCount) {
                p.seen = true; // same number of fds as last time: not read again
                continue;
            }
            long[] inodes;
            try {
                inodes = sortedUnique(lister.socketInodes(pid), lister instanceof ProcFdLister);
            } catch (AccessDeniedException e) {
                skipped++;
                continue;
            } catch (IOException e) {
                continue;
            }
            processesRead++;
            if (p != null && Arrays.equals(p.inodes, inodes)) { // read again, the same sockets
                p.fdCount = fdCount;
                p.seen = true;
                if (p.inodes.length > 0 && renamed(p)) changed = true; // its fds changed: an exec() may have renamed it
                continue;
            }
            changed = true;
            if (p == null) {
                p = new Proc(pid);
                procs.put(pid, p);
                p.fdCount = fdCount;
                p.inodes = inodes;
                p.seen = true;
                if (inodes.length > 0) p.name = lister.name(pid);
                for (long ino : inodes) mapIfAbsent(ino, pid);
                continue;
            }
            // read again with other sockets: only those it closed or opened since its last read are unmapped
            // or mapped (both lists sorted), not all of them dropped and mapped again. A process that opens
            // and closes sockets all the time (a client pool, the scale table's workers: 18,000 fds each)
            // changed a handful of its inodes, and the owners of the others stand: their rows are not looked
            // up again, and the scratch sets stay small (with every inode dropped and mapped again they grew to
            // 131,073 slots, 1 MB each and two G1 regions, rehashed up from 4,097 at every such scan)
            long[] was = p.inodes;
            int i = 0, j = 0;
            while (i < was.length || j < inodes.length) {
                if (j >= inodes.length || (i < was.length && was[i] < inodes[j])) { // closed since
                    long ino = was[i++];
                    if (inodeToPid.get(ino) == pid) {
                        unmap(ino);
                        orphaned.add(ino);
                    }
                } else {
                    if (i < was.length && was[i] == inodes[j]) i++; // held at both reads: mapped already, unless another holder has it
                    mapIfAbsent(inodes[j++], pid);
                }
            }
            p.fdCount = fdCount;
            p.inodes = inodes;
            p.seen = true;
            if (inodes.length > 0) { // read again with its fds: exec() renames, and then every row of it is looked up again
                String name = lister.name(pid);
                if (!Objects.equals(name, p.name)) {
                    p.name = name;
                    for (long ino : inodes) if (inodeToPid.get(ino) == pid) touch(ino);
                }
            }
        }
        // processes gone since the last scan: drop them and their inodes
        IntObjectMap<Proc> gone = new IntObjectHashMap<>();
        for (var c : procs) if (!c.value.seen) gone.put(c.key, c.value);
        if (!gone.isEmpty()) changed = true;
        for (var c : gone) {
            for (long ino : c.value.inodes) if (inodeToPid.get(ino) == c.key) {
                unmap(ino);
                orphaned.add(ino);
            }
            procs.remove(c.key);
        }
        // a socket another process holds too (a child after fork()) stays owned by it, not unknown until a deep scan
        if (!orphaned.isEmpty()) {
            if (adopt(orphaned)) changed = true;
            emptied(orphaned);
        }
        unreadable = skipped;
        if (changed) mapVersion++;
    }

    /**
     * Gives sockets whose owner went away to another process that listed them at its last read (a child
     * that inherited them), read by name again: it may have exec'd since. True when a name changed.
     */
    private boolean adopt(LongHashSet orphaned) {
        boolean renamed = false;
        for (var c : procs) {
            boolean takes = false;
            for (long ino : c.value.inodes) if (orphaned.contains(ino) && inodeToPid.putIfAbsent(ino, c.key)) {
                touch(ino);
                takes = true;
            }
            if (takes && renamed(c.value)) renamed = true;
        }
        return renamed;
    }

    /**
     * Reads a known process's name again; when it changed (an exec() since it was read: a forked child
     * that inherited a socket and then ran another program), its sockets are looked up again.
     */
    private boolean renamed(Proc p) {
        String now = lister.name(p.pid);
        if (now == null || now.equals(p.name)) return false;
        p.name = now;
        for (long ino : p.inodes) if (inodeToPid.get(ino) == p.pid) touch(ino);
        return true;
    }

    /** The socket inodes among a process's fds, through NIO (where {@link FdDirReader} is not available). */
    static long[] readSockets(Path fdDir) throws IOException {
        LongArrayList out = new LongArrayList();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException | UnsupportedOperationException e) {
                    continue; // fd closed meanwhile
                }
                if (target.startsWith("socket:[") && target.endsWith("]")) {
                    try {
                        out.add(Long.parseLong(target, 8, target.length() - 1, 10));
                    } catch (NumberFormatException ignored) {
                        // not a socket link we understand
                    }
                }
            }
        }
        return out.toArray();
    }

    private static String readName(Path procDir) {
        try {
            String comm = Files.readString(procDir.resolve("comm")).strip();
            return comm.isEmpty() ? null : comm;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }


    // ---- several holders of one socket (issue 14; kept apart so the resolver's own logic is untouched)

    private LongObjectHashMap<List<Owner>> shared = new LongObjectHashMap<>();
    /** The {@link #mapVersion} and process count {@link #shared} was worked out at (-1: never). */
    private long sharedVersion = -1;
    private int sharedProcs = -1;

    /**
     * Every process that held {@code inode} at its last read, lowest pid first, when more than one
     * does (after fork(), SCM_RIGHTS, a pre-fork server's listener), as {@code ss -p} lists them;
     * null when one or none does ({@link #owner(long)} answers then). Rebuilt after each scan from
     * the processes' socket lists: one pass over them, only when a scan ran.
     */
    public List<Owner> holders(long inode) {
        if (inode == 0) return null;
        return sharedNow().isEmpty() ? null : shared.get(inode);
    }

    /** Whether some socket has several holders (else {@link #holders} is null for every inode). */
    public boolean anyShared() {
        return !sharedNow().isEmpty();
    }

    private LongObjectHashMap<List<Owner>> sharedNow() {
        // every change of the processes' socket lists or names moves the map's version (a scan that read
        // some process again and found its sockets and name as they were does not: nothing to work out again)
        if (mapVersion != sharedVersion || procs.size() != sharedProcs) {
            shared = sharedSockets();
            sharedVersion = mapVersion;
            sharedProcs = procs.size();
        }
        return shared;
    }

    /**
     * The sockets several processes list, by the owner map: every inode a process lists is mapped to one
     * process that lists it (a scan maps what it reads, and an inode whose process let go of it goes to
     * another that lists it: {@link #adopt}), so a process listing an inode mapped to another shares it
     * with that one. No map of every inode to its first holder made for this (at 100k sockets 1.5 MB,
     * two G1 humongous objects, at every scan that changed a socket list).
     */
    private LongObjectHashMap<List<Owner>> sharedSockets() {
        LongObjectHashMap<List<Owner>> out = new LongObjectHashMap<>();
        for (var c : procs) {
            for (long ino : c.value.inodes) {
                int slot = inodeToPid.indexOf(ino);
                if (!inodeToPid.indexExists(slot)) continue;
                int other = inodeToPid.indexGet(slot);
                if (other == c.key) continue; // its own socket (also on two of its fds)
                Proc holder = procs.get(other);
                if (holder == null) continue;
                List<Owner> l = out.get(ino);
                if (l == null) {
                    l = new ArrayList<>(4);
                    l.add(holder.ownerRecord());
                    out.put(ino, l);
                }
                if (l.stream().noneMatch(o -> o.pid() == c.key)) l.add(c.value.ownerRecord());
            }
        }
        for (var c : out) c.value.sort(Comparator.comparingInt(Owner::pid));
        return out;
    }
}
