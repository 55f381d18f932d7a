package io.tcplens.engine;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SnapshotDiff;
import io.tcplens.model.TcpInfoReadings;
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
 * @param counters     traffic counters read beside the table for the few connections a consumer named (the rows
 *                     in view: see {@code PollingEngine#addTcpInfoDemand}), whose rows in {@code snapshot} carry
 *                     none; {@link TcpInfoReadings#NONE} when none were read that way
 * @param cpuNanos     the CPU time the polling thread spent on the poll (its share of {@code pollNanos}; on a
 *                     loaded machine the rest is other processes' time); where not measured, {@code pollNanos}
 */
public record PollResult(long sequence, Snapshot snapshot, SnapshotDiff diff,
                         Map<ConnectionKey, TrackedConnection> connections, long pollNanos, String error,
                         TcpInfoReadings counters, long cpuNanos) {
    public PollResult {
        if (counters == null) counters = TcpInfoReadings.NONE;
    }

    /** A poll whose CPU time was not measured apart from its wall time. */
    public PollResult(long sequence, Snapshot snapshot, SnapshotDiff diff,
                      Map<ConnectionKey, TrackedConnection> connections, long pollNanos, String error,
                      TcpInfoReadings counters) {
        this(sequence, snapshot, diff, connections, pollNanos, error, counters, pollNanos);
    }

    /** A poll with no counters read beside its table. */
    public PollResult(long sequence, Snapshot snapshot, SnapshotDiff diff,
                      Map<ConnectionKey, TrackedConnection> connections, long pollNanos, String error) {
        this(sequence, snapshot, diff, connections, pollNanos, error, TcpInfoReadings.NONE);
    }

    public double pollMillis() {
        return pollNanos / 1e6;
    }

    public double cpuMillis() {
        return cpuNanos / 1e6;
    }
}
