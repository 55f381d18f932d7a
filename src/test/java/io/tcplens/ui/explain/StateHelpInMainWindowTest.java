package io.tcplens.ui.explain;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.analysis.explain.StateExplanations;
import io.tcplens.model.TcpState;
import io.tcplens.testutil.GeneratedTable;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.TestPreferences;
import io.tcplens.ui.WindowFixture;
import io.tcplens.ui.shell.LazyTooltip;
import io.tcplens.ui.shell.MainWindow;
import io.tcplens.ui.table.ConnectionRow;
import io.tcplens.ui.table.ConnectionsView;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.tiles.StateGroup;
import io.tcplens.ui.tiles.StateTilesPanel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javafx.event.Event;
import javafx.scene.Node;
import javafx.scene.control.TableCell;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The state explanations in the real window, on a generated (SIMULATED) table of 6,000 sockets:
 * every visible state cell's tooltip is its state's text, the tiles' tooltips carry it, F1 on a
 * selected row opens that row's state; screenshots in both themes.
 */
class StateHelpInMainWindowTest {
    static WindowFixture fixture;
    static MainWindow window;
    static Stage stage;

    @BeforeAll
    static void open() {
        fixture = WindowFixture.open(TestPreferences.cleared("tcplens-test/statehelp", 500), new GeneratedTable(6000, 300),
                1024, 700, Theme.LIGHT);
        window = fixture.window();
        stage = fixture.stage();
        FxTestSupport.waitUntil(() -> window.part(ConnectionsView.class).visibleRows().size() > 1000, 20_000, "rows shown");
    }

    @AfterAll
    static void close() {
        if (fixture == null) return;
        FxTestSupport.onFx(() -> {
            StateHelp h = window.part(ConnectionsView.class).stateHelp();
            if (h.stage() != null) h.stage().close();
        });
        fixture.close();
    }

    private static List<TableCell<?, ?>> stateCells() {
        List<TableCell<?, ?>> out = new ArrayList<>();
        for (Node n : window.part(ConnectionsView.class).table().lookupAll(".table-cell"))
            if (n instanceof TableCell<?, ?> c && c.getItem() instanceof ConnectionRow && c.getTableColumn().getText()
                    .equals(window.bundle().getString("col.state"))) out.add(c);
        return out;
    }

    @Test
    void everyVisibleStateCellExplainsItsState() {
        FxTestSupport.settle();
        List<String> checked = FxTestSupport.onFx(() -> {
            StateHelp help = window.part(ConnectionsView.class).stateHelp();
            List<String> seen = new ArrayList<>();
            for (TableCell<?, ?> c : stateCells()) {
                ConnectionRow r = (ConnectionRow) c.getItem();
                Tooltip t = c.getTooltip();
                assertNotNull(t, "state cell of " + r.key());
                assertEquals(help.tooltipText(r.state()), t.getText());
                assertTrue(t.getText().startsWith(r.state().name() + ": "));
                seen.add(r.state().name());
            }
            return seen;
        });
        assertTrue(checked.size() > 10, "visible state cells: " + checked.size());
    }

    @Test
    void tilesCarryTheExplanationOfTheirStates() {
        StateExplanations text = window.part(ConnectionsView.class).stateHelp().text();
        FxTestSupport.onFx(() -> {
            StateTilesPanel panel = window.part(StateTilesPanel.class);
            for (StateGroup g : StateGroup.values()) {
                LazyTooltip tip = LazyTooltip.of(panel.bar().tile(g)); // the tooltip itself is made on the first hover
                assertNotNull(tip, g.name());
                String s = tip.getText();
                if (g.colourState() == null) continue;
                for (TcpState st : g.states()) assertTrue(s.contains(text.summary(st)), g + " tooltip: " + s);
                assertTrue(s.contains(window.bundle().getString("tile.tip")) || s.contains("threshold"), s);
            }
        });
    }

    @Test
    void f1OnASelectedRowOpensItsStatesExplanation() {
        for (TcpState want : List.of(TcpState.CLOSE_WAIT, TcpState.TIME_WAIT)) {
            FxTestSupport.onFx(() -> {
                ConnectionsView v = window.part(ConnectionsView.class);
                int idx = -1;
                for (int i = 0; i < v.table().getItems().size(); i++)
                    if (v.table().getItems().get(i).state() == want) {
                        idx = i;
                        break;
                    }
                assertTrue(idx >= 0, "a " + want + " row");
                v.table().getSelectionModel().clearAndSelect(idx);
                v.table().requestFocus();
                Event.fireEvent(v.table(), new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.F1, false, false, false, false));
            });
            FxTestSupport.waitUntil(() -> window.part(ConnectionsView.class).stateHelp().shownState() == want, 30_000, "explanation of " + want);
        }
        // no selection: F1 does nothing rather than guess
        FxTestSupport.onFx(() -> {
            ConnectionsView v = window.part(ConnectionsView.class);
            v.stateHelp().stage().hide();
            v.table().getSelectionModel().clearSelection();
            Event.fireEvent(v.table(), new KeyEvent(KeyEvent.KEY_PRESSED, "", "", KeyCode.F1, false, false, false, false));
            assertNull(v.stateHelp().shownState());
        });
    }

    @Test
    void screenshotsInBothThemes() {
        List<Path> shots = new ArrayList<>();
        for (Theme theme : Theme.values()) {
            String t = theme.name().toLowerCase(Locale.ROOT);
            FxTestSupport.waitUntil(() -> window.part(ConnectionsView.class).visibleRows().size() > 1000, 10_000, "rows");
            shots.addAll(WindowFixture.screenshots(window, stage, "explain-window", theme));
            for (TcpState s : List.of(TcpState.TIME_WAIT, TcpState.CLOSE_WAIT, TcpState.FIN_WAIT2)) {
                FxTestSupport.onFx(() -> window.part(ConnectionsView.class).stateHelp().show(s, stage));
                FxTestSupport.settle();
                shots.add(FxTestSupport.screenshot(window.part(ConnectionsView.class).stateHelp().stage().getScene(),
                        "explain-" + s.name().toLowerCase(Locale.ROOT) + "-" + t));
            }
        }
        FxTestSupport.onFx(() -> window.setTheme(Theme.LIGHT));
        assertEquals(10, shots.size());
    }
}
