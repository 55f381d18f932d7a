package io.tcplens.ui.lab;

import io.tcplens.ui.shell.ReplayBar;
import io.tcplens.ui.shell.Presentation;
import io.tcplens.ui.TestShellContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tcplens.engine.PollingEngine;
import io.tcplens.engine.PollResult;
import io.tcplens.lab.LabScenario;
import io.tcplens.lab.script.Host;
import io.tcplens.model.TcpState;
import io.tcplens.source.linux.ProcNetSource;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.Endpoint;
import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.Sources;
import io.tcplens.source.replay.Recording;
import io.tcplens.source.replay.RecordingReader;
import io.tcplens.source.replay.RecordingRoundTripTestAccess;
import io.tcplens.source.replay.ReplaySource;
import io.tcplens.testutil.Await;
import java.net.InetAddress;
import java.util.function.Predicate;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;

/** The lab panel and the scenario player on their own, in both themes and in presentation mode. */
class LabViewsTest {

    static Scene scene(Node node, Theme t, double w, double h) {
        return FxTestSupport.themedScene(new StackPane(node), w, h, t);
    }

    static final InetAddress LOOPBACK = InetAddress.ofLiteral("127.0.0.1");

    @Test
    void labPanelShowsTheKernelsErrorAndTheLabSockets() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        TestShellContext ctx = new TestShellContext();
        LabView view = FxTestSupport.onFx(() -> new LabView(ctx));
        Scene scene = FxTestSupport.onFx(() -> scene(view.node(), Theme.LIGHT, 1300, 800));
        FxTestSupport.onFx(() -> {
            view.select(LabScenario.PORT_EXHAUSTION);
            view.startRun();
        });
        Path recordings = Files.createTempDirectory("labrec");
        System.setProperty("tcplens.recordings", recordings.toString());
        Path recorded = FxTestSupport.onFx(() -> view.setRecording(true));
        assertNotNull(recorded);
        try (PollingEngine engine = new PollingEngine(new ProcNetSource(), Duration.ofMillis(200))) {
            assertTrue(view.lab().awaitFinished(Duration.ofSeconds(30)));
            // the run's client 4-tuples are known: pool ports to the lab server on 127.0.0.1
            Predicate<SocketEntry> pooled = e -> e.state() == TcpState.TIME_WAIT
                    && e.local().address().equals(LOOPBACK) && view.lab().poolPorts().contains(e.local().port())
                    && e.remote().address().equals(LOOPBACK) && view.lab().serverPorts().contains(e.remote().port());
            ProcNetSource table = new ProcNetSource(Path.of("/proc"), false);
            // (distinct 4-tuples: a /proc read is not atomic, a busy table can list a row twice)
            Await.untilChecked(() -> table.poll().sockets().stream().filter(pooled)
                    .map(SocketEntry::key).distinct().count() == 10,
                    Duration.ofSeconds(10), "the pool's 10 TIME_WAIT sockets in the kernel's table");
            PollResult r = engine.pollOnce();
            LabView.Prepared p = view.prepare(r, List.of(r));
            FxTestSupport.onFx(() -> view.show(p));
        }
        FxTestSupport.onFx(() -> view.setRecording(false));
        Recording rec = RecordingReader.read(recorded);
        assertEquals(1, rec.size());
        assertEquals(SourceInfo.Kind.LAB, rec.header().source().kind());
        // distinct 4-tuples: a /proc read is not atomic, and on a busy table it can list a row twice
        assertEquals(10, rec.snapshot(0).sockets().stream().filter(e -> e.state() == TcpState.TIME_WAIT)
                .map(SocketEntry::key).distinct().count(), rec.snapshot(0).sockets().toString());
        assertTrue(rec.snapshot(0).sockets().stream().allMatch(view.lab()::isLabSocket), "lab sockets only");
        FxTestSupport.waitUntil(() -> view.errorShown().contains("Address already in use"), 30_000, "the kernel's error shown");
        // a real error from the kernel: large, red, in a red box
        FxTestSupport.onFx(() -> {
            scene.getRoot().applyCss();
            scene.getRoot().layout();
            assertTrue(view.kernelErrorBox().getStyleClass().contains("active"));
            assertTrue(errorStyled(view), "the kernel's error is not shown as an error: " + style(view));
        });
        FxTestSupport.waitUntil(() -> !view.logShown().isEmpty()
                && view.logShown().get(view.logShown().size() - 1).key().equals("finished"), 5000, "log drained");
        assertEquals(10, FxTestSupport.onFx(() -> view.shownCounts().get(TcpState.TIME_WAIT)));
        FxTestSupport.settle();
        Path light = FxTestSupport.screenshot(scene, "lab-light");
        FxTestSupport.onFx(() -> ThemeStyles.apply(scene, Theme.DARK));
        FxTestSupport.settle();
        Path dark = FxTestSupport.screenshot(scene, "lab-dark");
        FxTestSupport.onFx(() -> Presentation.of(scene).set(true));
        FxTestSupport.settle();
        FxTestSupport.screenshot(scene, "lab-presentation-dark");
        FxTestSupport.onFx(() -> Presentation.of(scene).set(false));
        assertTrue(Files.size(light) > 10_000 && Files.size(dark) > 10_000);
        view.lab().close();
    }

    /**
     * Before any error (a new window, no run yet) the kernel's box says so in a plain muted line, nothing
     * red, large or bold ("No error from the kernel yet." was drawn in the error's own 24 px bold type in a
     * 2 px box and read as an error); Clear log sits on the Events heading's line, its edge on the log's.
     * In the tab's area of a 1024 × 700 window, light and dark.
     */
    @Test
    void theIdleKernelBoxIsNeutralAndClearLogLinesUpWithTheLog() {
        for (Theme theme : Theme.values()) {
            TestShellContext ctx = new TestShellContext();
            LabView view = FxTestSupport.onFx(() -> new LabView(ctx));
            Scene scene = FxTestSupport.onFx(() -> scene(view.node(), theme, 1024, 700 - 230));
            FxTestSupport.onFx(() -> {
                scene.getRoot().applyCss();
                scene.getRoot().layout();
                assertFalse(view.errorShown().isBlank());
                assertFalse(view.kernelErrorBox().getStyleClass().contains("active"));
                assertFalse(errorStyled(view), theme + ": the idle line looks like an error: " + style(view));
                Label idle = view.kernelErrorLabel();
                assertTrue(idle.getFont().getSize() <= 14, theme + ": idle text " + idle.getFont());
                assertFalse(idle.getFont().getStyle().toLowerCase().contains("bold"), theme + ": idle text " + idle.getFont());
                for (var stroke : view.kernelErrorBox().getBorder() == null ? List.<javafx.scene.layout.BorderStroke>of() : view.kernelErrorBox().getBorder().getStrokes())
                    assertTrue(stroke.getWidths().getTop() <= 1, theme + ": idle box border " + stroke.getWidths());
                Region[] bar = view.eventsBar();
                var heading = bar[0].localToScene(bar[0].getLayoutBounds());
                var clear = bar[1].localToScene(bar[1].getLayoutBounds());
                var log = bar[2].localToScene(bar[2].getLayoutBounds());
                assertTrue(Math.abs(heading.getCenterY() - clear.getCenterY()) <= 1.5,
                        theme + ": Events heading centred at y " + heading.getCenterY() + ", Clear log at " + clear.getCenterY());
                assertTrue(Math.abs(clear.getMaxX() - log.getMaxX()) <= 1,
                        theme + ": Clear log ends at x " + clear.getMaxX() + ", the log at " + log.getMaxX());
            });
            FxTestSupport.screenshot(scene, "lab-idle-" + theme.name().toLowerCase() + "-1024x700");
        }
    }

    /** Whether the kernel's box is drawn as an error: a red background, or text large and bold. */
    private static boolean errorStyled(LabView view) {
        Label text = view.kernelErrorLabel();
        boolean loud = text.getFont().getSize() >= 18 && text.getFont().getStyle().toLowerCase().contains("bold");
        return loud || reddish(view.kernelErrorBox().getBackground());
    }

    private static boolean reddish(javafx.scene.layout.Background bg) {
        if (bg == null) return false;
        for (var fill : bg.getFills())
            if (fill.getFill() instanceof javafx.scene.paint.Color c && c.getOpacity() > 0.1
                    && c.getRed() > c.getGreen() + 0.08 && c.getRed() > c.getBlue() + 0.08) return true;
        return false;
    }

    private static String style(LabView view) {
        var box = view.kernelErrorBox();
        return view.kernelErrorLabel().getFont() + " fill " + view.kernelErrorLabel().getTextFill() + ", box "
                + (box.getBackground() == null ? "no background" : box.getBackground().getFills().stream().map(f -> String.valueOf(f.getFill())).toList())
                + " " + box.getStyleClass();
    }

    @Test
    void scenarioPlayerStepsAndRendersInBothThemesAndInPresentationMode() {
        TestShellContext ctx = new TestShellContext();
        ScenarioPlayerView view = FxTestSupport.onFx(() -> new ScenarioPlayerView(ctx));
        Scene scene = FxTestSupport.onFx(() -> scene(view.node(), Theme.LIGHT, 1300, 800));
        FxTestSupport.onFx(() -> {
            view.select("lost-final-ack");
            for (int i = 0; i < 6; i++) view.step();
        });
        assertEquals(TcpState.TIME_WAIT, view.player().state(Host.A));
        assertEquals(TcpState.LAST_ACK, view.player().state(Host.B));
        assertTrue(view.narrationShown().contains("retransmission timer"), view.narrationShown());
        FxTestSupport.waitUntil(() -> view.stateDiagram().model().token(
                new ConnectionKey(endpoint("192.0.2.1", 50000), endpoint("198.51.100.2", 80))) != null,
                5000, "the state diagram follows the script");
        // no window here, so no animation pulses: the tokens finish their moves by advancing the model
        FxTestSupport.onFx(() -> {
            var model = view.stateDiagram().model();
            for (int i = 0; i < 100 && !model.moving().isEmpty(); i++) model.advance(10_000); // a segment per call
        });
        FxTestSupport.onFx(() -> view.stateDiagram().renderNow());
        FxTestSupport.settle();
        FxTestSupport.screenshot(scene, "scenario-light");
        FxTestSupport.onFx(() -> ctx.theme.set(Theme.DARK));
        FxTestSupport.onFx(() -> ThemeStyles.apply(scene, Theme.DARK));
        FxTestSupport.onFx(() -> view.stateDiagram().renderNow());
        FxTestSupport.settle();
        FxTestSupport.screenshot(scene, "scenario-dark");
        FxTestSupport.onFx(() -> view.stepBack());
        assertEquals(TcpState.LAST_ACK, view.player().state(Host.B));
        assertTrue(view.narrationShown().contains("lost"), view.narrationShown());
    }

    @Test
    void presentationModeHidesChromeAndTheKeysDriveThePlayer() {
        TestShellContext ctx = new TestShellContext();
        ctx.theme.set(Theme.DARK);
        ScenarioPlayerView view = FxTestSupport.onFx(() -> new ScenarioPlayerView(ctx));
        Scene s = FxTestSupport.themedScene(FxTestSupport.onFx(() -> {
            Label header = new Label("header");
            header.getStyleClass().add("app-header");
            BorderPane root = new BorderPane(view.node());
            root.setTop(header);
            return root;
        }), 1600, 900, Theme.DARK);
        Stage stage = FxTestSupport.show(s);
        FxTestSupport.onFx(() -> {
            view.select("handshake");
            Presentation.of(s).set(true);
        });
        assertTrue(s.getRoot().getStyleClass().contains("presentation"));
        assertTrue(FxTestSupport.onFx(() -> !s.getRoot().lookup(".app-header").isVisible()), "chrome hidden");
        for (int i = 0; i < 2; i++) key(s, KeyCode.RIGHT);
        assertEquals(TcpState.SYN_RECV, view.player().state(Host.B));
        key(s, KeyCode.LEFT);
        assertEquals(TcpState.LISTEN, view.player().state(Host.B));
        key(s, KeyCode.RIGHT);
        FxTestSupport.waitUntil(() -> view.stateDiagram().model().moving().isEmpty()
                && view.stateDiagram().model().departing().isEmpty(), 10_000, "the tokens finish their moves");
        FxTestSupport.settle();
        FxTestSupport.screenshot(s, "presentation-dark");
        FxTestSupport.onFx(() -> {
            ThemeStyles.apply(s, Theme.LIGHT);
            ctx.theme.set(Theme.LIGHT);
        });
        FxTestSupport.settle();
        FxTestSupport.screenshot(s, "presentation-light");
        key(s, KeyCode.ESCAPE);
        assertTrue(!s.getRoot().getStyleClass().contains("presentation"));
        assertTrue(FxTestSupport.onFx(() -> s.getRoot().lookup(".app-header").isVisible()), "chrome back");
        FxTestSupport.onFx(stage::close);
    }

    static Endpoint endpoint(String a, int p) {
        return new Endpoint(InetAddress.ofLiteral(a), p);
    }

    static void key(Scene s, KeyCode code) {
        FxTestSupport.onFx(() -> Event.fireEvent(s.getRoot(), new KeyEvent(
                KeyEvent.KEY_PRESSED, "", "", code, false, false, false, false)));
    }

    @Test
    void replayBarDrivesTheController() throws Exception {
        Path dir = Files.createTempDirectory("replaybar");
        Path f = RecordingRoundTripTestAccess.write(dir.resolve("demo.tcplens"));
        ReplaySource src = (ReplaySource)
                Sources.open("replay:" + f);
        src.controller().pause();
        TestShellContext ctx = new TestShellContext();
        ReplayBar bar = FxTestSupport.onFx(() -> new ReplayBar(src.controller(), ctx.bundle()));
        Scene scene = FxTestSupport.onFx(() -> scene(bar, Theme.LIGHT, 1300, 60));
        FxTestSupport.onFx(() -> {
            bar.step();
            bar.step();
            bar.faster();
        });
        assertEquals(2, src.controller().currentIndex());
        assertEquals(2.0, src.controller().speed());
        assertNotNull(scene.lookup("#replay-marker"));
        FxTestSupport.settle();
        FxTestSupport.screenshot(scene, "replay-bar-light");
        FxTestSupport.onFx(() -> ThemeStyles.apply(scene, Theme.DARK));
        FxTestSupport.settle();
        FxTestSupport.screenshot(scene, "replay-bar-dark");
        FxTestSupport.onFx(bar::dispose);
    }
}
