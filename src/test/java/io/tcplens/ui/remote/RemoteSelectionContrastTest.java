package io.tcplens.ui.remote;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.engine.PollResult;
import io.tcplens.model.ConnectionTracker;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestShellContext;
import io.tcplens.ui.theme.Theme;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableRow;
import javafx.scene.layout.Background;
import javafx.scene.paint.Color;
import javafx.scene.paint.Paint;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 item 5: the per-state counts of a selected remote-IP row are readable (WCAG contrast
 * at least 4.5:1 against the row), with the table focused and unfocused, in both themes, on a
 * generated (labelled simulated) table of 8,000 sockets.
 */
class RemoteSelectionContrastTest {
    static double luminance(Color c) {
        double[] ch = {c.getRed(), c.getGreen(), c.getBlue()};
        for (int i = 0; i < 3; i++) ch[i] = ch[i] <= 0.03928 ? ch[i] / 12.92 : Math.pow((ch[i] + 0.055) / 1.055, 2.4);
        return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
    }

    static double contrast(Color a, Color b) {
        double la = luminance(a), lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    /** The colour a row really paints: its topmost opaque background fill. */
    static Color rowColour(TableRow<?> row) {
        Background bg = row.getBackground();
        Color c = null;
        if (bg != null) for (var f : bg.getFills()) if (f.getFill() instanceof Color col && col.getOpacity() > 0.5) c = col;
        return c;
    }

    @Test
    void selectedRowFiguresAreReadableFocusedAndUnfocused() {
        FxTestSupport.start();
        GeneratedTable table = new GeneratedTable(8_000, 100);
        ConnectionTracker tracker = new ConnectionTracker();
        List<PollResult> batch = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            ConnectionTracker.Update u = tracker.update(table.poll());
            batch.add(new PollResult(i, u.snapshot(), u.diff(), u.connections(), 0, null));
        }
        List<String> bad = new ArrayList<>();
        for (Theme theme : Theme.values()) {
            TestShellContext ctx = new TestShellContext();
            RemoteHostView v = RemoteHostViewTest.view(ctx);
            Scene s = RemoteHostViewTest.scene(v, theme, 1360, 560);
            RemoteHostView.Prepared p = v.prepare(batch.get(1), batch);
            FxTestSupport.onFx(() -> v.show(p));
            FxTestSupport.waitUntil(() -> v.visibleRows().size() > 100, 10_000, "hundreds of remote rows");
            for (boolean focused : new boolean[] {true, false}) {
                FxTestSupport.onFx(() -> {
                    v.table().getSelectionModel().selectRange(0, 3);
                    if (focused) v.table().requestFocus();
                    else s.getRoot().requestFocus();
                    s.getRoot().applyCss();
                    s.getRoot().layout();
                });
                FxTestSupport.settle();
                String where = theme + (focused ? " focused" : " unfocused");
                FxTestSupport.onFx(() -> {
                    int checked = 0;
                    for (Node n : v.table().lookupAll(".table-row-cell")) {
                        TableRow<?> row = (TableRow<?>) n;
                        if (!row.isSelected() || row.isEmpty()) continue;
                        Color bg = rowColour(row);
                        for (Node cn : row.lookupAll(".state-count")) {
                            TableCell<?, ?> cell = (TableCell<?, ?>) cn;
                            if (cell.getText() == null || cell.getText().isEmpty()) continue;
                            Paint fill = cell.getTextFill();
                            if (bg == null || !(fill instanceof Color fc)) continue;
                            checked++;
                            double cr = contrast(fc, bg);
                            if (cr < 4.5) bad.add(where + ": " + cell.getText() + " " + fc + " on " + bg + " = " + String.format("%.2f", cr));
                        }
                    }
                    assertTrue(checked > 3, where + ": selected counts checked " + checked);
                });
                if (!focused) FxTestSupport.screenshot(s, "trust-remote-selected-unfocused-" + theme.name().toLowerCase());
            }
        }
        assertTrue(bad.isEmpty(), "unreadable selected figures: " + bad);
    }

    /** Item 12: with nothing selected and no threshold the export dialog says what to do, and Esc closes it. */
    @Test
    void exportDialogWithNothingChosenGuidesAndClosesOnEscape() {
        FxTestSupport.start();
        TestShellContext ctx = new TestShellContext();
        RemoteHostView v = RemoteHostViewTest.view(ctx);
        RemoteHostViewTest.feed(v);
        ExportRulesPane pane = FxTestSupport.onFx(v::createExportPane);
        Stage st = FxTestSupport.show(FxTestSupport.onFx(() -> new Scene(pane, 980, 720)));
        FxTestSupport.waitUntil(() -> pane.statusText().startsWith("Nothing to export yet"), 10_000, "guidance");
        assertTrue(FxTestSupport.onFx(pane::previewText).isEmpty());
        Button close = FxTestSupport.onFx(() -> (Button) pane.lookupAll(".button").stream()
                .filter(n -> n instanceof Button btn && btn.isCancelButton()).findFirst().orElseThrow());
        FxTestSupport.onFx(close::fire);
        assertTrue(!FxTestSupport.onFx(st::isShowing), "Esc/Close hides the dialog");
    }
}
