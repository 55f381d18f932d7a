package io.tcplens.analysis.ports;

import com.carrotsearch.hppc.cursors.ObjectCursor;
import io.tcplens.engine.PollResult;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import io.tcplens.source.TimeWaitDuration;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Per-destination ephemeral-port use, close rate and time to exhaustion. Feed every poll to
 * {@link #observe}; ask for a {@link #report} whenever needed. Not thread-safe: use from one thread.
 */
public final class PortUsageAnalyzer {
    /** Default window of the close-rate measurement. */
    public static final long DEFAULT_WINDOW_MILLIS = 30_000;

    private final CloseRateMeter meter;

    /**
     * @param windowMillis   how far back close rates look
     * @param timeWaitMillis the platform's TIME_WAIT duration ({@code source.timeWaitDuration()})
     */
    public PortUsageAnalyzer(long windowMillis, long timeWaitMillis) {
        this.meter = new CloseRateMeter(windowMillis, timeWaitMillis);
    }

    public PortUsageAnalyzer(long windowMillis) {
        this(windowMillis, 60_000);
    }

    public PortUsageAnalyzer() {
        this(DEFAULT_WINDOW_MILLIS);
    }

    public void observe(PollResult r) {
        meter.observe(r);
    }

    public CloseRateMeter meter() {
        return meter;
    }

    private static final TcpState[] STATES = TcpState.values();

    /** One destination's figures, counted in place (no boxed count per socket). */
    private static final class Bucket {
        final int[] byState = new int[TcpState.values().length];
        int inRange;
        int outside;
        int otherInRange;
        /** TIME_WAIT sockets in the range; their remaining times are {@code grouped[twAt .. twAt + tw)} of the report. */
        int tw;
        int twAt = -1;

        Map<TcpState, Integer> states() {
            // most destinations hold sockets in one state: a one-entry map, not an EnumMap copied again
            // (DestinationUsage keeps Map.copyOf of it, which is the same immutable map)
            int nonZero = 0, last = -1;
            for (int i = 0; i < byState.length; i++) if (byState[i] > 0) { nonZero++; last = i; }
            if (nonZero == 0) return Map.of();
            if (nonZero == 1) return Map.of(STATES[last], byState[last]);
            Map<TcpState, Integer> m = new EnumMap<>(TcpState.class);
            for (TcpState s : STATES) if (byState[s.ordinal()] > 0) m.put(s, byState[s.ordinal()]);
            return m;
        }
    }

    /** The report for the latest poll. */
    public PortReport report(PollResult latest, EphemeralPortRange range, TimeWaitDuration duration) {
        List<SocketEntry> sockets = latest.snapshot().sockets();
        long now = latest.snapshot().timestampMillis();
        Listeners listeners = Listeners.of(latest);
        // connect() skips every port with a bind() bucket, whatever its address (__inet_hash_connect):
        // a listener's port inside the range is lost to every destination
        int boundInRange = 0;
        if (range.known()) for (int p : listeners.ports()) if (range.isEphemeral(p)) boundInRange++;
        TimeWaitReuse reuse = range.reuse();
        // buckets by local address, then remote endpoint: no Destination made per socket (100k rows a poll)
        Map<InetAddress, Map<Endpoint, Bucket>> byLocal = new HashMap<>();
        InetAddress lastLocal = null;
        Map<Endpoint, Bucket> local = null;
        int outbound = 0, inboundTw = 0, timeWait = 0;
        int m = 0; // TIME_WAIT sockets in the range so far, in twBucket / twTime
        for (SocketEntry e : sockets) {
            if (e.state() == TcpState.TIME_WAIT) {
                timeWait++;
                if (listeners.isInbound(e)) inboundTw++;
            }
            if (!listeners.isOutbound(e)) continue;
            outbound++;
            InetAddress la = e.local().address();
            if (local == null || !Objects.equals(la, lastLocal)) {
                local = byLocal.computeIfAbsent(la, a -> new HashMap<>());
                lastLocal = la;
            }
            Bucket b = local.get(e.remote());
            if (b == null) local.put(e.remote(), b = new Bucket());
            b.byState[e.state().ordinal()]++;
            boolean eph = !range.known() || range.isEphemeral(e.local().port());
            if (!eph) {
                b.outside++;
                continue;
            }
            b.inRange++;
            if (e.state() == TcpState.TIME_WAIT) {
                if (m == twBucket.length) growScratch();
                twBucket[m] = b;
                twTime[m++] = remaining(e, latest, now, duration.millis());
                b.tw++;
            } else b.otherInRange++;
        }
        groupTimeWait(m);
        // the window's close rates and takeovers per destination, summed once (not walked per destination)
        CloseRateMeter.Sums sums = meter.sums();
        long span = meter.spanMillis();
        List<DestinationUsage> rows = new ArrayList<>(sums.entries().size() + 16);
        double dSec = duration.millis() / 1000.0;
        int usable = range.known() ? Math.max(0, range.usable() - boundInRange) : 0;
        for (Map.Entry<InetAddress, Map<Endpoint, Bucket>> l : byLocal.entrySet())
            for (Map.Entry<Endpoint, Bucket> r : l.getValue().entrySet())
                rows.add(usage(new Destination(l.getKey(), r.getKey()), r.getValue(), sums, span, usable, reuse, duration, dSec));
        // destinations that closed within the window but hold no socket now
        for (ObjectCursor<Destination> c : sums.entries().keys()) {
            Destination d = c.value;
            Map<Endpoint, Bucket> at = byLocal.get(d.localAddress());
            if (at == null || !at.containsKey(d.remote())) rows.add(usage(d, new Bucket(), sums, span, usable, reuse, duration, dSec));
        }
        sort(rows);
        return new PortReport(latest.snapshot().source(), now, range, duration, meter.spanMillis() / 1000.0, rows,
                outbound, inboundTw, meter.timeWaitEntryRate(), meter.coarse(timeWait));
    }

    /*
     * The report's TIME_WAIT remaining times, kept from one report to the next (one thread): each socket's bucket
     * and time in the order read, then grouped by bucket. At 100k sockets a list per destination grown a value
     * at a time, copied for the forecast and copied again to sort was 0.15 MB a second of the window's 1.1
     * (round 25's allocation profile); these arrays grow to the largest table seen and are reused.
     */
    private Bucket[] twBucket = new Bucket[0];
    private long[] twTime = new long[0];
    private long[] grouped = new long[0];
    /** The forecast's scratch: as long as the most TIME_WAIT sockets one destination holds. */
    private long[] left = new long[0];

    private void growScratch() {
        int n = Math.max(64, twBucket.length * 2);
        twBucket = Arrays.copyOf(twBucket, n);
        twTime = Arrays.copyOf(twTime, n);
    }

    /** Gives each bucket its run of {@code grouped} and fills it from the first {@code m} of twBucket / twTime. */
    private void groupTimeWait(int m) {
        if (grouped.length < m) grouped = new long[twTime.length];
        int next = 0, most = 0;
        for (int i = 0; i < m; i++) {
            Bucket b = twBucket[i];
            if (b.twAt < 0) {
                b.twAt = next;
                next += b.tw;
                most = Math.max(most, b.tw);
                b.tw = 0; // counted again as it is filled
            }
        }
        if (left.length < most) left = new long[Math.max(most, left.length * 2)];
        for (int i = 0; i < m; i++) {
            Bucket b = twBucket[i];
            grouped[b.twAt + b.tw++] = twTime[i];
            twBucket[i] = null; // no bucket kept past the report
        }
    }

    /** Worst level first, then most ports held, then most closes per second, then by destination. */
    static final Comparator<DestinationUsage> ORDER = (a, b) -> {
        // one comparator, not a chain of reversed and then-comparing ones (55k rows a report)
        int c = Integer.compare(b.level().ordinal(), a.level().ordinal());
        if (c != 0) return c;
        c = Integer.compare(b.inUse(), a.inUse());
        if (c != 0) return c;
        c = Double.compare(b.closesPerSecond(), a.closesPerSecond());
        return c != 0 ? c : a.destination().compareTo(b.destination());
    };

    /**
     * Sorts {@code rows} in {@link #ORDER}, with each row's keys read once: at 55k destinations the comparator
     * followed four references per key per comparison (a third of a report). Two IPv4 destinations compare
     * by numbers; any other pair by {@link Destination#compareTo}, so the order is {@link #ORDER}'s exactly
     * (and the sort is as stable).
     */
    static void sort(List<DestinationUsage> rows) {
        Keyed[] keyed = new Keyed[rows.size()];
        for (int i = 0; i < keyed.length; i++) keyed[i] = new Keyed(rows.get(i));
        Arrays.sort(keyed, Keyed.ORDER);
        for (int i = 0; i < keyed.length; i++) rows.set(i, keyed[i].usage);
    }

    /** A row and {@link #ORDER}'s keys. */
    private static final class Keyed {
        final DestinationUsage usage;
        final int level, inUse, ifIndex;
        final double closes;
        /** Both addresses IPv4: {@code remote} (address, then port) and {@code local} order as Destination does. */
        final boolean v4;
        final long remote, local;

        Keyed(DestinationUsage u) {
            usage = u;
            level = u.level().ordinal();
            inUse = u.inUse();
            closes = u.closesPerSecond();
            Destination d = u.destination();
            ifIndex = d.remote().ifIndex();
            v4 = d.remote().address() instanceof Inet4Address && d.localAddress() instanceof Inet4Address;
            // an Inet4Address's hash code is its address (as Addresses.compare reads it)
            remote = v4 ? Integer.toUnsignedLong(d.remote().address().hashCode()) << 16 | d.remote().port() : 0;
            local = v4 ? Integer.toUnsignedLong(d.localAddress().hashCode()) : 0;
        }

        static final Comparator<Keyed> ORDER = (a, b) -> {
            int c = Integer.compare(b.level, a.level);
            if (c != 0) return c;
            c = Integer.compare(b.inUse, a.inUse);
            if (c != 0) return c;
            c = Double.compare(b.closes, a.closes);
            if (c != 0) return c;
            if (!a.v4 || !b.v4) return a.usage.destination().compareTo(b.usage.destination());
            c = Long.compare(a.remote, b.remote);
            if (c != 0) return c;
            c = Integer.compare(a.ifIndex, b.ifIndex);
            return c != 0 ? c : Long.compare(a.local, b.local);
        };
    }

    private DestinationUsage usage(Destination d, Bucket b, CloseRateMeter.Sums sums, long span, int usable,
                                   TimeWaitReuse reuse, TimeWaitDuration duration, double dSec) {
        double rate = sums.rate(d, span);
        ExhaustionForecast f = null;
        if (usable > 0) {
            // with a TIME_WAIT takeover, a slot blocks connect() only until it is `delay` old
            long hold = reuse.appliesTo(d) ? Math.min(duration.millis(), Math.max(1, reuse.delayMs())) : duration.millis();
            long cut = duration.millis() - hold;
            // the TIME_WAIT sockets still holding their port after the cut, in the order read (into a scratch
            // array the forecast sorts in place)
            int k = 0;
            for (int i = b.twAt, end = b.twAt + b.tw; i < end; i++) if (grouped[i] - cut > 0) left[k++] = grouped[i] - cut;
            f = ExhaustionForecast.computeSorting(usable, b.otherInRange, left, k, rate, hold);
        }
        return new DestinationUsage(d, b.inRange, b.outside, b.states(), usable, rate, rate * dSec, f,
                DestinationUsage.level(f), meter.coarse(sums, d, b.byState[TcpState.TIME_WAIT.ordinal()]));
    }

    /**
     * Remaining TIME_WAIT time: the kernel's timer when the source gives it, else estimated from when the
     * tracker saw it enter (the tracker is asked only then: a lookup per TIME_WAIT row was a third of the report).
     */
    static long remaining(SocketEntry e, PollResult latest, long now, long durationMs) {
        if (e.hasTimerTime()) return e.timerRemainingMillis(now); // at the poll's time (a row may carry its due time; no Long per row)
        TrackedConnection t = latest.connections().get(e.key());
        if (t != null) return Math.max(0, durationMs - t.timeInStateMillis(now));
        return durationMs;
    }

}
