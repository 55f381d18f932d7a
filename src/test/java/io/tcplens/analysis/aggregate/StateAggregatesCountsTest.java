package io.tcplens.analysis.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.TcpState;
import io.tcplens.source.SocketTableSource;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.testutil.Rows;
import io.tcplens.testutil.SteadyTable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The aggregates' per-poll counts (sockets per pid and per port key), kept from poll to poll and counted from
 * the rows that changed, equal a walk over each whole table: through the tracker on a steady table (TIME_WAIT
 * made and expiring, pairs replaced), on a generated one (repeated 4-tuples: new trackings of the same rows every
 * poll), and while a listener comes and goes (every row's port key may change: counted whole again). On the
 * steady table only rows near the changed ones are read.
 */
class StateAggregatesCountsTest {
    @Test
    void countsEqualAWalkOverEachTableThroughChurn() throws Exception {
        for (boolean steady : new boolean[] {true, false}) {
            SocketTableSource table = steady ? new SteadyTable(20_000, 40) : new GeneratedTable(20_000, 300);
            ConnectionTracker tracker = new ConnectionTracker(60_000);
            StateAggregates agg = new StateAggregates();
            for (int poll = 0; poll < 12; poll++) {
                Snapshot raw = table.poll();
                List<SocketEntry> rows = new ArrayList<>(raw.sockets());
                // a listener on a port the steady table's clients use: every row's port key read again while it is there
                if (poll >= 4 && poll < 8) rows.add(Rows.row(rows.get(0).local().port(), 0, TcpState.LISTEN, 77, null));
                ConnectionTracker.Update u = tracker.update(new Snapshot(raw.timestampMillis(), rows, raw.source(), List.of()));
                PollResult r = new PollResult(poll + 1, u.snapshot(), u.diff(), u.connections(), 0, null);
                agg.observe(r);
                String what = (steady ? "steady" : "generated") + " table, poll " + poll;
                assertEquals(StateAggregates.countAfresh(r), agg.lastCounts(), what);
                int changed = u.diff().opened().size() + u.diff().closed().size() + u.diff().transitions().size();
                if (steady && poll > 0 && poll != 4 && poll != 8)
                    assertTrue(agg.lastRead <= 2 * changed + 100, what + ": read " + agg.lastRead + " rows for " + changed + " changed of " + rows.size());
            }
        }
    }
}
