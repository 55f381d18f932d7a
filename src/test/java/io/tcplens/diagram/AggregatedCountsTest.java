package io.tcplens.diagram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.GeneratedTable;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Aggregated (above {@code aggregateAbove}), the planner counts a poll's edges from tables of edge
 * indices worked out once instead of a list of steps per change: the tables are the paths, and a
 * churning table's edge rates and state counts are those of the planner that tracks every token.
 */
class AggregatedCountsTest {
    @Test
    void edgeTablesAreThePaths() {
        for (TcpState from : TcpState.values()) {
            for (TcpState to : TcpState.values()) {
                assertArrayEquals(indices(TransitionPlanner.path(from, to, 0)), TransitionPlanner.PATH_EDGES[from.ordinal()][to.ordinal()],
                        from + ">" + to);
                assertArrayEquals(indices(TransitionPlanner.inferredPath(from, to, 0)),
                        TransitionPlanner.INFERRED_EDGES[from.ordinal()][to.ordinal()], from + ">" + to);
            }
        }
    }

    @Test
    void aggregatedRatesAreThoseOfTheTokenPlanner() {
        GeneratedTable table = new GeneratedTable(3_000, 300);
        ConnectionTracker tracker = new ConnectionTracker();
        TransitionPlanner aggregated = new TransitionPlanner(null, 100), tokens = new TransitionPlanner(null, 1_000_000);
        int moved = 0;
        for (int i = 0; i < 12; i++) {
            ConnectionTracker.Update u = tracker.update(table.poll());
            PollResult r = new PollResult(i + 1, u.snapshot(), u.diff(), u.connections(), 0, null);
            DiagramPlan a = aggregated.plan(List.of(r)), t = tokens.plan(List.of(r));
            assertTrue(a.aggregated());
            assertEquals(t.counts(), a.counts(), "poll " + i);
            assertEquals(Arrays.toString(t.edgeRates()), Arrays.toString(a.edgeRates()), "poll " + i);
            if (Arrays.stream(a.edgeRates()).sum() > 0) moved++;
        }
        assertTrue(moved >= 10, "polls with edges counted: " + moved);
    }

    /**
     * In the background the planner only counts each poll's edges (no walk of the table, no plan); the
     * first plan when the tab is shown again is a resync with the table's counts and the rates of a
     * planner that planned every poll, aggregated and with tokens.
     */
    @Test
    void observedInTheBackgroundThenShownIsThePlannerThatPlannedEveryPoll() {
        for (int above : new int[] {100, 1_000_000}) {
            GeneratedTable table = new GeneratedTable(3_000, 300);
            ConnectionTracker tracker = new ConnectionTracker();
            long[] tested = {0};
            TransitionPlanner every = new TransitionPlanner(null, above);
            TransitionPlanner hidden = new TransitionPlanner(e -> {
                tested[0]++;
                return true;
            }, above);
            PollResult r = null;
            for (int i = 0; i < 12; i++) {
                ConnectionTracker.Update u = tracker.update(table.poll());
                r = new PollResult(i + 1, u.snapshot(), u.diff(), u.connections(), 0, null);
                DiagramPlan e = every.plan(List.of(r));
                if (i < 2) {
                    hidden.plan(List.of(r)); // shown for two polls, then in the background
                    continue;
                }
                long before = tested[0];
                hidden.observe(List.of(r));
                long perPoll = tested[0] - before;
                assertTrue(perPoll < r.snapshot().sockets().size() / 2, "the background observe walked the table: " + perPoll
                        + " rows tested of " + r.snapshot().sockets().size());
                if (i == 11) {
                    // shown again: the refresh hands the same latest poll with no new one
                    DiagramPlan shown = hidden.plan(List.of(r));
                    assertTrue(shown.resync(), "the first plan after the background is a resync");
                    assertEquals(e.counts(), shown.counts());
                    assertEquals(e.total(), shown.total());
                    assertEquals(Arrays.toString(e.edgeRates()), Arrays.toString(shown.edgeRates()));
                    assertTrue(Arrays.stream(shown.edgeRates()).sum() > 0, "edges counted in the background");
                }
            }
        }
    }

    private static int[] indices(List<EdgeStep> steps) {
        return steps.stream().mapToInt(EdgeStep::edgeIndex).toArray();
    }
}
