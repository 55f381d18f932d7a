package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.tiles.StateGroup;
import io.tcplens.ui.tiles.StateTilesPanel;
import java.util.ArrayList;
import java.util.List;
import javafx.event.Event;
import javafx.scene.AccessibleAttribute;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: the shell's and the tiles' tooltips are made when the pointer first enters their node,
 * not before the first frame; until then their text is kept (and read as the node's accessible
 * help), and the tooltip made later shows the text as it is then, never an older one.
 */
class LazyTooltipTest {

    private static void enter(Node n) {
        Event.fireEvent(n, new MouseEvent(MouseEvent.MOUSE_ENTERED, 5, 5, 5, 5, MouseButton.NONE, 0,
                false, false, false, false, false, false, false, false, false, false, null));
    }

    @Test
    void madeOnTheFirstHoverWithTheTextAsItIsThen() {
        FxTestSupport.start();
        FxTestSupport.onFx(() -> {
            Label control = new Label("x");
            StackPane region = new StackPane();
            LazyTooltip c = LazyTooltip.install(control, "first");
            LazyTooltip r = LazyTooltip.install(region, "first", t -> t.setWrapText(true));
            assertNull(control.getTooltip(), "no tooltip before the pointer comes");
            assertNull(region.getProperties().get("javafx.scene.control.Tooltip"));
            assertFalse(c.isMade());
            assertEquals("first", control.getAccessibleHelp(), "a screen reader reads the text before any hover");
            c.setText("second");
            r.setText("second");
            assertEquals("second", control.queryAccessibleAttribute(AccessibleAttribute.HELP));

            enter(control);
            enter(region);
            assertTrue(c.isMade() && r.isMade());
            assertSame(c.tooltip(), control.getTooltip());
            assertEquals("second", control.getTooltip().getText(), "the tooltip shows the latest text");
            Tooltip rt = (Tooltip) region.getProperties().get("javafx.scene.control.Tooltip");
            assertSame(r.tooltip(), rt);
            assertEquals("second", rt.getText());
            assertTrue(rt.isWrapText(), "the set-up is applied");

            c.setText("third");
            assertEquals("third", control.getTooltip().getText(), "and follows it after");
            enter(control);
            assertSame(c.tooltip(), control.getTooltip(), "one tooltip per node");
            assertSame(c, LazyTooltip.install(control, "fourth"), "installing again reuses it");
            assertEquals("fourth", control.getTooltip().getText());
        });
    }

    /** The nodes with a lazy tooltip. */
    private static void collect(Node n, List<Node> out) {
        if (LazyTooltip.of(n) != null) out.add(n);
        if (n instanceof Parent p) for (Node c : p.getChildrenUnmodifiable()) collect(c, out);
    }

    @Test
    void theShownWindowHasMadeNoneOfThemAndATileGetsItsCurrentTextOnHover() throws Exception {
        try (WindowFixture fixture = WindowFixture.open(TestPreferences.cleared("tcplens-test/lazytooltip", 500),
                new GeneratedTable(3000, 200), 1200, 800, Theme.LIGHT)) {
            MainWindow window = fixture.window();
            Stage stage = fixture.stage();
            fixture.awaitFirstPoll(20_000);
            FxTestSupport.onFx(() -> {
                List<Node> all = new ArrayList<>();
                collect(stage.getScene().getRoot(), all);
                assertTrue(all.size() >= 15, "header, tiles and status bar: " + all.size());
                // the headless platform's pointer enters the window once, where it rests: the node it entered has its tooltip
                List<String> early = all.stream().map(LazyTooltip::of).filter(LazyTooltip::isMade).map(LazyTooltip::getText).toList();
                assertTrue(early.size() <= 1, "made with no pointer over them: " + early);

                Node tile = window.part(StateTilesPanel.class).bar().tile(StateGroup.values()[0]);
                String text = LazyTooltip.of(tile).getText();
                assertFalse(text.isBlank(), "the tile's text is kept before its tooltip exists");
                enter(tile);
                Tooltip made = (Tooltip) tile.getProperties().get("javafx.scene.control.Tooltip");
                assertNotNull(made, "the tooltip is made on the first hover");
                assertEquals(LazyTooltip.of(tile).getText(), made.getText(), "with the tile's current text");
            });
        }
    }
}
