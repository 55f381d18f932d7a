package io.tcplens.ui.timeline;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.engine.PollResult;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 (second half): the TIME_WAIT tab as a person reads it in a 1024 × 700 window (the tab gets
 * 1024 × 480 of it), light and dark, on 4,000 sockets towards 40 destinations whose takeovers outrun a 1 s
 * poll. The entry rate is whole and grouped ("at least 3,380", not "3380.1"); the notes above the
 * timeline are two calm lines — the lower-bound note and what the bars mean — where they took five; every
 * label of the side panel (port range, each destination's gauge and note) lies inside the panel and is
 * drawn whole; the last band's label says its figure once, grouped.
 */
class TimeWaitAt1024Test {
    @TempDir
    Path sys;

    @Test
    void theTabReadsCalmlyAt1024() throws Exception {
        FxTestSupport.start();
        int n = 4_000;
        PollResult r = TimeWaitTabs.timeWaitPoll(System.currentTimeMillis(), n, 40, i -> 1_000L + (50_000L * i) / n);
        TimeWaitTimelineView view = TimeWaitTabs.view(sys, new TestShellContext());
        TimelineModel.Prepared plain = view.prepare(r, List.of(r));
        TimelineModel.Prepared p = TimeWaitTabs.coarse(plain, 3_380.1, 300);
        for (Theme theme : Theme.values()) {
            List<String> bad = new ArrayList<>();
            FxTestSupport.onFx(() -> {
                Region root = (Region) view.node();
                Scene s = root.getScene() != null ? root.getScene() : new Scene((Parent) root, 1024, 480);
                ThemeStyles.apply(s, theme);
                view.show(p);
                for (int i = 0; i < 3; i++) {
                    root.applyCss();
                    root.resize(1024, 480);
                    root.layout();
                }
                assertEquals("at least 3,380 enter per second", view.rateLabel().getText());
                // the notes above the timeline: one line each
                assertFalse(view.rateNoteText().isEmpty());
                for (Label note : List.of(view.rateNoteLabel(), view.aboutLabel()))
                    if (lines(note) > 1.5) bad.add("note above the timeline takes " + lines(note) + " lines: " + note.getText());
                assertTrue(view.aboutDetail().contains(Integer.toString(0)) || view.aboutDetail().contains("first seen"), view.aboutDetail());
                // the side panel: every label inside the viewport, drawn whole
                Node side = root.lookup(".timewait-side");
                ScrollPane scroll = (ScrollPane) side.getParent().getParent().getParent();
                Bounds port = scroll.localToScene(scroll.getLayoutBounds());
                double right = port.getMinX() + scroll.getViewportBounds().getWidth() + 1;
                int labels = 0;
                for (Node x : side.lookupAll(".label")) {
                    if (!(x instanceof Label l) || !l.isVisible() || l.getText() == null || l.getText().isBlank() || !shown(l)) continue;
                    labels++;
                    Bounds bb = l.localToScene(l.getLayoutBounds());
                    if (bb.getMaxX() > right) bad.add("past the panel's right edge (" + Math.round(bb.getMaxX()) + " > " + Math.round(right) + "): " + l.getText());
                    Text t = (Text) l.lookup(".text");
                    if (t != null && !t.getText().equals(l.getText())) bad.add("cut: " + t.getText());
                    if (t != null && t.localToScene(t.getLayoutBounds()).getMaxX() > right) bad.add("text past the right edge: " + l.getText());
                }
                assertTrue(labels > 10, "side panel labels: " + labels);
            });
            FxTestSupport.screenshot(((Region) FxTestSupport.onFx(view::node)).getScene(),
                    "timewait-1024-" + theme.name().toLowerCase(Locale.ROOT));
            assertTrue(bad.isEmpty(), theme + " at 1024:\n" + String.join("\n", bad));
        }
        ResourceBundle b = ResourceBundle.getBundle("io.tcplens.ui.messages");
        assertEquals("4,216 more, one socket each", TimelinePainter.otherGroupsLabel(b, 4_216, 4_216));
        assertEquals("12 more groups  4,216", TimelinePainter.otherGroupsLabel(b, 12, 4_216));
        assertEquals("2.5", TimeWaitTimelineView.rateText(2.46));
    }

    /** Whether the label is in the laid-out scene (its ancestors visible). */
    private static boolean shown(Node n) {
        for (Node p = n; p != null; p = p.getParent()) if (!p.isVisible()) return false;
        return true;
    }

    private static double lines(Label l) {
        Text one = new Text("Xg");
        one.setFont(l.getFont());
        double inner = l.getHeight() - l.snappedTopInset() - l.snappedBottomInset();
        return inner / one.getLayoutBounds().getHeight();
    }
}
