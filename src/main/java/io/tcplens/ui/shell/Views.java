package io.tcplens.ui.shell;

import io.tcplens.ui.table.ConnectionsView;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry of tabs, in display order. Each feature adds one line here.
 */
public final class Views {
    private Views() {}

    public static List<ShellView<?>> create(ShellContext ctx) {
        List<ShellView<?>> v = new ArrayList<>();
        v.add(new ConnectionsView(ctx));
        v.add(new io.tcplens.ui.charts.ChartsView(ctx));
        v.add(new io.tcplens.ui.diagram.StateDiagramView(ctx));
        v.add(new io.tcplens.ui.remote.RemoteHostView(ctx));
        v.add(new io.tcplens.ui.lab.LabView(ctx));
        v.add(new io.tcplens.ui.lab.ScenarioPlayerView(ctx));
        v.add(new io.tcplens.ui.timeline.TimeWaitTimelineView(ctx));
        return v;
    }
}
