package io.tcplens.ui.tiles;

import io.tcplens.analysis.StateCounts;
import io.tcplens.analysis.ports.PortRangeReader;
import io.tcplens.engine.PollResult;
import io.tcplens.model.TcpState;
import io.tcplens.ui.explain.StateHelp;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.ShellSource;
import io.tcplens.ui.shell.ShellPanel;
import java.util.List;
import java.util.Map;
import javafx.scene.Node;

/**
 * The state tiles above the tabs, as a panel the shell feeds: counting happens in {@link #prepare}
 * (off the FX thread), a click on a tile filters the connections table to its states.
 */
public final class StateTilesPanel implements ShellPanel<StateTilesPanel.Counts> {
    /** The tiles' figures, computed on the prepare thread. */
    public record Counts(long sequence, Map<TcpState, Integer> byState, int timeWaitPeak) {}

    private final StateTilesBar bar;
    private final PortRangeReader portRange;
    private volatile int portRangeSize = -1;

    public StateTilesPanel(ShellContext ctx) {
        this.portRange = ctx.services().portRange();
        this.bar = new StateTilesBar(ctx.bundle(), ctx.preferences(), g -> ctx.filterConnectionsByState(
                g == StateGroup.TOTAL ? null : g.states().size() == 1 ? g.states().iterator().next() : g.colourState()));
        bar.applyTheme(ctx.theme().get());
        StateHelp help = new StateHelp(ctx);
        bar.setExplanation(g -> g.colourState() == null ? "" : String.join("\n\n",
                g.states().stream().sorted().map(help::tooltipText).toList()));
        for (StateGroup g : StateGroup.values())
            if (g.colourState() != null) help.installF1(bar.tile(g), g::colourState);
        ctx.theme().addListener((o, a, t) -> bar.applyTheme(t));
    }

    public StateTilesBar bar() {
        return bar;
    }

    @Override
    public Node node() {
        return bar;
    }

    @Override
    public Counts prepare(PollResult latest, List<PollResult> batch) {
        if (portRangeSize < 0) {
            var range = portRange.read();
            portRangeSize = range.known() ? range.usable() : 0;
        }
        // one pass over the rows that changed since the last poll gives both (StateTally)
        var f = StateCounts.figures(latest.snapshot());
        return new Counts(latest.sequence(), f.byState(), f.timeWaitPeak());
    }

    private long shownSequence = -1;

    @Override
    public void show(Counts d) {
        bar.setTimeWaitPressure(d.timeWaitPeak(), portRangeSize);
        // a re-show of the same poll (a filter change, a tab coming back) is neither a new point on the
        // sparkline nor a change since the last poll
        if (d.sequence() == shownSequence) return;
        shownSequence = d.sequence();
        bar.update(d.byState());
    }

    /** FX thread (the shell switches sources there): loading state until the new source's first poll. */
    @Override
    public void sourceChanged(ShellSource source) {
        shownSequence = -1;
        bar.setLoading();
    }
}
