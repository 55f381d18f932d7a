package io.tcplens.analysis.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.RemakeTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The burst table's remake (100k sockets, 28k TIME_WAIT gone and 28k new at their places in one table): the tally
 * counts as a walk over the table does, and its 4-tuple map stays at 2^17 slots (the new keys put before the gone
 * ones left held 128k for a moment and doubled it to 2^18 for good).
 */
class AlertTallyRemakeTest {
    private static final SourceInfo SIM = new SourceInfo(SourceInfo.Kind.SIMULATED, "sim", "simulated");

    @Test
    void theRemakeIsCountedWithoutDoublingTheMap() {
        EphemeralPortRange range = EphemeralPortRange.of(10_000, 10_010, List.of(), "test");
        List<SocketEntry> before = RemakeTable.before(100_000);
        List<SocketEntry> after = RemakeTable.after(before);
        AlertTally tally = new AlertTally();
        long t = 1_000;
        int columns = -1;
        for (List<SocketEntry> rows : List.of(before, after, after, before)) {
            Snapshot s = new Snapshot(t += 1000, List.copyOf(rows), SIM, List.of());
            tally.update(s, range);
            assertEquals(AlertTally.FromScratch.of(s, range), tally.asFromScratch());
            assertEquals(28_000, tally.count(TcpState.TIME_WAIT));
            assertEquals(1 << 17, tally.mapCapacity(), "not doubled at the remake");
            if (columns < 0) columns = tally.slotColumns(); // the first table's: with room for the remake
            assertEquals(columns, tally.slotColumns(), "the per-slot columns not regrown at the remake");
        }
    }

    /**
     * Rows given as new objects of the same sockets (their key objects), found by key in the same few places: counted
     * as a walk counts them, as some move to CLOSE_WAIT (with an owner) and back, and while others come and go.
     */
    @Test
    void newRowObjectsOfTheSameSocketsAreCountedAsAWalkCountsThem() {
        EphemeralPortRange range = EphemeralPortRange.of(10_000, 10_010, List.of(), "test");
        List<SocketEntry> base = RemakeTable.before(20_000);
        AlertTally tally = new AlertTally();
        long t = 1_000;
        for (int p = 0; p < 6; p++) {
            List<SocketEntry> rows = new ArrayList<>();
            for (int i = 0; i < base.size(); i++) {
                SocketEntry e = base.get(i);
                if ((i + p) % 97 == 0) continue; // gone this poll (back at the next)
                if (i % 5 == p % 5) rows.add(new SocketEntry(e.key(), i % 2 == 0 ? TcpState.CLOSE_WAIT : e.state(), null, 0, 0,
                        e.timer(), e.timerRemainingMs(), 0, 0, 0, i % 2 == 0 ? 7 + i % 3 : null, i % 2 == 0 ? "p" : null, false));
                else rows.add(e);
            }
            Snapshot s = new Snapshot(t += 1000, List.copyOf(rows), SIM, List.of());
            tally.update(s, range);
            assertEquals(AlertTally.FromScratch.of(s, range), tally.asFromScratch(), "poll " + p);
        }
    }
}
