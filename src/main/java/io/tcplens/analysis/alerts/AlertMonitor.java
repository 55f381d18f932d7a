package io.tcplens.analysis.alerts;

import io.tcplens.analysis.ports.Destination;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.engine.PollResult;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Checks alert rules against every poll and reports each condition once when it starts to hold and
 * once when it clears (see {@link AlertRule} for the margin). Per-destination and per-process rules
 * track one condition per destination or process; a destination or process that is gone clears its
 * condition. Shared by {@code tcplens watch --alert} and the window. Plain Java; not thread-safe: feed
 * it from one thread.
 */
public final class AlertMonitor {
    private final List<AlertRule> rules;
    private final Supplier<EphemeralPortRange> range;
    /**
     * Destinations with a headroom condition that holds (fired, not cleared): besides those whose value
     * passes a rule now, only these are measured (a subject string made) at a poll.
     */
    private final Set<Destination> headroomActive = new HashSet<>();
    /** Fired conditions by key, with the last event seen for each (value kept current). */
    private final Map<String, AlertEvent> active = new LinkedHashMap<>();
    /** CLOSE_WAIT count per owning process, one sample per poll, as long as the longest growth window. */
    private final Deque<Sample> samples = new ArrayDeque<>();
    private final long growthWindow;
    private EphemeralPortRange cachedRange;
    private long rangeReadAt = Long.MIN_VALUE;
    private long lastMillis = Long.MIN_VALUE;
    /** What the rules read of the table, updated by what changed since the previous poll observed. */
    private final AlertTally tally = new AlertTally();
    private final boolean headroom;

    private record Sample(long atMillis, Map<ProcessKey, Integer> closeWait) {}

    /** A process by PID and name (a reused PID with another name is another process). */
    record ProcessKey(int pid, String name) {
        String subject() {
            return (name == null ? "?" : name) + " (pid " + pid + ")";
        }
    }

    /**
     * @param rules    the rules to check
     * @param range    reads the ephemeral port range (for headroom; read at most every 30 s)
     */
    public AlertMonitor(Collection<AlertRule> rules, Supplier<EphemeralPortRange> range) {
        this.rules = List.copyOf(rules);
        this.range = range;
        this.growthWindow = this.rules.stream().filter(r -> r.kind() == AlertRule.Kind.CLOSE_WAIT_GROWTH)
                .mapToLong(AlertRule::windowMillis).max().orElse(0);
        this.headroom = this.rules.stream().anyMatch(r -> r.kind() == AlertRule.Kind.HEADROOM);
    }

    public List<AlertRule> rules() {
        return rules;
    }

    /** The conditions that hold now (fired and not cleared), with their latest values. */
    public List<AlertEvent> active() {
        return List.copyOf(active.values());
    }

    /** Checks one poll; returns what fired and what cleared at it, in rule order. A failed poll changes nothing. */
    public List<AlertEvent> observe(PollResult r) {
        if (r.error() != null || rules.isEmpty()) return List.of();
        long now = r.snapshot().timestampMillis();
        if (now < lastMillis) {
            // time went back (a replay was seeked): start again, without reporting what was held
            active.clear();
            samples.clear();
            headroomActive.clear();
        }
        lastMillis = now;
        Map<String, AlertEvent> holding = new LinkedHashMap<>();   // conditions measured this poll, by key
        Map<String, Boolean> clearing = new HashMap<>();           // key → the value is past the clearing margin
        EphemeralPortRange er = headroom ? portRange(now) : null;
        tally.update(r.snapshot(), er);
        Map<ProcessKey, Integer> cwNow = null;
        if (growthWindow > 0) cwNow = observeCloseWait(now);
        Map<String, Destination> measuredDestinations = null;
        for (AlertRule rule : rules) {
            switch (rule.kind()) {
                case STATE_COUNT -> {
                    int v = rule.state() == null ? r.snapshot().sockets().size() : tally.count(rule.state());
                    measure(rule, null, null, v, r, holding, clearing);
                }
                case HEADROOM -> {
                    int usable = tally.usable();
                    if (usable <= 0) continue;
                    if (measuredDestinations == null) measuredDestinations = new HashMap<>();
                    // the numbers only (ports held per destination against the usable ones): a subject
                    // string and an event only where the rule holds, or held and may clear now
                    List<Held> candidates = new ArrayList<>();
                    for (int id = 0, ids = tally.destinationIds(); id < ids; id++) {
                        int inUse = tally.inUse(id);
                        if (inUse > 0 && rule.holds(free(inUse, usable))) candidates.add(new Held(tally.destination(id), inUse));
                    }
                    for (Destination d : headroomActive) {
                        int id = tally.idOf(d);
                        if (id < 0) continue; // gone: cleared below
                        int inUse = tally.inUse(id);
                        if (!rule.holds(free(inUse, usable))) candidates.add(new Held(d, inUse));
                    }
                    // most ports held first (then by destination): the order the events come in
                    candidates.sort(Comparator.comparingInt(Held::inUse).reversed().thenComparing(Held::destination));
                    for (Held h : candidates) {
                        String subject = h.destination().toString();
                        measuredDestinations.put(subject, h.destination());
                        measure(rule, subject, null, free(h.inUse(), usable), r, holding, clearing);
                    }
                }
                case CLOSE_WAIT_GROWTH -> {
                    Map<ProcessKey, Integer> before = baseline(now - rule.windowMillis());
                    for (Map.Entry<ProcessKey, Integer> e : cwNow.entrySet()) {
                        int growth = e.getValue() - before.getOrDefault(e.getKey(), 0);
                        measure(rule, e.getKey().subject(), e.getKey().pid(), growth, r, holding, clearing);
                    }
                }
            }
        }
        List<AlertEvent> events = new ArrayList<>();
        for (Map.Entry<String, AlertEvent> e : holding.entrySet()) {
            AlertEvent ev = e.getValue();
            if (active.containsKey(e.getKey())) {
                if (clearing.get(e.getKey())) {
                    active.remove(e.getKey());
                    events.add(ev);
                } else {
                    active.put(e.getKey(), withFired(ev, true));
                }
            } else if (ev.fired()) {
                active.put(e.getKey(), ev);
                events.add(ev);
            }
        }
        // a condition whose destination or process is gone has cleared
        for (var it = active.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, AlertEvent> e = it.next();
            if (holding.containsKey(e.getKey())) continue;
            AlertEvent a = e.getValue();
            double gone = a.rule().kind() == AlertRule.Kind.HEADROOM ? 100 : 0;
            events.add(new AlertEvent(false, a.rule(), a.subject(), a.pid(), gone, now, r.snapshot().source()));
            it.remove();
        }
        headroomActive.clear();
        if (measuredDestinations != null) {
            for (AlertEvent a : active.values()) {
                if (a.rule().kind() != AlertRule.Kind.HEADROOM) continue;
                Destination d = measuredDestinations.get(a.subject());
                if (d != null) headroomActive.add(d);
            }
        }
        return events;
    }

    private static double free(int inUse, int usable) {
        return Math.max(0, 100.0 * (usable - inUse) / usable);
    }

    private record Held(Destination destination, int inUse) {}

    private static AlertEvent withFired(AlertEvent e, boolean fired) {
        return new AlertEvent(fired, e.rule(), e.subject(), e.pid(), e.value(), e.atMillis(), e.source());
    }

    private void measure(AlertRule rule, String subject, Integer pid, double value, PollResult r,
                         Map<String, AlertEvent> holding, Map<String, Boolean> clearing) {
        // fired = the condition holds; for an active condition, whether it is past the clearing margin
        AlertEvent ev = new AlertEvent(rule.holds(value), rule, subject, pid, value, r.snapshot().timestampMillis(),
                r.snapshot().source());
        if (ev.fired() || active.containsKey(ev.key())) {
            holding.put(ev.key(), active.containsKey(ev.key()) && rule.clears(value) ? withFired(ev, false) : ev);
            clearing.put(ev.key(), rule.clears(value));
        }
    }

    /** The ephemeral port range (read at most every 30 s), or null when unknown. */
    private EphemeralPortRange portRange(long now) {
        if (cachedRange == null || now - rangeReadAt > 30_000 || now < rangeReadAt) {
            cachedRange = range.get();
            rangeReadAt = now;
        }
        EphemeralPortRange er = cachedRange;
        return er == null || !er.known() ? null : er;
    }

    private Map<ProcessKey, Integer> observeCloseWait(long now) {
        Map<ProcessKey, Integer> cw = tally.closeWaitByProcess();
        samples.addLast(new Sample(now, cw));
        // keep the newest sample at or before the longest window's start, and everything after it
        while (samples.size() > 1) {
            Sample first = samples.pollFirst();
            Sample second = samples.peekFirst();
            if (second.atMillis() > now - growthWindow) {
                samples.addFirst(first);
                break;
            }
        }
        return cw;
    }

    /** The counts of the newest sample taken at or before {@code since} (the oldest one kept when none is that old). */
    private Map<ProcessKey, Integer> baseline(long since) {
        Sample base = samples.peekFirst();
        for (Sample s : samples) {
            if (s.atMillis() <= since) base = s;
            else break;
        }
        return base.closeWait();
    }
}
