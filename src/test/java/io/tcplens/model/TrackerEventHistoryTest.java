package io.tcplens.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcplens.testutil.Rows;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection's history built from observed steps, several a poll, over more polls than the history holds: it is
 * the last {@link ConnectionTracker#HISTORY_LIMIT} steps, oldest first, whatever the number a poll adds.
 */
class TrackerEventHistoryTest {
    private static final SourceInfo SRC = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "crafted");

    @Test
    void historyIsTheLastStepsWhenPollsAddSeveral() {
        ConnectionTracker tr = new ConnectionTracker(60_000);
        SocketEntry est = Rows.row(40_000, 9000, TcpState.ESTABLISHED, null, null);
        SocketEntry cw = Rows.row(40_000, 9000, TcpState.CLOSE_WAIT, null, null);
        tr.update(new Snapshot(10_000, List.of(est), SRC, List.of()), EventBatch.empty(true));
        List<String> all = new ArrayList<>();
        long t = 10_000;
        boolean established = true;
        for (int poll = 1; poll <= 12; poll++) {
            int steps = 1 + poll % 4; // 2, 3, 4, 1, ... steps a poll: odd counts flip the table's state
            List<KernelTransition> batch = new ArrayList<>();
            boolean at = established;
            for (int s = 0; s < steps; s++) {
                KernelTcpState from = at ? KernelTcpState.ESTABLISHED : KernelTcpState.CLOSE_WAIT;
                KernelTcpState to = at ? KernelTcpState.CLOSE_WAIT : KernelTcpState.ESTABLISHED;
                long when = t + 100 + s;
                batch.add(new KernelTransition(est.key(), 7, from, to, when, when * 1_000_000L, null, null, 0, 0));
                all.add(from.rfcState() + ">" + to.rfcState() + "@" + when);
                at = !at;
            }
            established = at;
            t += 1_000;
            ConnectionTracker.Update u = tr.update(new Snapshot(t, List.of(established ? est : cw), SRC, List.of()),
                    new EventBatch(batch, 0, true));
            TrackedConnection c = u.connections().get(est.key());
            List<String> got = new ArrayList<>();
            for (StateChange h : c.history()) got.add(h.from() + ">" + h.to() + "@" + h.atMillis());
            List<String> expected = all.subList(Math.max(0, all.size() - ConnectionTracker.HISTORY_LIMIT), all.size());
            assertEquals(expected, got, "after poll " + poll);
        }
        assertEquals(true, all.size() > ConnectionTracker.HISTORY_LIMIT + 4, "the polls added more than it holds");
    }
}
