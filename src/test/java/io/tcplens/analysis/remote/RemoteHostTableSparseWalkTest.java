package io.tcplens.analysis.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.testutil.GeneratedTable;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A remote-host table in the background walks the whole table only every few seconds: its rows (counts,
 * first seen, new connections per second) must equal those of a table that walked every poll, on a
 * churning table of 5,000 sockets where new remotes appear between walks.
 */
class RemoteHostTableSparseWalkTest {
    @Test
    void rowsEqualThoseOfAWalkEveryPoll() {
        GeneratedTable gen = new GeneratedTable(1_500, 300);
        ConnectionTracker tracker = new ConnectionTracker();
        RemoteHostTable every = new RemoteHostTable(), sparse = new RemoteHostTable();
        for (int i = 1; i <= 25; i++) {
            ConnectionTracker.Update u = tracker.update(gen.poll()); // one poll a second of snapshot time
            PollResult r = new PollResult(i, u.snapshot(), u.diff(), u.connections(), 0, null);
            every.accept(r);
            sparse.accept(r, 5_000);
            if (i % 4 == 0 || i == 25) {
                for (Grouping g : Grouping.values()) {
                    List<RemoteHostRow> a = every.rows(RemoteQuery.all().withGrouping(g)), b = sparse.rows(RemoteQuery.all().withGrouping(g));
                    assertFalse(a.isEmpty());
                    assertEquals(a, b, "poll " + i + ", " + g);
                }
            }
        }
    }
}
