package io.tcplens.ui.diagram;

import io.tcplens.diagram.DiagramPlan;
import io.tcplens.diagram.SimulatedTraffic;
import io.tcplens.engine.PollResult;
import io.tcplens.ui.FxTestSupport;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Polls of generated traffic ({@link SimulatedTraffic}) fed to a state diagram as the shell feeds it:
 * {@code prepare} on the calling thread (the shell's prepare thread), {@code show} on the FX thread; one
 * poll a second of simulated time from {@link #T0}. What the diagram tests shared, written once.
 */
final class SimulatedPolls {
    /** The simulated clock's start (2025-11-24). */
    static final long T0 = 1_764_000_000_000L;

    private SimulatedPolls() {}

    /** Feeds polls 0 … n-1 (at T0, T0 + 1 s, …), each with {@code transitions} state changes; returns the last poll. */
    static PollResult feed(StateDiagramView view, SimulatedTraffic traffic, int n, int transitions) {
        return feed(view, traffic, n, transitions, (r, i) -> r);
    }

    /** The same, each poll passed through {@code edit} (with its index) before the view sees it. */
    static PollResult feed(StateDiagramView view, SimulatedTraffic traffic, int n, int transitions,
                           BiFunction<PollResult, Integer, PollResult> edit) {
        PollResult last = null;
        for (int i = 0; i < n; i++) last = show(view, edit.apply(traffic.poll(T0 + i * 1000L, transitions), i));
        return last;
    }

    /** One poll through prepare (this thread) and show (FX thread); returns it. */
    static PollResult show(StateDiagramView view, PollResult r) {
        DiagramPlan p = view.prepare(r, List.of(r));
        FxTestSupport.onFx(() -> view.show(p));
        return r;
    }
}
