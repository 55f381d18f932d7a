package io.tcplens.ui.shell;

import io.tcplens.common.AppVersion;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import java.text.MessageFormat;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import javafx.scene.control.Alert;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** The header's Help menu: the keyboard shortcut sheet (F1), the documentation, alert settings and About. */
final class HelpMenu {
    private final ResourceBundle bundle;
    private final Supplier<Window> window;
    private final Supplier<Theme> theme;
    private final ShortcutSheet shortcuts;
    private final MenuButton button;

    HelpMenu(ResourceBundle bundle, Supplier<Window> window, Supplier<Theme> theme, Runnable alertSettings) {
        this.bundle = bundle;
        this.window = window;
        this.theme = theme;
        this.shortcuts = new ShortcutSheet(bundle);
        MenuItem keys = new MenuItem(bundle.getString("help.menu.shortcuts"));
        keys.setAccelerator(new KeyCodeCombination(KeyCode.F1));
        keys.setOnAction(e -> showShortcuts());
        MenuItem docs = new MenuItem(bundle.getString("help.menu.docs"));
        docs.setOnAction(e -> ShortcutSheet.openLink(ShortcutSheet.DOCS_URL));
        MenuItem alerts = new MenuItem(bundle.getString("help.menu.alerts"));
        alerts.setOnAction(e -> alertSettings.run());
        MenuItem aboutItem = new MenuItem(bundle.getString("help.menu.about"));
        aboutItem.setOnAction(e -> about());
        button = new MenuButton(bundle.getString("help.menu"), null, keys, docs, alerts, new SeparatorMenuItem(), aboutItem);
        button.setId("help-menu");
    }

    MenuButton node() {
        return button;
    }

    /** Opens the keyboard shortcut sheet (F1 where no state is selected). */
    void showShortcuts() {
        shortcuts.show(window.get(), theme.get());
    }

    ShortcutSheet shortcutSheet() {
        return shortcuts;
    }

    private void about() {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        a.setTitle(bundle.getString("control.about"));
        a.setHeaderText("TcpLens " + AppVersion.version());
        Label text = new Label(MessageFormat.format(bundle.getString("about.text"), AppVersion.licence(), Runtime.version().toString(),
                System.getProperty("javafx.runtime.version", "?")));
        text.setWrapText(true);
        Hyperlink docs = new Hyperlink(ShortcutSheet.DOCS_URL);
        docs.setOnAction(e -> ShortcutSheet.openLink(ShortcutSheet.DOCS_URL));
        Hyperlink keys = new Hyperlink(bundle.getString("help.menu.shortcuts") + " (F1)");
        keys.setOnAction(e -> showShortcuts());
        a.getDialogPane().setContent(new VBox(8, text, new Label(bundle.getString("about.docs")), docs, keys));
        if (window.get() != null) a.initOwner(window.get());
        ThemeStyles.apply(a.getDialogPane().getScene(), theme.get());
        a.show();
    }
}
