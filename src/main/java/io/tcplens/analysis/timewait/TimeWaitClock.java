package io.tcplens.analysis.timewait;

import io.tcplens.analysis.ports.Listeners;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TrackedConnection;
import io.tcplens.source.TimeWaitDuration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Every TIME_WAIT socket of one snapshot as a span from entry to expiry, with the platform's
 * duration and where that figure came from. Expiry is the kernel's remaining timer when the
 * source gives one (now + remaining); entry is what the tracker observed, else derived from that
 * timer. Immutable; building it sorts, so do it off the FX thread.
 */
public final class TimeWaitClock {
    /** Window of "expiring soon". */
    public static final long EXPIRING_SOON_MILLIS = 10_000;

    private final long nowMillis;
    private final TimeWaitDuration duration;
    private final SourceInfo source;
    private final List<TimeWaitEntry> entries;

    private TimeWaitClock(long nowMillis, TimeWaitDuration duration, SourceInfo source, List<TimeWaitEntry> entries) {
        this.nowMillis = nowMillis;
        this.duration = duration;
        this.source = source;
        this.entries = entries;
    }

    public static TimeWaitClock of(PollResult r, TimeWaitDuration duration) {
        return of(r.snapshot().timestampMillis(), r.snapshot().sockets(), r.connections(), duration,
                r.snapshot().source());
    }

    public static TimeWaitClock of(long now, List<SocketEntry> sockets, Map<ConnectionKey, TrackedConnection> tracked,
                                   TimeWaitDuration duration, SourceInfo source) {
        Listeners listeners = Listeners.of(sockets);
        long d = duration.millis();
        List<TimeWaitEntry> out = new ArrayList<>();
        for (SocketEntry e : sockets) {
            if (e.state() != TcpState.TIME_WAIT) continue;
            TrackedConnection t = tracked == null ? null : tracked.get(e.key());
            // at the snapshot's time (a row may carry its due time); NO_DUE: none. No Long per TIME_WAIT row
            long rem = e.timerRemainingMillis(now);
            boolean timed = rem != SocketEntry.NO_DUE;
            long entry;
            TimeWaitEntry.EntrySource how;
            if (t != null && t.stateSinceObserved()) {
                entry = t.stateSinceMillis();
                how = TimeWaitEntry.EntrySource.OBSERVED;
            } else if (timed) {
                entry = now - Math.max(0, d - rem);
                how = TimeWaitEntry.EntrySource.KERNEL_TIMER;
            } else {
                entry = t != null ? t.stateSinceMillis() : now;
                how = TimeWaitEntry.EntrySource.FIRST_SEEN;
            }
            long expiry = timed ? now + rem : entry + d;
            out.add(new TimeWaitEntry(e.key(), entry, how, expiry, timed, e.pid(), e.process(),
                    !listeners.isInbound(e)));
        }
        // stable sort on expiry alone: ties keep table order (comparing 4-tuples on ties cost more than the whole sort)
        out.sort(Comparator.comparingLong(TimeWaitEntry::expiryMillis));
        return new TimeWaitClock(now, duration, source, List.copyOf(out));
    }

    public long nowMillis() {
        return nowMillis;
    }

    public TimeWaitDuration duration() {
        return duration;
    }

    public SourceInfo source() {
        return source;
    }

    /** TIME_WAIT sockets, soonest expiry first. */
    public List<TimeWaitEntry> entries() {
        return entries;
    }

    public int size() {
        return entries.size();
    }

    /** Sockets the kernel frees within {@code millis} from now. */
    public int expiringWithin(long millis) {
        long limit = nowMillis + millis;
        int lo = 0, hi = entries.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).expiryMillis() <= limit) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** Sockets whose entry time was observed (the rest are derived or first-seen). */
    public int observedEntries() {
        int n = 0;
        for (TimeWaitEntry e : entries) if (e.entrySource() == TimeWaitEntry.EntrySource.OBSERVED) n++;
        return n;
    }

    /** True when every expiry comes from the kernel's timer. */
    public boolean allExpiriesFromKernel() {
        for (TimeWaitEntry e : entries) if (!e.expiryFromKernel()) return false;
        return true;
    }

    /**
     * Histogram of remaining time over [0, duration] in {@code bins} equal bins; a socket whose
     * remaining time exceeds the duration (clock skew) falls in the last bin.
     */
    public Histogram histogram(int bins) {
        if (bins <= 0) throw new IllegalArgumentException("bins must be positive");
        int[] counts = new int[bins];
        long d = duration.millis();
        for (TimeWaitEntry e : entries) {
            long r = e.remainingMillis(nowMillis);
            int i = (int) Math.min(bins - 1, r * bins / d);
            counts[i]++;
        }
        return new Histogram(d / (double) bins, counts);
    }

    /**
     * Counts per bin of remaining time.
     *
     * @param binMillis width of one bin
     * @param counts    sockets per bin, bin 0 = expiring soonest
     */
    public record Histogram(double binMillis, int[] counts) {
        public int max() {
            int m = 0;
            for (int c : counts) m = Math.max(m, c);
            return m;
        }

        public int total() {
            int t = 0;
            for (int c : counts) t += c;
            return t;
        }
    }
}
