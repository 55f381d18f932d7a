package io.tcplens.source.events;

import io.tcplens.model.EventBatch;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.KernelTransition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kernel's TCP state changes from a supervised {@code bpftrace} child on the tracepoint
 * {@code sock:inet_sock_set_state} (TCP only, one network namespace, filtered in the kernel by the
 * namespace's inode), read as JSON lines ({@code -f json}) on a reader thread into a bounded ring
 * of primitive columns ({@link EventColumns}): the events' objects are made when a drain hands them out.
 *
 * <p>Times: bpftrace's {@code nsecs} is CLOCK_MONOTONIC, as {@link System#nanoTime()} is on Linux;
 * they are mapped to wall time with one offset taken at start. Losses: bpftrace reports the events
 * the kernel's perf buffer dropped ({@code lost_events}), and the ring counts what it could not hold;
 * a batch with losses, or from an interval the child did not fully cover, is marked incomplete.
 *
 * <p>A connect()'s CLOSE → SYN_SENT event is emitted before the kernel picks the local port; it is
 * held until the same socket's next event names the port.
 *
 * <p>Caught up: the kernel writes each event to the perf buffer of the CPU it ran on, and bpftrace
 * reads the per-CPU buffers in turn, each only when the kernel wakes it for that buffer. So the feed
 * has read everything up to a time T only once it has read, from <em>every</em> CPU's buffer, a line
 * stamped at T or later: the heartbeat is a {@code profile} probe, which fires on each CPU (an
 * {@code interval} probe fires on one), and an event's own time advances nothing. The per-CPU
 * heartbeat also writes to a busy CPU's buffer every {@value #HEARTBEAT_MS} ms. An idle CPU's probe does
 * not fire, so a CPU silent for {@value #CPU_SILENT_NANOS} ns is not waited for. Before this, a poll could
 * be reported caught up on CPU 0's heartbeat while a client's last steps were still in CPU 1's buffer.
 */
public final class BpftraceEvents implements EventFeed {
    private static final Logger LOG = LoggerFactory.getLogger(BpftraceEvents.class);
    /**
     * Ring size when none is given: about a second of a heavy churn (the events held between two drains
     * at most; the ring's columns grow with what it holds, see {@link EventColumns}).
     */
    public static final int DEFAULT_CAPACITY = 262_140;
    /**
     * Heartbeat period of the child, on every CPU: lets a poll know the events up to its end have been read.
     * Each heartbeat wakes bpftrace and the reader thread: at 10 ms on two CPUs (200 lines a second) the
     * idle feed cost bpftrace 0.018 s of CPU per s and the reader about as much (issue 11: a tenth of what
     * one {@code ss -tan} at 100k costs, every second); at 20 ms bpftrace 0.008. A poll waits ~10 ms more.
     */
    static final int HEARTBEAT_MS = 20;
    /**
     * A CPU whose heartbeat lags the newest by more than this is idle (or offline) and not waited for: the
     * {@code profile} probe does not fire on an idle CPU (seen on this machine: quiet, CPU 1 gave none in 6 s),
     * and an idle CPU writes few events (a timer's, an interrupt's), which the reader gets within about a
     * millisecond (measured for a process's write on a CPU that then idles). With a second here, a quiet CI rehearsal's polls waited the whole
     * catch-up time in 8 of 22 polls while one CPU dozed; five heartbeats is what a busy CPU's lags on a
     * loaded machine (p99 60 ms for the older of two CPUs at load 16) mostly stay within, and past it the
     * feed is where one heartbeat left it before (five heartbeats of {@value #HEARTBEAT_MS} ms).
     */
    static final long CPU_SILENT_NANOS = 5L * HEARTBEAT_MS * 1_000_000L;
    private static final int HELD_LIMIT = 65_536;

    private final long netns;
    /** Events read since the last drain (guarded by itself; swapped for an empty one at each drain). */
    private EventColumns ring;
    private final Object ringLock = new Object();
    private final int capacity;
    private final long offsetNanos;
    private final AtomicLong ringLost = new AtomicLong();
    private final AtomicLong kernelLost = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final Object progress = new Object();
    private final LinkedHashMap<Long, EventBytes.Fields> held = new LinkedHashMap<>();
    /** Events read by a drain that came after its cutoff: handed out by a later one (drains only). */
    private EventColumns pending;
    private volatile long readUpTo; // CLOCK_MONOTONIC up to which every CPU's buffer has been read
    private long[] cpuHeartbeat = new long[0]; // per CPU: newest heartbeat read (reader thread only)
    private long firstHeartbeat; // reader thread only
    private final int cpusOnline = EventSupport.onlineCpus();
    private volatile long attachedAt; // 0 until the probes are attached (the first heartbeat read)
    private volatile boolean running;
    private volatile String status;
    private long lostReported;
    private volatile boolean dropOverflowedInterval;
    private volatile boolean overflowed; // the ring overflowed, or the kernel lost events, since the last drain (dropOverflowedIntervals)
    private boolean overflowCarried; // the interval before this one overflowed
    private ProbeMisses misses; // the kernel's skips of the tracepoint program (looked for until found; guarded by this)
    private final AtomicLong skipped = new AtomicLong(); // runs the kernel skipped, as read at the drains
    private long skipsSeen; // guarded by this
    private long coveredFrom; // mono time from which drains are complete
    private long lastCutoff;
    private Process child;
    /** The child's stdout and stderr readers: they end with the child, and {@link #close()} waits for them. */
    private Thread reader, errors;
    private final List<String> errorTail = new ArrayList<>();
    private final boolean keepSocketDetails;
    /** Whether the child runs {@link EventBatches}' program (set at launch). */
    private volatile boolean batched;
    /** The names of the batched program's processes (reader thread only). */
    private final EventBatches batches = new EventBatches();
    private final long[] triple = new long[3]; // a batch line's event, as read (reader thread only)
    private volatile long batchedRead; // events read from batch lines (written by the reader thread alone)

    /**
     * @param netns    the network namespace inode to watch (0: every namespace)
     * @param capacity ring size (events between two polls it can hold)
     */
    public BpftraceEvents(long netns, int capacity) {
        this(netns, capacity, true);
    }

    /**
     * @param keepSocketDetails keep each event's socket address and byte counters; false: the events'
     *                          {@link KernelTransition#socketId()} is 0 and their byte counts
     *                          {@link KernelTransition#UNKNOWN_BYTES} (the window's tracker reads none of
     *                          them; an event held takes 25 bytes instead of 49)
     */
    public BpftraceEvents(long netns, int capacity, boolean keepSocketDetails) {
        this.netns = netns;
        this.keepSocketDetails = keepSocketDetails;
        this.capacity = Math.max(1, capacity);
        this.ring = new EventColumns(keepSocketDetails);
        this.pending = ring.emptyLike();
        this.offsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        this.status = "events: off (not started)";
    }

    /** The bpftrace program: one printf per TCP state change in the namespace, a heartbeat every {@value #HEARTBEAT_MS} ms. */
    static String program(long netns) {
        return "tracepoint:sock:inet_sock_set_state /" + filter(netns) + "/ {\n"
                + "  " + EVENT_LINE + "\n"
                + "}\n"
                + "profile:ms:" + HEARTBEAT_MS + " { printf(\"H %llu %d\\n\", nsecs, cpu); }\n";
    }

    /** The program that writes IPv4 events {@value EventBatches#PER_LINE} to a line ({@link EventBatches}). */
    static String batchedProgram(long netns) {
        return EventBatches.program(filter(netns));
    }

    /** One event's line, as the per-event program writes every event (and the batched one an IPv6 event). */
    private static final String EVENT_LINE = eventLine("nsecs", "args->oldstate", "args->newstate", "pid",
            "((struct tcp_sock *)args->skaddr)->bytes_acked", "((struct tcp_sock *)args->skaddr)->bytes_received", "comm");

    /** The printf of an event's line with these values; the socket's address and 4-tuple are the change's. */
    static String eventLine(String nsecs, String oldState, String newState, String pid, String acked, String received,
                            String comm) {
        return "printf(\"E %llu %llx %d %d %u %u %s %s %d %llu %llu %s\\n\", " + nsecs + ", args->skaddr, " + oldState + ", "
                + newState + ", args->sport, args->dport, ntop(args->saddr_v6), ntop(args->daddr_v6), " + pid + ", " + acked
                + ", " + received + ", " + comm + ");";
    }

    private static String filter(long netns) {
        return "args->protocol == 6"
                + (netns != 0 ? " && ((struct sock *)args->skaddr)->__sk_common.skc_net.net->ns.inum == " + netns : "");
    }

    /**
     * Starts the child after {@link EventSupport#check()}; returns a feed that says why it is off when
     * it cannot run (never throws for a missing privilege or program).
     */
    public static BpftraceEvents start(long netns, int capacity, Duration attachTimeout) {
        return start(netns, capacity, attachTimeout, false);
    }

    /** As {@link #start(long, int, Duration)}; {@code dropOverflowed}: see {@link #dropOverflowedIntervals()}. */
    public static BpftraceEvents start(long netns, int capacity, Duration attachTimeout, boolean dropOverflowed) {
        return start(netns, capacity, attachTimeout, dropOverflowed, true);
    }

    /**
     * As {@link #start(long, int, Duration, boolean)}; {@code keepSocketDetails}: see
     * {@link #BpftraceEvents(long, int, boolean)}.
     */
    public static BpftraceEvents start(long netns, int capacity, Duration attachTimeout, boolean dropOverflowed,
                                       boolean keepSocketDetails) {
        BpftraceEvents e = new BpftraceEvents(netns, capacity, keepSocketDetails);
        if (dropOverflowed) e.dropOverflowedIntervals();
        EventSupport.Check c = EventSupport.check();
        if (!c.available()) {
            e.status = c.reason();
            return e;
        }
        e.launch(c.bpftrace(), attachTimeout);
        return e;
    }

    /** Starts {@code bpftrace} (a path; package-private for the test, which gives a stand-in) and waits for it to attach. */
    void launch(String bpftrace, Duration attachTimeout) {
        // the batched program when the feed keeps no socket details (the window) and a CPU's events can be written
        // before it idles; record, events and lifetimes keep each event's socket address and byte counters
        batched = !keepSocketDetails && EventSupport.idleTracepoint();
        try {
            ProcessBuilder pb = new ProcessBuilder(bpftrace, "-f", "json", "-e", batched ? batchedProgram(netns) : program(netns));
            // 4 MB per CPU: rides out the moments the reader is not scheduled on a busy machine
            pb.environment().putIfAbsent("BPFTRACE_PERF_RB_PAGES", "1024");
            child = pb.start();
        } catch (IOException e) {
            status = "events: off (cannot start bpftrace: " + e.getMessage() + ")";
            return;
        }
        running = true;
        reader = Thread.ofPlatform().name("tcplens-events").daemon().start(this::readLoop);
        errors = Thread.ofPlatform().name("tcplens-events-stderr").daemon().start(this::errorLoop);
        long deadline = System.nanoTime() + attachTimeout.toNanos();
        synchronized (progress) {
            while (attachedAt == 0 && running && System.nanoTime() < deadline) {
                try {
                    progress.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (attachedAt == 0) {
            // the child exited: what it said on the way out may still be on its way to the error tail
            if (!running) join(errors, 1_000);
            String why = running ? "bpftrace did not attach within " + attachTimeout.toSeconds() + " s" : lastError();
            close();
            status = "events: off (" + why + ")";
            return;
        }
        coveredFrom = attachedAt;
        status = "events: on (bpftrace, sock:inet_sock_set_state" + (netns != 0 ? ", netns " + netns : "") + ")";
    }

    private String lastError() {
        synchronized (errorTail) {
            for (int i = errorTail.size() - 1; i >= 0; i--) {
                String l = errorTail.get(i);
                if (!l.contains("RLIMIT_MEMLOCK") && !l.isBlank()) return "bpftrace: " + l.strip();
            }
        }
        return "bpftrace exited";
    }

    private void errorLoop() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                synchronized (errorTail) {
                    errorTail.add(l);
                    if (errorTail.size() > 20) errorTail.remove(0);
                }
            }
        } catch (IOException ignored) {
            // the child went away
        }
    }

    private void readLoop() {
        try (InputStream in = child.getInputStream()) {
            readLoop(in);
        } catch (IOException e) {
            LOG.debug("bpftrace output ended", e);
        } finally {
            running = false;
            synchronized (progress) {
                progress.notifyAll();
            }
            if (attachedAt != 0) status = "events: off (" + lastError() + ")";
        }
    }

    /**
     * Reads the child's lines as bytes: event and heartbeat lines are read in place ({@link EventBytes}), no string
     * per line; a line they do not read is decoded (UTF-8) and parsed as text ({@link EventLine#parse(String)}).
     * Lines end at {@code \n} (a {@code \r} before it is dropped). Package-private for the benchmark and tests.
     */
    void readLoop(InputStream in) throws IOException {
        byte[] buf = new byte[1 << 16];
        int start = 0, end = 0;
        EventBytes.Fields f = new EventBytes.Fields();
        long[] beat = new long[2];
        while (true) {
            int nl = -1;
            for (int i = start; i < end; i++)
                if (buf[i] == '\n') {
                    nl = i;
                    break;
                }
            if (nl < 0) {
                if (start > 0) {
                    System.arraycopy(buf, start, buf, 0, end - start);
                    end -= start;
                    start = 0;
                }
                if (end == buf.length) buf = Arrays.copyOf(buf, buf.length * 2); // a line longer than the buffer
                int n = in.read(buf, end, buf.length - end);
                if (n < 0) {
                    if (end > start) line(buf, start, end, f, beat);
                    return;
                }
                end += n;
                continue;
            }
            int le = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
            line(buf, start, le, f, beat);
            start = nl + 1;
        }
    }

    private void line(byte[] b, int from, int end, EventBytes.Fields f, long[] beat) {
        long data = EventBytes.printfData(b, from, end);
        if (data >= 0) {
            int at = (int) (data >>> 32), to = (int) data;
            if (to - at >= 2 && b[at + 1] == ' ' && batchedLine(b, at, to, f)) return;
            if (EventBytes.event(b, at, to, f)) {
                accept(f);
                return;
            }
            if (EventBytes.heartbeat(b, at, to, beat)) {
                heartbeatRead(beat[0], (int) beat[1]);
                return;
            }
        }
        switch (EventLine.parse(new String(b, from, end - from, StandardCharsets.UTF_8))) {
            case EventLine.Event e -> accept(e);
            case EventLine.Heartbeat h -> heartbeatRead(h.monoNanos(), h.cpu());
            case EventLine.Attached a -> LOG.debug("bpftrace: attaching {} probes", a.probes());
            case EventLine.Lost l -> lostInKernel(l.events());
            case EventLine.Other o -> other(o);
        }
    }

    /**
     * A line of the batched program ({@link EventBatches}): events ({@code B}), a process's name ({@code P}), a clear
     * of the names ({@code C}); false for any other line, and for a name this does not read in place (escaped or
     * not ASCII: the caller decodes it). A batch line that does not read whole is a loss (one, whatever it held):
     * its interval is incomplete.
     */
    private boolean batchedLine(byte[] b, int at, int to, EventBytes.Fields f) {
        switch (b[at]) {
            case 'B' -> {
                if (dropOverflowedInterval && overflowed) { // the interval is lost whole already: counted, not parsed
                    int fields = 0;
                    for (int i = at + 2; i < to; i++) if (b[i] == ' ') fields++;
                    received.addAndGet(fields / 3);
                    ringLost.addAndGet(fields / 3);
                    return true;
                }
                long[] v = triple;
                int p = EventBytes.number(b, at + 2, to, 10, v, 0);
                int cpu = (int) v[0];
                int read = 0;
                while (p > 0 && p < to) {
                    for (int k = 0; k < 3 && p > 0; k++) p = b[p] == ' ' ? EventBytes.number(b, p + 1, to, 16, v, k) : -1;
                    if (p < 0 || !batches.event(cpu, v[0], v[1], v[2], f)) break;
                    // (not accept's pairing: the program pairs a connect() with its port in the kernel, and these
                    // events carry no socket address to pair by — a connect that found no port is written with
                    // port 0 beside its close, and must not wait here for another socket's next event)
                    received.incrementAndGet();
                    offer(f);
                    read++;
                }
                batchedRead += read;
                if (p != to || read == 0) {
                    LOG.debug("bpftrace: a batch line not read whole ({} events read)", read);
                    lostInKernel(1);
                }
                return true;
            }
            case 'P' -> {
                long[] v = triple;
                int p = EventBytes.number(b, at + 2, to, 10, v, 0);
                if (p > 0 && p < to && b[p] == ' ') p = EventBytes.number(b, p + 1, to, 10, v, 1);
                if (p < 0 || p >= to || b[p] != ' ') return false;
                String comm = EventBytes.comm(b, p + 1, to);
                if (comm == null) return false;
                batches.named((int) v[0], (int) v[1], comm);
                return true;
            }
            case 'C' -> {
                batches.cleared();
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** A line no reader above took: a name line ({@code P cpu pid comm}) whose name is escaped or not ASCII, or noise. */
    private void other(EventLine.Other o) {
        String data = o.printfData();
        if (data != null && data.startsWith("P ")) {
            String[] parts = data.split(" ", 4);
            try {
                batches.named(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]), EventLine.name(parts.length > 3 ? parts[3] : ""));
                return;
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                // not a name line after all
            }
        }
        LOG.debug("bpftrace: {}", o.text());
    }

    /**
     * The kernel's perf buffer dropped {@code n} events (bpftrace says so). The interval has lost events whatever else
     * comes: with {@link #dropOverflowedIntervals()} it goes whole at once, as an overflowed one (what is held is counted
     * lost and let go, and nothing more is kept until the next drain). At the burst table's remake (28k connections
     * made in a second, ~280k events) the kernel dropped about half; the other half was held, and made into an object
     * each at the drain (10 MB, sorted) for a batch the tracker does not read. Package-private for the test.
     */
    void lostInKernel(long n) {
        kernelLost.addAndGet(n);
        if (!dropOverflowedInterval) return;
        synchronized (ringLock) {
            if (overflowed) return;
            dropInterval();
        }
        intervalDropped();
    }

    /** The interval goes whole: what is held is counted lost and let go, and nothing more is kept until the next drain. */
    private void dropInterval() { // (holding ringLock)
        overflowed = true;
        ringLost.addAndGet(ring.size() + pending.size());
        ring = ring.emptyLike();
        pending = pending.emptyLike();
    }

    private void heartbeatRead(long mono, int cpu) {
        heartbeat(mono, cpu);
        // bpftrace says "attaching" (attached_probes) before it loads and attaches the programs (seen: the
        // programs' fds not there yet on a busy machine), and a change in between would fall in an
        // interval said complete. The first heartbeat comes from the profile probe, which bpftrace
        // attaches after the tracepoint (program order)
        if (attachedAt == 0) {
            synchronized (progress) {
                attachedAt = System.nanoTime();
                progress.notifyAll();
            }
        }
    }

    /**
     * A heartbeat from {@code cpu}: the feed has read up to the oldest of the CPUs' newest heartbeats
     * (CPUs silent for {@value #CPU_SILENT_NANOS} ns against the newest, idle ones, are left out; until
     * every online CPU has been heard from, or for that long after the first heartbeat, nothing is caught up).
     * Package-private for the test.
     */
    void heartbeat(long mono, int cpu) {
        if (cpu < 0) { // a program without the CPU: one heartbeat stands for all
            advance(mono);
            return;
        }
        if (cpu >= cpuHeartbeat.length) cpuHeartbeat = Arrays.copyOf(cpuHeartbeat, cpu + 1);
        if (mono > cpuHeartbeat[cpu]) cpuHeartbeat[cpu] = mono;
        if (firstHeartbeat == 0) firstHeartbeat = mono;
        long newest = 0;
        int heard = 0;
        for (long t : cpuHeartbeat) {
            newest = Math.max(newest, t);
            if (t != 0) heard++;
        }
        if (heard < cpusOnline && newest - firstHeartbeat < CPU_SILENT_NANOS) return;
        long oldest = Long.MAX_VALUE;
        for (long t : cpuHeartbeat) {
            if (t != 0 && newest - t <= CPU_SILENT_NANOS) oldest = Math.min(oldest, t);
        }
        advance(oldest);
    }

    private void advance(long mono) {
        if (mono > readUpTo) {
            readUpTo = mono;
            synchronized (progress) {
                progress.notifyAll();
            }
        }
    }

    /** An event parsed from a line's text, as {@link #accept(EventBytes.Fields)}. Package-private for the ring test. */
    void accept(EventLine.Event e) {
        accept(EventBytes.Fields.of(e));
    }

    /** Called on the reader thread, in arrival order; {@code f} is the reader's, reused for the next line. */
    void accept(EventBytes.Fields f) {
        received.incrementAndGet();
        if (f.to == KernelTcpState.SYN_SENT && f.localPort() == 0) {
            synchronized (held) {
                held.put(f.skaddr, f.copy());
                if (held.size() > HELD_LIMIT) {
                    Iterator<Long> it = held.keySet().iterator();
                    it.next();
                    it.remove();
                    ringLost.incrementAndGet();
                }
            }
            return;
        }
        EventBytes.Fields first;
        synchronized (held) {
            first = held.isEmpty() ? null : held.remove(f.skaddr);
        }
        if (first != null) {
            if (f.localPort() != 0) first.tupleOf(f);
            offer(first);
        }
        offer(f);
    }

    private void offer(EventBytes.Fields f) {
        synchronized (ringLock) {
            if (overflowed) { // the interval is lost already: nothing more is kept until the next drain
                ringLost.incrementAndGet();
                return;
            }
            // the capacity bounds every event held, those a drain kept after its cutoff too: a poller that drained
            // with a cutoff behind what was read kept them beside a ring filled again to the full capacity, and
            // nothing bounded the two together
            if (ring.size() + pending.size() < capacity) {
                ring.add(f);
                return;
            }
            ringLost.incrementAndGet();
            if (!dropOverflowedInterval) return;
            dropInterval(); // what the ring held goes, none of it kept (the kept ones are this interval's too)
        }
        intervalDropped();
    }

    /** A poller waiting for the feed to catch up need not: the interval it waits for is lost whole ({@link #awaitCaughtUp}). */
    private void intervalDropped() {
        synchronized (progress) {
            progress.notifyAll();
        }
    }

    /** Events held now, read but not handed out (the ring's and those after a drain's cutoff). For the tests. */
    int held() {
        synchronized (ringLock) {
            return ring.size() + pending.size();
        }
    }

    /** The bytes the held events take in their columns. For the tests. */
    long heldBytes() {
        synchronized (ringLock) {
            return ring.heldBytes() + pending.heldBytes();
        }
    }

    /**
     * From now on, an interval whose events overflow the ring, or of which the kernel lost events
     * ({@link #lostInKernel}), is dropped whole at once (and the next interval is reported incomplete too,
     * as events read ahead of its start may have gone with it), instead of the ring holding a full
     * {@code capacity} of events until the next drain. For a consumer that uses only complete intervals, as
     * the tracker does: under load the window's refresh backs off to 30–120 s, a churning table overflowed
     * the ring in every interval, and the heap held 262,144 events (with their keys, 50–60 MB at 100k
     * sockets) only to throw them away at the poll. The window and {@code record} call this
     * ({@code EventSources.startFor}: a recording's lossy interval is replayed as inferred anyway);
     * {@code events} and {@code lifetimes} keep what a lossy interval still has (they do not).
     */
    public BpftraceEvents dropOverflowedIntervals() {
        dropOverflowedInterval = true;
        return this;
    }

    /**
     * {@inheritDoc} Not when the interval is dropped whole already ({@link #dropOverflowedIntervals()}): nothing the
     * wait could bring would be handed out (returns false at once). At the burst table's remake the poll waited the
     * full {@link EventFeed#CATCH_UP_MILLIS} for a bpftrace far behind, on an interval the kernel had lost events of.
     */
    @Override
    public boolean awaitCaughtUp(long monoNanos, long maxWaitMillis) {
        long deadline = System.nanoTime() + maxWaitMillis * 1_000_000L;
        synchronized (progress) {
            while (readUpTo < monoNanos && running) {
                if (overflowed) return false; // (set only where intervals are dropped whole)
                long left = deadline - System.nanoTime();
                if (left <= 0) return false;
                try {
                    progress.wait(Math.max(1, left / 1_000_000L));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return readUpTo >= monoNanos;
    }

    @Override
    public synchronized EventBatch drain(long cutoffMonoNanos) {
        boolean over;
        EventColumns in, before;
        synchronized (ringLock) {
            over = overflowed;
            overflowed = false; // what overflows from here on counts in the next drain
            in = ring;
            ring = in.emptyLike();
            before = pending;
        }
        // runs of the probe the kernel skipped (nested on a busy CPU, any namespace's): counted and shown, not a loss
        // of the interval's events as a whole — a step of ours that went is a table/events mismatch the tracker
        // infers for that connection alone (ConnectionTracker), as it does for an event that comes late
        ProbeMisses m = misses();
        if (m.counting()) {
            long skips = m.read();
            if (skips > skipsSeen) skipped.addAndGet(skips - skipsSeen);
            skipsSeen = Math.max(skipsSeen, skips);
        }
        long lost = ringLost.get() + kernelLost.get();
        long newLost = lost - lostReported;
        lostReported = lost;
        boolean covered = attachedAt != 0 && coveredFrom != 0 && running;
        // the objects are made here, for the poll that takes them; what came after the cutoff stays in columns
        List<KernelTransition> out = new ArrayList<>(before.size() + in.size());
        before.transitionsUpTo(cutoffMonoNanos, offsetNanos, out);
        in.transitionsUpTo(cutoffMonoNanos, offsetNanos, out);
        EventColumns later = in.emptyLike();
        later.addLater(before, cutoffMonoNanos);
        later.addLater(in, cutoffMonoNanos);
        synchronized (ringLock) {
            if (overflowed) { // the next interval overflowed while this drain ran: what it kept goes with it
                ringLost.addAndGet(later.size());
                later = later.emptyLike();
            }
            pending = later;
        }
        // per-CPU perf buffers are read in turn: order by the kernel's time
        out.sort(Comparator.comparingLong(KernelTransition::monoNanos));
        // the interval since the previous drain is covered when the probe was attached before it began
        boolean complete = covered && lastCutoff >= attachedAt && newLost == 0 && !overflowCarried;
        overflowCarried = over;
        lastCutoff = cutoffMonoNanos;
        return EventBatch.handedOver(out, newLost, complete); // (out is this batch's alone: not copied)
    }

    @Override
    public boolean on() {
        return running && attachedAt != 0;
    }

    @Override
    public String status() {
        long k = skipped.get();
        return k == 0 || !running ? status : status + "; the kernel skipped the probe " + k
                + " times on a busy CPU (any namespace's changes; a watched connection's missed step is inferred)";
    }

    @Override
    public long lostTotal() {
        return ringLost.get() + kernelLost.get();
    }

    /**
     * Runs of the tracepoint program the kernel skipped since the start, as the drains read them (every
     * namespace's: an upper bound on this namespace's events missed that way). Not in {@link #lostTotal()}: a
     * skipped step of a watched connection shows as that connection's events disagreeing with the table.
     */
    public long skippedTotal() {
        return skipped.get();
    }

    /** Whether the kernel's skips of the program can be read (the child's tracepoint program was found). */
    public synchronized boolean countsSkips() {
        return misses().counting();
    }

    /**
     * The child's tracepoint program, looked for until found (bpftrace says it is attaching before it loads the
     * programs); the skips it had when found are the baseline.
     */
    private synchronized ProbeMisses misses() {
        if (misses == null || !misses.counting()) {
            Process p = child;
            ProbeMisses m = p != null && attachedAt != 0 ? ProbeMisses.of(p.pid()) : null;
            if (m == null) return ProbeMisses.NONE;
            misses = m;
            skipsSeen = m.read();
        }
        return misses;
    }

    /** Whether the child runs the batched program ({@link EventBatches}; for the tests). */
    boolean batched() {
        return batched;
    }

    /** Events read from the batched program's batch lines since the start (for the tests). */
    long batchedRead() {
        return batchedRead;
    }

    /** Events read from bpftrace since the start. */
    public long received() {
        return received.get();
    }

    /** The bpftrace child's process id, or -1 when it is not running. */
    public long childPid() {
        Process p = child;
        return p != null && p.isAlive() ? p.pid() : -1;
    }

    /** The mono→wall offset (ns) this feed uses. */
    public long offsetNanos() {
        return offsetNanos;
    }

    @Override
    public void close() {
        Process p = child;
        if (p != null) {
            p.destroy();
            try {
                if (!p.waitFor(2, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        // the readers end with the child's output; once they have, the reader's own last word on the status (the
        // child's exit) cannot land after this one
        join(reader, 2_000);
        join(errors, 2_000);
        running = false;
        if (attachedAt != 0) status = "events: off (stopped)";
    }

    /** The child's output readers (null before the start). For the tests. */
    List<Thread> readers() {
        return Arrays.asList(reader, errors);
    }

    private static void join(Thread t, long millis) {
        if (t == null || t == Thread.currentThread()) return;
        try {
            t.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

}
