package io.tcplens.ui.timeline;

import io.tcplens.ui.TestShellContext;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.analysis.LoopbackChurn;
import io.tcplens.analysis.ProcText;
import io.tcplens.analysis.advisor.Advisor;
import io.tcplens.analysis.advisor.KernelSettings;
import io.tcplens.analysis.advisor.NetstatCounters;
import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.analysis.ports.LinuxPortRangeReader;
import io.tcplens.analysis.timewait.TeachingMsl;
import io.tcplens.engine.PollResult;
import io.tcplens.engine.PollingEngine;
import io.tcplens.source.linux.ProcNetSource;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Scene;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.tcplens.analysis.Crafted;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.model.TcpState;
import io.tcplens.model.TimerKind;
import io.tcplens.testutil.Await;
import java.util.SplittableRandom;
import javafx.scene.Parent;

/** The view on its own with real TIME_WAIT sockets from the live /proc table, screenshotted in both themes. */
class TimeWaitTimelineViewTest {
    @TempDir
    Path sys;

    @Test
    void realTimeWaitSocketsOnTheTimelineInBothThemes() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        FxTestSupport.start();
        try (LoopbackChurn churn = new LoopbackChurn(3, 40);
             PollingEngine engine = new PollingEngine(new ProcNetSource(Path.of("/proc"), true), Duration.ofMillis(250))) {
            Files.createDirectories(sys.resolve("net/ipv4"));
            Files.createDirectories(sys.resolve("net/core"));
            for (String n : List.of("tcp_tw_reuse", "tcp_tw_reuse_delay", "tcp_timestamps", "tcp_fin_timeout", "tcp_max_tw_buckets",
                    "ip_local_reserved_ports", "tcp_max_syn_backlog", "tcp_syncookies", "tcp_keepalive_time", "tcp_keepalive_intvl",
                    "tcp_keepalive_probes")) {
                Path p = Path.of("/proc/sys/net/ipv4/" + n);
                if (Files.exists(p)) Files.writeString(sys.resolve("net/ipv4/" + n), ProcText.read(p));
            }
            Files.writeString(sys.resolve("net/core/somaxconn"), ProcText.read(Path.of("/proc/sys/net/core/somaxconn")));
            // the client's 40-port pool plays the ephemeral range, so the view shows a destination running out
            Files.writeString(sys.resolve("net/ipv4/ip_local_port_range"), churn.poolFirst() + " " + churn.poolLast());
            // ... on a kernel without TIME_WAIT takeover: with tcp_tw_reuse 2 (the default) loopback TIME_WAIT
            // slots older than 1 s are free for connect() (issue 14; PortsAgainstKernelNetnsTest checks it)
            Files.writeString(sys.resolve("net/ipv4/tcp_tw_reuse"), "0");
            TestShellContext ctx = new TestShellContext();
            Advisor advisor = new Advisor(KernelSettings.read(new SysctlReader(sys)), t -> NetstatCounters.read(Path.of("/proc"), t), 60_000);
            TimeWaitTimelineView view = FxTestSupport.onFx(() -> new TimeWaitTimelineView(ctx, advisor, new LinuxPortRangeReader(sys)));
            Scene scene = FxTestSupport.themedScene((Parent) view.node(), 1500, 950, Theme.LIGHT);
            List<PollResult> batch = new ArrayList<>();
            batch.add(engine.pollOnce());
            // a first wave, then a pause, then the rest: bars of different ages
            Thread client = new Thread(() -> {
                try {
                    churn.run(12);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            client.start();
            while (client.isAlive()) {
                client.join(250); // one poll per 250 ms while the client runs
                batch.add(engine.pollOnce());
            }
            client.join();
            // the last poll: once the table holds every one of the churn's 120 TIME_WAIT sockets
            PollResult[] settled = new PollResult[1];
            Await.untilChecked(() -> {
                settled[0] = engine.pollOnce();
                return settled[0].snapshot().sockets().stream().filter(e -> e.state() == TcpState.TIME_WAIT
                        && churn.owns(e.key())).map(e -> e.key()).distinct().count() == 120; // a /proc read can list a row twice
            }, Duration.ofSeconds(10), "the churn's 120 TIME_WAIT sockets in the table");
            batch.add(settled[0]);
            PollResult last = batch.get(batch.size() - 1);
            view.setTeachingMsl(TeachingMsl.RFC_793);
            TimelineModel.Prepared p = view.prepare(last, batch);
            FxTestSupport.onFx(() -> view.show(p));
            FxTestSupport.settle();

            assertTrue(p.total() >= 120, "total " + p.total());
            List<String> ourGroups = churn.serverPorts().stream().map(port -> "127.0.0.1:" + port).toList();
            // other processes' TIME_WAIT sockets share the table: one bar each when they fit, else density bands
            if (!p.bandMode()) {
                long ours = p.bars().stream().filter(bar -> bar.entry() >= churn.firstCloseMillis() - 1_500).count();
                assertTrue(ours >= 120, "bars for the test's sockets: " + ours);
                assertEquals(3, p.groups().stream().filter(g -> ourGroups.contains(g.label())).peek(g -> assertEquals(40, g.count(), g.label())).count());
            } else {
                assertEquals(3, p.bands().stream().filter(bd -> ourGroups.contains(bd.label())).peek(bd -> assertEquals(40, bd.count(), bd.label())).count(),
                        p.bands().toString());
            }
            String banner = FxTestSupport.onFx(view::bannerText);
            assertTrue(banner.contains("out of ephemeral ports"), banner);
            assertTrue(FxTestSupport.onFx(view::findingCount) >= 3);
            String snippet = FxTestSupport.onFx(view::snippetText);
            assertTrue(snippet.contains("net.ipv4.ip_local_port_range = 10000 65535"), snippet);
            assertFalse(snippet.contains("tcp_tw_recycle ="));

            Path light = FxTestSupport.screenshot(scene, "timewait-timeline-light");
            FxTestSupport.onFx(() -> {
                ctx.theme.set(Theme.DARK);
                ThemeStyles.apply(scene, Theme.DARK);
            });
            FxTestSupport.settle();
            Path dark = FxTestSupport.screenshot(scene, "timewait-timeline-dark");
            assertTrue(Files.size(light) > 10_000 && Files.size(dark) > 10_000);
            FxTestSupport.onFx(() -> ThemeStyles.apply(scene, Theme.LIGHT));
        }
    }

    @Test
    void manySocketsBecomeDensityBands() throws Exception {
        FxTestSupport.start();
        SourceInfo sim = new SourceInfo(SourceInfo.Kind.SIMULATED, "test",
                "generated: 20,000 TIME_WAIT sockets");
        List<SocketEntry> rows = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 20_000; i++) {
            int d = i % 100 < 60 ? 0 : i % 100 < 85 ? 1 : 2 + rnd.nextInt(30); // most towards two destinations
            var key = new ConnectionKey(Crafted.ep("10.0.0.1", 32768 + i % 28_000),
                    Crafted.ep("10.1.0." + (d + 1), 443));
            rows.add(new SocketEntry(key, TcpState.TIME_WAIT, null, 0, 0,
                    TimerKind.TIME_WAIT, (long) rnd.nextInt(60_000), 0, 0, 0, null, null, false));
        }
        var tracker = new ConnectionTracker(60_000);
        var u = tracker.update(new Snapshot(1_700_000_000_000L, rows, sim, List.of()));
        PollResult r = new PollResult(1, u.snapshot(), u.diff(), u.connections(), 0, null);
        TestShellContext ctx = new TestShellContext();
        TimeWaitTimelineView view = TimeWaitTabs.view(sys, ctx, "tcp_tw_reuse", "2", "tcp_timestamps", "1");
        Scene scene = FxTestSupport.themedScene((Parent) view.node(), 1500, 950, Theme.DARK);
        FxTestSupport.onFx(() -> ctx.theme.set(Theme.DARK));
        FxTestSupport.settle();
        TimelineModel.Prepared p = view.prepare(r, List.of(r));
        assertTrue(p.bandMode());
        assertEquals(20_000, p.total());
        assertEquals(20_000, p.bands().stream().mapToInt(TimelineModel.Band::count).sum(), "every socket in some band");
        assertEquals("10.1.0.1:443", p.bands().get(0).label(), "busiest destination first");
        assertEquals(12_000, p.bands().get(0).count());
        FxTestSupport.onFx(() -> view.show(p));
        FxTestSupport.settle();
        Path shot = FxTestSupport.screenshot(scene, "timewait-timeline-bands-dark");
        assertTrue(Files.size(shot) > 10_000);
        FxTestSupport.onFx(() -> ThemeStyles.apply(scene, Theme.LIGHT));
    }
}
