package io.tcplens.ui.timeline;

import io.tcplens.analysis.advisor.Advice;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.analysis.timewait.TeachingMsl;
import io.tcplens.analysis.timewait.TimeWaitClock;
import io.tcplens.analysis.timewait.TimeWaitEntry;
import io.tcplens.model.Addresses;
import io.tcplens.model.Endpoint;
import io.tcplens.source.TimeWaitDuration;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the timeline canvas draws, computed off the FX thread: one bar per socket when they fit,
 * otherwise one density band per group (sockets alive per time bin). Pure data, no JavaFX.
 */
public final class TimelineModel {
    /** Bars are drawn one per socket up to this many; beyond, density bands. */
    public static final int MAX_BARS = 1_500;
    /** Time bins across the axis in band mode. */
    public static final int BAND_BINS = 480;

    public enum GroupBy { DESTINATION, LOCAL_ADDRESS }

    public enum ColourBy { DESTINATION, PROCESS }

    /** One socket. colourKey indexes the legend (-1 = unknown owner). */
    public record Bar(int row, long entry, long expiry, boolean entryObserved, boolean expiryFromKernel, int colourKey) {}

    /** One group's header in bar mode: its first row and row count. */
    public record Group(String label, int firstRow, int rows, int count) {}

    /** One group in band mode: sockets alive per bin. */
    public record Band(String label, int count, int[] alive, int colourKey) {}

    public record Prepared(long nowMillis, long axisStart, long axisEnd, TimeWaitDuration duration, TeachingMsl teaching,
                           String sourceLabel, int total, int expiringSoon, double entryRate, int observedEntries,
                           boolean allExpiriesFromKernel, TimeWaitClock.Histogram histogram, boolean bandMode,
                           List<Bar> bars, List<Group> groups, int rows, List<Band> bands, int bandMax,
                           List<String> legend, PortReport ports, Advice advice) {}

    private TimelineModel() {}

    /** The axis start/end: from one TIME_WAIT duration before an anchor to past the latest possible expiry. */
    static long[] axis(long now, long durationMs, TeachingMsl teaching) {
        long step = Math.max(1_000, durationMs / 4);
        long anchor = now - Math.floorMod(now, step);
        long ahead = Math.max(durationMs, teaching == null ? 0 : teaching.twoMsl());
        return new long[] {anchor - durationMs, anchor + ahead + step};
    }

    /** The group of an entry: its remote Endpoint or its local InetAddress (objects, not text: 100k toString() calls cost). */
    static Object groupKey(TimeWaitEntry e, GroupBy g) {
        return g == GroupBy.DESTINATION ? e.key().remote() : e.key().local().address();
    }

    static String groupLabel(Object key) {
        return key instanceof Endpoint ep ? ep.toString()
                : Addresses.format((InetAddress) key);
    }

    static Object colourKey(TimeWaitEntry e, ColourBy c) {
        if (c == ColourBy.DESTINATION) return e.key().remote();
        if (e.process() == null && e.pid() == null) return null;
        return e.process() != null ? e.process() : "pid " + e.pid();
    }

    /** Lays out the clock's entries; {@code maxRows} is how many bar rows fit on the canvas. */
    public static Prepared layout(TimeWaitClock clock, GroupBy groupBy, ColourBy colourBy, TeachingMsl teaching,
                                  int maxRows, double entryRate, PortReport ports, Advice advice) {
        long now = clock.nowMillis();
        long d = clock.duration().millis();
        long[] ax = axis(now, d, teaching);
        List<TimeWaitEntry> entries = clock.entries();
        Map<Object, List<TimeWaitEntry>> byKey = new HashMap<>();
        for (TimeWaitEntry e : entries) byKey.computeIfAbsent(groupKey(e, groupBy), k -> new ArrayList<>()).add(e);
        List<Map.Entry<String, List<TimeWaitEntry>>> ordered = new ArrayList<>(byKey.size());
        for (Map.Entry<Object, List<TimeWaitEntry>> en : byKey.entrySet())
            ordered.add(Map.entry(groupLabel(en.getKey()), en.getValue()));
        ordered.sort(Comparator.comparingInt((Map.Entry<String, List<TimeWaitEntry>> x) -> -x.getValue().size())
                .thenComparing(Map.Entry::getKey));
        Map<Object, Integer> colours = new LinkedHashMap<>();
        boolean bandMode = entries.size() > Math.min(MAX_BARS, Math.max(1, maxRows - byKey.size()));
        List<Bar> bars = new ArrayList<>();
        List<Group> groupRows = new ArrayList<>();
        List<Band> bands = new ArrayList<>();
        int rows = 0, bandMax = 0;
        if (!bandMode) {
            for (Map.Entry<String, List<TimeWaitEntry>> g : ordered) {
                List<TimeWaitEntry> list = new ArrayList<>(g.getValue());
                list.sort(Comparator.comparingLong(TimeWaitEntry::entryMillis));
                groupRows.add(new Group(g.getKey(), rows, list.size(), list.size()));
                for (TimeWaitEntry e : list) {
                    bars.add(new Bar(rows++, e.entryMillis(), e.expiryMillis(),
                            e.entrySource() == TimeWaitEntry.EntrySource.OBSERVED, e.expiryFromKernel(),
                            colourIndex(colours, colourKey(e, colourBy))));
                }
            }
        } else {
            int maxBands = Math.max(1, Math.min(40, maxRows / 6));
            double binMs = (ax[1] - ax[0]) / (double) BAND_BINS;
            int[] otherDiff = null;
            int otherCount = 0, otherGroups = 0;
            for (int gi = 0; gi < ordered.size(); gi++) {
                Map.Entry<String, List<TimeWaitEntry>> g = ordered.get(gi);
                boolean own = gi < maxBands - 1 || ordered.size() == maxBands;
                int[] diff = own ? new int[BAND_BINS + 1] : (otherDiff == null ? (otherDiff = new int[BAND_BINS + 1]) : otherDiff);
                for (TimeWaitEntry e : g.getValue()) {
                    int a = clampBin((e.entryMillis() - ax[0]) / binMs);
                    int b = clampBin((e.expiryMillis() - ax[0]) / binMs);
                    diff[a]++;
                    diff[Math.max(a + 1, b)]--;
                }
                if (own) {
                    int[] alive = prefix(diff);
                    for (int v : alive) bandMax = Math.max(bandMax, v);
                    bands.add(new Band(g.getKey(), g.getValue().size(), alive,
                            colourIndex(colours, dominant(g.getValue(), colourBy))));
                } else {
                    otherCount += g.getValue().size();
                    otherGroups++;
                }
            }
            if (otherDiff != null) {
                int[] alive = prefix(otherDiff);
                for (int v : alive) bandMax = Math.max(bandMax, v);
                bands.add(new Band("+" + otherGroups, otherCount, alive, -1));
            }
        }
        return new Prepared(now, ax[0], ax[1], clock.duration(), teaching, clock.source() == null ? "" : clock.source().label(),
                clock.size(), clock.expiringWithin(TimeWaitClock.EXPIRING_SOON_MILLIS), entryRate, clock.observedEntries(),
                clock.allExpiriesFromKernel(), clock.histogram(12), bandMode, bars, groupRows, rows, bands, bandMax,
                colours.keySet().stream().map(k -> k instanceof InetAddress || k instanceof Endpoint
                        ? groupLabel(k) : k.toString()).toList(), ports, advice);
    }

    private static Object dominant(List<TimeWaitEntry> list, ColourBy by) {
        Map<Object, Integer> n = new HashMap<>();
        for (TimeWaitEntry e : list) {
            Object k = colourKey(e, by);
            if (k != null) n.merge(k, 1, Integer::sum);
        }
        return n.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    private static int colourIndex(Map<Object, Integer> colours, Object key) {
        if (key == null) return -1;
        return colours.computeIfAbsent(key, k -> colours.size());
    }

    private static int clampBin(double v) {
        return (int) Math.max(0, Math.min(BAND_BINS - 1, Math.floor(v)));
    }

    private static int[] prefix(int[] diff) {
        int[] alive = new int[BAND_BINS];
        int run = 0;
        for (int i = 0; i < BAND_BINS; i++) {
            run += diff[i];
            alive[i] = run;
        }
        return alive;
    }
}
