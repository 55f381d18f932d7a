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
 */
final class NetlinkReceiver implements AutoCloseable {
    /** Buffers in the ring: the receiver can run this many datagrams ahead of the parser. */
    static final int BUFFERS = 8;
    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.nativeOrder());
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.nativeOrder());

    /** One received datagram (or why receiving stopped). */
    record Chunk(MemorySegment buffer, long length, int seq, Exception failure) {}

    /** Freed by the GC once the receiver is dropped (never while a recv may still write to it). */
    private final Arena arena = Arena.ofAuto();
    private final MemorySegment[] buffers = new MemorySegment[BUFFERS];
    private final MemorySegment request;
    private final MemorySegment callState;
    private final ArrayBlockingQueue<MemorySegment> free = new ArrayBlockingQueue<>(BUFFERS);
    private final ArrayBlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(BUFFERS + 4);
    /** One thread, which ends after 10 s without a poll (a source dropped without close() leaves none behind). */
    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(1, 1, 10, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), Thread.ofPlatform().name("tcplens-netlink-recv").daemon().factory());

    {
        thread.allowCoreThreadTimeOut(true);
    }
    private volatile boolean aborted;
    private Future<?> running;
    /** Time the receiver spent in recv (the kernel building and copying the dump) during the last poll. */
    private volatile long receiveNanos;

    NetlinkReceiver(int bufferBytes) {
        for (int i = 0; i < BUFFERS; i++) buffers[i] = arena.allocate(bufferBytes, 8);
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
                    long t0 = System.nanoTime();
                    long n = s.receive(b, callState);
                    spent += System.nanoTime() - t0;
                    filled.put(new Chunk(b, n, seqs[k], null));
                    if (n == 0 || n > b.byteSize() || ends(b, n, seqs[k])) break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (NetlinkSocket.NativeCallException | RuntimeException e) {
            filled.offer(new Chunk(null, 0, 0, e));
        } finally {
            receiveNanos = spent;
        }
    }

    /** Whether this datagram ends request {@code seq}'s dump, by the parser's own rules. */
    static boolean ends(MemorySegment m, long length, int seq) {
        long off = 0;
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

    /** Stops the thread (the buffers go with the receiver, to the GC). */
    @Override
    public void close() {
        finish(true, 6_000);
        thread.shutdown();
    }
}
