package io.tcplens.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simple reference tracker (TcpLens 0.1's: maps rebuilt every poll), kept to check and measure
 * the real {@link ConnectionTracker} against. Follows connections across snapshots: when each was first seen, when it entered its current
 * state, its last few transitions and its last known owner. Connections that close are forgotten at
 * once, so memory is bounded by the size of the current table. Not thread-safe: one poller owns it.
 */
public final class ReferenceTracker {
    /** Transitions kept per connection. */
    public static final int HISTORY_LIMIT = 16;

    private final long timeWaitDurationMs;
    private Map<ConnectionKey, TrackedConnection> live = Map.of();
    private Snapshot previous;
    private Map<ConnectionKey, SocketEntry> previousByKey = Map.of();

    /** @param timeWaitDurationMs the platform's TIME_WAIT length, used to derive entry times */
    public ReferenceTracker(long timeWaitDurationMs) {
        this.timeWaitDurationMs = timeWaitDurationMs;
    }

    public ReferenceTracker() {
        this(60_000);
    }

    /** The result of one update. */
    public record Update(Snapshot snapshot, SnapshotDiff diff, Map<ConnectionKey, TrackedConnection> connections) {}

    /**
     * Takes the next snapshot. Owners: a row with no PID inherits the last known PID/process of the
     * same 4-tuple (marked {@code ownerLastKnown}); the returned snapshot carries those owners.
     */
    public Update update(Snapshot raw) {
        long now = raw.timestampMillis();
        List<SocketEntry> rows = new ArrayList<>(raw.sockets().size());
        Map<ConnectionKey, SocketEntry> byKey = new HashMap<>(raw.sockets().size() * 2);
        for (SocketEntry e : raw.sockets()) {
            SocketEntry row = e;
            TrackedConnection known = live.get(e.key());
            if (e.pid() == null && known != null && known.entry().pid() != null)
                row = e.withOwner(known.entry().pid(), known.entry().process(), true);
            rows.add(row);
            byKey.put(row.key(), row);
        }
        Snapshot snapshot = new Snapshot(now, rows, raw.source(), raw.warnings());
        SnapshotDiff diff = previous == null
                ? new SnapshotDiff(List.of(), List.of(), List.of(), 0, now)
                : SnapshotDiff.between(previous, previousByKey, snapshot, byKey);

        Map<ConnectionKey, List<StateChange>> changed = new HashMap<>();
        for (StateChange c : diff.transitions()) changed.computeIfAbsent(c.key(), k -> new ArrayList<>()).add(c);

        Map<ConnectionKey, TrackedConnection> next = new HashMap<>(byKey.size() * 2);
        boolean firstPoll = previous == null;
        for (SocketEntry row : byKey.values()) {
            TrackedConnection old = live.get(row.key());
            if (old == null) {
                long since = now;
                boolean observed = !firstPoll;
                if (row.state() == TcpState.TIME_WAIT && row.timerRemainingMs() != null) {
                    // entered TIME_WAIT (duration - remaining) ago, whatever we observed
                    since = now - Math.max(0, timeWaitDurationMs - row.timerRemainingMs());
                    observed = false;
                }
                next.put(row.key(), new TrackedConnection(row, firstPoll ? since : now, since, observed, List.of()));
            } else if (old.entry().state() != row.state()) {
                List<StateChange> hist = new ArrayList<>(old.history());
                hist.addAll(changed.getOrDefault(row.key(), List.of()));
                while (hist.size() > HISTORY_LIMIT) hist.remove(0);
                next.put(row.key(), new TrackedConnection(row, old.firstSeenMillis(), now, true,
                        Collections.unmodifiableList(hist)));
            } else if (row.state() == TcpState.TIME_WAIT && row.timerRemainingMs() != null
                    && now - Math.max(0, timeWaitDurationMs - row.timerRemainingMs()) > old.stateSinceMillis() + 500) {
                // the TIME_WAIT timer jumped back up: a new connection took the 4-tuple over; it starts again
                next.put(row.key(), new TrackedConnection(row, now,
                        now - Math.max(0, timeWaitDurationMs - row.timerRemainingMs()), false, List.of()));
            } else {
                next.put(row.key(), new TrackedConnection(row, old.firstSeenMillis(), old.stateSinceMillis(),
                        old.stateSinceObserved(), old.history()));
            }
        }
        live = Collections.unmodifiableMap(next);
        previous = snapshot;
        previousByKey = byKey;
        return new Update(snapshot, diff, live);
    }

    public int size() {
        return live.size();
    }

    public Map<ConnectionKey, TrackedConnection> connections() {
        return live;
    }
}
