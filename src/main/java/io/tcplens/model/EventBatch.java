package io.tcplens.model;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

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
        transitions = transitions instanceof Handed ? transitions : List.copyOf(transitions);
        if (lost > 0) complete = false;
    }

    public static EventBatch empty(boolean complete) {
        return new EventBatch(List.of(), 0, complete);
    }

    /**
     * A batch over {@code made}, which the caller hands over: it is read through a read-only view, not copied (a
     * feed's drain makes the list for the batch alone; the copy was an array of a reference per event every poll,
     * a humongous object to G1 past 128k events, as a burst's interval holds).
     */
    public static EventBatch handedOver(List<KernelTransition> made, long lost, boolean complete) {
        return new EventBatch(new Handed(made), lost, complete);
    }

    /** A read-only view of a list no one else holds. */
    private static final class Handed extends AbstractList<KernelTransition> implements RandomAccess {
        private final List<KernelTransition> list;

        Handed(List<KernelTransition> list) {
            this.list = list;
        }

        @Override
        public KernelTransition get(int index) {
            return list.get(index);
        }

        @Override
        public int size() {
            return list.size();
        }
    }
}
