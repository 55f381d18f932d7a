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
 * event: 54 bytes an event (time, socket address, bytes acked and received, an IPv4 4-tuple as two
 * addresses and two ports, the process and the two states, the process name's reference), where a
 * {@link KernelTransition} with its key, two endpoints and boxed process id took ~100. A burst of the
 * window's 100k table (its 28k TIME_WAIT sockets remade at once: ~140k events between two polls) held
 * 10–11 MB of {@code KernelTransition} alone, each made on the reader thread and living until the poll,
 * long enough to be copied to the old generation. The objects are made only when a drain hands the
 * events out. A 4-tuple that is not IPv4 keeps its key object in a column of its chunk, made on first
 * need. Chunks grow from {@value #FIRST_CHUNK} to {@value #CHUNK} events, so a quiet interval holds a
 * few kilobytes and a drained burst's chunks are garbage at once. Not thread-safe: the feed guards it.
 */
final class EventColumns {
    static final int FIRST_CHUNK = 256;
    static final int CHUNK = 4096;
    /** Bytes an event takes in a chunk's columns (5 longs, 2 ints, 2 state bytes, a reference): see {@link #heldBytes()}. */
    static final int BYTES_PER_EVENT = 5 * 8 + 2 * 4 + 2 + 4;

    /** IPv4 addresses of recent events by their number, direct-mapped: a drain makes keys from them. */
    private static final InetAddress[] ADDRESSES = new InetAddress[1 << 8];

    private static final class Chunk {
        final long[] mono, skaddr, acked, received;
        final long[] addresses; // IPv4 source << 32 | destination
        final int[] ports; // source port << 16 | destination port
        final int[] pid;
        final byte[] from, to;
        final String[] comm;
        ConnectionKey[] keys; // a 4-tuple that is not IPv4 (null until one comes)
        int size;

        Chunk(int n) {
            mono = new long[n];
            skaddr = new long[n];
            acked = new long[n];
            received = new long[n];
            addresses = new long[n];
            ports = new int[n];
            pid = new int[n];
            from = new byte[n];
            to = new byte[n];
            comm = new String[n];
        }

        boolean full() {
            return size == mono.length;
        }

        long bytes() {
            long b = (long) mono.length * BYTES_PER_EVENT;
            return keys == null ? b : b + 4L * keys.length;
        }
    }

    private final List<Chunk> chunks = new ArrayList<>();
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** What the columns hold in their arrays (not their headers): the memory the held events take. */
    long heldBytes() {
        long b = 0;
        for (Chunk c : chunks) b += c.bytes();
        return b;
    }

    /** An event as the reader read it, with {@code key} (a connect()'s event gets the port its socket's next event names). */
    void add(EventLine.Event e, ConnectionKey key) {
        add(e.monoNanos(), e.skaddr(), e.from(), e.to(), key, e.pid(), e.acked(), e.received(), e.comm());
    }

    void add(long mono, long skaddr, KernelTcpState from, KernelTcpState to, ConnectionKey key, int pid, long acked,
             long received, String comm) {
        Chunk c = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
        if (c == null || c.full()) {
            c = new Chunk(c == null ? FIRST_CHUNK : Math.min(CHUNK, c.mono.length * 2));
            chunks.add(c);
        }
        int i = c.size++;
        size++;
        c.mono[i] = mono;
        c.skaddr[i] = skaddr;
        c.acked[i] = acked;
        c.received[i] = received;
        c.pid[i] = pid;
        c.from[i] = (byte) from.code();
        c.to[i] = (byte) to.code();
        c.comm[i] = comm;
        InetAddress src = key.local().address(), dst = key.remote().address();
        if (src instanceof Inet4Address && dst instanceof Inet4Address && key.local().ifIndex() == 0
                && key.remote().ifIndex() == 0) {
            remember(src);
            remember(dst);
            c.addresses[i] = (long) src.hashCode() << 32 | (dst.hashCode() & 0xffff_ffffL);
            c.ports[i] = key.local().port() << 16 | key.remote().port();
        } else {
            if (c.keys == null) c.keys = new ConnectionKey[c.mono.length];
            c.keys[i] = key;
        }
    }

    /** Moves the events of {@code other} after {@code cutoff} here (in their order); {@code other} is left as it was. */
    void addLater(EventColumns other, long cutoff) {
        for (Chunk c : other.chunks) {
            for (int i = 0; i < c.size; i++) {
                if (c.mono[i] <= cutoff) continue;
                Chunk d = chunks.isEmpty() ? null : chunks.get(chunks.size() - 1);
                if (d == null || d.full()) {
                    d = new Chunk(d == null ? FIRST_CHUNK : Math.min(CHUNK, d.mono.length * 2));
                    chunks.add(d);
                }
                int j = d.size++;
                size++;
                d.mono[j] = c.mono[i];
                d.skaddr[j] = c.skaddr[i];
                d.acked[j] = c.acked[i];
                d.received[j] = c.received[i];
                d.addresses[j] = c.addresses[i];
                d.ports[j] = c.ports[i];
                d.pid[j] = c.pid[i];
                d.from[j] = c.from[i];
                d.to[j] = c.to[i];
                d.comm[j] = c.comm[i];
                if (c.keys != null && c.keys[i] != null) {
                    if (d.keys == null) d.keys = new ConnectionKey[d.mono.length];
                    d.keys[j] = c.keys[i];
                }
            }
        }
    }

    /** Adds the events up to {@code cutoff} to {@code out} as transitions, in their order; {@code offsetNanos}: mono → wall. */
    void transitionsUpTo(long cutoff, long offsetNanos, List<KernelTransition> out) {
        for (Chunk c : chunks) {
            for (int i = 0; i < c.size; i++) {
                if (c.mono[i] > cutoff) continue;
                KernelTcpState from = KernelTcpState.fromCode(c.from[i]).orElseThrow();
                KernelTcpState to = KernelTcpState.fromCode(c.to[i]).orElseThrow();
                ConnectionKey key = c.keys != null && c.keys[i] != null ? c.keys[i] : key(c.addresses[i], c.ports[i]);
                out.add(transition(c.mono[i], c.skaddr[i], from, to, key, c.pid[i], c.acked[i], c.received[i],
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
        boolean processContext = to == KernelTcpState.SYN_SENT || to == KernelTcpState.LISTEN
                || to == KernelTcpState.FIN_WAIT1 || to == KernelTcpState.LAST_ACK
                || (to == KernelTcpState.CLOSE && from == KernelTcpState.LISTEN);
        long wall = Math.floorDiv(mono + offsetNanos, 1_000_000L);
        return new KernelTransition(key, skaddr, from, to, wall, mono,
                processContext && pid > 0 ? pid : null, processContext ? comm : null, acked, received);
    }

    private static void remember(InetAddress a) {
        int i = slot(a.hashCode());
        if (ADDRESSES[i] != a) ADDRESSES[i] = a;
    }

    private static int slot(int address) {
        int h = address * 0x9E3779B9;
        return h >>> 24;
    }

    /** The event key of an IPv4 4-tuple: the reader's address objects and key cache, so a socket's events share one again. */
    private static ConnectionKey key(long addresses, int ports) {
        return EventLine.key(address((int) (addresses >>> 32)), ports >>> 16, address((int) addresses), ports & 0xffff);
    }

    private static InetAddress address(int n) {
        int i = slot(n);
        InetAddress a = ADDRESSES[i];
        if (a instanceof Inet4Address && a.hashCode() == n) return a;
        try {
            a = InetAddress.getByAddress(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four bytes are always an address
        }
        ADDRESSES[i] = a;
        return a;
    }
}
