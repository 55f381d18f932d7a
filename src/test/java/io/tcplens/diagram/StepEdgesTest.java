package io.tcplens.diagram;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The planner counts an observed step's edges from its table of paths ({@link TransitionPlanner#PATH_EDGES}): for
 * every pair of states that is the step's own edges (its direct edge, else the likely path; none to itself), and
 * {@link TcpState#edgeTo} (a table made once) is the first edge of the RFC's list between the two.
 */
class StepEdgesTest {
    @Test
    void theTableHoldsEachStepsEdges() {
        int direct = 0;
        for (TcpState from : TcpState.values()) {
            for (TcpState to : TcpState.values()) {
                Optional<TcpState.Edge> walked = Optional.empty();
                for (TcpState.Edge e : from.outgoing()) {
                    if (e.to() == to) {
                        walked = Optional.of(e);
                        break;
                    }
                }
                assertEquals(walked, from.edgeTo(to), from + " → " + to);
                List<EdgeStep> step = walked.isPresent() ? List.of(EdgeStep.of(walked.get(), false, 0))
                        : TransitionPlanner.inferredPath(from, to, 0);
                List<Integer> want = new ArrayList<>();
                for (EdgeStep s : step) want.add(s.edgeIndex());
                List<Integer> got = new ArrayList<>();
                for (int i : TransitionPlanner.PATH_EDGES[from.ordinal()][to.ordinal()]) got.add(i);
                assertEquals(want, got, from + " → " + to);
                if (walked.isPresent()) direct++;
            }
        }
        assertEquals(TcpState.edges().size(), direct, "every edge of the RFC's figure found");
    }
}
