package io.tcplens.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Lines one 4-tuple's kernel events of one interval up with what the polls saw: the state at the
 * previous poll and the state in the table now. Pure functions; the tracker calls them.
 *
 * <p>Rules. A kernel FIN_WAIT1/FIN_WAIT2/CLOSING → CLOSE is an entry into TIME_WAIT when the table now
 * holds the 4-tuple in TIME_WAIT (the last such change) or when a new socket then takes the 4-tuple
 * over (only a TIME_WAIT 4-tuple can be taken over); else the socket closed. A new socket on a
 * 4-tuple that was in TIME_WAIT is a takeover: a TIME_WAIT → CLOSED step at the new socket's first
 * change, then the new connection's own steps. Steps before the one that leaves the previous poll's
 * state were shown already (an event that arrived a poll late) and are dropped; steps after the last
 * one that reaches the table's state happened after the table was read and are deferred to the next
 * poll. When the events cannot be lined up (one was lost, or the table moved with no event), the
 * result is {@link #MISMATCH} and the views infer as without events.
 */
public final class EventAlignment {

    /** One observed step in RFC states. {@code event} is null for the synthetic TIME_WAIT → CLOSED of a takeover. */
    public record Step(ConnectionKey key, TcpState from, TcpState to, long atMillis, long monoNanos,
                       KernelTransition event, boolean newLife) {}

    /**
     * @param steps    what happened, in order (possibly empty: nothing changed)
     * @param deferred events that belong to the next poll
     * @param takeover true when a TIME_WAIT socket of this 4-tuple was replaced by a new connection
     */
    public record Result(List<Step> steps, List<KernelTransition> deferred, boolean takeover) {
        public boolean mismatch() {
            return this == MISMATCH;
        }

        /** Index of the last step that began a new connection, or -1. */
        public int lastNewLife() {
            for (int i = steps.size() - 1; i >= 0; i--) if (steps.get(i).newLife()) return i;
            return -1;
        }
    }

    public static final Result MISMATCH = new Result(List.of(), List.of(), false);

    private EventAlignment() {}

    /**
     * @param events   this 4-tuple's events, oldest first
     * @param previous the state at the previous poll, or null when the 4-tuple was not in the table
     * @param now      the state in the table now, or null when it is not there
     */
    public static Result align(List<KernelTransition> events, TcpState previous, TcpState now) {
        List<Step> steps = new ArrayList<>(events.size() + 1);
        for (int i = 0; i < events.size(); i++) {
            KernelTransition e = events.get(i);
            boolean lastEvent = i == events.size() - 1;
            // a new life on this 4-tuple right after a close: a new socket took it over, whatever its address (the
            // kernel hands a freed socket's memory to the next connect() at once, so it is often the same)
            boolean followedByNewSocket = !lastEvent && events.get(i + 1).startsLife();
            TcpState from = e.from().rfcState();
            TcpState to = e.to().rfcState();
            if (e.mayEnterTimeWait() && (followedByNewSocket || (lastEvent && now == TcpState.TIME_WAIT)))
                to = TcpState.TIME_WAIT;
            else if (e.mayEnterTimeWait() && lastEvent && now == TcpState.FIN_WAIT2 && from == TcpState.FIN_WAIT2)
                continue; // an orphan's FIN_WAIT2 mini-socket: the table still says FIN_WAIT2
            boolean newLife = e.startsLife();
            if (newLife) {
                TcpState before = steps.isEmpty() ? previous : steps.get(steps.size() - 1).to();
                if (before == TcpState.TIME_WAIT)
                    steps.add(new Step(e.key(), TcpState.TIME_WAIT, TcpState.CLOSED, e.atMillis(), e.monoNanos(), null, false));
            }
            if (from == to) continue;
            steps.add(new Step(e.key(), from, to, e.atMillis(), e.monoNanos(), e, newLife));
        }
        // drop what the previous poll showed already
        int start = 0;
        if (previous != null) {
            start = -1;
            for (int i = 0; i < steps.size(); i++)
                if (steps.get(i).from() == previous) {
                    start = i;
                    break;
                }
            if (start < 0) {
                // no step leaves the previous state: fine only when the last step arrived at it (late events)
                if (steps.isEmpty() || steps.get(steps.size() - 1).to() == previous) {
                    return now == previous || now == null && previous == null
                            ? new Result(List.of(), List.of(), false) : MISMATCH;
                }
                return MISMATCH;
            }
        } else {
            start = -1;
            for (int i = 0; i < steps.size(); i++)
                if (steps.get(i).newLife()) {
                    start = i;
                    break;
                }
            if (start < 0) return steps.isEmpty() ? new Result(List.of(), List.of(), false) : MISMATCH;
        }
        // cut what came after the table was read
        int end = steps.size(); // exclusive
        List<KernelTransition> deferred = List.of(); // a list made only when a step is deferred (seldom)
        if (now != null) {
            end = -1;
            for (int i = steps.size() - 1; i >= start; i--)
                if (steps.get(i).to() == now) {
                    end = i + 1;
                    break;
                }
            if (end < 0) return previous == now ? deferAll(steps, start) : MISMATCH;
            for (int i = end; i < steps.size(); i++) {
                if (steps.get(i).event() == null) continue;
                if (deferred.isEmpty()) deferred = new ArrayList<>(steps.size() - i);
                deferred.add(steps.get(i).event());
            }
        } else if (!steps.isEmpty() && steps.get(steps.size() - 1).to() != TcpState.CLOSED) {
            return deferAll(steps, start); // still open: the table read missed it or it opened after
        }
        // the steps as they are when all are kept (most often): no copy, only a read-only view of them
        List<Step> kept = Collections.unmodifiableList(start == 0 && end == steps.size() ? steps : steps.subList(start, end));
        boolean takeover = false;
        for (Step s : kept) if (s.event() == null) takeover = true;
        return new Result(kept, deferred, takeover);
    }

    private static Result deferAll(List<Step> steps, int start) {
        List<KernelTransition> d = new ArrayList<>();
        for (int i = start; i < steps.size(); i++) if (steps.get(i).event() != null) d.add(steps.get(i).event());
        return new Result(List.of(), d, false);
    }
}
