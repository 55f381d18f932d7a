package io.tcplens.ui.charts;

import io.tcplens.analysis.StateCounts;
import io.tcplens.engine.PollResult;
import io.tcplens.model.TcpState;
import io.tcplens.ui.tiles.StateGroup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The charts' data, plain Java: one sample per poll (counts per tile group, opens and closes), kept
 * for at most {@link #MAX_AGE_MS} (the longest window) — fixed memory whatever the run time.
 * {@link #window} returns at most {@code maxPoints} points per series, averaging buckets when the
 * window holds more samples than that.
 */
public final class CountHistory {
    public static final long MAX_AGE_MS = 60 * 60_000L;
    public static final List<StateGroup> GROUPS = List.of(StateGroup.ESTABLISHED, StateGroup.TIME_WAIT,
            StateGroup.CLOSE_WAIT, StateGroup.SYN_RECV, StateGroup.SYN_SENT, StateGroup.FIN_WAIT,
            StateGroup.LAST_ACK_CLOSING, StateGroup.LISTEN);

    /** One poll. */
    public record Sample(long time, int[] counts, int opened, int closed, long sincePrevMs) {}

    /** One averaged point of a window: seconds before "now", counts per group, opens/closes per second. */
    public record Point(double secondsAgo, double[] counts, double opensPerSec, double closesPerSec) {}

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private long lastTime;

    public void add(PollResult r) {
        if (r.error() != null) return;
        long t = r.snapshot().timestampMillis();
        if (t <= lastTime) return;
        Map<TcpState, Integer> c = StateCounts.of(r.snapshot());
        int[] counts = new int[GROUPS.size()];
        for (int i = 0; i < counts.length; i++) counts[i] = GROUPS.get(i).count(c);
        long since = lastTime == 0 ? 0 : t - lastTime;
        boolean first = lastTime == 0;
        samples.addLast(new Sample(t, counts, first ? 0 : r.diff().opened().size(), first ? 0 : r.diff().closed().size(), since));
        lastTime = t;
        while (!samples.isEmpty() && t - samples.peekFirst().time() > MAX_AGE_MS) samples.removeFirst();
    }

    public int size() {
        return samples.size();
    }

    /** Points of the last {@code windowMs} before {@code now}, oldest first, at most {@code maxPoints}. */
    public List<Point> window(long now, long windowMs, int maxPoints) {
        List<Sample> in = new ArrayList<>();
        for (Iterator<Sample> it = samples.descendingIterator(); it.hasNext(); ) {
            Sample s = it.next();
            if (now - s.time() > windowMs) break;
            in.add(s); // newest first here (an insert at 0 per sample was quadratic: 3,600 samples in the hour's window)
        }
        Collections.reverse(in);
        List<Point> out = new ArrayList<>();
        if (in.isEmpty()) return out;
        int per = Math.max(1, (int) Math.ceil(in.size() / (double) maxPoints));
        for (int i = 0; i < in.size(); i += per) {
            int end = Math.min(in.size(), i + per);
            double[] sum = new double[GROUPS.size()];
            long opened = 0, closed = 0, span = 0;
            for (int j = i; j < end; j++) {
                Sample s = in.get(j);
                for (int k = 0; k < sum.length; k++) sum[k] += s.counts()[k];
                opened += s.opened();
                closed += s.closed();
                span += s.sincePrevMs();
            }
            int n = end - i;
            for (int k = 0; k < sum.length; k++) sum[k] /= n;
            Sample last = in.get(end - 1);
            double secs = span > 0 ? span / 1000.0 : 0;
            out.add(new Point(-(now - last.time()) / 1000.0, sum, secs > 0 ? opened / secs : 0, secs > 0 ? closed / secs : 0));
        }
        return out;
    }
}
