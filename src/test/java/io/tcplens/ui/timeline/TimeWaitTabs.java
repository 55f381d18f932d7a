package io.tcplens.ui.timeline;

import io.tcplens.analysis.Crafted;
import io.tcplens.analysis.advisor.Advisor;
import io.tcplens.analysis.advisor.KernelSettings;
import io.tcplens.analysis.advisor.NetstatCounters;
import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.analysis.ports.CloseRateMeter;
import io.tcplens.analysis.ports.LinuxPortRangeReader;
import io.tcplens.analysis.ports.PortReport;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToLongFunction;

/** The TIME_WAIT tab on its own, as its tests set it up: a generated poll, a private sysctl tree. */
final class TimeWaitTabs {
    private TimeWaitTabs() {}

    /**
     * The first poll of a generated (SIMULATED) table of {@code n} TIME_WAIT sockets, socket {@code i} from
     * 10.0.0.1:(32768 + i) to 10.1.0.(1 + i % destinations):443 with {@code remainingMs(i)} left on its timer.
     */
    static PollResult timeWaitPoll(long atMillis, int n, int destinations, IntToLongFunction remainingMs) {
        SourceInfo sim = new SourceInfo(SourceInfo.Kind.SIMULATED, "test", "generated: " + n + " TIME_WAIT sockets");
        List<SocketEntry> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            var key = new ConnectionKey(Crafted.ep("10.0.0.1", 32768 + i), Crafted.ep("10.1.0." + (1 + i % destinations), 443));
            rows.add(new SocketEntry(key, TcpState.TIME_WAIT, null, 0, 0, TimerKind.TIME_WAIT, remainingMs.applyAsLong(i), 0, 0, 0,
                    null, null, false));
        }
        var u = new ConnectionTracker(60_000).update(new Snapshot(atMillis, rows, sim, List.of()));
        return new PollResult(1, u.snapshot(), u.diff(), u.connections(), 0, null);
    }

    /**
     * The tab in {@code ctx} on a private sysctl tree under {@code sys}: port range 32768-60999 and the
     * {@code settings} given as pairs of a name under net/ipv4 and its value; no netstat counters. Made on the FX thread.
     */
    static TimeWaitTimelineView view(Path sys, TestShellContext ctx, String... settings) throws IOException {
        Files.createDirectories(sys.resolve("net/ipv4"));
        Files.writeString(sys.resolve("net/ipv4/ip_local_port_range"), "32768 60999");
        for (int i = 0; i + 1 < settings.length; i += 2) Files.writeString(sys.resolve("net/ipv4").resolve(settings[i]), settings[i + 1]);
        Advisor advisor = new Advisor(KernelSettings.read(new SysctlReader(sys)), t -> NetstatCounters.none(), 60_000);
        return FxTestSupport.onFx(() -> new TimeWaitTimelineView(ctx, advisor, new LinuxPortRangeReader(sys)));
    }

    /**
     * {@code plain} as it is when the close-rate meter found takeovers faster than a 1 s poll can count:
     * {@code rate} entries per second as a lower bound, polling every {@code suggestedMs} advised.
     */
    static TimelineModel.Prepared coarse(TimelineModel.Prepared plain, double rate, long suggestedMs) {
        PortReport pr = plain.ports();
        PortReport coarseReport = new PortReport(pr.source(), pr.atMillis(), pr.range(), pr.timeWait(), pr.windowSeconds(),
                pr.destinations(), pr.outboundSockets(), pr.inboundTimeWait(), rate, new CloseRateMeter.Coarse(1_000, 40, 160, suggestedMs));
        return new TimelineModel.Prepared(plain.nowMillis(), plain.axisStart(), plain.axisEnd(), plain.duration(),
                plain.teaching(), plain.sourceLabel(), plain.total(), plain.expiringSoon(), rate, plain.observedEntries(),
                plain.allExpiriesFromKernel(), plain.histogram(), plain.bandMode(), plain.bars(), plain.groups(), plain.rows(),
                plain.bands(), plain.bandMax(), plain.legend(), coarseReport, plain.advice());
    }
}
