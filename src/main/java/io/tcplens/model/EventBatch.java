package io.tcplens.model;

import java.util.List;

/**
 * The kernel's state changes between two polls, oldest first.
 *
 * @param transitions the changes
 * @param lost        events lost in this interval (the kernel's perf buffer or TcpLens's ring was full)
 * @param complete    true when every change of the interval is here: nothing lost and the event source
 *                    was attached for the whole interval; false: views infer for this interval, marked
 */
public record EventBatch(List<KernelTransition> transitions, long lost, boolean complete) {
    public EventBatch {
        transitions = List.copyOf(transitions);
        if (lost > 0) complete = false;
    }

    public static EventBatch empty(boolean complete) {
        return new EventBatch(List.of(), 0, complete);
    }
}
