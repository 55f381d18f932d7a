package io.tcplens.bench;

import io.tcplens.analysis.advisor.Advisor;
import io.tcplens.analysis.advisor.KernelSettings;
import io.tcplens.analysis.advisor.NetstatCounters;
import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.analysis.ports.EphemeralPortRange;
import io.tcplens.analysis.ports.PortUsageAnalyzer;
import io.tcplens.analysis.timewait.TimeWaitClock;
import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Endpoint;
import io.tcplens.model.KernelTcpState;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.source.TimeWaitDuration;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import io.tcplens.ui.timeline.TimeWaitTimelineView;
import io.tcplens.ui.timeline.TimelineModel;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Stage;

/**
 * prepare() (background) and show()/draw (FX thread) of the TIME_WAIT timeline with a simulated
 * table of N TIME_WAIT sockets (default 100,000) towards 200 destinations, one poll per simulated
 * second with 1/60 of the sockets expiring and being replaced. Prints median and p95 per stage.
 *
 * <pre>mvn -q test-compile exec:exec -Dexec.classpathScope=test -Dmain.class=io.tcplens.bench.TimeWaitTimelineBenchmark -Dtcplens.args="100000"</pre>
 */
public final class TimeWaitTimelineBenchmark {
    static final SourceInfo SIM = new SourceInfo(SourceInfo.Kind.SIMULATED, "bench", "generated TIME_WAIT table");

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = Integer.getInteger("rounds", 30), warmup = 5;
        FxTestSupport.start();
        TestShellContext ctx = new TestShellContext();
        Advisor advisor = new Advisor(KernelSettings.read(new SysctlReader(Path.of("/proc/sys"))),
                t -> NetstatCounters.read(Path.of("/proc"), t), 60_000);
        TimeWaitTimelineView view = FxTestSupport.onFx(() -> new TimeWaitTimelineView(ctx, advisor,
                () -> EphemeralPortRange.of(32768, 60999, List.of(), "net.ipv4.ip_local_port_range = 32768 60999 (benchmark)")));
        FxTestSupport.onFx(() -> {
            Scene s = new Scene((Parent) view.node(), 1500, 950);
            ThemeStyles.apply(s, Theme.LIGHT);
            Stage st = new Stage();
            st.setScene(s);
            st.show();
        });
        FxTestSupport.settle();

        SplittableRandom rnd = new SplittableRandom(5);
        InetAddress local = InetAddress.getByName("10.0.0.1");
        Endpoint[] dests = new Endpoint[200];
        for (int i = 0; i < dests.length; i++) dests[i] = new Endpoint(InetAddress.getByName("10.1." + (i / 250) + "." + (i % 250 + 1)), 443);
        long[] expiry = new long[n];
        int[] dest = new int[n], port = new int[n];
        long now = 1_700_000_000_000L;
        for (int i = 0; i < n; i++) {
            dest[i] = rnd.nextInt(dests.length);
            port[i] = 32768 + (i / dests.length) % 28232;
            expiry[i] = now + rnd.nextLong(60_000);
        }
        ConnectionTracker tracker = new ConnectionTracker(60_000);
        long[] prep = new long[rounds], show = new long[rounds], draw = new long[rounds];
        long[] clockNs = new long[rounds], reportNs = new long[rounds], adviseNs = new long[rounds], layoutNs = new long[rounds];
        PortUsageAnalyzer ports = new PortUsageAnalyzer();
        Advisor advisor2 = new Advisor(KernelSettings.read(new SysctlReader(Path.of("/proc/sys"))),
                t -> NetstatCounters.read(Path.of("/proc"), t), 60_000);
        EphemeralPortRange range = EphemeralPortRange.of(32768, 60999, List.of(), "bench");
        List<PollResult> batch = new ArrayList<>();
        TimelineModel.Prepared last = null;
        for (int r = -warmup; r < rounds; r++) {
            now += 1_000;
            List<SocketEntry> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                if (expiry[i] <= now) { // expired: a new connection to a random destination takes its slot
                    dest[i] = rnd.nextInt(dests.length);
                    expiry[i] = now + 60_000;
                }
                rows.add(new SocketEntry(new ConnectionKey(new Endpoint(local, port[i]), dests[dest[i]]),
                        TcpState.TIME_WAIT, KernelTcpState.TIME_WAIT, 0, 0, TimerKind.TIME_WAIT, expiry[i] - now, 0, 0, 0,
                        null, null, false));
            }
            ConnectionTracker.Update u = tracker.update(new Snapshot(now, rows, SIM, List.of()));
            PollResult pr = new PollResult(r + warmup + 1, u.snapshot(), u.diff(), u.connections(), 0, null);
            batch.clear();
            batch.add(pr);
            long t0 = System.nanoTime();
            TimelineModel.Prepared p = view.prepare(pr, batch);
            long t1 = System.nanoTime();
            long[] fx = FxTestSupport.onFx(() -> {
                long a = System.nanoTime();
                view.show(p);
                long m = System.nanoTime();
                view.drawTimeline();
                long c = System.nanoTime();
                return new long[] {m - a, c - m};
            });
            // the parts of prepare, measured separately on the same poll
            long s0 = System.nanoTime();
            var clock = TimeWaitClock.of(pr, TimeWaitDuration.LINUX);
            long s1 = System.nanoTime();
            ports.observe(pr);
            var rep = ports.report(pr, range, TimeWaitDuration.LINUX);
            long s2 = System.nanoTime();
            advisor2.observe(pr);
            var adv = advisor2.advise(pr, rep);
            long s3 = System.nanoTime();
            TimelineModel.layout(clock, TimelineModel.GroupBy.DESTINATION, TimelineModel.ColourBy.DESTINATION, null, 400, 0, rep, adv);
            long s4 = System.nanoTime();
            if (r >= 0) {
                clockNs[r] = s1 - s0;
                reportNs[r] = s2 - s1;
                adviseNs[r] = s3 - s2;
                layoutNs[r] = s4 - s3;
                prep[r] = t1 - t0;
                show[r] = fx[0];
                draw[r] = fx[1];
            }
            last = p;
        }
        System.out.printf(Locale.ROOT, "TIME_WAIT timeline, %,d sockets, %d destinations, band mode %s, %d rounds (JDK %s, %s)%n",
                n, dests.length, last.bandMode(), rounds, System.getProperty("java.version"), System.getProperty("prism.order", "default"));
        System.out.printf(Locale.ROOT, "canvas %.0f x %.0f px%n", view.timelineCanvas().getWidth(), view.timelineCanvas().getHeight());
        System.out.printf(Locale.ROOT, "%-34s %10s %10s%n", "stage", "p50 ms", "p95 ms");
        row("prepare() (background thread)", prep);
        row("  of which TimeWaitClock.of", clockNs);
        row("  of which port report", reportNs);
        row("  of which advisor (every 5th poll)", adviseNs);
        row("  of which layout (density bands)", layoutNs);
        row("show() incl. draw (FX thread)", show);
        row("timeline redraw only (FX thread)", draw);
        System.exit(0);
    }

    static void row(String name, long[] ns) {
        long[] s = ns.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "%-34s %10.2f %10.2f%n", name, s[s.length / 2] / 1e6, s[(int) Math.min(s.length - 1, Math.round(s.length * 0.95))] / 1e6);
    }

}
