package io.tcplens.ui.shell;

import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.TextInputControl;
import javafx.scene.control.skin.TextInputControlSkin;
import javafx.stage.Window;

/**
 * A text field's blinking caret is a {@code Timeline} that runs for as long as the field has the keyboard, and
 * while one runs JavaFX pulses 60 times a second (issue 11). A field that had the keyboard when its window was
 * closed kept it, on the headless platform at least: the search field of a closed window, the address box of a
 * closed Connect dialog blinked on for good. Here, every window that hides stops the carets of its text fields
 * (the caret is shown, still; the field's next focus starts it blinking again).
 */
public final class HiddenCarets {
    private static boolean installed;

    private HiddenCarets() {}

    /** From now on, in every window of this application. Once is enough; FX thread. */
    public static void install() {
        if (installed) return;
        installed = true;
        Window.getWindows().addListener((ListChangeListener<Window>) c -> {
            while (c.next())
                for (Window w : c.getRemoved()) if (w.getScene() != null) stop(w.getScene().getRoot());
        });
    }

    /** Stops the caret of every text field under {@code n}. */
    static void stop(Node n) {
        if (n instanceof TextInputControl t && t.getSkin() instanceof TextInputControlSkin<?> skin) skin.setCaretAnimating(false);
        if (n instanceof Parent p) for (Node k : p.getChildrenUnmodifiable()) stop(k);
    }
}
