package io.tcplens.source.ssh;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.FactsMirror;
import io.tcplens.source.MirroredFacts;
import io.tcplens.source.SocketTableSource;
import io.tcplens.source.SourceException;
import io.tcplens.source.linux.ProcNetTcpParser;
import io.tcplens.source.linux.ProcessResolver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.carrotsearch.hppc.IntHashSet;
import com.carrotsearch.hppc.IntObjectHashMap;
import com.carrotsearch.hppc.LongArrayList;
import com.carrotsearch.hppc.LongHashSet;
import io.tcplens.model.SocketHolders;
import io.tcplens.source.RemoteLink;
import io.tcplens.source.linux.SocketOwners;

/**
 * A remote Linux server's TCP table over SSH, agentless: every poll runs the server's own
 * {@code cat /proc/net/tcp /proc/net/tcp6} (and {@code /proc/net/netstat}) on a new channel of one
 * kept-open session and parses it with {@link ProcNetTcpParser}. Owners come from the server's
 * {@code /proc/PID/fd} (as far as the login may see), looked up only when unknown inodes appear.
 * The server's sysctls, routes, addresses and the operator's address as the server sees it
 * ({@code SSH_CONNECTION}) are mirrored as {@link MirroredFacts} for the analyses and the export.
 *
 * <p>A dropped connection makes {@link #poll()} fail with a message saying the shown table is the
 * last good one and stale; reconnects follow with back-off (1 s, doubling, at most 15 s). A refused
 * host key or login is final: it is not retried.
 */
public final class SshSource implements SocketTableSource, MirroredFacts, RemoteLink {
    static final String MARK = "@@tcplens ";
    private static final byte[] MARK_BYTES = MARK.getBytes(StandardCharsets.US_ASCII);
    static final String POLL_COMMAND = "cat /proc/net/tcp; echo '" + MARK + "tcp6'; cat /proc/net/tcp6 2>/dev/null;"
            + " echo '" + MARK + "netstat'; cat /proc/net/netstat 2>/dev/null";
    /**
     * Socket inode → PID from the fd links of the processes in the login's own network namespace
     * (a container's processes hold sockets of tables this source does not show): one find for the
     * namespace links, one for the fds.
     */
    static final String OWNERS_COMMAND = "n=$(readlink /proc/self/ns/net | sed 's/[][]/\\\\&/g');"
            + " find /proc/[0-9]*/ns/net -maxdepth 0 -lname \"$n\" 2>/dev/null | sed 's|/ns/net$|/fd|'"
            + " | xargs -r sh -c 'find \"$@\" -maxdepth 1 -lname \"socket:\\[*\" -printf \"%h %l\\n\" 2>/dev/null' sh;"
            + " echo '" + MARK + "comm'; grep -s . /proc/[0-9]*/comm; echo '" + MARK + "uid'; id -u";
    /**
     * Appended to {@link #POLL_COMMAND} with the pids that held a socket of the last table: prints
     * those that no longer run (no /proc/PID, or a zombie: state Z or X), with shell builtins only —
     * no process started per pid — so an ended holder is dropped at the next poll, not at the next
     * fd scan.
     */
    static String goneCommand(String pids) {
        // no cd: the commands run in one long-lived sh (SshConnection.run), a cd would outlast this poll
        return "; echo '" + MARK + "gone'; for p in " + pids + "; do s=;"
                + " { while read -r k v r; do [ \"$k\" = State: ] && { s=$v; break; }; done < /proc/$p/status; } 2>/dev/null;"
                + " case \"$s\" in ''|Z|X) echo $p;; esac; done";
    }

    static final String FACTS_COMMAND = "grep -s . /proc/sys/net/ipv4/* /proc/sys/net/core/*;"
            + " echo '" + MARK + "route'; cat /proc/net/route 2>/dev/null;"
            + " echo '" + MARK + "ipv6_route'; cat /proc/net/ipv6_route 2>/dev/null;"
            + " echo '" + MARK + "resolv'; cat /etc/resolv.conf 2>/dev/null;"
            + " echo '" + MARK + "ssh'; echo \"$SSH_CONNECTION\";"
            + " echo '" + MARK + "addr'; (ip -o addr show 2>/dev/null | awk '{print $4}') || hostname -I;"
            + " echo '" + MARK + "hostname'; hostname";
    static final long FIRST_RETRY_MS = 1_000;
    static final long MAX_RETRY_MS = 15_000;
    static final long FACTS_REFRESH_MS = 60_000;
    static final long OWNER_MIN_RESCAN_MS = 2_000;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    private final SshTarget target;
    private final SshConnection conn;
    private final boolean resolveOwners;
    private final ProcNetTcpParser parser = new ProcNetTcpParser();
    /** The server's tcp and tcp6 files as last read (see {@link ProcNetTcpParser#read}). */
    private final ProcNetTcpParser.Listing[] listings = {new ProcNetTcpParser.Listing(), new ProcNetTcpParser.Listing()};
    private int lastCount = 16;
    private final FactsMirror facts;
    private final SourceInfo info;
    private String refused;
    private int failures;
    private long nextAttemptMillis;
    private long lastGoodMillis;
    private long lastFactsMillis;
    private String remoteHostname;
    private volatile long roundTripNanos = -1;
    private volatile long roundTripAtMillis;
    private volatile boolean connected;
    private volatile int reconnects;
    // owners: the shared resolver, fed by the server's fd links in one batch per scan
    private final RemoteFdLister fdLister = new RemoteFdLister();
    private final ProcessResolver resolver = new ProcessResolver(fdLister, ProcessResolver.ProcessFilter.ALL, OWNER_MIN_RESCAN_MS);
    /** Every holder of a shared socket, each checked at every poll ({@link #goneCommand}). */
    private final SocketOwners owners = new SocketOwners(resolver, fdLister::alive);
    /** The server's processes that held a socket of the last table: their liveness is asked with the next poll. */
    private String watched = "";

    /**
     * Connects now, so a wrong address, host key or login is reported at once.
     *
     * @throws SourceException one line: unreachable, refused host key, no key accepted
     */
    public SshSource(SshTarget target, SshSettings settings, boolean resolveOwners) throws SourceException {
        this.target = target;
        this.resolveOwners = resolveOwners;
        try {
            this.conn = new SshConnection(target, settings);
        } catch (SshConnection.Refused e) {
            throw new SourceException(e.getMessage(), e);
        }
        this.facts = new FactsMirror("host " + target.host());
        this.info = new SourceInfo(SourceInfo.Kind.LIVE, target.uri(), "host " + conn.endpoint() + " (SSH, /proc/net/tcp)");
        try {
            conn.ensureOpen();
            connected = true;
            refreshFacts(System.currentTimeMillis());
        } catch (SshConnection.Refused e) {
            close();
            throw new SourceException(e.getMessage(), e);
        } catch (IOException e) {
            close();
            throw new SourceException(e.getMessage(), e);
        }
    }

    public SshTarget target() {
        return target;
    }

    /**
     * The last poll's round trip in ms, or -1 before the first: from sending the poll's command on
     * the kept-open session to the first byte of the answer (one network round trip plus the
     * server starting {@code cat}).
     */
    @Override
    public double roundTripMillis() {
        long n = roundTripNanos;
        return n < 0 ? -1 : n / 1e6;
    }

    @Override
    public long roundTripAtMillis() {
        return roundTripAtMillis;
    }

    @Override
    public String host() {
        return target.host();
    }

    @Override
    public boolean connected() {
        return connected;
    }

    /** Successful reconnects since the source opened. */
    public int reconnects() {
        return reconnects;
    }

    /** The server's own name (its {@code hostname}), once known. */
    public Optional<String> remoteHostname() {
        return Optional.ofNullable(remoteHostname);
    }

    @Override
    public SourceInfo info() {
        return info;
    }

    @Override
    public synchronized Snapshot poll() throws SourceException {
        long now = System.currentTimeMillis();
        if (refused != null) throw new SourceException(refused);
        if (!conn.isOpen()) {
            connected = false;
            if (now < nextAttemptMillis) throw stale(null, now);
            try {
                conn.ensureOpen();
                reconnects++;
            } catch (SshConnection.Refused e) {
                refused = e.getMessage();
                throw new SourceException(refused, e);
            } catch (IOException e) {
                throw failed(e, now);
            }
        }
        SshConnection.Result r;
        try {
            if (now - lastFactsMillis >= FACTS_REFRESH_MS) refreshFacts(now);
            r = conn.run(resolveOwners && !watched.isEmpty() ? POLL_COMMAND + goneCommand(watched) : POLL_COMMAND);
        } catch (IOException e) {
            conn.drop();
            throw failed(e, now);
        }
        connected = true;
        failures = 0;
        roundTripNanos = r.channelNanos();
        roundTripAtMillis = System.currentTimeMillis();
        if (r.exitStatus() != 0 && r.out().length == 0)
            throw new SourceException(conn.endpoint() + " could not read /proc/net/tcp: " + firstLine(r.err()));
        List<SocketEntry> rows = new ArrayList<>(lastCount + (lastCount >>> 4));
        List<String> warnings = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        StringBuilder netstat = new StringBuilder();
        // the output's sections: the tcp file, then each after a mark line (tcp6, netstat, gone)
        byte[] out = r.out();
        String section = "tcp";
        for (int from = 0; from < out.length; ) {
            int mark = markAt(out, from);
            int to = mark < 0 ? out.length : mark;
            if (section.equals("tcp") || section.equals("tcp6")) {
                // the file's bytes as the /proc source reads them: a line that says what it said at the last poll
                // gives its row again (the same object), nothing made per line
                try {
                    parser.read(listings[section.equals("tcp") ? 0 : 1], new ByteArrayInputStream(out, from, to - from), now, rows, bad);
                } catch (IOException e) {
                    throw new IllegalStateException(e); // (an array's stream does not fail)
                }
            } else {
                for (String line : new String(out, from, to - from, StandardCharsets.US_ASCII).split("\n")) {
                    if (section.equals("gone")) {
                        try {
                            fdLister.gone.add(Integer.parseInt(line.strip()));
                        } catch (NumberFormatException ignored) {
                            // not a pid
                        }
                    } else if (section.equals("netstat")) {
                        netstat.append(line).append('\n');
                    }
                }
            }
            if (mark < 0) break;
            int eol = mark;
            while (eol < out.length && out[eol] != '\n') eol++;
            section = new String(out, mark + MARK.length(), eol - mark - MARK.length(), StandardCharsets.US_ASCII).strip();
            from = eol + 1;
        }
        lastCount = rows.size();
        int malformed = bad.size();
        String firstBad = malformed == 0 ? null : bad.get(0).strip();
        if (malformed > 0) warnings.add(malformed + " malformed line(s) from " + target.host() + " skipped, first: " + firstBad);
        if (!netstat.isEmpty()) facts.put("/proc/net/netstat", netstat.toString());
        SocketHolders holders = SocketHolders.NONE;
        if (resolveOwners) {
            rows = attachOwners(rows, now, warnings);
            holders = owners.holders();
            watched = fdLister.holdersOf(rows);
        }
        lastGoodMillis = now;
        return new Snapshot(now, rows, info, warnings, holders);
    }

    /** Where the first line at or after {@code from} that begins with {@link #MARK} begins, or -1. */
    static int markAt(byte[] out, int from) {
        byte[] m = MARK_BYTES;
        for (int i = from; i <= out.length - m.length; ) {
            if (Arrays.equals(out, i, i + m.length, m, 0, m.length)) return i;
            while (i < out.length && out[i] != '\n') i++;
            i++;
        }
        return -1;
    }

    private SourceException failed(IOException e, long now) {
        conn.drop();
        connected = false;
        failures++;
        long wait = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(failures - 1, 10));
        nextAttemptMillis = now + wait;
        return stale(e.getMessage(), now);
    }

    private SourceException stale(String why, long now) {
        long in = Math.max(0, (nextAttemptMillis - now + 999) / 1000);
        String lost = why == null ? "connection to " + target.host() + " lost" : why;
        String shown = lastGoodMillis == 0 ? "" : "; the table shown is the last good one, from "
                + CLOCK.format(Instant.ofEpochMilli(lastGoodMillis)) + " — stale";
        return new SourceException(lost + shown + "; reconnecting in " + in + " s");
    }

    private List<SocketEntry> attachOwners(List<SocketEntry> rows, long now, List<String> warnings) throws SourceException {
        fdLister.failure = null;
        List<SocketEntry> out = owners.attach(rows, now, warnings);
        if (fdLister.failure != null) {
            conn.drop();
            throw failed(fdLister.failure, now);
        }
        if (owners.unowned() > 0 && fdLister.limited)
            warnings.add("process names hidden for " + owners.unowned() + " socket(s): the login " + conn.user()
                    + " may not read other users' processes on " + target.host());
        return out;
    }

    /**
     * The server's processes and socket fds for {@link ProcessResolver}: one {@link #OWNERS_COMMAND}
     * per scan gives every process's socket links and names at once; the resolver's per-process
     * questions are answered from that batch (a deep scan right after a light one reuses it).
     */
    private final class RemoteFdLister implements ProcessResolver.FdLister {
        private static final long REUSE_MS = 1_000;
        private final IntObjectHashMap<LongArrayList> fds = new IntObjectHashMap<>();
        private final Map<Integer, String> names = new HashMap<>();
        private long fetchedNanos = Long.MIN_VALUE / 2;
        /** Not root on the server: other users' fds are hidden. */
        boolean limited;
        /** The connection failed during this poll's scan. */
        IOException failure;
        /** Processes a poll's {@link #goneCommand} found ended (or zombies) since the last fd batch (which supersedes it). */
        final IntHashSet gone = new IntHashSet();

        /** The processes of the last fd batch holding one of these rows' sockets, space-separated. */
        String holdersOf(List<SocketEntry> rows) {
            LongHashSet inodes = new LongHashSet();
            for (SocketEntry e : rows) if (e.inode() != 0) inodes.add(e.inode());
            StringBuilder sb = new StringBuilder();
            for (var c : fds) {
                if (gone.contains(c.key)) continue;
                long[] a = c.value.buffer;
                for (int i = 0; i < c.value.size(); i++)
                    if (inodes.contains(a[i])) {
                        sb.append(sb.isEmpty() ? "" : " ").append(c.key);
                        break;
                    }
            }
            return sb.toString();
        }

        @Override
        public int[] pids() throws IOException {
            if (System.nanoTime() - fetchedNanos > REUSE_MS * 1_000_000) {
                try {
                    fetch();
                } catch (IOException e) {
                    failure = e;
                    throw e;
                }
                fetchedNanos = System.nanoTime();
            }
            return fds.keys().toArray();
        }

        @Override
        public long fdCount(int pid) {
            return -1; // the batch has the links already: nothing to save
        }

        @Override
        public long[] socketInodes(int pid) throws IOException {
            LongArrayList l = fds.get(pid);
            if (l == null) throw new IOException("process " + pid + " gone");
            return l.toArray();
        }

        @Override
        public String name(int pid) {
            return names.get(pid);
        }

        @Override
        public boolean alive(int pid) {
            // as of the last batch, and not found ended by this poll's check of the last table's holders
            return fds.containsKey(pid) && !gone.contains(pid);
        }

        private void fetch() throws IOException {
            SshConnection.Result r = conn.run(OWNERS_COMMAND);
            fds.clear();
            gone.clear();
            names.clear();
            String section = "fd";
            for (String line : new String(r.out(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith(MARK)) {
                    section = line.substring(MARK.length()).strip();
                    continue;
                }
                try {
                    switch (section) {
                        case "fd" -> { // /proc/123/fd socket:[456]
                            int sp = line.indexOf(' ');
                            if (sp < 0 || !line.startsWith("/proc/")) continue;
                            int pid = Integer.parseInt(line, 6, line.indexOf('/', 6), 10);
                            int lb = line.indexOf('[', sp), rb = line.indexOf(']', sp);
                            if (lb > 0 && rb > lb) {
                                long ino = Long.parseLong(line, lb + 1, rb, 10);
                                LongArrayList l = fds.get(pid);
                                if (l == null) fds.put(pid, l = new LongArrayList());
                                l.add(ino);
                            }
                        }
                        case "comm" -> { // /proc/123/comm:name
                            int c = line.indexOf(':');
                            if (c < 0 || !line.startsWith("/proc/")) continue;
                            names.put(Integer.parseInt(line, 6, line.indexOf('/', 6), 10), line.substring(c + 1));
                        }
                        case "uid" -> limited = !line.strip().equals("0");
                        default -> { }
                    }
                } catch (RuntimeException e) {
                    // a line changed under us (process exited): skip it
                }
            }
        }
    }

    private void refreshFacts(long now) throws IOException {
        SshConnection.Result r = conn.run(FACTS_COMMAND);
        lastFactsMillis = now;
        String section = "sysctl";
        Map<String, StringBuilder> files = new HashMap<>();
        List<String> addresses = new ArrayList<>();
        for (String line : new String(r.out(), StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.startsWith(MARK)) {
                section = line.substring(MARK.length()).strip();
                continue;
            }
            switch (section) {
                case "sysctl" -> {
                    int c = line.indexOf(':');
                    if (c > 0 && line.startsWith("/proc/sys/net/"))
                        files.computeIfAbsent(line.substring(0, c), k -> new StringBuilder()).append(line.substring(c + 1)).append('\n');
                }
                case "route" -> files.computeIfAbsent("/proc/net/route", k -> new StringBuilder()).append(line).append('\n');
                case "ipv6_route" -> files.computeIfAbsent("/proc/net/ipv6_route", k -> new StringBuilder()).append(line).append('\n');
                case "resolv" -> files.computeIfAbsent("/etc/resolv.conf", k -> new StringBuilder()).append(line).append('\n');
                case "ssh" -> {
                    String[] f = line.strip().split("\\s+");
                    if (f.length >= 1 && !f[0].isEmpty()) facts.setOperatorAddress(f[0]);
                }
                case "addr" -> {
                    for (String a : line.strip().split("\\s+")) {
                        if (a.isEmpty()) continue;
                        int slash = a.indexOf('/');
                        addresses.add(slash < 0 ? a : a.substring(0, slash));
                    }
                }
                case "hostname" -> {
                    if (!line.isBlank()) remoteHostname = line.strip();
                }
                default -> { }
            }
        }
        files.forEach((path, text) -> facts.put(path, text.toString()));
        facts.setOwnAddresses(addresses);
    }

    private static String firstLine(String s) {
        String t = s == null ? "" : s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    @Override
    public String factsOrigin() {
        return "host " + target.host() + (remoteHostname != null && !remoteHostname.equals(target.host()) ? " (" + remoteHostname + ")" : "");
    }

    @Override
    public FactsMirror facts() {
        return facts;
    }

    @Override
    public void close() {
        conn.close();
        if (facts != null) facts.close();
    }
}
