package io.tcplens.ui.timeline;

import io.tcplens.engine.PollResult;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.theme.Theme;
import java.nio.file.Path;
import java.util.List;
import static org.junit.jupiter.api.Assertions.assertTrue;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.SnapshotParameters;
import javafx.scene.canvas.Canvas;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every layer of the TIME_WAIT timeline is painted after a size change: the data (density bands, group
 * labels) and the marks ("now", MSL, 2MSL), not only the axis. They were painted from a listener on the
 * axis canvas, which ran while the other two canvases still had their old size (0 x 0 at the first
 * layout): that paint was lost, the data layer's dirty flag was cleared all the same, and the first frame
 * (the screenshots) showed the axis alone; the bands stayed blank until the next poll.
 */
class TimeWaitLayersPaintTest {
    @TempDir
    Path sys;

    @Test
    void bandsAndNowLineArePaintedAtTheFirstLayoutAndAfterAResize() throws Exception {
        FxTestSupport.start();
        int n = 3000; // more rows than fit: density bands, which only a poll, a resize or the theme repaint
        PollResult r = TimeWaitTabs.timeWaitPoll(System.currentTimeMillis(), n, 3, i -> 1_000L + (50_000L * i) / n);
        TimeWaitTimelineView view = TimeWaitTabs.view(sys, new TestShellContext());
        Scene scene = FxTestSupport.themedScene((Parent) view.node(), 1000, 650, Theme.LIGHT);
        TimelineModel.Prepared p = view.prepare(r, List.of(r));
        assertTrue(p.bandMode(), "density bands");
        // the poll is shown before the first layout, as when the tab is first opened; the scene's snapshot
        // lays it out (the canvases get their size) and renders that frame, with no tick in between
        FxTestSupport.onFx(() -> {
            view.show(p);
            scene.snapshot(null);
            assertLayersPainted(view, "first layout");
        });
        Stage stage = FxTestSupport.show(scene);
        try {
            FxTestSupport.settle();
            double before = FxTestSupport.onFx(() -> view.dataLayer().getWidth());
            FxTestSupport.onFx(() -> {
                stage.setWidth(1200);
                stage.setHeight(780);
            });
            FxTestSupport.waitUntil(() -> FxTestSupport.onFx(() -> view.dataLayer().getWidth()) > before, 10_000, "the timeline wider");
            FxTestSupport.onFx(() -> assertLayersPainted(view, "after a resize"));
        } finally {
            FxTestSupport.onFx(stage::hide);
        }
    }

    /** The data layer holds the bands, the marks layer a "now" line: a column opaque over most of the plot's height. */
    private static void assertLayersPainted(TimeWaitTimelineView view, String when) {
        Canvas data = view.dataLayer(), marks = view.marksLayer();
        double w = data.getWidth(), h = data.getHeight();
        assertTrue(w > 300 && h > 200, when + ": data layer " + w + " x " + h);
        assertTrue(marks.getWidth() == w && marks.getHeight() == h, when + ": marks layer " + marks.getWidth() + " x " + marks.getHeight());
        WritableImage img = snapshot(data);
        PixelReader px = img.getPixelReader();
        int plotted = 0, area = 0;
        for (int y = (int) TimelinePainter.TOP; y < h - TimelinePainter.AXIS; y += 2)
            for (int x = (int) TimelinePainter.GUTTER; x < w - 12; x += 2) {
                area++;
                if (px.getColor(x, y).getOpacity() > 0.3) plotted++;
            }
        assertTrue(plotted > area / 20, when + ": band pixels in the plot " + plotted + " of " + area);
        WritableImage m = snapshot(marks);
        PixelReader mp = m.getPixelReader();
        int bestColumn = 0;
        for (int x = (int) TimelinePainter.GUTTER; x < w - 12; x++) {
            int opaque = 0;
            for (int y = (int) TimelinePainter.TOP; y < h - TimelinePainter.AXIS; y++) if (mp.getColor(x, y).getOpacity() > 0.5) opaque++;
            bestColumn = Math.max(bestColumn, opaque);
        }
        double plotH = h - TimelinePainter.AXIS - TimelinePainter.TOP;
        assertTrue(bestColumn > 0.9 * plotH, when + ": the now line's longest opaque column " + bestColumn + " of " + plotH);
    }

    private static WritableImage snapshot(Canvas c) {
        SnapshotParameters sp = new SnapshotParameters();
        sp.setFill(Color.TRANSPARENT);
        return c.snapshot(sp, null);
    }
}
