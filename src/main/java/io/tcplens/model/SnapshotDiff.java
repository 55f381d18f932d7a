package io.tcplens.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What changed between two snapshots, keyed by 4-tuple.
 *
 * @param opened      connections present now and not before
 * @param closed      connections present before and gone now (as they were last seen)
 * @param transitions connections whose state changed
 * @param fromMillis  timestamp of the earlier snapshot (0 when there was none)
 * @param toMillis    timestamp of the later snapshot
 * @param events      what the kernel's state-change events showed in between, or null when no event
 *                    source runs (polling only)
 */
public record SnapshotDiff(List<SocketEntry> opened, List<SocketEntry> closed, List<StateChange> transitions,
                           long fromMillis, long toMillis, ObservedEvents events) {

    public SnapshotDiff {
        opened = List.copyOf(opened);
        closed = List.copyOf(closed);
        transitions = List.copyOf(transitions);
    }

    /** A diff of polls only (no event source). */
    public SnapshotDiff(List<SocketEntry> opened, List<SocketEntry> closed, List<StateChange> transitions,
                        long fromMillis, long toMillis) {
        this(opened, closed, transitions, fromMillis, toMillis, null);
    }

    /** True when kernel events cover this interval completely (every transition observed, none lost). */
    public boolean eventsComplete() {
        return events != null && events.complete();
    }

    public static SnapshotDiff none(long at) {
        return new SnapshotDiff(List.of(), List.of(), List.of(), at, at);
    }

    public boolean isEmpty() {
        return opened.isEmpty() && closed.isEmpty() && transitions.isEmpty();
    }

    /** Diff of {@code before} → {@code after}, given their indexes by key. */
    public static SnapshotDiff between(Snapshot before, Map<ConnectionKey, SocketEntry> beforeByKey,
                                       Snapshot after, Map<ConnectionKey, SocketEntry> afterByKey) {
        List<SocketEntry> opened = new ArrayList<>();
        List<StateChange> changes = new ArrayList<>();
        for (SocketEntry now : afterByKey.values()) {
            SocketEntry was = beforeByKey.get(now.key());
            if (was == null) opened.add(now);
            else if (was.state() != now.state())
                changes.add(new StateChange(now.key(), was.state(), now.state(), now, after.timestampMillis()));
        }
        List<SocketEntry> closed = new ArrayList<>();
        for (SocketEntry was : beforeByKey.values()) if (!afterByKey.containsKey(was.key())) closed.add(was);
        return new SnapshotDiff(opened, closed, changes, before.timestampMillis(), after.timestampMillis());
    }

    /** Convenience form that indexes both snapshots. */
    public static SnapshotDiff between(Snapshot before, Snapshot after) {
        return between(before, before.byKey(), after, after.byKey());
    }

}
