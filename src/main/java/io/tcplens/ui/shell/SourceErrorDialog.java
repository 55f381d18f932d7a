package io.tcplens.ui.shell;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.stage.Window;

/** A source that cannot be opened: one clear dialog (not modal, so polling and the window go on); a new one replaces it. */
final class SourceErrorDialog {
    private final ResourceBundle bundle;
    private final Supplier<Window> window;
    private Alert shown;

    SourceErrorDialog(ResourceBundle bundle, Supplier<Window> window) {
        this.bundle = bundle;
        this.window = window;
    }

    /** @param stillShowing the label of the source the window stays on, or null */
    void show(String spec, String message, String stillShowing) {
        if (shown != null) shown.close();
        Alert a = new Alert(Alert.AlertType.ERROR);
        a.setTitle(bundle.getString("source.openFailed.title"));
        a.setHeaderText(MessageFormat.format(bundle.getString("source.openFailed.header"), spec));
        a.setContentText(message + (stillShowing != null ? "\n\n" + MessageFormat.format(bundle.getString("source.openFailed.keep"), stillShowing) : ""));
        if (window.get() != null) a.initOwner(window.get());
        shown = a;
        a.show();
    }

    /** The last dialog, or null. */
    Alert last() {
        return shown;
    }
}
