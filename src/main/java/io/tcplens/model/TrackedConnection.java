package io.tcplens.model;

import java.util.List;

/**
 * What the tracker knows about one live connection.
 *
 * @param entry          the latest row (owner filled in from the last known owner where the kernel gave none)
 * @param firstSeenMillis when the tracker first saw this 4-tuple
 * @param stateSinceMillis when it entered its current state (first poll that showed it; for a socket
 *                       first seen in TIME_WAIT, derived from the kernel's remaining timer)
 * @param stateSinceObserved true when {@code stateSinceMillis} was observed, false when derived
 * @param history        its most recent transitions, oldest first (bounded)
 */
public record TrackedConnection(SocketEntry entry, long firstSeenMillis, long stateSinceMillis,
                                boolean stateSinceObserved, List<StateChange> history) {
    public long timeInStateMillis(long nowMillis) {
        return Math.max(0, nowMillis - stateSinceMillis);
    }
}
