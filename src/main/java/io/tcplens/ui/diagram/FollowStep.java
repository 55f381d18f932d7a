package io.tcplens.ui.diagram;

import io.tcplens.model.TcpState;

/**
 * One chip of the followed connection's history strip.
 *
 * @param from     the state left, as the RFC names it
 * @param to       the state entered ("" for the single "no steps yet" chip)
 * @param detail   when (and whether it was inferred), as shown under the title
 * @param state    the state whose colour the chip takes
 * @param inferred the step was inferred, not observed (dashed border)
 */
record FollowStep(String from, String to, String detail, TcpState state, boolean inferred) {
    String title() {
        return to.isEmpty() ? from : from + " → " + to;
    }
}
