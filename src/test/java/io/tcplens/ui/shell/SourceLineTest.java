package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.model.SourceInfo;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.theme.Theme;
import java.util.List;
import java.util.Locale;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToolBar;
import javafx.scene.layout.StackPane;
import javafx.scene.text.Text;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: a view's source line says where the data comes from in every form it can take (the kind
 * and the namespace or host, never the kind alone), and beside a tool bar it keeps at least its
 * shortest form whole while the bar's controls give way.
 */
class SourceLineTest {
    static final SourceInfo NAMESPACE = new SourceInfo(SourceInfo.Kind.LIVE, "netns:web/netlink", "network namespace 'web' (netlink)");
    static final SourceInfo SSH = new SourceInfo(SourceInfo.Kind.LIVE, "ssh://ops@db1", "host db1:22 (SSH, /proc/net/tcp)");
    static final SourceInfo GENERATED = new SourceInfo(SourceInfo.Kind.SIMULATED, "generated", "generated benchmark table");

    @Test
    void everyFormNamesTheKindAndThePlace() {
        assertEquals(List.of("live · network namespace 'web' (netlink) · 21,000 connections", "live · network namespace 'web' (netlink)",
                "live · network namespace 'web'", "live · netns:web/netlink"), SourcedToolBar.forms(NAMESPACE, "21,000 connections"));
        assertEquals("live · host db1:22", SourcedToolBar.forms(SSH, "5 connections").getLast());
        assertEquals(List.of("simulated · generated benchmark table", "simulated · generated"), SourcedToolBar.forms(GENERATED, null));
        for (SourceInfo i : List.of(NAMESPACE, SSH, GENERATED))
            for (String f : SourcedToolBar.forms(i, "7 connections"))
                assertTrue(f.startsWith(i.kind().name().toLowerCase(Locale.ROOT) + " · ") && f.length() > 12, f);
    }

    @Test
    void besideAToolBarTheLineKeepsAWholeFormAndTheControlsGiveWay() {
        FxTestSupport.start();
        ToolBar bar = FxTestSupport.onFx(() -> {
            ToolBar b = new ToolBar();
            for (int i = 0; i < 12; i++) b.getItems().add(new Button("Control " + i));
            return b;
        });
        SourcedToolBar row = FxTestSupport.onFx(() -> new SourcedToolBar(bar));
        Scene scene = FxTestSupport.themedScene(FxTestSupport.onFx(() -> {
            StackPane root = new StackPane(row);
            StackPane.setAlignment(row, Pos.TOP_LEFT);
            return root;
        }), 1024, 200, Theme.LIGHT);
        Stage stage = FxTestSupport.show(scene);
        try {
            for (double width : new double[] {1600, 1024, 700, 480}) {
                FxTestSupport.onFx(() -> {
                    stage.setWidth(width);
                    row.showSource(NAMESPACE, "21,000 connections");
                });
                FxTestSupport.waitUntil(() -> Math.abs(scene.getWidth() - width) < 1, 10_000, "window " + width + " px wide");
                FxTestSupport.settle();
                FxTestSupport.onFx(() -> {
                    scene.getRoot().applyCss();
                    scene.getRoot().layout();
                    Label l = row.source().label();
                    String shown = l.getText();
                    List<String> forms = row.source().forms();
                    assertTrue(forms.contains(shown), width + ": " + shown);
                    assertEquals(shown, ((Text) l.lookup(".text")).getText(), width + ": drawn whole");
                    assertTrue(shown.contains("namespace 'web'") || shown.contains("netns:web"), width + ": names the namespace: " + shown);
                    double lx = l.localToScene(l.getLayoutBounds()).getMinX();
                    double bx = bar.localToScene(bar.getLayoutBounds()).getMaxX();
                    assertTrue(bx <= lx + 0.5, width + ": the bar ends at " + bx + ", the line starts at " + lx);
                    assertTrue(l.localToScene(l.getLayoutBounds()).getMaxX() <= scene.getWidth() + 0.5, width + ": inside the window");
                    if (width >= 1600) assertEquals(forms.getFirst(), shown, "room for the whole line");
                    if (width <= 700) assertEquals(forms.getLast(), shown, "the shortest form");
                });
            }
        } finally {
            FxTestSupport.onFx(stage::close);
        }
    }
}
