package io.tcplens.source.events;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.KernelTcpState;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;

/**
 * bpftrace's event and heartbeat lines read in place from the bytes of its stdout: no {@code String} per line
 * (read as chars, then compressed back to bytes: 61 MB of the reader's 139 MB in 90 s of the window on the
 * steady-churn 100k table), no {@link EventLine.Event} per event and no {@code InetAddress} for an IPv4
 * 4-tuple (its addresses are kept as numbers, as the ring holds them). Only what is plainly the program's
 * own output is read here: ASCII, single spaces, an IPv4 (or v4-mapped) address, numbers that fit. Anything
 * else — an IPv6 address, an escaped or non-ASCII process name, bpftrace's own lines — says {@code false}, and
 * the reader decodes that line and gives it to {@link EventLine#parse(String)}, which answers as before.
 */
final class EventBytes {
    private static final byte[] PRINTF = "{\"type\": \"printf\", \"data\": \"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAPPED = "::ffff:".getBytes(StandardCharsets.US_ASCII);

    private EventBytes() {}

    /**
     * One event's fields, filled by the reader and reused for the next line (one per reader thread). A held
     * connect() event is a {@link #copy()}. An IPv4 4-tuple is in {@code src}, {@code sport}, {@code dst},
     * {@code dport} ({@code v4}); any other is in {@code key}.
     */
    static final class Fields {
        long mono, skaddr, acked, received;
        KernelTcpState from, to;
        boolean v4;
        int src, dst, sport, dport, pid;
        ConnectionKey key;
        String comm;

        int localPort() {
            return v4 ? sport : key.local().port();
        }

        /** Takes the 4-tuple of {@code o} (a connect()'s event gets the port its socket's next event names). */
        void tupleOf(Fields o) {
            v4 = o.v4;
            src = o.src;
            dst = o.dst;
            sport = o.sport;
            dport = o.dport;
            key = o.key;
        }

        Fields copy() {
            Fields c = new Fields();
            c.mono = mono;
            c.skaddr = skaddr;
            c.acked = acked;
            c.received = received;
            c.from = from;
            c.to = to;
            c.pid = pid;
            c.comm = comm;
            c.tupleOf(this);
            return c;
        }

        /** The fields of an event parsed from a string (a line the bytes did not read, and the tests). */
        static Fields of(EventLine.Event e) {
            Fields f = new Fields();
            f.mono = e.monoNanos();
            f.skaddr = e.skaddr();
            f.acked = e.acked();
            f.received = e.received();
            f.from = e.from();
            f.to = e.to();
            f.pid = e.pid();
            f.comm = e.comm();
            ConnectionKey k = e.key();
            InetAddress s = k.local().address(), d = k.remote().address();
            if (s instanceof Inet4Address s4 && d instanceof Inet4Address d4 && k.local().ifIndex() == 0
                    && k.remote().ifIndex() == 0) {
                f.v4 = true;
                f.src = EventColumns.ipv4(s4);
                f.dst = EventColumns.ipv4(d4);
                f.sport = k.local().port();
                f.dport = k.remote().port();
            } else {
                f.key = k;
            }
            return f;
        }
    }

    /**
     * The data of a printf line ({@code {"type": "printf", "data": "…\n"}}) between {@code from} and {@code end}:
     * returns {@code dataFrom << 32 | dataEnd} (without the trailing {@code \n}), or -1 when it is not one.
     */
    static long printfData(byte[] b, int from, int end) {
        if (end - from < PRINTF.length + 2 || b[end - 1] != '}' || b[end - 2] != '"') return -1;
        for (int i = 0; i < PRINTF.length; i++) if (b[from + i] != PRINTF[i]) return -1;
        int at = from + PRINTF.length, to = end - 2;
        if (to - at >= 2 && b[to - 2] == '\\' && b[to - 1] == 'n') to -= 2;
        return (long) at << 32 | to;
    }

    /**
     * An event line's data ({@code "E nsecs skaddr old new sport dport saddr daddr pid acked received comm"}) into
     * {@code f}; false when it is not one this reads (then {@link EventLine#parse(String)} decides).
     */
    static boolean event(byte[] b, int at, int end, Fields f) {
        if (end - at < 2 || b[at] != 'E' || b[at + 1] != ' ') return false;
        int p = at + 2;
        int e = space(b, p, end);
        if (e < 0 || e - p > 18) return false;
        long ns = decimal(b, p, e);
        if (ns < 0) return false;
        p = e + 1;
        e = space(b, p, end);
        if (e < 0 || e - p > 16 || e == p) return false;
        long sk = 0;
        for (int i = p; i < e; i++) {
            int d = hexDigit(b[i]);
            if (d < 0) return false;
            sk = sk << 4 | d;
        }
        p = e + 1;
        e = space(b, p, end);
        int oldState = small(b, p, e);
        p = e + 1;
        e = space(b, p, end);
        int newState = small(b, p, e);
        if (oldState < 0 || newState < 0) return false;
        KernelTcpState from = KernelTcpState.fromCode(oldState).orElse(null);
        KernelTcpState to = KernelTcpState.fromCode(newState).orElse(null);
        if (from == null || to == null) return false;
        p = e + 1;
        e = space(b, p, end);
        int sport = small(b, p, e);
        p = e + 1;
        e = space(b, p, end);
        int dport = small(b, p, e);
        if (sport < 0 || dport < 0) return false;
        p = e + 1;
        e = space(b, p, end);
        long src = ipv4(b, p, e);
        p = e + 1;
        e = space(b, p, end);
        long dst = ipv4(b, p, e);
        if (src < 0 || dst < 0) return false;
        p = e + 1;
        e = space(b, p, end);
        int pid;
        if (e > p && b[p] == '-') {
            pid = small(b, p + 1, e);
            if (pid < 0) return false;
            pid = -pid;
        } else {
            pid = small(b, p, e);
            if (pid < 0) return false;
        }
        p = e + 1;
        e = space(b, p, end);
        if (e < 0 || e - p > 18) return false;
        long acked = decimal(b, p, e);
        p = e + 1;
        e = space(b, p, end);
        if (e < 0 || e - p > 18) return false;
        long received = decimal(b, p, e);
        if (acked < 0 || received < 0) return false;
        String comm = comm(b, e + 1, end);
        if (comm == null) return false;
        f.mono = ns;
        f.skaddr = sk;
        f.from = from;
        f.to = to;
        f.v4 = true;
        f.src = (int) src;
        f.dst = (int) dst;
        f.sport = sport;
        f.dport = dport;
        f.key = null;
        f.pid = pid;
        f.acked = acked;
        f.received = received;
        f.comm = comm;
        return true;
    }

    /**
     * A heartbeat's data ({@code "H nsecs cpu"} or {@code "H nsecs"}) as {@code {nsecs, cpu}} into {@code out}
     * (cpu -1 when absent); false when it is not one this reads.
     */
    static boolean heartbeat(byte[] b, int at, int end, long[] out) {
        if (end - at < 3 || b[at] != 'H' || b[at + 1] != ' ') return false;
        int p = at + 2;
        int e = p;
        while (e < end && b[e] != ' ') e++;
        if (e - p > 18) return false;
        long ns = decimal(b, p, e);
        if (ns < 0) return false;
        int cpu = -1;
        if (e < end) {
            cpu = small(b, e + 1, end);
            if (cpu < 0) return false;
        }
        out[0] = ns;
        out[1] = cpu;
        return true;
    }

    /** The next space at or after {@code from} before {@code end}, or -1 (also when {@code from} is -1 or past the end). */
    private static int space(byte[] b, int from, int end) {
        if (from <= 0) return -1;
        for (int i = from; i < end; i++) if (b[i] == ' ') return i;
        return -1;
    }

    /** Digits only, 1 to 18 of them (what fits in a long), or -1. */
    private static long decimal(byte[] b, int from, int to) {
        if (from <= 0 || to <= from) return -1;
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return -1;
            v = v * 10 + d;
        }
        return v;
    }

    /** Digits only, 1 to 9 of them, or -1. */
    private static int small(byte[] b, int from, int to) {
        if (from <= 0 || to - from > 9) return -1;
        return (int) decimal(b, from, to);
    }

    private static int hexDigit(byte c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }

    /**
     * An IPv4 address as ntop writes it, v4-mapped ({@code ::ffff:a.b.c.d}) or not, as its number (0 to
     * 2^32-1); -1 for anything else (an IPv6 address; a quad with a leading zero, which ntop does not write).
     */
    static long ipv4(byte[] b, int from, int to) {
        if (from <= 0 || to <= from) return -1;
        int p = from;
        if (to - from > MAPPED.length && b[from] == ':') {
            for (int i = 0; i < MAPPED.length; i++) if (b[from + i] != MAPPED[i]) return -1;
            p += MAPPED.length;
        }
        long v = 0;
        for (int part = 0; part < 4; part++) {
            int q = p;
            int n = 0;
            while (q < to && b[q] >= '0' && b[q] <= '9' && q - p < 3) n = n * 10 + (b[q++] - '0');
            if (q == p || n > 255 || (q - p > 1 && b[p] == '0')) return -1;
            v = v << 8 | n;
            if (part < 3) {
                if (q >= to || b[q] != '.') return -1;
                p = q + 1;
            } else if (q != to) {
                return -1;
            }
        }
        return v;
    }

    /**
     * A number in {@code radix} (10 or 16) from {@code from} up to the next space or {@code end}, into {@code out[k]}:
     * where it ends (the space, or {@code end}); -1 when there is no digit, a character that is not one, or more
     * digits than fit (16 hex digits, all 64 bits; 18 decimal ones, as {@link #decimal}).
     */
    static int number(byte[] b, int from, int end, int radix, long[] out, int k) {
        if (from <= 0 || from >= end) return -1;
        int e = from;
        while (e < end && b[e] != ' ') e++;
        if (e == from || e - from > (radix == 16 ? 16 : 18)) return -1;
        long v = 0;
        if (radix == 16) {
            for (int i = from; i < e; i++) {
                int d = hexDigit(b[i]);
                if (d < 0) return -1;
                v = v << 4 | d;
            }
        } else if ((v = decimal(b, from, e)) < 0) {
            return -1;
        }
        out[k] = v;
        return e;
    }

    /** A process name of printable ASCII with no escape, as one shared string; null for any other. */
    static String comm(byte[] b, int from, int end) {
        if (from <= 0 || from > end) return null;
        for (int i = from; i < end; i++) if (b[i] < 0x20 || b[i] > 0x7e || b[i] == '\\' || b[i] == '"') return null;
        return EventLine.comm(b, from, end);
    }
}
