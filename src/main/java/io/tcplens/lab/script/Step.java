package io.tcplens.lab.script;

import io.tcplens.model.TcpState;
import java.util.Optional;

/**
 * One step of a script: at one host, something happens (an application call, a timer, a segment
 * arriving), it may send a segment, and both hosts' states are given as they are afterwards.
 *
 * @param actor        where it happens
 * @param receives     id of the segment that arrives at the actor in this step, or -1
 * @param sends        the segment the actor sends in this step, or null
 * @param stateA       A's state after the step
 * @param stateB       B's state after the step
 * @param narrationKey bundle key (lab bundle) of the step's narration
 */
public record Step(Host actor, int receives, Segment sends, TcpState stateA, TcpState stateB, String narrationKey) {

    public TcpState state(Host h) {
        return h == Host.A ? stateA : stateB;
    }

    public Optional<Segment> sent() {
        return Optional.ofNullable(sends);
    }
}
