package io.tcplens.source.linux;

import com.carrotsearch.hppc.IntHashSet;
import com.carrotsearch.hppc.IntObjectHashMap;
import com.carrotsearch.hppc.LongObjectHashMap;
import io.tcplens.model.Addresses;
import io.tcplens.model.BigMaps;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpInfo;
import io.tcplens.model.TimerKind;
import io.tcplens.source.SourceException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Reads the datagrams of a sock_diag dump: {@code struct nlmsghdr} records (host byte order,
 * 4-byte aligned) carrying {@code struct inet_diag_msg} (include/uapi/linux/inet_diag.h), whose
 * ports and addresses are in network byte order and whose {@code idiag_expires} is already in ms.
 * Addresses follow {@link ProcNetTcpParser}: {@code ::ffff:a.b.c.d} becomes an
 * {@link Inet4Address}, and a dual-stack listener on such an address gets 0.0.0.0 as its remote
 * wildcard. A record too short to hold an {@code inet_diag_msg}, or with an unknown family or
 * state, is skipped and counted; a header whose length does not fit the datagram ends the dump
 * with a {@link SourceException}, as the rest of the datagram can no longer be framed.
 */
final class InetDiagParser {
    static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_NOOP = 1;
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLMSG_OVERRUN = 4;
    static final int SOCK_DIAG_BY_FAMILY = 20;
    static final int NLM_F_MULTI = 0x2;
    static final int NLM_F_DUMP_INTR = 0x10;
    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    /** sizeof(struct inet_diag_msg): 4 one-byte fields, inet_diag_sockid (48), 5 × u32. */
    static final int INET_DIAG_MSG_LEN = 72;

    /*
     * The records are read from a heap copy of each datagram (one bulk copy out of the receive buffer, see
     * {@link #parse(MemorySegment, long, int, Dump)}) through byte-array view VarHandles: under the launchers'
     * C1-only JIT ({@code -XX:TieredStopAtLevel=1}) a MemorySegment read through a layout kept its checks
     * (isAlignedForElement, checkSegment, the session: 45 % of the poller's samples on a steady 100k table),
     * and these compile to a bounds check and a load (SegmentReadBenchmark: 63-86 against 165-217 ns a
     * 108-byte record with the copy, under C1). The offsets stay longs, as the datagram's are; a datagram
     * (or a receive thread's batch of them) is at most its buffer's 256 KB.
     */
    private static final VarHandle HOST_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final VarHandle HOST_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final VarHandle HOST_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.nativeOrder());
    private static final VarHandle NET_SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle NET_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle NET_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private static byte i8(byte[] m, long at) {
        return m[(int) at];
    }

    private static short i16(byte[] m, long at) {
        return (short) HOST_SHORT.get(m, (int) at);
    }

    private static int i32(byte[] m, long at) {
        return (int) HOST_INT.get(m, (int) at);
    }

    private static long i64(byte[] m, long at) {
        return (long) HOST_LONG.get(m, (int) at);
    }

    private static short n16(byte[] m, long at) {
        return (short) NET_SHORT.get(m, (int) at);
    }

    private static int n32(byte[] m, long at) {
        return (int) NET_INT.get(m, (int) at);
    }

    private static long n64(byte[] m, long at) {
        return (long) NET_LONG.get(m, (int) at);
    }

    /** Where each datagram (or batch of them, {@link NetlinkReceiver}'s 256 KB) is copied to be read (as long as the longest yet). */
    private byte[] bytes = new byte[0];

    /** {@code length} bytes of {@code datagram} in {@link #bytes}. */
    private byte[] copy(MemorySegment datagram, long length) throws SourceException {
        if (length > datagram.byteSize())
            throw new SourceException("netlink reply of " + length + " bytes did not fit the " + datagram.byteSize() + "-byte buffer");
        if (length > Integer.MAX_VALUE - 8)
            throw new SourceException("netlink reply of " + length + " bytes is too long to read");
        if (bytes.length < length) bytes = new byte[(int) Math.max(length, NetlinkSource.BUFFER_BYTES)];
        MemorySegment.copy(datagram, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) length);
        return bytes;
    }

    private static final InetAddress ANY4 = Addresses.fromBytes(new byte[4]);

    /**
     * Addresses repeat a lot; interning keeps 100k rows cheap (as in ProcNetTcpParser). IPv4 by its number in a map of
     * ints (a {@code Map<Integer, …>} boxed the number at every lookup of a new socket's addresses: 0.9 MB at each
     * remake of the burst table).
     */
    private final IntObjectHashMap<InetAddress> v4Cache = new IntObjectHashMap<>();
    private final Map<V6, InetAddress> v6Cache = new HashMap<>();
    private final int maxSockets;
    private final InterfaceNames interfaces = new InterfaceNames();

    private record V6(long high, long low) {}

    /**
     * IPv4 endpoints without an interface that many sockets share, by address and port packed as in
     * {@link ConnectionKey#localOrder}: a server's address and listening port is the local end of
     * every connection it accepted (and the remote end of every loopback client's), so its sockets
     * hold one endpoint, not one each. Only ports that some socket listens on, or that lie below the
     * kernel's default ephemeral range, are kept: a client's ephemeral port names one socket.
     */
    private final LongObjectHashMap<Endpoint> sharedEndpoints = new LongObjectHashMap<>();
    /** The local ports of the listening sockets seen (the kernel dumps its listeners first). */
    private final IntHashSet listeningPorts = new IntHashSet();
    /** The default {@code net.ipv4.ip_local_port_range} starts here: ports below are rarely a client's. */
    static final int EPHEMERAL_FROM = 32768;

    /**
     * What is kept per socket between polls, in columns indexed by the socket's slot (no object per socket:
     * a {@code Known} per socket was 72 bytes at 100k, 114k of them, each marked and, in a mixed pause,
     * copied): its cookie and key, its last row and counters and the poll that read them, the last poll that
     * listed it and where (in this poll's list of slots and in its dump's row list), and its record as last
     * listed: its length (0: not kept, see {@link #SAME_BYTES_MAX}), its {@code idiag_expires}, where its
     * tcp_info attribute is, and a hash of every other byte but the tcp_info's ({@link #recordHash}). A slot
     * is found by cookie ({@link #slotOf}) or by position ({@link #slotsBefore}); the slots of gone
     * sockets are reused by new ones (a free list threaded through {@link Block#position}), and the columns
     * are cut back when the table shrinks a lot ({@link #compact}). An IPv4 socket's identity is checked
     * against its key's packed address and port; an IPv6 one keeps the kernel's address words beside
     * ({@link #v6Identities}). Only the single polling thread reads and writes them.
     * <p>
     * The columns come in blocks of {@link #BLOCK} slots (slot {@code s} is in block {@code s >>> BLOCK_SHIFT}
     * at {@code s & BLOCK_MASK}): a block's longest array is 64 KB, so the columns grow by a block without
     * copying what they hold, and no column is a humongous object to G1 (one array per column of 139k slots,
     * what a 100k table's TIME_WAIT remake asks for, was 555 KB to 1.1 MB: one or two 1 MB regions each, half
     * empty).
     */
    private static final class Block {
        final long[] cookies = new long[BLOCK];
        final ConnectionKey[] keys = new ConnectionKey[BLOCK];
        /** The row each socket gave last (null: none yet): given again, the same object, while nothing in it changed. */
        final SocketEntry[] lastRows = new SocketEntry[BLOCK];
        /** The tcp_info of the last poll that had it (null: none yet), read at poll {@link #countersPoll}. */
        final TcpInfo[] counters = new TcpInfo[BLOCK];
        /**
         * The poll ({@link #generation}, low 8 bits) whose time the counters were read as of: only this poll and
         * the last are told apart (counters of an older poll are dropped when the socket is listed without them,
         * or replaced when listed with them, and a socket not listed at a poll is forgotten).
         */
        final byte[] countersPoll = new byte[BLOCK];
        /**
         * The last poll that listed each socket ({@link #generation}, low 8 bits): only this poll and the last
         * are told apart (a socket that a poll does not list is forgotten at its end).
         */
        final byte[] seen = new byte[BLOCK];
        /** Where in that poll's list of slots ({@link #slotsNow}) its latest listing is; a free slot: the next free one. */
        final int[] position = new int[BLOCK];
        /** Where its latest listing put its row in the dump's row list: for {@link #placeOf} and {@link #adopt}. */
        final int[] place = new int[BLOCK];
        /** The record of the latest listing: a hash of its bytes but {@code idiag_expires} and the tcp_info's. */
        final long[] hashes = new long[BLOCK];
        final int[] expiresAt = new int[BLOCK];
        /** Its length, 0: not kept for the fast path (too long, or tied to an interface). */
        final short[] lengths = new short[BLOCK];
        /** Where its INET_DIAG_INFO attribute begins in it, in 4-byte steps (0: none). */
        final byte[] infoAts = new byte[BLOCK];
        /** The next slot in its cookie's chain ({@link #heads}), -1: none. */
        final int[] next = new int[BLOCK];
    }

    static final int BLOCK_SHIFT = 13, BLOCK = 1 << BLOCK_SHIFT, BLOCK_MASK = BLOCK - 1;
    private Block[] blocks = new Block[0];
    /** Slots in use or freed so far (the columns' used length); the first free one (-1: none). */
    private int slotsUsed, freeSlot = -1;

    /** An IPv6 socket's identity fields as the kernel sent them (addresses in network order). */
    private record V6Identity(int ports, long s0, long s1, long d0, long d1) {
        boolean same(int f, int p, long a0, long a1, long b0, long b1) {
            return ports == p && s0 == a0 && d0 == b0 && s1 == a1 && d1 == b1 && f == AF_INET6;
        }
    }

    /** By slot: the identity of the sockets whose addresses are not both IPv4 (or IPv4-mapped): few on most hosts. */
    private final IntObjectHashMap<V6Identity> v6Identities = new IntObjectHashMap<>();

    /** An IPv6 address (high and low word, network order) of the form {@code ::ffff:a.b.c.d}. */
    static boolean mapped(long high, long low) {
        return high == 0 && (low >>> 32) == 0xFFFFL;
    }

    /**
     * Whether the socket in {@code slot} has these identity fields: an IPv4 socket's, or an IPv6 one's whose
     * both addresses are IPv4-mapped (a dual-stack socket: Java's sockets are), against the key's packed
     * address and port (see {@link ConnectionKey#localOrder}); any other IPv6 one's against its kept words.
     */
    private boolean same(int slot, int f, int p, long a0, long a1, long b0, long b1) {
        if (!v6Identities.isEmpty()) {
            V6Identity v6 = v6Identities.get(slot);
            if (v6 != null) return v6.same(f, p, a0, a1, b0, b1);
        }
        long a, b;
        if (f == AF_INET) {
            a = a0;
            b = b0;
        } else if (f == AF_INET6 && mapped(a0, a1) && mapped(b0, b1)) {
            a = a1;
            b = b1;
        } else {
            return false;
        }
        ConnectionKey key = blocks[slot >>> BLOCK_SHIFT].keys[slot & BLOCK_MASK];
        return key.localOrder() == ((Integer.toUnsignedLong((int) a) << 16) | (p >>> 16))
                && key.remoteOrder() == ((Integer.toUnsignedLong((int) b) << 16) | (p & 0xFFFF));
    }

    /**
     * By socket cookie: the slot of each socket of the previous poll and of this one, so a socket seen again
     * keeps its {@link ConnectionKey} object (unless tied to an interface, whose name could change) and its
     * rates are worked out from its last counters. A table of chains: the first slot of each bucket (-1: none),
     * in blocks of {@link #BLOCK} like the columns, each slot's next in {@link Block#next}; at least as many
     * buckets as sockets (doubled when there are more). Where an HPPC map of cookie to slot held 2^18 + 1 keys
     * and values at 100k sockets once the TIME_WAIT remake passed 111k (2 MB and 1 MB arrays, five 1 MB G1
     * regions), this is 4 bytes a bucket and a slot, and no array longer than 32 KB.
     */
    private int[][] heads = new int[0][];
    private int bucketMask = -1, live;

    /** The slot of the socket with this cookie, -1 when none. */
    private int slotOf(long cookie) {
        if (bucketMask < 0) return -1; // nothing filed yet
        int b = bucket(cookie);
        int s = heads[b >>> BLOCK_SHIFT][b & BLOCK_MASK];
        while (s >= 0) {
            Block k = blocks[s >>> BLOCK_SHIFT];
            int i = s & BLOCK_MASK;
            if (k.cookies[i] == cookie) return s;
            s = k.next[i];
        }
        return -1;
    }

    private int bucket(long cookie) {
        return (int) ((cookie * 0x9E3779B97F4A7C15L) >>> 32) & bucketMask;
    }

    /** Files slot {@code s} (its cookie set, not filed yet) under its cookie; more buckets when there are more sockets. */
    private void file(int s) {
        live++;
        if (live > bucketMask + 1) rehash(Math.max(BLOCK, (bucketMask + 1) << 1));
        link(s);
    }

    private void link(int s) {
        Block k = blocks[s >>> BLOCK_SHIFT];
        int b = bucket(k.cookies[s & BLOCK_MASK]);
        int[] h = heads[b >>> BLOCK_SHIFT];
        k.next[s & BLOCK_MASK] = h[b & BLOCK_MASK];
        h[b & BLOCK_MASK] = s;
    }

    /** Takes slot {@code s} (filed) out of its chain. */
    private void unfile(int s) {
        Block k = blocks[s >>> BLOCK_SHIFT];
        int b = bucket(k.cookies[s & BLOCK_MASK]);
        int[] h = heads[b >>> BLOCK_SHIFT];
        int t = h[b & BLOCK_MASK], prev = -1;
        while (t >= 0 && t != s) {
            prev = t;
            t = blocks[t >>> BLOCK_SHIFT].next[t & BLOCK_MASK];
        }
        if (t < 0) return;
        int after = k.next[s & BLOCK_MASK];
        if (prev < 0) h[b & BLOCK_MASK] = after;
        else blocks[prev >>> BLOCK_SHIFT].next[prev & BLOCK_MASK] = after;
        live--;
    }

    /** {@code buckets} (a power of two, a multiple of {@link #BLOCK}) empty buckets, and every filed slot filed again. */
    private void rehash(int buckets) {
        int[][] old = heads;
        int oldCount = bucketMask + 1;
        heads = new int[buckets >>> BLOCK_SHIFT][];
        for (int c = 0; c < heads.length; c++) {
            heads[c] = new int[BLOCK];
            Arrays.fill(heads[c], -1);
        }
        bucketMask = buckets - 1;
        for (int b = 0; b < oldCount; b++) {
            int s = old[b >>> BLOCK_SHIFT][b & BLOCK_MASK];
            while (s >= 0) {
                int after = blocks[s >>> BLOCK_SHIFT].next[s & BLOCK_MASK];
                link(s);
                s = after;
            }
        }
    }
    /**
     * This poll's and the previous poll's sockets in dump order (their slots): the kernel dumps in hash-bucket
     * order, so a socket seen again is almost always at or just after the previous socket's place there, and
     * found by comparing cookies in order (no map lookup). Kept from poll to poll (swapped by {@link #startPoll}).
     */
    private int[] slotsNow = new int[0], slotsBefore = new int[0];
    private int countNow, countBefore, cursor;
    private long generation;
    /** How far past the cursor a socket is looked for by position before the map. */
    private static final int LOOKAHEAD = 8;

    /** What one dump (one request, all its datagrams) produced so far. */
    static final class Dump {
        final Rows sockets;
        int malformed;
        String firstMalformed;
        /** The kernel flagged the dump as interrupted by a change of the table (NLM_F_DUMP_INTR). */
        boolean interrupted;
        /** NLMSG_DONE (or an error) arrived for the current request. */
        boolean done;
        /** Positive errno the kernel answered with (NLMSG_ERROR, or an error in NLMSG_DONE); 0 if none. */
        int kernelErrno;

        Dump() {
            this(16);
        }

        /** @param expected about how many sockets (the last poll's count), so the list is not regrown */
        Dump(int expected) {
            this(new SocketEntry[Math.max(16, Math.min(expected, 2_000_000))]);
        }

        /** @param buffer where the rows go (grown when too short: see {@link Rows#array()}); its contents are overwritten */
        Dump(SocketEntry[] buffer) {
            sockets = new Rows(buffer);
        }

        void skip(String why) {
            malformed++;
            if (firstMalformed == null) firstMalformed = why;
        }
    }

    /**
     * A dump's rows: a list over an array that may be a buffer its source fills again at the next poll
     * (once nothing reads the rows of this one), where an {@code ArrayList} made an array of a reference per
     * row at every poll (0.4 MB at 100k). Only appended to.
     */
    static final class Rows extends AbstractList<SocketEntry> implements RandomAccess {
        private SocketEntry[] rows;
        private int size;

        Rows(SocketEntry[] buffer) {
            rows = buffer;
        }

        @Override
        public boolean add(SocketEntry e) {
            if (size == rows.length) rows = Arrays.copyOf(rows, BigMaps.belowHumongous(size + 1, Math.max(16, size + (size >> 1))));
            rows[size++] = e;
            modCount++;
            return true;
        }

        @Override
        public SocketEntry get(int index) {
            Objects.checkIndex(index, size);
            return rows[index];
        }

        @Override
        public int size() {
            return size;
        }

        /** The array's length (tests). */
        int capacity() {
            return rows.length;
        }

        /** The array holding the rows (its first {@link #size()}): the buffer given, or a longer copy of it. */
        SocketEntry[] array() {
            return rows;
        }
    }

    /** @param maxSockets a dump with more sockets than this is refused, to bound memory */
    InetDiagParser(int maxSockets) {
        this.maxSockets = maxSockets;
    }

    /** The time of the poll in progress (epoch ms): what rates are worked out against. */
    private long pollMillis;
    /** The time of the poll before it: a rate is worked out only from counters read then (see {@link #tcpInfo}). */
    private long previousPollMillis = Long.MIN_VALUE;

    /** {@link #startPoll(long)} for a parse whose rates do not matter. */
    void startPoll() {
        startPoll(0);
    }

    /**
     * Call once per poll, with its time: the sockets of the previous poll become the ones a socket
     * seen again is matched with; drops the address caches when they have grown large.
     */
    void startPoll(long nowMillis) {
        previousPollMillis = pollMillis;
        pollMillis = nowMillis;
        interfaces.startPoll();
        // forget the sockets the last poll did not list (gone), then its list becomes the one to align with
        // (nothing to forget when the last poll's endPoll did it already)
        forgetUnlisted();
        if (slotsUsed > BLOCK && live < (slotsUsed >> 1)) compact(); // a block or more to let go
        int[] s = slotsBefore;
        slotsBefore = slotsNow;
        slotsNow = s;
        // as long as the last poll's list and an eighth: grown when shorter, and cut back when an eighth
        // longer than that (kept from poll to poll, not made anew: 0.4 MB at 100k sockets)
        int want = countNow + (countNow >> 3) + 16;
        if (slotsNow.length < countNow || slotsNow.length - want > (want >> 3)) slotsNow = new int[want];
        countBefore = countNow;
        countNow = 0;
        cursor = 0;
        generation++;
        if (v4Cache.size() + v6Cache.size() + sharedEndpoints.size() > 50_000) {
            v4Cache.clear();
            v6Cache.clear();
            sharedEndpoints.clear();
            listeningPorts.clear();
        }
    }

    /**
     * Forgets the sockets of the poll before the last that the last poll did not list (gone): their slots
     * let go of their key, row and counters, leave the cookie map and are free for new sockets.
     */
    private void forgetUnlisted() {
        byte last = (byte) generation;
        for (int i = 0; i < countBefore; i++) {
            int s = slotsBefore[i];
            // (a socket listed twice by that poll is in its list twice: freed once, while the map still names it)
            if (blocks[s >>> BLOCK_SHIFT].seen[s & BLOCK_MASK] != last && slotOf(blocks[s >>> BLOCK_SHIFT].cookies[s & BLOCK_MASK]) == s) free(s);
        }
    }

    /** A slot for the socket with this cookie (a freed one, else the next: the columns grow by a block when full). */
    private int allocate(long cookie) {
        int s = freeSlot;
        if (s >= 0) {
            freeSlot = blocks[s >>> BLOCK_SHIFT].position[s & BLOCK_MASK];
        } else {
            if (slotsUsed == blocks.length << BLOCK_SHIFT) addBlock();
            s = slotsUsed++;
        }
        Block b = blocks[s >>> BLOCK_SHIFT];
        int i = s & BLOCK_MASK;
        b.cookies[i] = cookie;
        b.lastRows[i] = null;
        b.counters[i] = null;
        b.seen[i] = (byte) (generation - 2); // never listed yet
        b.lengths[i] = 0;
        b.infoAts[i] = 0;
        file(s);
        return s;
    }

    /** Lets go of what the slot holds and puts it on the free list. */
    private void free(int s) {
        Block b = blocks[s >>> BLOCK_SHIFT];
        int i = s & BLOCK_MASK;
        unfile(s);
        b.keys[i] = null;
        b.lastRows[i] = null;
        b.counters[i] = null;
        if (!v6Identities.isEmpty()) v6Identities.remove(s);
        b.position[i] = freeSlot;
        freeSlot = s;
    }

    /** One more block of slots (the blocks already there are not copied). */
    private void addBlock() {
        blocks = Arrays.copyOf(blocks, blocks.length + 1);
        blocks[blocks.length - 1] = new Block();
    }

    /** Slot {@code s}'s fields to slot {@code n}. */
    private void move(int s, int n) {
        Block a = blocks[s >>> BLOCK_SHIFT], b = blocks[n >>> BLOCK_SHIFT];
        int i = s & BLOCK_MASK, j = n & BLOCK_MASK;
        b.cookies[j] = a.cookies[i];
        b.keys[j] = a.keys[i];
        b.lastRows[j] = a.lastRows[i];
        b.counters[j] = a.counters[i];
        b.countersPoll[j] = a.countersPoll[i];
        b.seen[j] = a.seen[i];
        b.position[j] = a.position[i];
        b.place[j] = a.place[i];
        b.hashes[j] = a.hashes[i];
        b.expiresAt[j] = a.expiresAt[i];
        b.lengths[j] = a.lengths[i];
        b.infoAts[j] = a.infoAts[i];
    }

    /**
     * Moves the sockets known (at most half the slots: the table shrank a lot) to the first slots and lets go
     * of the blocks past them, and files them again by cookie in as many buckets as they need; the last poll's list of slots is
     * renumbered (call between {@link #forgetUnlisted} and the swap of the lists: every slot in use is in that
     * list or in no list).
     */
    private void compact() {
        int[] moved = new int[slotsUsed];
        Arrays.fill(moved, -1);
        int n = 0;
        for (int s = 0; s < slotsUsed; s++) {
            Block b = blocks[s >>> BLOCK_SHIFT];
            int i = s & BLOCK_MASK;
            if (b.keys[i] == null || slotOf(b.cookies[i]) != s) continue; // free
            moved[s] = n;
            if (n != s) move(s, n);
            n++;
        }
        if (!v6Identities.isEmpty()) {
            IntObjectHashMap<V6Identity> v6 = new IntObjectHashMap<>();
            for (var c : v6Identities) if (moved[c.key] >= 0) v6.put(moved[c.key], c.value);
            v6Identities.clear();
            v6Identities.putAll(v6);
        }
        for (int i = 0; i < countNow; i++) slotsNow[i] = moved[slotsNow[i]];
        for (int s = n; s < slotsUsed && (s >>> BLOCK_SHIFT) < blocks.length; s++) { // what stays of the last block kept
            Block b = blocks[s >>> BLOCK_SHIFT];
            int i = s & BLOCK_MASK;
            b.keys[i] = null;
            b.lastRows[i] = null;
            b.counters[i] = null;
        }
        slotsUsed = n;
        freeSlot = -1;
        blocks = Arrays.copyOf(blocks, (n + BLOCK_MASK) >>> BLOCK_SHIFT);
        // the chains filed again, in as many buckets as the sockets need (a power of two, at least a block)
        bucketMask = -1;
        heads = new int[0][];
        live = 0;
        rehash(Math.max(BLOCK, Integer.highestOneBit(Math.max(1, n - 1)) << 1));
        for (int s = 0; s < n; s++) {
            live++;
            link(s);
        }
    }

    /** Sockets whose counters (tcp_info) the parser keeps now, for rates (for tests). */
    int countersKept() {
        int n = 0;
        for (int s = 0; s < slotsUsed; s++) {
            Block b = blocks[s >>> BLOCK_SHIFT];
            if (b.keys[s & BLOCK_MASK] != null && slotOf(b.cookies[s & BLOCK_MASK]) == s && b.counters[s & BLOCK_MASK] != null) n++;
        }
        return n;
    }

    /** Sockets whose known state the parser keeps now (for tests). */
    int knownSockets() {
        return live;
    }

    /** The length of the columns kept per socket (for tests: cut back when the table shrinks a lot). */
    int slotCapacity() {
        return blocks.length << BLOCK_SHIFT;
    }

    /**
     * Call when this poll's dump is read whole (optional): the previous poll's sockets that this one
     * did not list are forgotten now, and their slots let go of their rows, keys and counters, instead
     * of these staying live until the next {@link #startPoll} (a poll interval: the sockets of a churn,
     * e.g. the 28,000 TIME_WAIT rows a 100k table's remake replaced, with their keys and endpoints).
     * Nothing of the previous poll is read after the dump; the next poll aligns with this one.
     */
    void endPoll() {
        forgetUnlisted();
        countBefore = 0;
        cursor = 0;
    }

    /**
     * Parses the first {@code length} bytes of {@code datagram}. Records of another sequence
     * number (left over from an earlier request) are ignored.
     */
    void parse(MemorySegment datagram, long length, int seq, Dump dump) throws SourceException {
        parse(copy(datagram, length), length, seq, dump);
    }

    /** {@link #parse(MemorySegment, long, int, Dump)} of the first {@code length} bytes of {@code datagram}, a heap copy. */
    void parse(byte[] datagram, long length, int seq, Dump dump) throws SourceException {
        if (length > datagram.length)
            throw new SourceException("netlink reply of " + length + " bytes did not fit the " + datagram.length + "-byte buffer");
        long off = 0;
        while (off + NLMSG_HDRLEN <= length && !dump.done) {
            long len = Integer.toUnsignedLong(i32(datagram, off));
            int type = i16(datagram, off + 4) & 0xFFFF;
            int flags = i16(datagram, off + 6) & 0xFFFF;
            int msgSeq = i32(datagram, off + 8);
            if (len < NLMSG_HDRLEN || off + len > length)
                throw new SourceException("malformed netlink reply: a message claims " + len + " bytes at offset " + off
                        + " of a " + length + "-byte datagram");
            long payload = off + NLMSG_HDRLEN;
            long payloadLen = len - NLMSG_HDRLEN;
            if (msgSeq == seq) {
                if ((flags & NLM_F_DUMP_INTR) != 0) dump.interrupted = true;
                switch (type) {
                    case SOCK_DIAG_BY_FAMILY -> {
                        if (payloadLen < INET_DIAG_MSG_LEN) dump.skip("record of " + payloadLen + " bytes, shorter than inet_diag_msg");
                        else socket(datagram, payload, payloadLen, dump);
                    }
                    case NLMSG_DONE -> {
                        int err = payloadLen >= 4 ? i32(datagram, payload) : 0;
                        if (err < 0) dump.kernelErrno = -err;
                        dump.done = true;
                    }
                    case NLMSG_ERROR -> {
                        int err = payloadLen >= 4 ? i32(datagram, payload) : -22;
                        if (err != 0) { // 0 would be an acknowledgement, which we did not ask for
                            dump.kernelErrno = err < 0 ? -err : err;
                            dump.done = true;
                        }
                    }
                    case NLMSG_OVERRUN -> throw new SourceException("the kernel reported lost netlink data (NLMSG_OVERRUN)");
                    case NLMSG_NOOP -> { }
                    default -> dump.skip("unexpected netlink message type " + type);
                }
            }
            off += (len + 3) & ~3L; // NLMSG_ALIGN
        }
    }

    /** The attribute every full socket carries (inet_diag_msg_attrs_fill), asked for or not. */
    static final int INET_DIAG_SHUTDOWN = 8;
    /** struct tcp_info, sent for full sockets when the request's idiag_ext has bit INET_DIAG_INFO - 1. */
    static final int INET_DIAG_INFO = 2;

    private void socket(byte[] m, long p, long payloadLen, Dump dump) throws SourceException {
        long cookie0 = (Integer.toUnsignedLong(i32(m, p + 48)) << 32) | Integer.toUnsignedLong(i32(m, p + 44));
        if (cookie0 != NO_COOKIE_BOTH_HALVES && payloadLen <= Short.MAX_VALUE && sameAsBefore(m, p, payloadLen, cookie0, dump)) return;
        int family = i8(m, p) & 0xFF;
        int stateCode = i8(m, p + 1) & 0xFF;
        int timerCode = i8(m, p + 2) & 0xFF;
        int retrans = i8(m, p + 3) & 0xFF;
        // inet_diag_sockid at p + 4: sport, dport (be16), src[4], dst[4] (be32), if, cookie[2]
        int sport = n16(m, p + 4) & 0xFFFF;
        int dport = n16(m, p + 6) & 0xFFFF;
        long expires = Integer.toUnsignedLong(i32(m, p + EXPIRES_AT));
        long rqueue = Integer.toUnsignedLong(i32(m, p + 56));
        long wqueue = Integer.toUnsignedLong(i32(m, p + 60));
        int uid = i32(m, p + 64);
        long inode = Integer.toUnsignedLong(i32(m, p + 68));
        // idiag_cookie[2] (host order): what sock_gen_cookie gave the socket; [1] holds the high half
        long cookie = (Integer.toUnsignedLong(i32(m, p + 48)) << 32) | Integer.toUnsignedLong(i32(m, p + 44));
        var state = KernelTcpState.fromCode(stateCode);
        if (state.isEmpty()) {
            dump.skip("unknown TCP state code " + stateCode);
            return;
        }
        if (family != AF_INET && family != AF_INET6) {
            dump.skip("unknown address family " + family);
            return;
        }
        // idiag_if: the socket's bound device (sk_bound_dev_if), which is the scope of a link-local
        // socket. It belongs to the local end; the remote shows it too when its address is link-local.
        int ifIndex = i32(m, p + 40);
        if (ifIndex < 0) ifIndex = 0;
        long s0, s1, d0, d1;
        if (family == AF_INET) {
            s0 = n32(m, p + 8);
            s1 = 0;
            d0 = n32(m, p + 24);
            d1 = 0;
        } else {
            s0 = n64(m, p + 8);
            s1 = n64(m, p + 16);
            d0 = n64(m, p + 24);
            d1 = n64(m, p + 32);
        }
        int ports = (sport << 16) | dport;
        // a socket seen at the last poll with the same identity fields gets the same key object: no
        // address lookup, no endpoint or key built, and later lookups by key compare references (not
        // for a socket tied to an interface, whose name may have changed); it also keeps the counters
        // its rates are worked out from
        boolean keep = cookie != NO_COOKIE_BOTH_HALVES;
        int slot = keep ? find(cookie) : -1;
        boolean known = slot >= 0 && same(slot, family, ports, s0, s1, d0, d1);
        ConnectionKey key;
        if (known && ifIndex == 0) {
            key = blocks[slot >>> BLOCK_SHIFT].keys[slot & BLOCK_MASK];
        } else {
            InetAddress src, dst;
            if (family == AF_INET) {
                src = v4((int) s0);
                dst = v4((int) d0);
            } else {
                src = v6(s0, s1);
                dst = v6(d0, d1);
            }
            String ifName = ifIndex == 0 ? null : interfaces.name(ifIndex);
            if (stateCode == LISTEN_CODE) listeningPorts.add(sport);
            Endpoint local = ifIndex == 0 ? endpoint(src, sport) : new Endpoint(src, sport, ifIndex, ifName);
            Endpoint remote = dst instanceof Inet6Address && dst.isLinkLocalAddress() ? new Endpoint(dst, dport, ifIndex, ifName) : endpoint(dst, dport);
            if (src instanceof Inet4Address && remote.isIpv6() && remote.isWildcard())
                remote = new Endpoint(ANY4, dport); // a dual-stack listener on a v4(-mapped) address
            key = new ConnectionKey(local, remote);
            if (!known && keep) {
                // a new socket, or its cookie with other identity fields (not seen to happen): what was
                // known of it goes, its slot stays
                if (slot < 0) {
                    slot = allocate(cookie);
                } else {
                    blocks[slot >>> BLOCK_SHIFT].lastRows[slot & BLOCK_MASK] = null;
                    blocks[slot >>> BLOCK_SHIFT].counters[slot & BLOCK_MASK] = null;
                    v6Identities.remove(slot);
                }
                blocks[slot >>> BLOCK_SHIFT].keys[slot & BLOCK_MASK] = key;
                if (family != AF_INET && !(mapped(s0, s1) && mapped(d0, d1)))
                    v6Identities.put(slot, new V6Identity(ports, s0, s1, d0, d1));
                known = true;
            }
        }
        long attrs = p + INET_DIAG_MSG_LEN, end = p + payloadLen;
        long info = attribute(m, attrs, end, INET_DIAG_INFO);
        if (keep) listed(slot, m, p, payloadLen, info, ifIndex == 0, dump.sockets.size());
        if (dump.sockets.size() >= maxSockets)
            throw new SourceException("the kernel's TCP table has more than " + maxSockets + " sockets; reading stopped there");
        KernelTcpState ks = state.get();
        // A request socket is reported as SYN_RECV by inet_req_diag_fill, with no attributes; a full
        // socket (also one in SYN_RECV, e.g. a Fast Open child) always carries INET_DIAG_SHUTDOWN.
        if (ks == KernelTcpState.SYN_RECV && attribute(m, attrs, end, INET_DIAG_SHUTDOWN) < 0)
            ks = KernelTcpState.NEW_SYN_RECV;
        // a listener's tcp_info holds only backlog figures in unacked/sacked: no traffic to show
        TcpInfo tcpInfo = info < 0 || ks == KernelTcpState.LISTEN ? null
                : tcpInfo(m, info + 4, (i16(m, info) & 0xFFFF) - 4, slot, false);
        if (info < 0 && slot >= 0) forgetOldCounters(slot);
        // inet_req_diag_fill and inet_twsk_diag_fill write uid 0: no user owns these
        if (ks == KernelTcpState.NEW_SYN_RECV || ks == KernelTcpState.TIME_WAIT) uid = SocketEntry.UNKNOWN_UID;
        TimerKind timer = TimerKind.fromProcCode(timerCode);
        SocketEntry before = slot < 0 ? null : blocks[slot >>> BLOCK_SHIFT].lastRows[slot & BLOCK_MASK];
        SocketEntry row;
        boolean due = timer != null && dueTimer(ks);
        if (before != null && before.key() == key && before.kernelState() == ks && before.timer() == timer
                && (timer == null || (due ? sameDue(before, expires) : before.timerRemainingMs() == expires))
                && before.sendQueue() == wqueue
                && before.receiveQueue() == rqueue && before.retransmits() == retrans && before.uid() == uid
                && before.inode() == inode && before.tcpInfo() == tcpInfo) {
            row = before; // nothing changed: the same object (no row allocated; later stages see it is the same)
        } else {
            // a socket no process holds any more (no inode: TIME_WAIT, an orphan) whose last row named an owner
            // (the owned row adopted from the last poll) keeps it, marked last known, as the tracker would have
            // in a copy of this row (28k such copies in a table with 28% TIME_WAIT): found by cookie, so also
            // where the kernel lists its TIME_WAIT sockets apart from the full ones
            boolean inherit = inode == 0 && before != null && before.pid() != null;
            row = new SocketEntry(key, ks.rfcState(), ks, wqueue, rqueue, timer,
                    timer == null || due ? null : expires, retrans, uid, inode, inherit ? before.pid() : null,
                    inherit ? before.process() : null, inherit, false,
                    cookie == NO_COOKIE_BOTH_HALVES ? SocketEntry.NO_COOKIE : cookie, tcpInfo,
                    due ? pollMillis + expires : SocketEntry.NO_DUE);
            if (slot >= 0) blocks[slot >>> BLOCK_SHIFT].lastRows[slot & BLOCK_MASK] = row;
        }
        dump.sockets.add(row);
    }

    /**
     * Whether a row in kernel state {@code ks} carries its timer as a due time: TIME_WAIT rows, whose timer
     * only counts down (every one of them would be a new row at every poll otherwise), when the parse has
     * a poll time ({@link #startPoll(long)}).
     */
    private boolean dueTimer(KernelTcpState ks) {
        return ks == KernelTcpState.TIME_WAIT && pollMillis > 0;
    }

    /**
     * A reading of a timer ({@code expires} ms left at this poll) names the row's due time when it is at
     * most this much later: the poll's time is taken before the dump, so a record read later in it names
     * a due time earlier than the true one by its delay (a 100k-socket dump takes ~0.1 s), and a row
     * whose first reading was late by more is made again with the later, truer due time. (TableDiff's
     * tolerance for one timer, and the tracker's margin for a takeover, are the same 500 ms.)
     */
    static final long DUE_TOLERANCE_MILLIS = 500;
    /**
     * A reading naming a due time up to this much earlier than the row's is the same timer read late (the
     * poller held under load): a TIME_WAIT timer never moves earlier, it is only set again, later.
     */
    static final long LATE_READ_MILLIS = 10_000;

    private boolean sameDue(SocketEntry row, long expires) {
        return sameDue(row, pollMillis, expires);
    }

    /**
     * Whether a timer read at {@code pollMillis} with {@code expiresMillis} left names {@code row}'s due time (see
     * {@link #DUE_TOLERANCE_MILLIS}, {@link #LATE_READ_MILLIS}); false for a row without one. The /proc parser's rule too.
     */
    static boolean sameDue(SocketEntry row, long pollMillis, long expiresMillis) {
        long due = row.timerDueMillis();
        if (due == SocketEntry.NO_DUE) return false;
        long d = pollMillis + expiresMillis - due;
        return d <= DUE_TOLERANCE_MILLIS && d >= -LATE_READ_MILLIS;
    }

    /**
     * A record at most this long, not counting its tcp_info's payload (whose timestamps change at every
     * poll: it is compared by the counters a row shows), is compared byte for byte with the same socket's
     * record of the last poll. A full socket's record without tcp_info is inet_diag_msg (72) and the
     * attributes the kernel adds unasked: shutdown (8), on 6.x kernels also the cgroup id (12) and socket
     * options (8), and for a caller with CAP_NET_ADMIN the mark (8): 108 bytes as root on a 6.18 kernel,
     * 100 otherwise; with tcp_info its attribute's header (4) besides: 112. (The limit was 80 before, which
     * on such a kernel only TIME_WAIT and request sockets fitted, and a TIME_WAIT record changes at every
     * poll; then 112, and a record with tcp_info, 392 bytes there, always took the full path. 128 leaves room
     * for an attribute more, and takes an IPv6 listener's 116.)
     */
    static final int SAME_BYTES_MAX = 128;
    /** Where {@code idiag_expires} (u32, ms left on the socket's timer) is in {@code inet_diag_msg}. */
    static final int EXPIRES_AT = 52;

    /**
     * The fast path for an unchanged socket: the record at {@code p} is the same socket (cookie) as
     * the last poll's record at or just after the cursor, and every byte of it is the same (state,
     * timer and its time left, queues, owner uid, inode, addresses, interface): its row of the last
     * poll is given again, without reading a field or touching what is known of the socket. When
     * only {@code idiag_expires} differs (a running timer: every TIME_WAIT socket at every poll), a
     * copy of that row with the new time left. A record with tcp_info (INET_DIAG_INFO) is compared the
     * same way but for the tcp_info's bytes, whose timestamps move at every poll: it is the same when the
     * counters a row shows are the same as its row's ({@link #tcpInfo}: an idle connection; a listener's
     * row shows none). Any other difference, or a socket elsewhere, takes the full path.
     */
    private boolean sameAsBefore(byte[] m, long p, long payloadLen, long cookie, Dump dump) throws SourceException {
        int[] c = slotsBefore;
        int end = Math.min(countBefore, cursor + LOOKAHEAD);
        int j = cursor;
        while (j < end && blocks[c[j] >>> BLOCK_SHIFT].cookies[c[j] & BLOCK_MASK] != cookie) j++;
        if (j >= end) return false;
        int k = c[j];
        Block b = blocks[k >>> BLOCK_SHIFT];
        int at = k & BLOCK_MASK;
        SocketEntry row = b.lastRows[at];
        // (a socket listed twice by the last dump, or already by this one, has one slot: its record and row
        // are of its latest listing, which must be this place's; length 0: not kept, e.g. tied to an interface)
        if (row == null || b.seen[at] != (byte) (generation - 1) || b.position[at] != j || b.lengths[at] != payloadLen) return false;
        byte infoAt = b.infoAts[at];
        long info = -1, infoEnd = -1;
        if (infoAt != 0) { // its tcp_info attribute where the last record had it (its header is hashed with the rest)
            info = p + ((infoAt & 0xFF) << 2);
            if (info + 4 > p + payloadLen) return false;
            infoEnd = info + (i16(m, info) & 0xFFFF);
            if (infoEnd < info + 4 || infoEnd > p + payloadLen) return false;
        }
        long hash = recordHash(m, p, payloadLen, info < 0 ? -1 : info + 4, infoEnd);
        if (hash != b.hashes[at]) return false; // the full path finds it again by position
        int expires = i32(m, p + EXPIRES_AT);
        boolean moved = expires != b.expiresAt[at];
        if (moved && row.timer() == null) return false;
        // a listener's row carries no counters (its state is hashed: still a listener); any other's carries
        // the known counters (the full path set both from one record; a row given again, with a new time
        // left, or adopted with its owner keeps them), read here without reading the row
        if (info >= 0 && (i8(m, p + 1) & 0xFF) != LISTEN_CODE
                && tcpInfo(m, info + 4, (int) (infoEnd - info) - 4, k, true) == null)
            return false; // its counters moved (or there are none): the full path
        if (moved) {
            // only the timer's time left moved (a TIME_WAIT socket, a keepalive): the same row with it
            // (what the full path would make: every other field is the same)
            if (row.timerDueMillis() == SocketEntry.NO_DUE) {
                row = row.withTimerRemaining(Integer.toUnsignedLong(expires));
                b.lastRows[at] = row;
            } else if (!sameDue(row, Integer.toUnsignedLong(expires))) {
                // the timer was set again (a TIME_WAIT socket that took a retransmitted FIN): its new due time
                row = row.withTimerDue(pollMillis + Integer.toUnsignedLong(expires));
                b.lastRows[at] = row;
            } // else the same due time, read a little earlier or later in this dump: the same row

        }
        if (dump.sockets.size() >= maxSockets)
            throw new SourceException("the kernel's TCP table has more than " + maxSockets + " sockets; reading stopped there");
        cursor = j + 1;
        if (infoAt == 0) forgetOldCounters(k);
        listed(k, hash, expires, payloadLen, infoAt, dump.sockets.size());
        dump.sockets.add(row);
        return true;
    }

    private static final long HASH_MULTIPLIER = 0x9E3779B97F4A7C15L;
    /** Of the 8-byte word at {@code idiag_cookie[1]} (48), the cookie's half: {@code idiag_expires} (52) is left out. */
    private static final long KEEP_BELOW_EXPIRES = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN ? 0xFFFFFFFFL : 0xFFFFFFFF00000000L;

    /**
     * A hash of the record's bytes but {@code idiag_expires}, 8 at a time in four independent lanes
     * (word {@code i} of each 32 bytes into lane {@code i}): each step {@code h = rotl(h ^ word, 27) * K}
     * with K odd, and the lanes joined the same way at the end. Each step is one-to-one both in h and
     * in the word, and so is the join in each lane, so two records that differ within one 4-byte word
     * (one field: a queue, the state, the inode; a 4-byte field never straddles two 8-byte words) never
     * have the same hash; records that differ in several do with a chance of about 2^-64. Four lanes
     * make four short multiply chains the processor runs side by side, where one chain over every
     * 4-byte word waited for each multiply in turn (a quarter of the steps' latency at 108 bytes). The
     * socket's cookie and length are compared beside it.
     */
    static long recordHash(byte[] m, long p, long len) {
        long end = p + len, expiresWord = p + (EXPIRES_AT & ~7);
        long h0 = len, h1 = HASH_MULTIPLIER, h2 = ~len, h3 = -HASH_MULTIPLIER;
        long a = p;
        for (; a + 32 <= end; a += 32) {
            long w0 = i64(m, a), w1 = i64(m, a + 8), w2 = i64(m, a + 16), w3 = i64(m, a + 24);
            if (a + 16 == expiresWord) w2 &= KEEP_BELOW_EXPIRES;
            h0 = mix(h0, w0);
            h1 = mix(h1, w1);
            h2 = mix(h2, w2);
            h3 = mix(h3, w3);
        }
        if (a + 8 <= end) {
            long w = i64(m, a);
            h0 = mix(h0, a == expiresWord ? w & KEEP_BELOW_EXPIRES : w);
            a += 8;
        }
        if (a + 8 <= end) {
            long w = i64(m, a);
            h1 = mix(h1, a == expiresWord ? w & KEEP_BELOW_EXPIRES : w);
            a += 8;
        }
        if (a + 8 <= end) {
            long w = i64(m, a);
            h2 = mix(h2, a == expiresWord ? w & KEEP_BELOW_EXPIRES : w);
            a += 8;
        }
        if (a + 4 <= end) { // a record's length is a multiple of 4: the last word of one 108 bytes long
            h3 = mix(h3, Integer.toUnsignedLong(i32(m, a)));
            a += 4;
        }
        for (; a < end; a++) h3 = mix(h3, i8(m, a) & 0xFF);
        return mix(mix(h0, h1), h2 ^ Long.rotateLeft(h3, 32));
    }

    /**
     * {@link #recordHash(byte[], long, long)} of the record but the bytes in [{@code skipFrom},
     * {@code skipTo}) (a tcp_info attribute's payload; none when {@code skipFrom} is negative): the bytes
     * before them as a record of that length, then each 4-byte word after them, and any last bytes, one at
     * a time.
     */
    static long recordHash(byte[] m, long p, long len, long skipFrom, long skipTo) {
        if (skipFrom < 0) return recordHash(m, p, len);
        long h = recordHash(m, p, skipFrom - p), end = p + len, a = skipTo;
        for (; a + 4 <= end; a += 4) h = mix(h, Integer.toUnsignedLong(i32(m, a)));
        for (; a < end; a++) h = mix(h, i8(m, a) & 0xFF);
        return h;
    }

    private static long mix(long h, long word) {
        return Long.rotateLeft(h ^ word, 27) * HASH_MULTIPLIER;
    }

    /** The slot of the socket with this cookie (-1: none): near its place in the last dump, else from the map. */
    private int find(long cookie) {
        int[] c = slotsBefore;
        int end = Math.min(countBefore, cursor + LOOKAHEAD);
        for (int j = cursor; j < end; j++) {
            if (blocks[c[j] >>> BLOCK_SHIFT].cookies[c[j] & BLOCK_MASK] == cookie) {
                cursor = j + 1;
                return c[j];
            }
        }
        int s = slotOf(cookie);
        if (s >= 0) {
            Block b = blocks[s >>> BLOCK_SHIFT];
            int i = s & BLOCK_MASK;
            if (b.seen[i] == (byte) (generation - 1) && b.position[i] < countBefore) cursor = b.position[i] + 1; // in step again
        }
        return s;
    }

    /**
     * Notes that this poll lists the socket, found the full way (what is known of it is up to date); {@code info}:
     * where its INET_DIAG_INFO attribute is (-1: none); {@code fast}: whether its next listing may take the fast
     * path (not when tied to an interface, whose name may have changed).
     */
    private void listed(int k, byte[] m, long p, long payloadLen, long info, boolean fast, int place) {
        long infoEnd = info < 0 ? -1 : info + (i16(m, info) & 0xFFFF);
        long hashed = info < 0 ? payloadLen : payloadLen - (infoEnd - info - 4);
        boolean kept = fast && hashed <= SAME_BYTES_MAX && payloadLen <= Short.MAX_VALUE && info - p <= MAX_INFO_AT;
        listed(k, kept ? recordHash(m, p, payloadLen, info < 0 ? -1 : info + 4, infoEnd) : 0, kept ? i32(m, p + EXPIRES_AT) : 0,
                kept ? payloadLen : 0, kept && info >= 0 ? (byte) ((info - p) >> 2) : 0, place);
    }

    /**
     * A socket listed without tcp_info lets go of counters read before the previous poll: no rate is worked out
     * from them (see {@link #tcpInfo}), and a table that reads the counters of the rows in view only would
     * otherwise keep every socket's from the last full read (88 bytes each: 6 MB at 72k connections). Those of
     * the previous poll stay: a row in view, looked up after this dump, takes its rate from them.
     */
    private void forgetOldCounters(int k) {
        Block b = blocks[k >>> BLOCK_SHIFT];
        int i = k & BLOCK_MASK;
        if (b.counters[i] != null && b.countersPoll[i] != (byte) (generation - 1) && b.countersPoll[i] != (byte) generation) b.counters[i] = null;
    }

    /** Where a tcp_info attribute may begin in a record kept for the fast path: {@link #infoAts} holds it in 4-byte steps. */
    private static final long MAX_INFO_AT = 255 * 4;

    /**
     * Notes that this poll lists the socket in slot {@code k} at the next place, and its record's bytes
     * ({@code payloadLen} 0: not kept for the fast path).
     */
    private void listed(int k, long hash, int expires, long payloadLen, byte infoAt, int place) {
        if (countNow == slotsNow.length) slotsNow = Arrays.copyOf(slotsNow, Math.max(1024, countNow + (countNow >> 1)));
        slotsNow[countNow] = k;
        Block b = blocks[k >>> BLOCK_SHIFT];
        int i = k & BLOCK_MASK;
        b.seen[i] = (byte) generation;
        b.position[i] = countNow;
        b.place[i] = place;
        b.lengths[i] = (short) payloadLen;
        b.infoAts[i] = infoAt;
        b.hashes[i] = hash;
        b.expiresAt[i] = expires;
        countNow++;
    }

    /**
     * Takes the rows this poll's dump became once owners were added ({@code owned}, by place, each
     * the row of {@code given} at that place or a copy of it that differs only in its owner), as the
     * rows its sockets give again: an unchanged socket is then one row object from poll to poll, not
     * a row here and an owned copy beside it. A poll that looks no owners up must call
     * {@link #forgetRows} first, or it would give rows with the owners they had. Reads every place:
     * see {@link #adopt(List, List, int[], int)} for a caller that knows which places hold a copy.
     */
    void adopt(List<SocketEntry> given, List<SocketEntry> owned) {
        if (given == owned || given.size() != owned.size()) return;
        for (int i = 0, n = given.size(); i < n; i++) adoptAt(i, given.get(i), owned.get(i));
    }

    /**
     * As {@link #adopt(List, List)}, reading only the places in {@code places} (the first {@code count}; any
     * order, repeats and places outside the lists ignored): the owners' stage names every place whose owned
     * row may be a copy (SocketOwners#copiedPlaces), and in a table where no owner changed there is none. Walking
     * every socket's slot and both lists at every poll to find none was 13–21 % of the poller's samples on a
     * steady 100k table (round 23).
     */
    void adopt(List<SocketEntry> given, List<SocketEntry> owned, int[] places, int count) {
        if (given == owned || given.size() != owned.size()) return;
        int n = given.size();
        for (int c = 0; c < count; c++) {
            int i = places[c];
            if (i >= 0 && i < n) adoptAt(i, given.get(i), owned.get(i));
        }
    }

    /** The owned row {@code o} at place {@code i} becomes its socket's row to give again, when it is a copy of this poll's row {@code g} there. */
    private void adoptAt(int i, SocketEntry g, SocketEntry o) {
        if (o == g || o.key() != g.key() || o.cookie() != g.cookie() || g.cookie() == SocketEntry.NO_COOKIE) return;
        int k = slotOf(g.cookie());
        if (k < 0) return;
        Block b = blocks[k >>> BLOCK_SHIFT];
        int at = k & BLOCK_MASK;
        // listed by this poll at this place (a socket listed twice: its latest listing's), and the row given there
        if (b.seen[at] != (byte) generation || b.place[at] != i || b.lastRows[at] != g) return;
        b.lastRows[at] = o;
    }

    /** Forgets every row kept to be given again (their owners may be stale): the next poll builds its rows. */
    void forgetRows() {
        for (Block b : blocks) Arrays.fill(b.lastRows, null);
    }

    /** INET_DIAG_NOCOOKIE in both halves: the kernel names no cookie. */
    private static final long NO_COOKIE_BOTH_HALVES = -1L;

    /**
     * Where this poll's dump {@code rows} has the row of the socket with this cookie, or -1 when this poll
     * did not list it (gone, or not read yet). Call after the dump, before the next {@link #startPoll}.
     */
    int placeOf(long cookie, List<SocketEntry> rows) {
        if (cookie == NO_COOKIE_BOTH_HALVES) return -1;
        int k = slotOf(cookie);
        if (k < 0) return -1;
        int p = blocks[k >>> BLOCK_SHIFT].place[k & BLOCK_MASK];
        if (p < 0 || p >= rows.size()) return -1;
        SocketEntry e = rows.get(p);
        ConnectionKey key = blocks[k >>> BLOCK_SHIFT].keys[k & BLOCK_MASK];
        return e != null && e.cookie() == cookie && (e.key() == key || e.key().equals(key)) ? p : -1;
    }

    /** The connection of a socket named by cookie, as this parser knows it (null: not known). */
    ConnectionKey keyOf(long cookie) {
        int k = slotOf(cookie);
        return k < 0 ? null : blocks[k >>> BLOCK_SHIFT].keys[k & BLOCK_MASK];
    }

    /**
     * Reads the replies to exact sock_diag requests (no dump: one socket each, by 4-tuple and cookie, with
     * tcp_info asked for) in the first {@code length} bytes of {@code datagram}: request {@code i} had
     * sequence number {@code firstSeq + i} and named {@code cookies[i]}. Each answer marks
     * {@code answered[i]} and, for a socket that still has that cookie and carries tcp_info (not a
     * listener), sets {@code out[i]}: its counters, the rates against its last reading as in a dump (see
     * {@link #tcpInfo}), read as of this poll's time. The kernel's error (ENOENT: closed since the dump;
     * ESTALE: the 4-tuple is another socket's now) leaves {@code out[i]} null. Returns how many it answered.
     */
    int lookupReplies(MemorySegment datagram, long length, int firstSeq, long[] cookies, int count,
                      TcpInfo[] out, boolean[] answered) throws SourceException {
        return lookupReplies(datagram, length, firstSeq, cookies, count, out, answered, true);
    }

    /**
     * As above; {@code asOfPoll} false: counters read outside a poll (a copy, an export), without rates and
     * without touching what is kept of the socket for the polls' rates.
     */
    int lookupReplies(MemorySegment reply, long length, int firstSeq, long[] cookies, int count,
                      TcpInfo[] out, boolean[] answered, boolean asOfPoll) throws SourceException {
        byte[] datagram = copy(reply, length);
        int n = 0;
        long off = 0;
        while (off + NLMSG_HDRLEN <= length) {
            long len = Integer.toUnsignedLong(i32(datagram, off));
            int type = i16(datagram, off + 4) & 0xFFFF;
            int i = i32(datagram, off + 8) - firstSeq;
            if (len < NLMSG_HDRLEN || off + len > length)
                throw new SourceException("malformed netlink reply: a message claims " + len + " bytes at offset " + off
                        + " of a " + length + "-byte datagram");
            long p = off + NLMSG_HDRLEN, payloadLen = len - NLMSG_HDRLEN;
            off += (len + 3) & ~3L;
            if (i < 0 || i >= count || answered[i]) continue; // another request's (an earlier poll's, timed out)
            if (type == NLMSG_ERROR) {
                int err = payloadLen >= 4 ? i32(datagram, p) : -22;
                if (err == 0) continue; // an acknowledgement, not asked for
                answered[i] = true;
                n++;
            } else if (type == SOCK_DIAG_BY_FAMILY && payloadLen >= INET_DIAG_MSG_LEN) {
                answered[i] = true;
                n++;
                long cookie = (Integer.toUnsignedLong(i32(datagram, p + 48)) << 32)
                        | Integer.toUnsignedLong(i32(datagram, p + 44));
                int stateCode = i8(datagram, p + 1) & 0xFF;
                if (cookie != cookies[i] || stateCode == LISTEN_CODE) continue;
                long info = attribute(datagram, p + INET_DIAG_MSG_LEN, p + payloadLen, INET_DIAG_INFO);
                if (info < 0) continue;
                int k = asOfPoll ? slotOf(cookie) : -1;
                out[i] = tcpInfo(datagram, info + 4, (i16(datagram, info) & 0xFFFF) - 4, k, false);
            }
        }
        return n;
    }

    /**
     * Offsets in {@code struct tcp_info} (include/uapi/linux/tcp.h, checked against the 6.x header
     * with offsetof); a field beyond the length the kernel sent (an older kernel) is unknown.
     */
    static final int TCPI_RTT = 68, TCPI_RTTVAR = 72, TCPI_TOTAL_RETRANS = 100, TCPI_BYTES_ACKED = 120,
            TCPI_BYTES_RECEIVED = 128, TCPI_SEGS_OUT = 136, TCPI_SEGS_IN = 140, TCPI_BYTES_SENT = 200,
            TCPI_BYTES_RETRANS = 208;

    /**
     * The counters, with bytes per second since the previous poll when that poll read
     * the same socket's (its cookie) counters; none (NaN) the first time, without a cookie, or when the
     * last reading is older (a row out of view, whose counters only the polls that showed it read: a rate
     * over a minute is not the rate a person expects beside the others). The last poll's object
     * when nothing in it changed (an idle connection); else a new one, or with {@code onlyIfSame} null
     * (and what is known of the socket is left as it was).
     */
    private TcpInfo tcpInfo(byte[] m, long at, int len, int k, boolean onlyIfSame) {
        long sent = u64(m, at, len, TCPI_BYTES_SENT), received = u64(m, at, len, TCPI_BYTES_RECEIVED);
        double sendRate = Double.NaN, receiveRate = Double.NaN;
        TcpInfo last = k < 0 ? null : blocks[k >>> BLOCK_SHIFT].counters[k & BLOCK_MASK];
        if (last != null) {
            byte readAt = blocks[k >>> BLOCK_SHIFT].countersPoll[k & BLOCK_MASK];
            if (readAt != (byte) generation) {
                if (readAt == (byte) (generation - 1) && pollMillis > previousPollMillis) {
                    double seconds = (pollMillis - previousPollMillis) / 1000.0;
                    sendRate = rate(last.bytesSent(), sent, seconds);
                    receiveRate = rate(last.bytesReceived(), received, seconds);
                }
            } else { // listed twice in one poll (a racing dump): the rates of its first listing
                sendRate = last.sendRate();
                receiveRate = last.receiveRate();
            }
        }
        long retrans = u64(m, at, len, TCPI_BYTES_RETRANS), acked = u64(m, at, len, TCPI_BYTES_ACKED);
        long segsOut = u32(m, at, len, TCPI_SEGS_OUT), segsIn = u32(m, at, len, TCPI_SEGS_IN);
        long totalRetrans = u32(m, at, len, TCPI_TOTAL_RETRANS), rtt = u32(m, at, len, TCPI_RTT), rttVar = u32(m, at, len, TCPI_RTTVAR);
        TcpInfo info;
        // an idle connection: the same counters and rates as its last row's, so the same object
        if (last != null && last.bytesSent() == sent && last.bytesReceived() == received && last.bytesRetrans() == retrans
                && last.bytesAcked() == acked && last.segsOut() == segsOut && last.segsIn() == segsIn
                && last.totalRetrans() == totalRetrans && last.rttMicros() == rtt && last.rttVarMicros() == rttVar
                && Double.compare(last.sendRate(), sendRate) == 0 && Double.compare(last.receiveRate(), receiveRate) == 0)
            info = last;
        else if (onlyIfSame)
            return null;
        else
            info = new TcpInfo(sent, retrans, acked, received, segsOut, segsIn, totalRetrans, rtt, rttVar, sendRate, receiveRate);
        if (k >= 0) {
            // stored only when it changed: an idle connection's counters are the object it holds already, and a
            // reference stored into the column (old, by then) dirties a card the GC must scan, ~72k per poll at 100k
            if (last != info) blocks[k >>> BLOCK_SHIFT].counters[k & BLOCK_MASK] = info;
            blocks[k >>> BLOCK_SHIFT].countersPoll[k & BLOCK_MASK] = (byte) generation;
        }
        return info;
    }

    private static double rate(long before, long now, double seconds) {
        if (before == TcpInfo.UNKNOWN || now == TcpInfo.UNKNOWN || now < before) return Double.NaN;
        return (now - before) / seconds;
    }

    private static long u32(byte[] m, long at, int len, int field) {
        return field + 4 <= len ? Integer.toUnsignedLong(i32(m, at + field)) : TcpInfo.UNKNOWN;
    }

    private static long u64(byte[] m, long at, int len, int field) {
        if (field + 8 > len) return TcpInfo.UNKNOWN;
        long v = i64(m, at + field);
        return v < 0 ? Long.MAX_VALUE : v; // 2^63 bytes: not reached, but never shown as "unknown"
    }

    /**
     * The offset of the first netlink attribute (struct nlattr, 4-byte aligned) of {@code type} in
     * [from, to), or -1 when there is none.
     */
    private static long attribute(byte[] m, long from, long to, int type) {
        long a = from;
        while (a + 4 <= to) {
            int len = i16(m, a) & 0xFFFF;
            int t = i16(m, a + 2) & 0x3FFF; // without NLA_F_NESTED / NLA_F_NET_BYTEORDER
            if (len < 4 || a + len > to) return -1;
            if (t == type) return a;
            a += (len + 3) & ~3L;
        }
        return -1;
    }

    /** {@code TCP_LISTEN} in the kernel's state numbering. */
    private static final int LISTEN_CODE = 10;

    /** The endpoint (no interface), one object for every socket with it when its port is a server's (see {@link #sharedEndpoints}). */
    private Endpoint endpoint(InetAddress a, int port) {
        if (!(a instanceof Inet4Address) || (port >= EPHEMERAL_FROM && !listeningPorts.contains(port))) return new Endpoint(a, port);
        long k = (Integer.toUnsignedLong(a.hashCode()) << 16) | port;
        Endpoint e = sharedEndpoints.get(k);
        if (e == null) {
            e = new Endpoint(a, port);
            sharedEndpoints.put(k, e);
        }
        return e;
    }

    private InetAddress v4(int bits) {
        InetAddress a = v4Cache.get(bits);
        if (a == null) {
            a = Addresses.fromBytes(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
            v4Cache.put(bits, a);
        }
        return a;
    }

    private InetAddress v6(long high, long low) {
        if (mapped(high, low)) return v4((int) low); // ::ffff:a.b.c.d
        V6 key = new V6(high, low);
        InetAddress a = v6Cache.get(key);
        if (a == null) {
            byte[] b = new byte[16];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (high >>> (56 - 8 * i));
                b[8 + i] = (byte) (low >>> (56 - 8 * i));
            }
            a = Addresses.fromBytes(b);
            v6Cache.put(key, a);
        }
        return a;
    }
}
