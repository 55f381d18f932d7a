package io.tcplens.ui.shell;

import java.util.function.IntConsumer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;

/** The window's keys: Ctrl+P pause, Ctrl+D dark, Ctrl+F search, Ctrl+1…9 tabs, F1 no view answered. */
final class ShellKeys {
    private ShellKeys() {}

    static void install(Scene scene, ConnectionsTarget connections, Runnable toggleTheme, Runnable showConnections,
            Runnable showShortcuts, IntConsumer showTabAt) {
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN),
                () -> connections.setPaused(!connections.isPaused()));
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN), toggleTheme);
        // Ctrl+F from any tab: the connections table's search, across every column (issue 18); inside the
        // table's own tab the view takes the key first
        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), () -> {
            showConnections.run();
            Platform.runLater(connections::focusSearch);
        });
        // F1 that no view answered (no state selected there): the shortcut sheet
        scene.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.F1 && !e.isConsumed()) {
                showShortcuts.run();
                e.consume();
            }
        });
        for (int i = 0; i < 9; i++) {
            int idx = i;
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.getKeyCode(Integer.toString(i + 1)), KeyCombination.SHORTCUT_DOWN),
                    () -> showTabAt.accept(idx));
        }
    }
}
