package io.tcplens.source.events;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.KernelTransition;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Kernel events held between two drains, in primitive columns of chunks instead of an object per
 * event. A {@link KernelTransition} made on the reader thread and held until the poll was 72 bytes
 * (with its boxed process id more) and lived long enough to be copied to the old generation: a burst of
 * the window's 100k table (its 28k TIME_WAIT sockets remade at once: ~140k events between two polls)
 * held 10–11 MB of them. Here an event takes {@value #LEAN_BYTES} bytes — its time as an offset from its
 * chunk's (8 bytes more for a chunk that spans seconds), an IPv4 4-tuple as two addresses and two ports, the process id, both states in one byte, the
 * process name's reference — and {@value #FULL_BYTES} when the feed keeps the socket's address and byte
 * counters too ({@code record}, {@code events}, {@code lifetimes}; the window's tracker reads neither).
 * The objects are made only when a drain hands the events out. A 4-tuple that is not IPv4 keeps its key
 * object in a column of its chunk, made on first need. Chunks grow from {@value #FIRST_CHUNK} to
 * {@value #CHUNK} events, so a quiet interval holds a few kilobytes and a drained burst's chunks are
 * garbage at once. Not thread-safe: the feed guards it.
 */
final class EventColumns {
    static final int FIRST_CHUNK = 256;
    static final int CHUNK = 4096;
    /** Bytes an event takes in a chunk's columns when the feed keeps only what the tracker reads: see {@link #heldBytes()}. */
    static final int LEAN_BYTES = 4 + 8 + 4 + 4 + 1 + 4;
    /** The same with the socket's address and its two byte counters. */
    static final int FULL_BYTES = LEAN_BYTES + 3 * 8;

    /** An IPv4 address with its number (one object: a race can never pair other ones). */
    private record Numbered(int number, InetAddress address) {}

    /**
     * IPv4 addresses of recent events by their number, direct-mapped: a drain makes keys from them. With the
     * number beside the address, a slot is checked without {@link Inet4Address#getAddress()}'s copy of its
     * bytes (20 MB in 90 s of the window on the steady-churn 100k table).
     */
    private static final Numbered[] ADDRESSES = new Numbered[1 << 8];

    /** A time offset that says the time is in the chunk's {@code far} column. */
    private static final int FAR = Integer.MIN_VALUE;

    private static final class Chunk {
        final long base; // CLOCK_MONOTONIC the times are offsets from
        final int[] time; // ns after base (before it: an earlier event read from another CPU's buffer); FAR: see far
        long[] far; // the time of an event more than an int of nanoseconds from base (null until one comes)
        final long[] addresses; // IPv4 source << 32 | destination
        final int[] ports; // source port << 16 | destination port
        final int[] pid;
        final byte[] states; // from << 4 | to (kernel codes, < 16)
        final String[] comm;
        final long[] skaddr, acked, received; // null when the feed does not keep them
        ConnectionKey[] keys; // a 4-tuple that is not IPv4 (null until one comes)
        int size;

        Chunk(int n, long base, boolean full) {
            this.base = base;
            time = new int[n];
            addresses = new long[n];
            ports = new int[n];
            pid = new int[n];
            states = new byte[n];
            comm = new String[n];
            skaddr = full ? new long[n] : null;
            acked = full ? new long[n] : null;
            received = full ? new long[n] : null;
        }

        int capacity() {
            return time.length;
        }

        void setTime(int i, long mono) {
            long d = mono - base;
            if (d > FAR && d <= Integer.MAX_VALUE) {
                time[i] = (int) d;
            } else { // seconds between two polls of a slow refresh: rare, and at a low rate
                time[i] = FAR;
                if (far == null) far = new long[time.length];
                far[i] = mono;
            }
        }

        long mono(int i) {
            return time[i] == FAR ? far[i] : base + time[i];
        }

        long bytes() {
            long b = (long) time.length * (skaddr != null ? FULL_BYTES : LEAN_BYTES);
            if (far != null) b += 8L * far.length;
            return keys == null ? b : b + 4L * keys.length;
        }
    }

    private final boolean full;
    private final List<Chunk> chunks = new ArrayList<>();
    private int size;

    /** @param full keep each event's socket address and byte counters (else a drain gives 0 and {@link KernelTransition#UNKNOWN_BYTES}) */
    EventColumns(boolean full) {
        this.full = full;
    }

    int size() {
        return size;
    }

    /** What the columns hold in their arrays (not their headers): the memory the held events take. */
    long heldBytes() {
        long b = 0;
        for (Chunk c : chunks) b += c.bytes();
        return b;
    }

    /** A new empty set of columns that keeps what this one keeps. */
    EventColumns emptyLike() {
        return new EventColumns(full);
    }

    /** The chunk the next event goes into (a new one, twice the last's size up to {@value #CHUNK}, when the last is full). */
    private Chunk chunkFor(long mono) {
        Chunk c = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
        if (c != null && c.size < c.capacity()) return c;
        c = new Chunk(c == null ? FIRST_CHUNK : Math.min(CHUNK, c.capacity() * 2), mono, full);
        chunks.add(c);
        return c;
    }

    /** An event as the reader read it (a connect()'s event has the port its socket's next event names). */
    void add(EventBytes.Fields f) {
        Chunk c = slot(f.mono, f.skaddr, f.from, f.to, f.pid, f.acked, f.received, f.comm);
        int i = c.size - 1;
        if (f.v4) {
            c.addresses[i] = (long) f.src << 32 | (f.dst & 0xffff_ffffL);
            c.ports[i] = f.sport << 16 | f.dport;
        } else {
            put(c, i, f.key);
        }
    }

    void add(long mono, long skaddr, KernelTcpState from, KernelTcpState to, ConnectionKey key, int pid, long acked,
             long received, String comm) {
        Chunk c = slot(mono, skaddr, from, to, pid, acked, received, comm);
        int i = c.size - 1;
        InetAddress src = key.local().address(), dst = key.remote().address();
        if (src instanceof Inet4Address s4 && dst instanceof Inet4Address d4 && key.local().ifIndex() == 0
                && key.remote().ifIndex() == 0) {
            c.addresses[i] = (long) ipv4(s4) << 32 | (ipv4(d4) & 0xffff_ffffL);
            c.ports[i] = key.local().port() << 16 | key.remote().port();
        } else {
            put(c, i, key);
        }
    }

    /** A new event's place, with all but its 4-tuple written. */
    private Chunk slot(long mono, long skaddr, KernelTcpState from, KernelTcpState to, int pid, long acked,
                       long received, String comm) {
        Chunk c = chunkFor(mono);
        int i = c.size++;
        size++;
        c.setTime(i, mono);
        c.pid[i] = pid;
        c.states[i] = (byte) (from.code() << 4 | to.code());
        c.comm[i] = comm;
        if (c.skaddr != null) {
            c.skaddr[i] = skaddr;
            c.acked[i] = acked;
            c.received[i] = received;
        }
        return c;
    }

    private static void put(Chunk c, int i, ConnectionKey key) {
        if (c.keys == null) c.keys = new ConnectionKey[c.capacity()];
        c.keys[i] = key;
    }

    /** Copies the events of {@code other} after {@code cutoff} here, in their order ({@code other} is left as it was). */
    void addLater(EventColumns other, long cutoff) {
        for (Chunk c : other.chunks) {
            for (int i = 0; i < c.size; i++) {
                long mono = c.mono(i);
                if (mono <= cutoff) continue;
                Chunk d = chunkFor(mono);
                int j = d.size++;
                size++;
                d.setTime(j, mono);
                d.addresses[j] = c.addresses[i];
                d.ports[j] = c.ports[i];
                d.pid[j] = c.pid[i];
                d.states[j] = c.states[i];
                d.comm[j] = c.comm[i];
                if (d.skaddr != null && c.skaddr != null) {
                    d.skaddr[j] = c.skaddr[i];
                    d.acked[j] = c.acked[i];
                    d.received[j] = c.received[i];
                }
                if (c.keys != null && c.keys[i] != null) {
                    if (d.keys == null) d.keys = new ConnectionKey[d.capacity()];
                    d.keys[j] = c.keys[i];
                }
            }
        }
    }

    /** Adds the events up to {@code cutoff} to {@code out} as transitions, in their order; {@code offsetNanos}: mono → wall. */
    void transitionsUpTo(long cutoff, long offsetNanos, List<KernelTransition> out) {
        for (Chunk c : chunks) {
            for (int i = 0; i < c.size; i++) {
                long mono = c.mono(i);
                if (mono > cutoff) continue;
                KernelTcpState from = KernelTcpState.fromCode((c.states[i] >> 4) & 0xf).orElseThrow();
                KernelTcpState to = KernelTcpState.fromCode(c.states[i] & 0xf).orElseThrow();
                ConnectionKey key = c.keys != null && c.keys[i] != null ? c.keys[i] : key(c.addresses[i], c.ports[i]);
                boolean kept = c.skaddr != null;
                out.add(transition(mono, kept ? c.skaddr[i] : 0, from, to, key, c.pid[i],
                        kept ? c.acked[i] : KernelTransition.UNKNOWN_BYTES, kept ? c.received[i] : KernelTransition.UNKNOWN_BYTES,
                        c.comm[i], offsetNanos));
            }
        }
    }

    /**
     * The transition of one event: the process and its name only where the change is made by the
     * process (connect, listen, close), not in softirq, where whatever task was on the CPU is not its owner.
     */
    static KernelTransition transition(long mono, long skaddr, KernelTcpState from, KernelTcpState to, ConnectionKey key,
                                       int pid, long acked, long received, String comm, long offsetNanos) {
        boolean processContext = processContext(from, to);
        long wall = Math.floorDiv(mono + offsetNanos, 1_000_000L);
        return new KernelTransition(key, skaddr, from, to, wall, mono,
                processContext && pid > 0 ? pid(pid) : null, processContext ? comm : null, acked, received);
    }

    /**
     * Whether the change is made by the process that holds the socket (connect, listen, close), not in softirq: only
     * then is an event's process its owner. ({@link EventBatches}' program names processes for these changes alone.)
     */
    static boolean processContext(KernelTcpState from, KernelTcpState to) {
        return to == KernelTcpState.SYN_SENT || to == KernelTcpState.LISTEN
                || to == KernelTcpState.FIN_WAIT1 || to == KernelTcpState.LAST_ACK
                || (to == KernelTcpState.CLOSE && from == KernelTcpState.LISTEN);
    }

    /**
     * Process ids of recent events, direct-mapped: a process's events share one box (a churning client's connects
     * and closes are a handful of processes; {@link Integer#valueOf} made one per event past 127). A slot is
     * replaced as a whole, and an {@code Integer}'s value is final: a race can only miss.
     */
    private static final Integer[] PIDS = new Integer[1 << 8];

    private static Integer pid(int pid) {
        int slot = (pid * 0x9E3779B9) >>> 24;
        Integer p = PIDS[slot];
        if (p != null && p == pid) return p;
        p = pid;
        PIDS[slot] = p;
        return p;
    }

    /**
     * An IPv4 address as its number: its four bytes, most significant first (network order), as
     * {@link Inet4Address#getAddress()} specifies them. (Not {@code hashCode()}: that it is the same
     * number is how the JDK happens to implement it, not what it promises.) Package-private for the test.
     */
    static int ipv4(Inet4Address a) {
        byte[] b = a.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static int slot(int address) {
        return (address * 0x9E3779B9) >>> 24;
    }

    /** The event key of an IPv4 4-tuple: the reader's address objects and key cache, so a socket's events share one again. */
    private static ConnectionKey key(long addresses, int ports) {
        return EventLine.key(address((int) (addresses >>> 32)), ports >>> 16, address((int) addresses), ports & 0xffff);
    }

    private static InetAddress address(int n) {
        Numbered k = ADDRESSES[slot(n)];
        if (k != null && k.number() == n) return k.address();
        InetAddress a;
        try {
            a = InetAddress.getByAddress(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
        ADDRESSES[slot(n)] = new Numbered(n, a);
        return a;
    }
}
