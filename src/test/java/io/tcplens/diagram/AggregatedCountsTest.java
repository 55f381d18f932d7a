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

    private static int[] indices(List<EdgeStep> steps) {
        return steps.stream().mapToInt(EdgeStep::edgeIndex).toArray();
    }
}
