package io.tcplens.source.linux;

import io.tcplens.source.SourceException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Receives a poll's sock_diag dumps on a thread of its own ({@code tcplens-netlink-recv}) while the
 * polling thread parses what already came: the kernel builds each next datagram inside the
 * {@code recv} that takes the previous one, so with two cores the dump and the parse overlap instead
 * of taking turns. Datagrams go through a small ring of native buffers (kept for the source's life); the receiver sends the next family's request once the previous dump ended, as one
 * netlink socket runs one dump at a time. It frames datagrams only far enough to see where a dump
 * ends ({@code NLMSG_DONE} or an error of the request's sequence number, or a header that does not
 * fit, which the parser then reports); everything else is the parser's. Not thread-safe: one poller.
 *
 * <p>Batched (the default): the receiver puts several datagrams one after another into one buffer (each
 * {@code recv} still has a whole datagram's room, {@code bufferBytes}) and hands the buffer over when the
 * next might not fit or the dump ended: the kernel's datagrams are at most 32 KB, so one hand-over (a
 * futex wake of the parser and its park again) per ~7 datagrams instead of per datagram, ~430 a poll at
 * 100k sockets. Their nlmsghdr records follow one another as in a single datagram (every datagram's
 * length is a multiple of NLMSG_ALIGN's 4; one that is not is handed over alone).
 */
final class NetlinkReceiver implements AutoCloseable {
    /** Buffers in the ring: the receiver can run this many datagrams ahead of the parser. */
    static final int BUFFERS = 8;
    /** Buffers in the ring when batched, each {@link #BATCH} datagrams' room. */
    static final int BATCHED_BUFFERS = 4;
    /** A batched buffer has this many times {@code bufferBytes}: room for ~7 of the kernel's 32 KB datagrams. */
    static final int BATCH = 4;
    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    /** One received datagram (or why receiving stopped). */
    record Chunk(MemorySegment buffer, long length, int seq, Exception failure) {}

    /** Freed by the GC once the receiver is dropped (never while a recv may still write to it). */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment[] buffers;
    private final MemorySegment request;
    private final MemorySegment callState;
    /** The room each recv gets at least (a whole datagram's). */
    private final long datagramRoom;
    private final ArrayBlockingQueue<MemorySegment> free;
    private final ArrayBlockingQueue<Chunk> filled;
    /** One thread, which ends after 10 s without a poll (a source dropped without close() leaves none behind). */
    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), Thread.ofPlatform().name("tcplens-netlink-recv").daemon().factory());

    {
        thread.allowCoreThreadTimeOut(true);
    }
    private volatile boolean aborted;
    private Future<?> running;
    /** Time the receiver spent in recv (the kernel building and copying the dump) during the last poll. */
    private volatile long receiveNanos;
    /** Datagrams received and buffers handed to the parser during the last poll (for tests and benchmarks). */
    private volatile int datagrams, handOvers;

    NetlinkReceiver(int bufferBytes) {
        this(bufferBytes, true);
    }

    /** With {@code batched}, several datagrams a hand-over (see above); without, one each (as before round 23). */
    NetlinkReceiver(int bufferBytes, boolean batched) {
        int count = batched ? BATCHED_BUFFERS : BUFFERS;
        buffers = new MemorySegment[count];
        free = new ArrayBlockingQueue<>(count);
        filled = new ArrayBlockingQueue<>(count + 4);
        datagramRoom = bufferBytes;
        for (int i = 0; i < count; i++) buffers[i] = arena.allocate(batched ? (long) bufferBytes * BATCH : bufferBytes, 8);
        request = arena.allocate(NetlinkSource.REQUEST_LEN, 8);
        callState = NetlinkSocket.allocateCallState(arena);
    }

    /** Starts receiving the dumps of {@code families} (requests {@code seqs}, extensions {@code ext}) on {@code s}. */
    void start(NetlinkSocket s, int[] families, int[] seqs, int states, int ext) {
        free.clear();
        filled.clear();
        for (MemorySegment b : buffers) free.add(b);
        aborted = false;
        receiveNanos = 0;
        running = thread.submit(() -> receive(s, families, seqs, states, ext));
    }

    private void receive(NetlinkSocket s, int[] families, int[] seqs, int states, int ext) {
        long spent = 0;
        int received = 0, handed = 0;
        try (Arena sendArena = Arena.ofConfined()) {
            for (int k = 0; k < families.length; k++) {
                NetlinkSource.fillRequest(request, families[k], states, seqs[k], ext);
                s.send(request, NetlinkSource.REQUEST_LEN, sendArena);
                for (int d = 0; ; d++) {
                    if (d >= NetlinkSource.MAX_DATAGRAMS) {
                        filled.put(new Chunk(null, 0, seqs[k], new SourceException(
                                "the kernel's sock_diag dump did not end after " + NetlinkSource.MAX_DATAGRAMS + " replies")));
                        return;
                    }
                    MemorySegment b = free.take();
                    if (aborted) return;
                    long used = 0;
                    boolean end, empty = false;
                    while (true) { // datagrams one after another while a whole one still fits
                        MemorySegment room = used == 0 ? b : b.asSlice(used);
                        long t0 = System.nanoTime();
                        long n = s.receive(room, callState);
                        spent += System.nanoTime() - t0;
                        received++;
                        empty = n == 0;
                        end = empty || n > room.byteSize() || ends(b, used, used + n, seqs[k]);
                        used += n; // past the buffer's size when cut: the parser reports it
                        if (end || (n & 3) != 0 || b.byteSize() - used < datagramRoom) break;
                        d++;
                        if (d >= NetlinkSource.MAX_DATAGRAMS) break; // the check above reports it with the next buffer
                    }
                    handed++;
                    if (empty && used > 0) { // the datagrams before it, then the empty reply (the parser reports it)
                        filled.put(new Chunk(b, used, seqs[k], null));
                        filled.put(new Chunk(null, 0, seqs[k], null));
                    } else {
                        filled.put(new Chunk(b, used, seqs[k], null));
                    }
                    if (end) break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (NetlinkSocket.NativeCallException | RuntimeException e) {
            filled.offer(new Chunk(null, 0, 0, e));
        } finally {
            receiveNanos = spent;
            datagrams = received;
            handOvers = handed;
        }
    }

    /** Whether this datagram ends request {@code seq}'s dump, by the parser's own rules. */
    static boolean ends(MemorySegment m, long length, int seq) {
        return ends(m, 0, length, seq);
    }

    /** {@link #ends(MemorySegment, long, int)} of the datagram at bytes {@code from} to {@code length} of {@code m}. */
    static boolean ends(MemorySegment m, long from, long length, int seq) {
        long off = from;
        while (off + InetDiagParser.NLMSG_HDRLEN <= length) {
            long len = Integer.toUnsignedLong(m.get(HOST_INT, off));
            if (len < InetDiagParser.NLMSG_HDRLEN || off + len > length) return true; // the parser reports it
            int type = m.get(HOST_SHORT, off + 4) & 0xFFFF;
            if (m.get(HOST_INT, off + 8) == seq) {
                if (type == InetDiagParser.NLMSG_DONE || type == InetDiagParser.NLMSG_OVERRUN) return true;
                if (type == InetDiagParser.NLMSG_ERROR) {
                    int err = len - InetDiagParser.NLMSG_HDRLEN >= 4 ? m.get(HOST_INT, off + InetDiagParser.NLMSG_HDRLEN) : -22;
                    if (err != 0) return true;
                }
            }
            off += (len + 3) & ~3L;
        }
        return false;
    }

    /** The next datagram; waits at most {@code timeoutMillis}. */
    Chunk next(long timeoutMillis) throws SourceException {
        try {
            Chunk c = filled.poll(timeoutMillis, TimeUnit.MILLISECONDS);
            if (c == null) throw new SourceException("the kernel did not answer the sock_diag request within "
                    + timeoutMillis / 1000 + " s");
            return c;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SourceException("interrupted while reading the kernel's sock_diag dump");
        }
    }

    /** Gives a parsed datagram's buffer back to the receiver. */
    void release(MemorySegment buffer) {
        free.offer(buffer);
    }

    /**
     * Waits for the receiver to end; with {@code abort} (the parse failed), stops it first. Returns
     * false when it did not end in time (then the socket must not be used again).
     */
    boolean finish(boolean abort, long timeoutMillis) {
        Future<?> f = running;
        running = null;
        if (f == null) return true;
        if (abort) aborted = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            if (abort) {
                for (Chunk c; (c = filled.poll()) != null; ) if (c.buffer() != null) free.offer(c.buffer());
                for (MemorySegment b : buffers) free.offer(b); // a receiver waiting for a buffer wakes and sees the abort
            }
            try {
                f.get(abort ? 50 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())), TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) return false;
            } catch (ExecutionException e) {
                return true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    /**
     * Gives up on a receiver that did not end (stuck in a recv until its timeout): it closes
     * {@code s} and frees its buffers after that recv returns, never while it may still read the
     * descriptor (a number the system could give to another file meanwhile).
     */
    void retire(NetlinkSocket s) {
        aborted = true;
        for (MemorySegment b : buffers) free.offer(b);
        thread.submit(s::close);
        thread.shutdown();
    }

    long receiveNanos() {
        return receiveNanos;
    }

    /** Datagrams the last poll received (after {@link #finish}). */
    int datagrams() {
        return datagrams;
    }

    /** Buffers the last poll handed to the parser (after {@link #finish}): fewer than its datagrams when batched. */
    int handOvers() {
        return handOvers;
    }

    /** Stops the thread (the buffers go with the receiver, to the GC). */
    @Override
    public void close() {
        finish(true, 6_000);
        thread.shutdown();
    }
}
