package io.tcplens.engine;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.model.TrackedConnection;
import java.util.Map;

/**
 * One poll, as published to listeners.
 *
 * @param sequence     1 for the first poll, then increasing
 * @param snapshot     the table (owners include last-known ones)
 * @param diff         change since the previous poll
 * @param connections  tracker state after this poll, by 4-tuple
 * @param pollNanos    what the poll itself cost (read + parse + owners + diff + track)
 * @param error        the source's error when the poll failed (snapshot then repeats the last good one), else null
 */
public record PollResult(long sequence, Snapshot snapshot, SnapshotDiff diff,
                         Map<ConnectionKey, TrackedConnection> connections, long pollNanos, String error) {
    public double pollMillis() {
        return pollNanos / 1e6;
    }
}
