package io.tcplens.testutil;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One worker process of {@link ScaleTable}: holds up to {@value #MAX_PAIRS} ESTABLISHED loopback
 * pairs (both ends in this process, so 2 fds each; the per-process limit here is 20,000), then on
 * command adds TIME_WAIT sockets (the client closes first; no fd is kept).
 *
 * <p>Usage: {@code ScaleTableWorker INDEX PAIRS MAX_LIFETIME_SECONDS}. Protocol on stdout/stdin:
 * <ul>
 *   <li>prints {@code ESTABLISHED <pairs> <serverPort>} once the pairs are connected;</li>
 *   <li>reads {@code timewait <n> [refresh]}: makes n TIME_WAIT sockets, prints {@code READY <pairs> <n>};
 *       with {@code refresh}, each one is made again 60 s after it was made (when the kernel drops it),
 *       so the count stays about level for as long as the worker runs;</li>
 *   <li>reads {@code timewait <n> steady <pairsPerSecond> <offsetMillis>} instead: a steady churn. From
 *       {@code offsetMillis} on (a stagger between workers) it makes n/60 TIME_WAIT sockets each second,
 *       in steps of {@value #STEADY_TICK_MILLIS} ms, for as long as it runs, so that as many expire each
 *       second as are made and the count stays at n; it prints {@code READY <pairs> <n>} once the first
 *       60 s are made (the count has reached n). With {@code pairsPerSecond} &gt; 0 it also closes that
 *       many of its ESTABLISHED pairs each second (oldest first, reset: no TIME_WAIT) and opens new
 *       ones in their place (new 4-tuples), so the ESTABLISHED count stays level too;</li>
 *   <li>{@code quit}, end of stdin (the parent died) or the maximum lifetime: exits. The ESTABLISHED
 *       sockets have SO_LINGER 0, so exiting resets them and leaves no TIME_WAIT behind.</li>
 * </ul>
 * Client ends bind to 127.(16+INDEX).x.y with a new address every {@value #PER_ADDRESS} connections,
 * so no 4-tuple space (and no ephemeral port range) runs dry; the listener is 127.0.0.1 on a port in
 * 20000-32767 (below the ephemeral range), retried while in use.
 */
public final class ScaleTableWorker {
    public static final int MAX_PAIRS = 9_000;
    static final int PER_ADDRESS = 1_000;
    private static final long TIME_WAIT_NANOS = 60_000_000_000L;
    private static final int BATCH = 256;
    /** The steady churn's step: n/600 TIME_WAIT sockets (and a tenth of the pairs per second) each time. */
    static final int STEADY_TICK_MILLIS = 100;

    private final int index;
    private final ServerSocketChannel server;
    private final InetSocketAddress target;
    private long connections;

    private ScaleTableWorker(int index) throws IOException {
        this.index = index;
        this.server = listen();
        this.target = (InetSocketAddress) server.getLocalAddress();
    }

    public static void main(String[] args) throws Exception {
        int index = Integer.parseInt(args[0]);
        int pairs = Integer.parseInt(args[1]);
        long lifetime = Long.parseLong(args[2]);
        if (pairs > MAX_PAIRS) {
            System.out.println("ERROR " + pairs + " pairs asked, at most " + MAX_PAIRS + " per worker (open-file limit)");
            System.exit(2);
        }
        Thread reaper = new Thread(() -> {
            try {
                Thread.sleep(lifetime * 1000);
            } catch (InterruptedException e) {
                return;
            }
            System.err.println("scale worker " + index + ": maximum lifetime reached, exiting");
            Runtime.getRuntime().halt(0);
        }, "lifetime");
        reaper.setDaemon(true);
        reaper.start();
        try {
            ScaleTableWorker w = new ScaleTableWorker(index);
            ArrayDeque<SocketChannel[]> held = w.established(pairs);
            System.out.println("ESTABLISHED " + held.size() + " " + w.target.getPort());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f[0].equals("quit")) break;
                if (f[0].equals("timewait")) {
                    int n = Integer.parseInt(f[1]);
                    if (f.length > 4 && f[2].equals("steady")) {
                        w.startSteady(n, Double.parseDouble(f[3]), Long.parseLong(f[4]), held);
                        continue;
                    }
                    boolean refresh = f.length > 2 && f[2].equals("refresh");
                    ArrayDeque<Long> made = w.timeWait(n);
                    System.out.println("READY " + held.size() + " " + n);
                    System.out.flush();
                    if (refresh) w.startRefresh(made);
                }
            }
        } catch (Exception e) {
            System.out.println("ERROR " + e);
            System.out.flush();
        }
        Runtime.getRuntime().halt(0);
    }

    private static ServerSocketChannel listen() throws IOException {
        InetAddress lo = InetAddress.getByName("127.0.0.1");
        IOException last = null;
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_768);
            ServerSocketChannel s = ServerSocketChannel.open();
            try {
                s.bind(new InetSocketAddress(lo, port), 4096);
                return s;
            } catch (BindException e) {
                s.close();
                last = e;
            }
        }
        throw new IOException("no free listening port in 20000-32767 on 127.0.0.1", last);
    }

    private InetSocketAddress nextClientAddress() throws IOException {
        long a = connections++ / PER_ADDRESS;
        byte[] ip = {127, (byte) (16 + index), (byte) (a / 250), (byte) (a % 250 + 1)};
        if (a / 250 > 255) throw new IOException("client address space of worker " + index + " used up");
        return new InetSocketAddress(InetAddress.getByAddress(ip), 0);
    }

    private SocketChannel connect() throws IOException {
        SocketChannel c = SocketChannel.open();
        c.bind(nextClientAddress());
        c.connect(target);
        return c;
    }

    /**
     * Connects {@code pairs} pairs in batches (connect a batch, then accept it); both ends linger 0.
     * Each element is {client, accepted end}, matched by address, oldest first.
     */
    private ArrayDeque<SocketChannel[]> established(int pairs) throws IOException {
        ArrayDeque<SocketChannel[]> held = new ArrayDeque<>(pairs);
        List<SocketChannel> clients = new ArrayList<>(BATCH);
        Map<Object, SocketChannel> accepted = new HashMap<>();
        for (int done = 0; done < pairs; ) {
            int b = Math.min(BATCH, pairs - done);
            clients.clear();
            accepted.clear();
            for (int i = 0; i < b; i++) {
                SocketChannel c = connect();
                c.setOption(StandardSocketOptions.SO_LINGER, 0);
                clients.add(c);
            }
            for (int i = 0; i < b; i++) {
                SocketChannel s = server.accept();
                s.setOption(StandardSocketOptions.SO_LINGER, 0);
                accepted.put(s.getRemoteAddress(), s);
            }
            for (SocketChannel c : clients) {
                SocketChannel s = accepted.get(c.getLocalAddress());
                if (s == null) throw new IOException("accepted no connection from " + c.getLocalAddress());
                held.add(new SocketChannel[] {c, s});
            }
            done += b;
        }
        return held;
    }

    /**
     * The steady churn (see the class comment): one thread makes the TIME_WAIT share at n/60 per second and
     * replaces {@code pairsPerSecond} ESTABLISHED pairs per second, counting from {@code offsetMillis} from now;
     * prints READY when the first 60 s are made. One thread, so that accept() takes its own connections.
     */
    private void startSteady(int n, double pairsPerSecond, long offsetMillis, ArrayDeque<SocketChannel[]> held) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(offsetMillis);
                long start = System.nanoTime();
                long madeTw = 0, churned = 0;
                boolean ready = false;
                while (true) {
                    long elapsed = System.nanoTime() - start;
                    // cumulative targets, so that a late step catches up (at most a few batches at a time)
                    long twDue = (long) ((double) n * elapsed / TIME_WAIT_NANOS);
                    int tw = (int) Math.min(4L * BATCH, twDue - madeTw);
                    if (tw > 0) {
                        timeWait(tw);
                        madeTw += tw;
                    }
                    long pairsDue = (long) (pairsPerSecond * elapsed / 1e9);
                    int p = (int) Math.min(BATCH, pairsDue - churned);
                    if (p > 0) {
                        replacePairs(held, p);
                        churned += p;
                    }
                    if (!ready && elapsed >= TIME_WAIT_NANOS) {
                        ready = true;
                        synchronized (System.out) {
                            System.out.println("READY " + held.size() + " " + n);
                            System.out.flush();
                        }
                    }
                    long next = start + (elapsed / 1_000_000 / STEADY_TICK_MILLIS + 1) * STEADY_TICK_MILLIS * 1_000_000;
                    long wait = next - System.nanoTime();
                    if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            } catch (Exception e) {
                System.out.println("ERROR steady churn stopped: " + e);
                System.out.flush();
                System.err.println("scale worker " + index + ": steady churn stopped: " + e);
            }
        }, "steady");
        t.setDaemon(true);
        t.start();
    }

    /** Closes the {@code p} oldest pairs (reset: linger 0, no TIME_WAIT) and opens as many new ones. */
    private void replacePairs(ArrayDeque<SocketChannel[]> held, int p) throws IOException {
        for (int i = 0; i < p && !held.isEmpty(); i++) {
            SocketChannel[] old = held.pollFirst();
            old[0].close();
            old[1].close();
        }
        held.addAll(established(p));
    }

    /** Makes n TIME_WAIT sockets: the clients close first, then the accepted ends. Returns when each was made. */
    private ArrayDeque<Long> timeWait(int n) throws IOException {
        ArrayDeque<Long> made = new ArrayDeque<>(n);
        SocketChannel[] clients = new SocketChannel[BATCH];
        SocketChannel[] accepted = new SocketChannel[BATCH];
        for (int done = 0; done < n; ) {
            int b = Math.min(BATCH, n - done);
            for (int i = 0; i < b; i++) clients[i] = connect();
            for (int i = 0; i < b; i++) accepted[i] = server.accept();
            for (int i = 0; i < b; i++) clients[i].close();
            for (int i = 0; i < b; i++) accepted[i].close();
            long now = System.nanoTime();
            for (int i = 0; i < b; i++) made.add(now);
            done += b;
        }
        return made;
    }

    /** Remakes each TIME_WAIT socket when the kernel drops it (60 s after it was made). */
    private void startRefresh(ArrayDeque<Long> made) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    long due = made.peekFirst() + TIME_WAIT_NANOS;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                        continue;
                    }
                    int n = 0;
                    while (!made.isEmpty() && made.peekFirst() + TIME_WAIT_NANOS <= System.nanoTime() && n < 4 * BATCH) {
                        made.pollFirst();
                        n++;
                    }
                    made.addAll(timeWait(n));
                }
            } catch (Exception e) {
                System.err.println("scale worker " + index + ": refresh stopped: " + e);
            }
        }, "refresh");
        t.setDaemon(true);
        t.start();
    }
}
