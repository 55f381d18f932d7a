package io.tcplens.ui.source;

import io.tcplens.source.ssh.SshTarget;
import java.util.Optional;
import java.util.ResourceBundle;
import javafx.application.Platform;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.stage.Window;

/**
 * "Connect to server…": an address {@code [user@]host[:port]} (recent servers in the list), what
 * happens (the server's own /proc over SSH, nothing installed) and what is trusted (only host keys
 * already in known_hosts). Gives an {@code ssh://} URI; a malformed address keeps the dialog open
 * with one line saying why.
 */
public final class ConnectDialog extends Dialog<String> {
    private final ComboBox<String> address = new ComboBox<>();
    private final Label problem = new Label();

    public ConnectDialog(Window owner, ResourceBundle bundle, RecentHosts recent) {
        if (owner != null) initOwner(owner);
        setTitle(bundle.getString("connect.title"));
        setHeaderText(bundle.getString("connect.header"));
        ButtonType connect = new ButtonType(bundle.getString("connect.ok"), ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().setAll(connect, ButtonType.CANCEL);
        getDialogPane().getStyleClass().add("connect-dialog");

        address.setEditable(true);
        address.getItems().setAll(recent.list());
        address.setPromptText(bundle.getString("connect.address.prompt"));
        address.setMaxWidth(Double.MAX_VALUE);
        address.setId("connect-address");
        if (!address.getItems().isEmpty()) address.getEditor().setText(address.getItems().get(0));
        Label addrLabel = new Label(bundle.getString("connect.address"));
        addrLabel.setLabelFor(address);
        Label how = new Label(bundle.getString("connect.how"));
        how.setWrapText(true);
        how.getStyleClass().add("dialog-note");
        Label trust = new Label(bundle.getString("connect.trust"));
        trust.setWrapText(true);
        trust.getStyleClass().add("dialog-note");
        problem.getStyleClass().add("status-error");
        problem.setWrapText(true);
        problem.setId("connect-problem");

        GridPane g = new GridPane();
        g.setHgap(10);
        g.setVgap(10);
        g.setPadding(new Insets(16, 16, 8, 16));
        g.add(addrLabel, 0, 0);
        g.add(address, 1, 0);
        g.add(how, 0, 1, 2, 1);
        g.add(trust, 0, 2, 2, 1);
        g.add(problem, 0, 3, 2, 1);
        GridPane.setHgrow(address, Priority.ALWAYS);
        g.setPrefWidth(520);
        getDialogPane().setContent(g);

        getDialogPane().lookupButton(connect).addEventFilter(ActionEvent.ACTION, e -> {
            Optional<String> why = check(address.getEditor().getText());
            if (why.isPresent()) {
                problem.setText(why.get());
                e.consume();
            }
        });
        setResultConverter(b -> b == connect ? SshTarget.parse(address.getEditor().getText()).uri() : null);
        setOnShown(e -> Platform.runLater(address.getEditor()::requestFocus));
    }

    /** Empty when {@code text} is a usable address, otherwise why not (one line). */
    static Optional<String> check(String text) {
        try {
            SshTarget.parse(text);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** For tests and screenshots: the address field and the problem line. */
    ComboBox<String> addressField() {
        return address;
    }

    Label problemLine() {
        return problem;
    }
}
