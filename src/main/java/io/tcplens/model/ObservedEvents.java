package io.tcplens.model;

import java.util.List;

/**
 * What the kernel's events showed between two polls, in RFC states, beside the polls' own diff.
 *
 * @param transitions every observed change, oldest first, at the kernel's time: also those of
 *                    connections that opened and closed between the polls, and of a TIME_WAIT 4-tuple
 *                    taken over by a new connection (TIME_WAIT → CLOSED, then the new one's changes).
 *                    A kernel FIN_WAIT2/FIN_WAIT1/CLOSING → CLOSE is shown as entering TIME_WAIT when the
 *                    table confirms the 4-tuple is there, or a new socket took the 4-tuple over.
 * @param lost        events lost in the interval
 * @param complete    true when no event of the interval is missing; false: the views infer, marked
 * @param takenOver   4-tuples whose TIME_WAIT socket was replaced by a new connection in the interval
 */
public record ObservedEvents(List<StateChange> transitions, long lost, boolean complete,
                             List<ConnectionKey> takenOver) {
    public ObservedEvents {
        transitions = List.copyOf(transitions);
        takenOver = List.copyOf(takenOver);
    }
}
