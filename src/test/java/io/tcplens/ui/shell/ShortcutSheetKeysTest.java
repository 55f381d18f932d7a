package io.tcplens.ui.shell;

import static org.junit.jupiter.api.Assertions.*;

import io.tcplens.ui.FxTestSupport;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import org.junit.jupiter.api.Test;

/**
 * The shortcut sheet's key chips: one key per chip ("Ctrl+F  /" in one chip read as a typo), and two
 * ways to do the same thing read "Ctrl+F or /".
 */
class ShortcutSheetKeysTest {
    private static void chips(Node n, List<HBox> out) {
        if (n instanceof HBox h && h.getChildren().stream().anyMatch(c -> c.getStyleClass().contains("shortcut-keys"))) out.add(h);
        if (n instanceof Parent p) for (Node c : p.getChildrenUnmodifiable()) chips(c, out);
    }

    private static String read(HBox row) {
        StringBuilder sb = new StringBuilder();
        for (Node c : row.getChildren()) {
            Label l = (Label) c;
            if (!sb.isEmpty()) sb.append(' ');
            sb.append(l.getStyleClass().contains("shortcut-keys") ? "[" + l.getText() + "]" : l.getText());
        }
        return sb.toString();
    }

    @Test
    void oneKeyPerChipAndAlternativesSayOr() {
        ResourceBundle b = ResourceBundle.getBundle("io.tcplens.ui.messages");
        List<String> rows = FxTestSupport.onFx(() -> {
            List<HBox> found = new ArrayList<>();
            chips(new ShortcutSheet(b).content(), found);
            return found.stream().map(ShortcutSheetKeysTest::read).toList();
        });
        assertTrue(rows.contains("[Ctrl+F] or [/]"), rows.toString());
        assertTrue(rows.contains("[Click] or [Enter]"), rows.toString());
        assertTrue(rows.contains("[+] [−]"), rows.toString());
        for (String r : rows)
            for (String chip : r.split("\\]"))
                if (chip.contains("[")) {
                    String text = chip.substring(chip.indexOf('[') + 1);
                    assertFalse(text.contains("  ") || text.contains(" / "), "two keys in one chip: " + r);
                }
    }

    /** The back-off notice never quotes a poll time that reads equal to the interval it exceeded. */
    @Test
    void backoffPollTimeNeverReadsAsTheInterval() {
        assertEquals("1,041 ms", StaleBanner.pollTime(1040.2, 1000));
        assertNotEquals(RefreshBackoff.format(1000), StaleBanner.pollTime(1000.4, 1000));
        assertEquals("12.3 s", StaleBanner.pollTime(12_345, 10_000));
    }
}
