package io.tcplens.ui.timeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.theme.Theme;
import org.junit.jupiter.api.Test;

/**
 * Issue 11: the TIME_WAIT tab's moving "now" is looked at ten times a second but redrawn only when its line
 * reaches another pixel column (~5 px a second on a 135 s axis at 1024 px): each redraw paints three canvases
 * the timeline's size and makes the renderer repaint them, ten times a second for a picture that changed at
 * most half as often. And once "now" stops (5 s after a poll with no newer one) nothing is redrawn at all.
 * The real window on a generated table of 6,000 sockets (2,400 of them TIME_WAIT), a poll a minute.
 */
class TimeWaitNowLineTest {
    @Test
    void theNowLineIsRedrawnOnlyWhenItMovesAPixel() throws Exception {
        try (WindowFixture f = WindowFixture.open(TestPreferences.cleared("tcplens-test/nowline", 60_000), new GeneratedTable(6_000, 60),
                1024, 700, Theme.LIGHT, mw -> mw.showView(TimeWaitTimelineView.ID))) {
            MainWindow window = f.window();
            TimeWaitTimelineView view = FxTestSupport.onFx(() -> window.part(TimeWaitTimelineView.class));
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> view.shown() != null && view.drawnNowPixel() != Long.MIN_VALUE),
                    60_000, "the first poll drawn");
            // while "now" moves (up to 5 s after the poll): a drawing per pixel it moved, not one per tick
            long[] start = FxTestSupport.onFx(() -> new long[] {view.ticks(), view.timelineDrawings(), view.drawnNowPixel()});
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(view::ticks) >= start[0] + 25, 30_000, "25 ticks");
            long[] moving = FxTestSupport.onFx(() -> new long[] {view.ticks(), view.timelineDrawings(), view.drawnNowPixel()});
            long drawings = moving[1] - start[1], pixels = Math.abs(moving[2] - start[2]);
            assertTrue(pixels >= 1, "the now line moves while the poll is fresh: " + pixels + " px");
            assertTrue(drawings <= pixels + 1, drawings + " drawings in " + (moving[0] - start[0]) + " ticks for a line that moved "
                    + pixels + " px: the ticker redraws pictures that did not change");
            // "now" rests 5 s after the poll: no drawing at all while nothing moves
            FxTestSupport.waitUntil(() -> System.currentTimeMillis() - FxTestSupport.onFx(() -> view.shownAtWallMillis()) > 5_500,
                    30_000, "now resting");
            long[] rest = FxTestSupport.onFx(() -> new long[] {view.ticks(), view.timelineDrawings()});
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(view::ticks) >= rest[0] + 15, 30_000, "15 more ticks");
            assertEquals(rest[1], (long) FxTestSupport.onFx(view::timelineDrawings), "drawings while now rests and no poll came");
        }
    }
}
