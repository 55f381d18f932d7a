package io.tcplens.ui.tiles;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcplens.model.TcpState;
import io.tcplens.ui.FxTestSupport;
import io.tcplens.ui.shell.LazyTooltip;
import io.tcplens.ui.shell.UiPreferences;
import java.text.MessageFormat;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tile's tooltip text (its count, its warning, the explanation of its states) follows each poll, but is made
 * again only when what it says changed, and the explanation (a few paragraphs per state) is asked for once per
 * tile, not at every poll: the tiles' texts were most of what the tiles allocated per poll.
 */
class TileTooltipTextTest {
    private static final ResourceBundle B = ResourceBundle.getBundle("io.tcplens.ui.messages", Locale.getDefault());

    @BeforeAll
    static void start() {
        FxTestSupport.start();
    }

    @Test
    void theTextFollowsTheCountsAndTheExplanationIsAskedForOnce() throws BackingStoreException {
        Preferences node = Preferences.userRoot().node("tcplens-test/tile-tooltip");
        node.clear(); // (the thresholds set by an earlier run)
        FxTestSupport.onFx(() -> {
            StateTilesBar bar = new StateTilesBar(B, new UiPreferences(node), g -> {});
            Map<StateGroup, Integer> asked = new EnumMap<>(StateGroup.class);
            bar.setExplanation(g -> {
                asked.merge(g, 1, Integer::sum);
                return "explains " + g.name();
            });
            Map<TcpState, Integer> counts = new EnumMap<>(TcpState.class);
            counts.put(TcpState.ESTABLISHED, 3_000);
            counts.put(TcpState.TIME_WAIT, 100);
            for (int poll = 0; poll < 20; poll++) {
                counts.put(TcpState.TIME_WAIT, 100 + poll); // one tile's count changes at every poll
                bar.update(counts);
            }
            for (StateGroup g : StateGroup.values()) assertTrue(asked.getOrDefault(g, 0) <= 1, g + " asked " + asked.get(g) + " times");

            LazyTooltip tw = LazyTooltip.of(bar.tile(StateGroup.TIME_WAIT)), est = LazyTooltip.of(bar.tile(StateGroup.ESTABLISHED));
            assertTrue(tw.getText().startsWith(MessageFormat.format(B.getString("tile.exact"), 119)), tw.getText());
            assertTrue(tw.getText().endsWith("explains TIME_WAIT"), tw.getText());
            String before = est.getText();
            assertTrue(before.startsWith(MessageFormat.format(B.getString("tile.exact"), 3_000)), before);
            bar.update(counts); // nothing changed for this tile: the same text, not made again
            assertSame(before, est.getText());

            // a warning comes with a threshold crossed, in the text too
            bar.setThreshold(StateGroup.ESTABLISHED, 2_000);
            assertTrue(bar.isWarning(StateGroup.ESTABLISHED));
            assertTrue(est.getText().contains(MessageFormat.format(B.getString("tile.warning"), 3_000, 2_000)), est.getText());
            bar.setThreshold(StateGroup.ESTABLISHED, 1_000_000);
            assertFalse(est.getText().contains(MessageFormat.format(B.getString("tile.warning"), 3_000, 2_000)), est.getText());
            assertEquals(before, est.getText(), "back to the text without the warning");
            return null;
        });
    }
}
