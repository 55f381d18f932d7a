package io.tcplens.source.linux;

import com.carrotsearch.hppc.IntArrayList;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketHolders;
import io.tcplens.model.TcpInfo;
import io.tcplens.model.TcpInfoReadings;
import io.tcplens.model.TimerKind;
import io.tcplens.source.TcpInfoDemand;
import java.net.Inet4Address;

/**
 * Live Linux source asking the kernel directly over netlink (sock_diag, as {@code ss} does): one
 * {@code SOCK_DIAG_BY_FAMILY} dump request per address family, every TCP state of the kernel's
 * listening and established tables included (TIME_WAIT and request sockets too; bound-only
 * sockets not, see {@link #TABLE_STATES}), timers already in ms. Binary records instead of text make it cheaper
 * than /proc/net/tcp on big tables. Owners come from /proc/PID/fd exactly as for {@link ProcNetSource}.
 *
 * <p>All native memory of a poll lives in a confined arena closed at the end of that poll; the
 * socket is opened on the first poll, reopened after a failed one (an aborted dump may leave
 * replies behind), and closed by {@link #close()}.
 */
public final class NetlinkSource implements SocketTableSource {
    static final SourceInfo INFO = new SourceInfo(SourceInfo.Kind.LIVE, "netlink", "Linux netlink sock_diag");

    /** The kernel sends at most ~32 KiB per dump datagram; twice that leaves room. */
    static final int BUFFER_BYTES = 64 * 1024;
    static final int MAX_SOCKETS = 1_000_000;
    /** A million sockets take ~3,000 datagrams; this bounds a dump that never says DONE. */
    static final int MAX_DATAGRAMS = 100_000;
    static final int RECEIVE_TIMEOUT_MS = 5_000;
    static final int IPPROTO_TCP = 6;
    static final int NLM_F_REQUEST = 0x1;
    /** NLM_F_ROOT | NLM_F_MATCH. */
    static final int NLM_F_DUMP = 0x300;
    static final int ALL_STATES = 0xFFFFFFFF;
    /**
     * Every state but TCP_BOUND_INACTIVE: with that bit (Linux 6.6+) the kernel also walks the bind
     * table and reports bound-only sockets (no listen(), no connect()) as CLOSE. Neither
     * {@code /proc/net/tcp} nor {@code ss -ta} lists those (ss needs {@code -B}), so asking for them
     * would make this source's counts disagree with both.
     */
    static final int TABLE_STATES = ALL_STATES & ~(1 << KernelTcpState.BOUND_INACTIVE.code());
    /** nlmsghdr (16) + inet_diag_req_v2 (56). */
    static final int REQUEST_LEN = 72;

    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.nativeOrder());

    private final InetDiagParser parser = new InetDiagParser(MAX_SOCKETS);
    private final SocketOwners owners;
    /** The parser gives rows with the owners of the last poll (see {@link InetDiagParser#adopt}). */
    private boolean adopted;
    private volatile boolean resolveOwners;
    /** Whose tcp_info the polls carry (see {@link TcpInfoDemand}). */
    private volatile TcpInfoDemand tcpInfoDemand = TcpInfoDemand.ALL;
    private NetlinkSocket socket;
    private int sequence;
    private boolean closed;

    /** @param procRoot where /proc is, for owners; @param resolveOwners whether to look owners up */
    public NetlinkSource(Path procRoot, boolean resolveOwners) {
        this.owners = new SocketOwners(procRoot);
        this.resolveOwners = resolveOwners;
    }

    public NetlinkSource() {
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
    public void setTcpInfoWanted(boolean wanted) {
        tcpInfoDemand = wanted ? TcpInfoDemand.ALL : TcpInfoDemand.NONE;
    }

    @Override
    public void setTcpInfoDemand(TcpInfoDemand demand) {
        tcpInfoDemand = demand;
    }

    @Override
    public boolean ownersCostAPoll() {
        return true;
    }

    @Override
    public synchronized Snapshot poll() throws SourceException {
        if (closed) throw new SourceException("the netlink source is closed");
        long now = System.currentTimeMillis();
        if (socket == null) socket = openSocket();
        TcpInfoDemand demand = tcpInfoDemand; // one answer for both families and the lookups
        boolean wantInfo = demand.all();
        // the rows go into the last poll's array when its rows went to the owners (who copy them), else a new one
        int want = Math.min(lastCount + (lastCount >> 4) + 16, 2_000_000);
        SocketEntry[] buffer = spareRows;
        spareRows = null;
        if (buffer == null || buffer.length < want || buffer.length - want > (want >> 2)) buffer = new SocketEntry[want];
        InetDiagParser.Dump all = new InetDiagParser.Dump(buffer);
        parser.startPoll(now);
        if (!resolveOwners && adopted) { // the rows kept carry the owners of an earlier poll
            parser.forgetRows();
            adopted = false;
        }
        long t0 = System.nanoTime();
        boolean pipelined = this.pipelined;
        if (pipelined) {
            readPipelined(all, wantInfo ? EXT : 0, resolveOwners && ownersDuringDump);
        } else {
            readInline(all, wantInfo);
        }
        long t1 = System.nanoTime();
        parser.endPoll(); // the previous poll's gone sockets are let go now, not a poll later
        lastCount = all.sockets.size();
        List<String> warnings = new ArrayList<>();
        if (all.malformed > 0)
            warnings.add(all.malformed + " malformed netlink record(s) skipped, first: " + all.firstMalformed);
        if (all.interrupted)
            warnings.add("the table changed while the kernel was dumping it: a socket may be missing or listed twice");
        List<SocketEntry> rows; // rates come with the parser's tcp_info (per cookie)
        int count = all.sockets.size();
        if (resolveOwners) {
            rows = owners.attach(all.sockets, now, warnings);
            // an unchanged socket is one row object, not a raw one and its owned copy (only the places that got a copy read)
            IntArrayList copied = owners.copiedPlaces();
            parser.adopt(all.sockets, rows, copied.buffer, copied.size());
            adopted = true;
            // the owners keep their own copies: the array is filled again by the next poll (its rows let go now)
            SocketEntry[] used = all.sockets.array();
            Arrays.fill(used, 0, count, null);
            spareRows = used;
        } else {
            rows = Snapshot.handedRows(all.sockets.array(), count); // the snapshot's, never written again
        }
        long t2 = System.nanoTime();
        lastLookups = 0;
        lastRead = !wantInfo && demand.count() > 0 && socket != null ? lookUpDemand(rows, demand, now, warnings) : TcpInfoReadings.NONE;
        long t3 = System.nanoTime();
        NetlinkReceiver r = receiver;
        lastStages = new long[] {t1 - t0, pipelined ? (r == null ? 0 : r.receiveNanos()) : inlineReceiveNanos, t2 - t1,
                pipelined ? parseNanos : -1, pipelined ? ownersAheadNanos : 0, t3 - t2, lastLookups};
        return new Snapshot(now, rows, INFO, warnings, resolveOwners ? owners.holders() : SocketHolders.NONE);
    }

    /**
     * Whether a second thread receives the dump while the polling thread parses it ({@link NetlinkReceiver}):
     * with more than one core, unless {@code -Dtcplens.netlink.pipeline=false}.
     */
    static final boolean PIPELINE = !"false".equals(System.getProperty("tcplens.netlink.pipeline"))
            && Runtime.getRuntime().availableProcessors() > 1;
    private volatile boolean pipelined = PIPELINE;

    /** Receive on a second thread while parsing (default {@link #PIPELINE}), or both on the polling thread (for benchmarks). */
    public void setPipelined(boolean on) {
        pipelined = on;
    }

    private NetlinkReceiver receiver;

    /** The last pipelined poll's datagrams and hand-overs to the parser ({0, 0} before one). For tests and benchmarks. */
    int[] lastReceiveCounts() {
        NetlinkReceiver r = receiver;
        return r == null ? new int[2] : new int[] {r.datagrams(), r.handOvers()};
    }
    /** See {@link #setBatchedReceive}. */
    private volatile boolean batchedReceive = !"false".equals(System.getProperty("tcplens.netlink.batch"));

    /**
     * Whether the receive thread hands the parser several datagrams at once (default; {@link NetlinkReceiver}),
     * or one each (as before round 23; {@code -Dtcplens.netlink.batch=false}). For benchmarks; takes effect
     * with the next pipelined poll.
     */
    public void setBatchedReceive(boolean on) {
        if (batchedReceive == on) return;
        batchedReceive = on;
        NetlinkReceiver r = receiver;
        if (r != null) {
            r.close();
            receiver = null;
        }
    }
    private int lastCount;
    /** The array of the last poll's dump when nothing reads it any more (see {@link #poll()}), else null. */
    private SocketEntry[] spareRows;
    private long inlineReceiveNanos;
    /** The polling thread's time in the parser during the last pipelined dump. */
    private long parseNanos;
    private volatile long[] lastStages = new long[7];
    private int lastLookups;

    /**
     * The last poll's stages in ns: the dump (receive and parse, overlapped when pipelined), the time
     * spent in {@code recv} alone (the kernel building and copying the dump), the owners after the dump,
     * the polling thread's time in the parser (pipelined; -1 otherwise), its time in the owners'
     * work during the dump (pipelined; part of the dump), the time of the exact lookups of the sockets a
     * {@link TcpInfoDemand#only} named, and how many sockets were looked up. For benchmarks.
     */
    public long[] lastStages() {
        return lastStages.clone();
    }

    /**
     * Whether a pipelined poll works out owners while the dump still arrives (default), or only after
     * it (for benchmarks: the earlier way).
     */
    private volatile boolean ownersDuringDump = true;
    /** The polling thread's time in the owners' work during the last pipelined dump. */
    private long ownersAheadNanos;

    /** See {@link #ownersDuringDump}; for benchmarks. */
    public void setOwnersDuringDump(boolean on) {
        ownersDuringDump = on;
    }

    /**
     * Receives on {@link NetlinkReceiver}'s thread and parses here; with {@code owners}, between two
     * datagrams also works out the owners of the rows parsed so far ({@link SocketOwners#prepare}):
     * the kernel's {@code recv} is most of a dump, so the polling thread would otherwise wait for it.
     */
    private void readPipelined(InetDiagParser.Dump all, int ext, boolean owners) throws SourceException {
        if (receiver == null) receiver = new NetlinkReceiver(BUFFER_BYTES, batchedReceive);
        parseNanos = 0;
        ownersAheadNanos = 0;
        int[] families = {InetDiagParser.AF_INET, InetDiagParser.AF_INET6};
        int[] seqs = {++sequence, ++sequence};
        receiver.start(socket, families, seqs, TABLE_STATES, ext);
        boolean ok = false;
        try {
            for (int k = 0; k < families.length; k++) {
                all.done = false;
                while (!all.done) {
                    NetlinkReceiver.Chunk c = receiver.next(RECEIVE_TIMEOUT_MS + 1_000L);
                    if (c.failure() instanceof SourceException e) throw e;
                    if (c.failure() instanceof NetlinkSocket.NativeCallException e) {
                        if (NetlinkSocket.isTimeout(e))
                            throw new SourceException("the kernel did not answer the sock_diag request within "
                                    + RECEIVE_TIMEOUT_MS / 1000 + " s", e);
                        throw new SourceException("netlink sock_diag read failed: " + e.getMessage(), e);
                    }
                    if (c.failure() != null) throw new SourceException("netlink sock_diag read failed: " + c.failure(), c.failure());
                    if (c.seq() != seqs[k]) throw new SourceException("netlink sock_diag read failed: replies out of order");
                    if (c.length() == 0) throw new SourceException("the netlink socket returned an empty reply before the dump ended");
                    long p0 = System.nanoTime();
                    parser.parse(c.buffer(), c.length(), seqs[k], all);
                    long p1 = System.nanoTime();
                    parseNanos += p1 - p0;
                    receiver.release(c.buffer());
                    if (owners) {
                        this.owners.prepare(all.sockets);
                        ownersAheadNanos += System.nanoTime() - p1;
                    }
                }
                if (all.kernelErrno != 0) {
                    if (families[k] == InetDiagParser.AF_INET6 && isNoFamily(all.kernelErrno)) {
                        all.kernelErrno = 0; // a kernel without IPv6: no tcp6 table, like a missing /proc/net/tcp6
                        continue;
                    }
                    throw new SourceException("the kernel refused the sock_diag request for "
                            + (families[k] == InetDiagParser.AF_INET ? "IPv4" : "IPv6") + ": "
                            + NetlinkSocket.errnoName(all.kernelErrno));
                }
            }
            ok = true;
        } catch (RuntimeException e) {
            throw new SourceException("netlink sock_diag read failed: " + e, e);
        } finally {
            if (!receiver.finish(!ok, RECEIVE_TIMEOUT_MS + 1_000L)) {
                receiver.retire(socket); // closes the socket once its recv returns
                receiver = null;
                socket = null;
            } else if (!ok) {
                discardSocket();
            }
        }
    }

    private void readInline(InetDiagParser.Dump all, boolean wantInfo) throws SourceException {
        inlineReceiveNanos = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_BYTES, 8);
            MemorySegment request = arena.allocate(REQUEST_LEN, 8);
            MemorySegment callState = NetlinkSocket.allocateCallState(arena);
            for (int family : new int[] {InetDiagParser.AF_INET, InetDiagParser.AF_INET6}) {
                int seq = ++sequence;
                fillRequest(request, family, TABLE_STATES, seq, wantInfo ? EXT : 0);
                socket.send(request, REQUEST_LEN, arena);
                all.done = false;
                readDump(socket, buffer, callState, seq, all);
                if (all.kernelErrno != 0) {
                    if (family == InetDiagParser.AF_INET6 && isNoFamily(all.kernelErrno)) {
                        all.kernelErrno = 0; // a kernel without IPv6: no tcp6 table, like a missing /proc/net/tcp6
                        continue;
                    }
                    throw new SourceException("the kernel refused the sock_diag request for "
                            + (family == InetDiagParser.AF_INET ? "IPv4" : "IPv6") + ": "
                            + NetlinkSocket.errnoName(all.kernelErrno));
                }
            }
        } catch (NetlinkSocket.NativeCallException e) {
            discardSocket();
            throw new SourceException("netlink sock_diag read failed: " + e.getMessage(), e);
        } catch (SourceException e) {
            discardSocket();
            throw e;
        } catch (RuntimeException e) {
            discardSocket();
            throw new SourceException("netlink sock_diag read failed: " + e, e);
        }
    }

    private static boolean isNoFamily(int errno) {
        return errno == 2 || errno == 97; // ENOENT, EAFNOSUPPORT
    }

    /** Receives datagrams of request {@code seq} until NLMSG_DONE or an error, within the bounds. */
    private void readDump(NetlinkSocket s, MemorySegment buffer, MemorySegment callState, int seq, InetDiagParser.Dump dump)
            throws SourceException, NetlinkSocket.NativeCallException {
        for (int datagrams = 0; !dump.done; datagrams++) {
            if (datagrams >= MAX_DATAGRAMS)
                throw new SourceException("the kernel's sock_diag dump did not end after " + MAX_DATAGRAMS + " replies");
            long n;
            try {
                long t0 = System.nanoTime();
                n = s.receive(buffer, callState);
                inlineReceiveNanos += System.nanoTime() - t0;
            } catch (NetlinkSocket.NativeCallException e) {
                if (NetlinkSocket.isTimeout(e))
                    throw new SourceException("the kernel did not answer the sock_diag request within "
                            + RECEIVE_TIMEOUT_MS / 1000 + " s", e);
                throw e;
            }
            if (n == 0) throw new SourceException("the netlink socket returned an empty reply before the dump ended");
            parser.parse(buffer, n, seq, dump);
        }
    }

    /** Exact lookups sent in one datagram: their replies (~2 KiB each in the receive buffer) must never fill it. */
    static final int LOOKUPS_PER_SEND = 16;
    /** At most this many sockets are looked up in one poll (a table shows ~30–100 rows). */
    static final int MAX_LOOKUPS = 512;

    /**
     * The counters of the sockets {@code demand} names (the rows a person sees), read beside this poll's rows
     * (which carry none: the dump was read without tcp_info): each named socket this poll listed, if it is a
     * full socket that has counters (not a listener, TIME_WAIT or request socket), is asked for alone — an
     * exact SOCK_DIAG_BY_FAMILY request (no NLM_F_DUMP) with its 4-tuple and cookie, as {@code ss -K} looks a
     * socket up ({@link SockDestroy}); the kernel answers ESTALE for a 4-tuple that another socket holds now,
     * ENOENT for one closed since the dump. Requests go {@link #LOOKUPS_PER_SEND} to a datagram. The rows are
     * never copied or written (at 100k rows a copy of the list per poll for ~40 readings): the readings go
     * with the poll ({@link #tcpInfoRead}), and a table shows a row's counters from them.
     */
    private TcpInfoReadings lookUpDemand(List<SocketEntry> rows, TcpInfoDemand demand, long now, List<String> warnings) {
        int n = Math.min(demand.count(), MAX_LOOKUPS);
        SocketEntry[] named = new SocketEntry[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            long c = demand.cookie(i);
            int place = parser.placeOf(c, rows);
            if (place < 0 || place >= rows.size()) continue;
            SocketEntry e = rows.get(place);
            KernelTcpState ks = e.kernelState();
            if (ks == null || !hasCounters(ks) || e.timer() == TimerKind.TIME_WAIT) continue;
            named[m++] = e;
        }
        lastLookups = m;
        if (m == 0) return TcpInfoReadings.NONE;
        try {
            return exactLookups(named, m, now, true);
        } catch (NetlinkSocket.NativeCallException | SourceException | RuntimeException e) {
            // the dump stands; the rows in view lack their counters this poll (a late answer is of another sequence)
            discardSocket();
            warnings.add("traffic counters of the rows in view not read: " + e.getMessage());
            return TcpInfoReadings.NONE;
        }
    }

    /**
     * Asks the kernel for the counters of the first {@code m} of {@code named} alone, each by its 4-tuple and
     * cookie ({@link #LOOKUPS_PER_SEND} to a datagram); those it answers with an error or another socket are
     * {@link TcpInfoReadings#gone}. {@code asOfPoll}: read as of this poll ({@code now}), with rates against the
     * previous poll's reading; otherwise without rates and without touching what the parser keeps.
     */
    private TcpInfoReadings exactLookups(SocketEntry[] named, int m, long now, boolean asOfPoll)
            throws NetlinkSocket.NativeCallException, SourceException {
        TcpInfo[] found = new TcpInfo[m];
        boolean[] answeredAll = new boolean[m];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate((long) REQUEST_LEN * LOOKUPS_PER_SEND, 8);
            MemorySegment buffer = arena.allocate(BUFFER_BYTES, 8);
            MemorySegment callState = NetlinkSocket.allocateCallState(arena);
            boolean[] answered = new boolean[LOOKUPS_PER_SEND];
            TcpInfo[] out = new TcpInfo[LOOKUPS_PER_SEND];
            long[] batch = new long[LOOKUPS_PER_SEND];
            for (int from = 0; from < m; from += LOOKUPS_PER_SEND) {
                int count = Math.min(LOOKUPS_PER_SEND, m - from);
                int first = sequence + 1;
                sequence += count;
                for (int i = 0; i < count; i++) {
                    SocketEntry e = named[from + i];
                    batch[i] = e.cookie();
                    int family = e.local().address() instanceof Inet4Address ? InetDiagParser.AF_INET : InetDiagParser.AF_INET6;
                    MemorySegment one = request.asSlice((long) i * REQUEST_LEN, REQUEST_LEN);
                    SockDestroy.fill(one, InetDiagParser.SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, first + i, family, e.key(), batch[i]);
                    one.set(ValueLayout.JAVA_BYTE, 18, (byte) EXT_INFO); // idiag_ext
                }
                Arrays.fill(answered, false);
                Arrays.fill(out, null);
                socket.send(request, (long) REQUEST_LEN * count, arena);
                for (int got = 0; got < count; ) {
                    long len = socket.receive(buffer, callState);
                    if (len == 0) throw new SourceException("the netlink socket returned an empty reply");
                    got += parser.lookupReplies(buffer, len, first, batch, count, out, answered, asOfPoll);
                }
                System.arraycopy(out, 0, found, from, count);
                System.arraycopy(answered, 0, answeredAll, from, count);
            }
        }
        long[] cookies = new long[m];
        long[] gone = new long[m];
        int read = 0, g = 0;
        for (int i = 0; i < m; i++) {
            if (found[i] != null) {
                cookies[read] = named[i].cookie();
                found[read++] = found[i];
            } else if (answeredAll[i]) {
                gone[g++] = named[i].cookie();
            }
        }
        return TcpInfoReadings.of(now, cookies, found, read, Arrays.copyOf(gone, g));
    }

    /** The counters the last poll read for the rows it was asked for by cookie (see {@link #lookUpDemand}). */
    private volatile TcpInfoReadings lastRead = TcpInfoReadings.NONE;

    @Override
    public TcpInfoReadings tcpInfoRead() {
        return lastRead;
    }

    @Override
    public boolean looksUpTcpInfo() {
        return true;
    }

    /**
     * The counters of these sockets now, each by an exact request with its 4-tuple and cookie (see
     * {@link #lookUpDemand}), outside a poll (it waits for one in progress): without rates, and what the
     * parser keeps for the polls' rates is not touched. Listeners, TIME_WAIT and request sockets, and rows
     * without a cookie, are not asked for (they have no counters); a socket closed since is
     * {@link TcpInfoReadings#gone}.
     */
    @Override
    public synchronized TcpInfoReadings lookUpTcpInfo(List<SocketEntry> sockets) throws SourceException {
        if (closed) throw new SourceException("the netlink source is closed");
        SocketEntry[] named = new SocketEntry[sockets.size()];
        int m = 0;
        for (SocketEntry e : sockets) {
            KernelTcpState ks = e.kernelState();
            // (a FIN_WAIT2 row on the TIME_WAIT timer is the kernel's timewait socket for it: no tcp_info)
            if (e.hasCookie() && ks != null && hasCounters(ks) && e.timer() != TimerKind.TIME_WAIT) named[m++] = e;
        }
        if (m == 0) return TcpInfoReadings.NONE;
        if (socket == null) socket = openSocket();
        try {
            return exactLookups(named, m, System.currentTimeMillis(), false);
        } catch (NetlinkSocket.NativeCallException | RuntimeException e) {
            discardSocket();
            throw new SourceException("netlink sock_diag lookup failed: " + e.getMessage(), e);
        } catch (SourceException e) {
            discardSocket();
            throw e;
        }
    }

    /** Sockets whose last counters the parser keeps (for tests: a table reading the rows in view keeps theirs only). */
    synchronized int countersKept() {
        return parser.countersKept();
    }

    /** A full socket, whose tcp_info the kernel sends and a row shows (a listener's holds no traffic). */
    static boolean hasCounters(KernelTcpState ks) {
        return ks != KernelTcpState.LISTEN && ks != KernelTcpState.TIME_WAIT && ks != KernelTcpState.NEW_SYN_RECV;
    }

    /** idiag_ext: ask for INET_DIAG_INFO (struct tcp_info) with every full socket. */
    static final int EXT_INFO = 1 << (InetDiagParser.INET_DIAG_INFO - 1);
    /** What a dump asks for: tcp_info, unless -Dtcplens.netlink.tcpInfo=false (a cheaper poll of huge tables). */
    static final int EXT = "false".equals(System.getProperty("tcplens.netlink.tcpInfo")) ? 0 : EXT_INFO;

    /** Writes nlmsghdr + inet_diag_req_v2 asking for a dump of every TCP socket of {@code family} in {@code states}. */
    static void fillRequest(MemorySegment m, int family, int states, int seq) {
        fillRequest(m, family, states, seq, 0);
    }

    /** The same, with the extensions {@code ext} (idiag_ext bits) asked for. */
    static void fillRequest(MemorySegment m, int family, int states, int seq, int ext) {
        m.fill((byte) 0);
        m.set(HOST_INT, 0, REQUEST_LEN);                                   // nlmsg_len
        m.set(HOST_SHORT, 4, (short) InetDiagParser.SOCK_DIAG_BY_FAMILY);  // nlmsg_type
        m.set(HOST_SHORT, 6, (short) (NLM_F_REQUEST | NLM_F_DUMP));        // nlmsg_flags
        m.set(HOST_INT, 8, seq);                                           // nlmsg_seq
        m.set(HOST_INT, 12, 0);                                            // nlmsg_pid
        m.set(ValueLayout.JAVA_BYTE, 16, (byte) family);                   // sdiag_family
        m.set(ValueLayout.JAVA_BYTE, 17, (byte) IPPROTO_TCP);              // sdiag_protocol
        m.set(ValueLayout.JAVA_BYTE, 18, (byte) ext);                      // idiag_ext
        m.set(HOST_INT, 20, states);                                       // idiag_states
        // inet_diag_sockid (bytes 24..71) all zero: no filter
    }

    private static NetlinkSocket openSocket() throws SourceException {
        try {
            return NetlinkSocket.open(RECEIVE_TIMEOUT_MS);
        } catch (NetlinkSocket.NativeCallException e) {
            throw new SourceException("cannot open a netlink sock_diag socket: " + e.getMessage(), e);
        } catch (RuntimeException | LinkageError e) {
            throw new SourceException("cannot call libc through the Foreign Function API: " + e.getMessage(), e);
        }
    }

    /** The outcome of the first probe; what the kernel supports does not change while we run. */
    private static volatile Optional<String> probed;

    /**
     * Whether sock_diag answers here: opens a socket and asks for an IPv4 dump of no state at all,
     * which the kernel answers with an empty NLMSG_DONE. Empty if it works, otherwise why not.
     * Probed once per JVM: the first call also links libc through the FFM API, which costs far
     * more than the round trip itself.
     */
    static Optional<String> probe() {
        Optional<String> p = probed;
        if (p == null) probed = p = probeNow();
        return p;
    }

    private static Optional<String> probeNow() {
        NetlinkSocket s;
        try {
            s = openSocket();
        } catch (SourceException e) {
            return Optional.of(e.getMessage());
        }
        try (s; Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_BYTES, 8);
            MemorySegment request = arena.allocate(REQUEST_LEN, 8);
            fillRequest(request, InetDiagParser.AF_INET, 0, 1);
            s.send(request, REQUEST_LEN, arena);
            InetDiagParser.Dump dump = new InetDiagParser.Dump();
            MemorySegment callState = NetlinkSocket.allocateCallState(arena);
            InetDiagParser p = new InetDiagParser(MAX_SOCKETS);
            for (int i = 0; i < 100 && !dump.done; i++) p.parse(buffer, s.receive(buffer, callState), 1, dump);
            if (!dump.done) return Optional.of("the kernel's sock_diag dump did not end");
            if (dump.kernelErrno != 0)
                return Optional.of("the kernel refused a sock_diag request: " + NetlinkSocket.errnoName(dump.kernelErrno));
            return Optional.empty();
        } catch (SourceException | NetlinkSocket.NativeCallException e) {
            return Optional.of("netlink sock_diag does not answer: " + e.getMessage());
        } catch (RuntimeException | LinkageError e) {
            return Optional.of("netlink sock_diag does not answer: " + e);
        }
    }

    private void discardSocket() {
        if (socket != null) socket.close();
        socket = null;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (receiver != null) {
            receiver.close();
            receiver = null;
        }
        discardSocket();
    }
}
