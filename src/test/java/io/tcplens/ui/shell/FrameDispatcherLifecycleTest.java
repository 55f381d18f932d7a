package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.model.Snapshot;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.TimeWaitDuration;
import io.tcplens.ui.FxTestSupport;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javafx.scene.Node;
import javafx.scene.layout.Pane;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The dispatcher drives the tabs: background tabs observe polls but are not prepared or shown, come back with fresh data, hear of a new source. */
class FrameDispatcherLifecycleTest {
    static final SourceInfo SIM = new SourceInfo(SourceInfo.Kind.SIMULATED, "sim", "simulated");

    /** A tab that records what the shell did to it, in order. */
    static final class RecordingTab implements ShellView<Long> {
        final String id;
        final List<String> events = new CopyOnWriteArrayList<>();
        final Pane node = new Pane();

        RecordingTab(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String titleKey() {
            return "view." + id;
        }

        @Override
        public Node node() {
            return node;
        }

        @Override
        public Long prepare(PollResult latest, List<PollResult> batch) {
            events.add("prepare " + latest.sequence() + " batch " + batch.size());
            return latest.sequence();
        }

        @Override
        public void observe(List<PollResult> batch) {
            events.add("observe " + batch.getLast().sequence() + " batch " + batch.size());
        }

        @Override
        public void show(Long seq) {
            events.add("show " + seq);
        }

        @Override
        public void onShown() {
            events.add("onShown");
        }

        @Override
        public void onHidden() {
            events.add("onHidden");
        }

        @Override
        public void sourceChanged(ShellSource s) {
            events.add("source " + s.info().name());
        }

        long count(String prefix) {
            return events.stream().filter(e -> e.startsWith(prefix)).count();
        }
    }

    private final ConnectionTracker tracker = new ConnectionTracker();
    private long seq;

    private PollResult poll() {
        ConnectionTracker.Update u = tracker.update(new Snapshot(System.currentTimeMillis(), List.of(), SIM, List.of()));
        return new PollResult(++seq, u.snapshot(), u.diff(), u.connections(), 0, null);
    }

    @BeforeAll
    static void fx() {
        FxTestSupport.start();
    }

    @Test
    void backgroundTabsObserveAreNotPreparedAndCatchUpWhenSelected() {
        RecordingTab front = new RecordingTab("front"), back = new RecordingTab("back");
        try (FrameDispatcher d = new FrameDispatcher(List.of(front, back), List.of(front, back), r -> {})) {
            FxTestSupport.onFx(() -> d.select(front));
            assertEquals(List.of("onHidden"), back.events, "the tab not at the front is told so once");
            d.accept(poll());
            FxTestSupport.waitUntil(() -> front.count("show") == 1, 30_000, "front shown");
            // the background tab observes the batch on the prepare thread after the shown tabs' hand-over has
            // ended (FrameDispatcher): a condition to wait for, then exactly that and nothing else
            FxTestSupport.waitUntil(() -> back.count("observe") == 1, 30_000, "the background tab observes the poll");
            FxTestSupport.onFx(() -> {}); // the hand-over has run on the FX thread
            assertEquals(List.of("onHidden", "observe 1 batch 1"), back.events,
                    "a background tab keeps its history, and prepares and draws nothing");

            d.accept(poll());
            FxTestSupport.waitUntil(() -> front.count("show") == 2, 30_000, "second poll shown");
            FxTestSupport.onFx(() -> d.select(back));
            FxTestSupport.waitUntil(() -> back.count("show") == 1, 30_000, "back catches up when selected");
            assertTrue(back.events.indexOf("onShown") < back.events.indexOf("show 2"), back.events.toString());
            assertEquals("prepare 2 batch 0", back.events.get(back.events.indexOf("show 2") - 1),
                    "a refresh re-prepares the latest poll with no new data");
            assertTrue(front.events.contains("onHidden"));
            FxTestSupport.onFx(() -> {});
            assertEquals(2, front.count("show"), "the tab sent to the background is not shown the refresh");
        }
    }

    @Test
    void aSourceChangeIsHeardByEveryTabAndDropsTheOldSourcesPolls() {
        RecordingTab a = new RecordingTab("a"), b = new RecordingTab("b");
        try (FrameDispatcher d = new FrameDispatcher(List.of(a, b), List.of(a, b), r -> {})) {
            d.accept(poll());
            FxTestSupport.waitUntil(() -> a.count("show") == 1, 30_000, "shown");
            SourceInfo other = new SourceInfo(SourceInfo.Kind.REPLAY, "replay:x", "replay · x");
            FxTestSupport.onFx(() -> d.sourceChanged(new ShellSource(other, TimeWaitDuration.LINUX)));
            assertEquals("source replay:x", a.events.get(a.events.size() - 1));
            assertEquals("source replay:x", b.events.get(b.events.size() - 1));
            d.refresh(); // nothing of the new source has arrived: no hand-over of the old one
            d.accept(poll());
            FxTestSupport.waitUntil(() -> a.count("show") == 2, 30_000, "the new source's first poll");
            assertEquals("show 2", a.events.get(a.events.size() - 1));
        }
    }
}
