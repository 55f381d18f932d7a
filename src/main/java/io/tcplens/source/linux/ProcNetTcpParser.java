package io.tcplens.source.linux;

import com.carrotsearch.hppc.IntObjectHashMap;
import com.carrotsearch.hppc.LongIntHashMap;
import io.tcplens.model.Addresses;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TimerKind;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses {@code /proc/net/tcp} and {@code /proc/net/tcp6} (format of net/ipv4/tcp_ipv4.c
 * {@code tcp4_seq_show}). Addresses are the kernel's network-order bytes printed as host-order
 * 32-bit words; timer times are in USER_HZ ticks. Malformed lines are skipped and counted.
 *
 * <p>What the file cannot tell, and how the rows say so:
 * <ul>
 * <li>A request socket (the kernel's NEW_SYN_RECV) is printed with state SYN_RECV like a full
 *     socket, but by {@code get_openreq4/6} with a reference count of 0 (column 11), which a full
 *     socket never has: such a row gets kernelState {@link KernelTcpState#NEW_SYN_RECV}.</li>
 * <li>The uid column of a request socket is its listener's, and of a TIME_WAIT socket 0, though no
 *     user owns either: both get {@link SocketEntry#UNKNOWN_UID}, as on netlink.</li>
 * <li>A listener's tx_queue column is 0, not its backlog limit (the file has no backlog column): its
 *     send queue is {@link SocketEntry#UNKNOWN_QUEUE}.</li>
 * <li>There is no interface column: a link-local endpoint has no zone (index 0), so the same
 *     link-local 4-tuple on two interfaces gives two rows with one key.</li>
 * <li>Bound-only sockets (no listen(), no connect()) are in no table this file walks.</li>
 * </ul>
 *
 * <p>A live source reads each file with a {@link Listing} ({@link #read(Listing, Path, long, List, List)}), parsing
 * its bytes as they come: no {@code String} per line or field, and a line that says what the same 4-tuple's line of the
 * last listing said (every column the rows read but the timer's time left) gives that listing's row again —
 * the same object, so the owners and the tracker see at once that nothing changed (issue 11: at 100k sockets a
 * poll of /proc made ~1.4 KB of strings, fields and objects per line, 137 MB a poll, and took 1.8× one
 * {@code ss -tan}, 3.5× reading the files alone). A TIME_WAIT row carries its timer as a due time then, as
 * netlink's do, so that a timer that only counts down is no change.
 */
public final class ProcNetTcpParser {
    private static final InetAddress ANY4 = Addresses.fromBytes(new byte[4]);
    private final long millisPerTick;
    /** IPv4 addresses by the file's 32-bit word: few distinct ones (one local address, few remotes) for 100k rows. */
    private final IntObjectHashMap<InetAddress> v4Cache = new IntObjectHashMap<>();
    /** IPv6 addresses by their 32 hex digits' value (tcp6 is usually small). */
    private final Map<V6, InetAddress> v6Cache = new HashMap<>();

    private record V6(long hi, long lo) {}

    /** @param userHz the kernel's USER_HZ (100 on every mainstream Linux) */
    public ProcNetTcpParser(int userHz) {
        this.millisPerTick = 1000L / userHz;
    }

    public ProcNetTcpParser() {
        this(100);
    }

    /**
     * One data line; empty when it is malformed. Its timer, if any, as a stored time left (no poll time). A live
     * source reads whole files with {@link #read(Listing, Path, long, List, List)}.
     */
    public Optional<SocketEntry> parseLine(String line) {
        byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
        int[] f = new int[FIELDS * 2];
        int nf = fields(b, 0, b.length, f);
        if (nf < 10) return Optional.empty();
        return Optional.ofNullable(row(b, f, nf, 0));
    }

    // ---------------------------------------------------------------------------------------------------------
    // the bytes of a listing

    /** Fields a line is cut into (the rest of the line is not read): sl, addresses, st, queues, timer, retransmits, uid, timeout, inode, refcount. */
    static final int FIELDS = 11;
    private static final int LOCAL = 1, REMOTE = 2, ST = 3, QUEUES = 4, TIMER = 5, RETR = 6, UID = 7, INODE = 9, REFCOUNT = 10;

    /**
     * Cuts the line from {@code from} (up to its newline, or {@code to}) into its first {@link #FIELDS} fields:
     * field i from {@code f[2i]} to {@code f[2i + 1]}. Returns how many there are; the rest of the line is not read.
     */
    static int fields(byte[] b, int from, int to, int[] f) {
        int n = 0, i = from;
        while (n < FIELDS) {
            byte c = 0;
            while (i < to && ((c = b[i]) == ' ' || c == '\t')) i++;
            if (i >= to || c == '\n') break;
            f[2 * n] = i;
            while (i < to && (c = b[i]) != ' ' && c != '\t' && c != '\n') i++;
            f[2 * n + 1] = i;
            n++;
        }
        return n;
    }

    /** Hex digits at {@code [from, to)} (at most 16), or -1 when one is not a hex digit or there are none or too many. */
    private static long hex(byte[] b, int from, int to) {
        if (to <= from || to - from > 16) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            int c = b[i], d;
            if (c >= '0' && c <= '9') d = c - '0';
            else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
            else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
            else return -1;
            v = (v << 4) | d;
        }
        return v;
    }

    /** Decimal digits at {@code [from, to)} (at most 18), or -1. */
    private static long decimal(byte[] b, int from, int to) {
        if (to <= from || to - from > 18) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            int c = b[i] - '0';
            if (c < 0 || c > 9) return -1;
            v = v * 10 + c;
        }
        return v;
    }

    /** Where the colon of the field at {@code [from, to)} is, or -1. */
    private static int colon(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) if (b[i] == ':') return i;
        return -1;
    }

    /**
     * The row of the line whose {@code nf} fields are {@code f} (at least 10), or null when it is malformed. A
     * TIME_WAIT row's timer is a due time ({@code pollMillis} plus its time left) when {@code pollMillis > 0},
     * else, like every other row's, its time left.
     */
    private SocketEntry row(byte[] b, int[] f, int nf, long pollMillis) {
        try {
            if (b[f[1] - 1] != ':') return null; // "sl:"
            Endpoint local = endpoint(b, f[2 * LOCAL], f[2 * LOCAL + 1]);
            Endpoint remote = endpoint(b, f[2 * REMOTE], f[2 * REMOTE + 1]);
            if (local == null || remote == null) return null;
            if (local.address() instanceof Inet4Address && remote.isIpv6() && remote.isWildcard())
                remote = new Endpoint(ANY4, remote.port()); // a dual-stack listener on a v4(-mapped) address
            long code = hex(b, f[2 * ST], f[2 * ST + 1]);
            if (code < 0 || code > Integer.MAX_VALUE) return null;
            Optional<KernelTcpState> ks = KernelTcpState.fromCode((int) code);
            if (ks.isEmpty()) return null;
            int q = colon(b, f[2 * QUEUES], f[2 * QUEUES + 1]);
            int t = colon(b, f[2 * TIMER], f[2 * TIMER + 1]);
            if (q < 0 || t < 0) return null;
            long tx = hex(b, f[2 * QUEUES], q), rx = hex(b, q + 1, f[2 * QUEUES + 1]);
            long tr = hex(b, f[2 * TIMER], t), when = hex(b, t + 1, f[2 * TIMER + 1]);
            long retr = hex(b, f[2 * RETR], f[2 * RETR + 1]);
            long uidValue = decimal(b, f[2 * UID], f[2 * UID + 1]);
            long inode = decimal(b, f[2 * INODE], f[2 * INODE + 1]);
            if (tx < 0 || rx < 0 || tr < 0 || tr > Integer.MAX_VALUE || when < 0 || retr < 0 || retr > Integer.MAX_VALUE
                    || uidValue < 0 || uidValue > Integer.MAX_VALUE || inode < 0) return null;
            int uid = (int) uidValue;
            KernelTcpState kernel = ks.get();
            // a request socket: SYN_RECV printed by get_openreq with reference count 0
            if (kernel == KernelTcpState.SYN_RECV && nf > REFCOUNT && f[2 * REFCOUNT + 1] - f[2 * REFCOUNT] == 1
                    && b[f[2 * REFCOUNT]] == '0') kernel = KernelTcpState.NEW_SYN_RECV;
            if (kernel == KernelTcpState.NEW_SYN_RECV || kernel == KernelTcpState.TIME_WAIT) uid = SocketEntry.UNKNOWN_UID;
            if (kernel == KernelTcpState.LISTEN) tx = SocketEntry.UNKNOWN_QUEUE;
            TimerKind timer = TimerKind.fromProcCode((int) tr);
            long ms = when * millisPerTick;
            boolean due = timer != null && pollMillis > 0 && kernel == KernelTcpState.TIME_WAIT;
            return new SocketEntry(new ConnectionKey(local, remote), kernel.rfcState(), kernel, tx, rx, timer,
                    timer == null || due ? null : ms, (int) retr, uid, inode, null, null, false, false,
                    SocketEntry.NO_COOKIE, null, due ? pollMillis + ms : SocketEntry.NO_DUE);
        } catch (RuntimeException e) {
            return null; // a value out of a row's range (the row's own checks)
        }
    }

    private Endpoint endpoint(byte[] b, int from, int to) {
        int c = colon(b, from, to);
        if (c - from != 8 && c - from != 32) return null;
        long port = hex(b, c + 1, to);
        if (port < 0 || port > 0xFFFF) return null;
        InetAddress a;
        if (c - from == 8) {
            long word = hex(b, from, c);
            if (word < 0) return null;
            a = v4Cache.get((int) word);
            if (a == null) {
                if (v4Cache.size() > 50_000) v4Cache.clear();
                byte[] raw = new byte[4];
                for (int i = 0; i < 4; i++) raw[i] = (byte) (word >>> (8 * i)); // the word in host (little-endian) order
                a = Addresses.fromBytes(raw);
                v4Cache.put((int) word, a);
            }
        } else {
            long w0 = hex(b, from, from + 8), w1 = hex(b, from + 8, from + 16), w2 = hex(b, from + 16, from + 24), w3 = hex(b, from + 24, c);
            if (w0 < 0 || w1 < 0 || w2 < 0 || w3 < 0) return null;
            V6 k = new V6(w0 << 32 | w1, w2 << 32 | w3);
            a = v6Cache.get(k);
            if (a == null) {
                if (v6Cache.size() > 50_000) v6Cache.clear();
                byte[] raw = new byte[16];
                long[] words = {w0, w1, w2, w3};
                for (int w = 0; w < 4; w++)
                    for (int i = 0; i < 4; i++) raw[w * 4 + i] = (byte) (words[w] >>> (8 * i));
                a = Addresses.fromBytes(raw); // ::ffff:a.b.c.d comes back as Inet4Address
                v6Cache.put(k, a);
            }
        }
        return new Endpoint(a, (int) port);
    }

    // ---------------------------------------------------------------------------------------------------------
    // listings: one file read again and again

    /**
     * What the last read of one file said, line by line: a hash of what each line says (every column a row reads
     * but the timer's time left), a hash of its addresses, and its row — what {@link #read(Listing, Path, long,
     * List, List)} compares the next read's lines with. Not the file's bytes: read in chunks, the file is never
     * whole in memory (at 100k sockets it is 15 MB). One per file (tcp, tcp6); not thread-safe.
     */
    public static final class Listing {
        private byte[] buffer = new byte[CHUNK];
        private long[] said = new long[0], where = new long[0];
        private SocketEntry[] rows = new SocketEntry[0];
        private int count;
        private long[] nextSaid = new long[0], nextWhere = new long[0];
        private SocketEntry[] nextRows = new SocketEntry[0];
        /** The last read's lines by their addresses' hash, made at the first run of lines the cursor does not find. */
        private final LongIntHashMap byAddress = new LongIntHashMap();
        private boolean mapped;
        private int given, made;

        /** Rows the last read gave again from the one before (the same objects), and rows it made. */
        int given() {
            return given;
        }

        int made() {
            return made;
        }
    }

    /** Bytes read from the file at a time (the kernel's seq_file fills it with whole lines). */
    static final int CHUNK = 1 << 20;
    /** How far past the cursor a line of the last read is looked for. */
    static final int LOOKAHEAD = 8;
    /** Lines in a row not found ahead of the cursor from which the map of the last read's lines is asked. */
    static final int MISSES_BEFORE_MAP = 4;

    /**
     * Reads {@code file} and adds its rows to {@code out} and the lines it could not read to {@code malformed}. A
     * line that says what the same 4-tuple's line of the last read of this listing said (every byte from the
     * local address to the timer kind, and from the retransmits to the inode, and for a SYN_RECV line its
     * reference count, by a 64-bit hash of them and one of the addresses) gives that read's row again: with a
     * due time (a TIME_WAIT row's) within {@code InetDiagParser.DUE_TOLERANCE_MILLIS} of the one read, or the
     * same time left, the same object, else a copy with the new time. The last read's line is found by position
     * (the kernel walks its hash tables in the same order each time) a few lines ahead of a cursor, else, after
     * a few lines in a row not found so, by a map of its lines' addresses. On an error reading the file, the
     * listing stays as it was.
     */
    public void read(Listing l, Path file, long pollMillis, List<SocketEntry> out, List<String> malformed) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            read(l, in, pollMillis, out, malformed);
        }
    }

    /** As {@link #read(Listing, Path, long, List, List)}, from {@code in} (read to its end, not closed): a file's text from its header on. */
    public void read(Listing l, InputStream in, long pollMillis, List<SocketEntry> out, List<String> malformed) throws IOException {
        long[] said = l.said, where = l.where;
        SocketEntry[] rows = l.rows;
        int prevCount = l.count;
        long[] nextSaid = l.nextSaid, nextWhere = l.nextWhere;
        SocketEntry[] nextRows = l.nextRows;
        int n = 0, cursor = 0, misses = 0, given = 0, made = 0, outStart = out.size(), badStart = malformed.size();
        l.mapped = false;
        int[] f = new int[FIELDS * 2];
        byte[] b = l.buffer;
        boolean header = true;
        try {
            int filled = 0;
            while (true) {
                int r = in.read(b, filled, b.length - filled);
                if (r < 0 && filled == 0) break;
                int len = r < 0 ? filled : filled + r;
                int i = 0, start = 0;
                // the whole lines in b[0, len) (all of it at the end of the file)
                while (true) {
                    // its fields first, then its newline from the last field on (the rest of the line read once)
                    int nf = fields(b, start, len, f);
                    i = nf > 0 ? f[2 * nf - 1] : start;
                    while (i < len && b[i] != '\n') i++;
                    if (i >= len && r >= 0) break; // a line not whole yet: read on
                    int end = i;
                    if (header) header = false;
                    else {
                        if (nf > 0) {
                            SocketEntry row = null;
                            long lineHash = 0, addressHash = 0;
                            int t = nf > TIMER ? colon(b, f[2 * TIMER], f[2 * TIMER + 1]) : -1;
                            if (nf >= 10 && t >= 0) {
                                int a = f[2 * LOCAL], e = f[2 * INODE + 1];
                                boolean synRecv = f[2 * ST + 1] - f[2 * ST] == 2 && b[f[2 * ST]] == '0' && b[f[2 * ST] + 1] == '3';
                                lineHash = hash(b, a, t, SAID);
                                lineHash = hash(b, f[2 * TIMER + 1], e, lineHash);
                                if (synRecv && nf > REFCOUNT) lineHash = hash(b, f[2 * REFCOUNT], f[2 * REFCOUNT + 1], lineHash);
                                addressHash = hash(b, a, f[2 * REMOTE + 1], WHERE);
                                // the same 4-tuple's line of the last read, if it said the same
                                int match = -1;
                                for (int j = cursor, stop = Math.min(prevCount, cursor + LOOKAHEAD); j < stop; j++) {
                                    if (said[j] == lineHash && where[j] == addressHash) {
                                        match = j;
                                        break;
                                    }
                                }
                                // a run of lines not found ahead (a block of the last read's lines gone, a TIME_WAIT
                                // expiry): looked for in a map of the last read's lines (made once a read), and the
                                // cursor moves there; a line alone not found is a new socket (no map made for it)
                                if (match < 0 && prevCount > 0 && ++misses >= MISSES_BEFORE_MAP) {
                                    if (!l.mapped) map(l, where, prevCount);
                                    int j = l.byAddress.getOrDefault(addressHash, -1);
                                    if (j >= 0 && said[j] == lineHash && where[j] == addressHash) match = j;
                                }
                                if (match >= 0) {
                                    misses = 0;
                                    cursor = match + 1;
                                    row = again(rows[match], b, t + 1, f[2 * TIMER + 1], pollMillis);
                                    if (row != null) given++;
                                } else {
                                    row = row(b, f, nf, pollMillis);
                                    if (row != null) made++;
                                }
                            }
                            if (row == null) {
                                malformed.add(new String(b, start, end - start, StandardCharsets.ISO_8859_1));
                            } else {
                                if (nextSaid.length <= n) {
                                    int cap = Math.max(1024, n + (n >>> 1));
                                    nextSaid = Arrays.copyOf(nextSaid, cap);
                                    nextWhere = Arrays.copyOf(nextWhere, cap);
                                    nextRows = Arrays.copyOf(nextRows, cap);
                                }
                                nextSaid[n] = lineHash;
                                nextWhere[n] = addressHash;
                                nextRows[n++] = row;
                                out.add(row);
                            }
                        }
                    }
                    start = ++i;
                    if (i >= len) break;
                }
                if (r < 0) break;
                // the part of a line at the end moves to the front; a line longer than the buffer grows it
                filled = len - Math.min(start, len);
                if (filled > 0) System.arraycopy(b, start, b, 0, filled);
                if (filled == b.length) l.buffer = b = Arrays.copyOf(b, b.length * 2);
            }
        } catch (IOException | RuntimeException e) {
            // nothing of this read counts: the listing stays the last read's
            out.subList(outStart, out.size()).clear();
            malformed.subList(badStart, malformed.size()).clear();
            Arrays.fill(nextRows, 0, n, null);
            l.nextSaid = nextSaid;
            l.nextWhere = nextWhere;
            l.nextRows = nextRows;
            l.byAddress.release();
            throw e;
        }
        // this read's lines are the next one's "last read"; the last read's arrays the next one's to fill
        Arrays.fill(rows, 0, prevCount, null);
        l.said = nextSaid;
        l.where = nextWhere;
        l.rows = nextRows;
        l.count = n;
        l.nextSaid = said;
        l.nextWhere = where;
        l.nextRows = rows;
        l.given = given;
        l.made = made;
        if (l.mapped) l.byAddress.release(); // (made for a mass change: its 3 MB at 100k not kept for the next)
    }

    private static final long SAID = 0x9E3779B97F4A7C15L, WHERE = 0xC2B2AE3D27D4EB4FL;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** 64 bits of the bytes at {@code [from, to)}, on from {@code h} (eight bytes at a time). */
    static long hash(byte[] b, int from, int to, long h) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            h = (h ^ (long) LONGS.get(b, i)) * 0x9E3779B97F4A7C15L;
            h ^= h >>> 32;
        }
        long tail = to - from;
        for (; i < to; i++) tail = (tail << 8) | (b[i] & 0xFF);
        h = (h ^ tail) * 0xBF58476D1CE4E5B9L;
        return h ^ (h >>> 29);
    }

    private static void map(Listing l, long[] where, int count) {
        LongIntHashMap m = l.byAddress;
        m.ensureCapacity(count);
        for (int j = 0; j < count; j++) m.put(where[j], j); // (a 4-tuple listed twice: its later line)
        l.mapped = true;
    }

    /**
     * The row of the last read for a line that says the same but for its timer's time left ({@code [from, to)},
     * in ticks): the same object while its due time (a TIME_WAIT row's) or time left is the same, else a copy
     * with the new one; null when the time is not hex.
     */
    private SocketEntry again(SocketEntry before, byte[] b, int from, int to, long pollMillis) {
        if (before.timer() == null) return before;
        long when = hex(b, from, to);
        if (when < 0) return null;
        long ms = when * millisPerTick;
        if (before.timerDueMillis() != SocketEntry.NO_DUE)
            return InetDiagParser.sameDue(before, pollMillis, ms) ? before : before.withTimerDue(pollMillis + ms);
        Long left = before.timerRemainingMs();
        return left != null && left == ms ? before : before.withTimerRemaining(ms);
    }
}
