package io.tcplens.app;

import io.tcplens.analysis.advisor.Advisor;
import io.tcplens.analysis.ports.PortRangeReaders;
import io.tcplens.analysis.ports.SharedPortUsage;
import io.tcplens.export.firewall.Allowlist;
import io.tcplens.lab.Lab;
import io.tcplens.source.SocketTableSource;
import io.tcplens.ui.advisor.AdvisorView;
import io.tcplens.ui.aggregate.AggregatesView;
import io.tcplens.ui.charts.ChartsView;
import io.tcplens.ui.diagram.StateDiagramView;
import io.tcplens.ui.lab.LabView;
import io.tcplens.ui.lab.ScenarioPlayerView;
import io.tcplens.ui.remote.RemoteHostView;
import io.tcplens.ui.shell.LazyTab;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.ShellParts;
import io.tcplens.ui.shell.ShellTab;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.shell.UiServices;
import io.tcplens.ui.table.ConnectionsView;
import io.tcplens.ui.tiles.StateTilesPanel;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.timeline.TimeWaitTimelineView;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The window's composition root: builds the services once and registers the feature views (tabs in
 * display order) and panels with the shell, which knows none of them by name. Each feature adds one
 * line to {@link #tabs}.
 */
public final class UiComposition {
    private UiComposition() {}

    private static final ExecutorService BACKGROUND = Executors.newCachedThreadPool(Thread.ofPlatform().name("tcplens-ui-background").daemon().factory());

    /** This machine's services. */
    public static UiServices services() {
        Lab lab = new Lab();
        return new UiServices(lab, Advisor::system, PortRangeReaders.forThisPlatform(), Allowlist.user(),
                lab.sockets()::isLab, BACKGROUND);
    }

    static List<ShellTab> tabs(ShellContext ctx) {
        // the advisor and the TIME_WAIT timeline measure close rates and port use from one analysis per poll
        SharedPortUsage ports = new SharedPortUsage();
        return List.of(
                new ConnectionsView(ctx),
                new AdvisorView(ctx, ports),
                new AggregatesView(ctx),
                new ChartsView(ctx),
                new StateDiagramView(ctx),
                new RemoteHostView(ctx),
                new LabView(ctx),
                LazyTab.of(ScenarioPlayerView.ID, "view.scenario", ScenarioPlayerView.class, () -> new ScenarioPlayerView(ctx)),
                new TimeWaitTimelineView(ctx, ports));
    }

    /** Everything the shell shows, with this machine's services. */
    public static ShellParts parts() {
        return new ShellParts(services(), UiComposition::tabs, ctx -> List.of(new StateTilesPanel(ctx)), EarlySource::open);
    }

    /** The main window on a source given by spec (null: the one remembered in the preferences). */
    public static MainWindow window(UiPreferences prefs, String source, Theme theme) {
        return new MainWindow(prefs, parts(), source, theme);
    }

    /** The main window on a source the caller opened (replay, lab, benchmark tables). */
    public static MainWindow window(UiPreferences prefs, SocketTableSource source, Theme theme) {
        return new MainWindow(prefs, parts(), source, theme);
    }
}
