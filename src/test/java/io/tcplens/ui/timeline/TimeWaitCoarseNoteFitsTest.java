package io.tcplens.ui.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 7 at 1024×700: when the poll interval is too coarse for the TIME_WAIT takeovers, the entry
 * rate reads "at least N enter per second" in the stats row and the reason is a note that wraps below it.
 * The whole sentence in the stats row (whose figures are never cut) made the tab wider than the window, so
 * the header ran off its right edge and the side panel (histogram, port gauges) was cut.
 */
class TimeWaitCoarseNoteFitsTest {
    @TempDir
    Path sys;

    @Test
    void aCoarseIntervalNoteWrapsAndTheTabFitsA1024Window() throws Exception {
        FxTestSupport.start();
        int n = 1500;
        PollResult r = TimeWaitTabs.timeWaitPoll(System.currentTimeMillis(), n, 40, i -> 1_000L + (50_000L * i) / n);
        TimeWaitTimelineView view = TimeWaitTabs.view(sys, new TestShellContext());
        TimelineModel.Prepared plain = view.prepare(r, List.of(r));
        // the meter found takeovers faster than a 1 s poll can count: 1 s interval, poll every 250 ms
        TimelineModel.Prepared p = TimeWaitTabs.coarse(plain, 192.3, 250);
        for (Theme theme : Theme.values()) {
            FxTestSupport.onFx(() -> {
                Region root = (Region) view.node();
                Scene s = root.getScene() != null ? root.getScene() : new Scene((Parent) root, 1024, 560);
                ThemeStyles.apply(s, theme);
                view.show(p);
                root.applyCss();
                root.resize(1024, 560);
                root.layout();
                root.layout();
                Label rate = view.rateLabel();
                assertEquals("at least 192 enter per second", rate.getText());
                assertTrue(view.rateNoteText().contains("too coarse") && view.rateNoteText().contains("250 ms"), view.rateNoteText());
                assertTrue(root.minWidth(-1) <= 1024, theme + ": the tab asks for " + root.minWidth(-1) + " px, more than a 1024 px window");
                assertTrue(rate.getWidth() >= rate.prefWidth(-1) - 0.5, theme + ": the rate figure is cut: " + rate.getWidth() + " < " + rate.prefWidth(-1));
            });
            FxTestSupport.screenshot(((Region) FxTestSupport.onFx(view::node)).getScene(),
                    "timewait-coarse-note-" + theme.name().toLowerCase(Locale.ROOT) + "-1024");
        }
    }
}
