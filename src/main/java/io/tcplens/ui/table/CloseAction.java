package io.tcplens.ui.table;

import io.tcplens.model.SocketEntry;
import io.tcplens.model.SourceInfo;
import io.tcplens.source.act.CloseConnection;
import io.tcplens.ui.shell.ShellContext;
import java.text.MessageFormat;
import java.util.Optional;
import java.util.ResourceBundle;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/**
 * "Close connection…" from the connections table: refused at once with its reason when the source
 * cannot act (replay, simulated, SSH, a listener row), otherwise confirmed in a dialog that shows the
 * connection, where it lives and the equivalent {@code ss -K} command; the close runs off the FX
 * thread and its outcome (closed, or the kernel's reason: no CAP_NET_ADMIN, no
 * CONFIG_INET_DIAG_DESTROY, gone, replaced) is reported to {@code report}.
 */
final class CloseAction {
    private final ShellContext ctx;
    private final ResourceBundle b;

    CloseAction(ShellContext ctx) {
        this.ctx = ctx;
        this.b = ctx.bundle();
    }

    /** The connection as one line: "127.0.0.1:5000 → 127.0.0.1:40492 (ESTABLISHED, python3 1234, sk:6cdeec)". */
    static String describe(SocketEntry e) {
        StringBuilder sb = new StringBuilder().append(e.local()).append(" \u2192 ").append(e.remote()).append(" (").append(e.state().name());
        if (e.pid() != null) sb.append(", ").append(e.process() == null ? "?" : e.process()).append(' ').append(e.pid());
        if (e.hasCookie()) sb.append(", sk:").append(e.cookieHex());
        return sb.append(')').toString();
    }

    /** Why this row cannot be closed, as text, or empty. */
    Optional<String> refusal(SourceInfo source, SocketEntry e) {
        return CloseConnection.refusal(source, e).map(k -> MessageFormat.format(b.getString(k), describe(e), ""));
    }

    /** The confirmation dialog (not shown): the connection, the source, the effect and the ss -K command. */
    Alert confirmation(SourceInfo source, SocketEntry e) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION);
        a.setTitle(b.getString("close.title"));
        a.setHeaderText(MessageFormat.format(b.getString("close.confirm"), describe(e), ""));
        Label effect = new Label(MessageFormat.format(b.getString("close.effect"), describe(e)));
        effect.setWrapText(true);
        Label from = new Label(MessageFormat.format(b.getString("close.source"), source.label()));
        from.setWrapText(true);
        Label equiv = new Label(b.getString("close.equivalent"));
        TextArea cmd = new TextArea(CloseConnection.command(source, e));
        cmd.setEditable(false);
        cmd.setWrapText(true);
        cmd.setPrefRowCount(2);
        cmd.getStyleClass().add("monospace");
        cmd.setStyle("-fx-font-family: monospace;");
        VBox box = new VBox(8, effect, from, equiv, cmd);
        a.getDialogPane().setContent(box);
        a.getDialogPane().setPrefWidth(720);
        a.getDialogPane().setMinWidth(720); // the ss -K command on one line
        ButtonType close = new ButtonType(b.getString("close.button"), ButtonBar.ButtonData.OK_DONE);
        a.getButtonTypes().setAll(close, ButtonType.CANCEL);
        // the safe answer is the default: Enter cancels
        ((Button) a.getDialogPane().lookupButton(close)).setDefaultButton(false);
        ((Button) a.getDialogPane().lookupButton(ButtonType.CANCEL)).setDefaultButton(true);
        return a;
    }

    /** The whole flow for one row, from the menu (FX thread). */
    void run(SourceInfo source, SocketEntry e, Node owner, Consumer<String> report) {
        Optional<String> no = refusal(source, e);
        if (no.isPresent()) {
            Alert info = new Alert(Alert.AlertType.INFORMATION, no.get(), ButtonType.OK);
            info.setTitle(b.getString("close.title"));
            info.setHeaderText(b.getString("close.notPossible"));
            info.getDialogPane().setPrefWidth(560);
            ((Label) info.getDialogPane().lookup(".content")).setWrapText(true);
            initOwner(info, owner);
            info.show();
            report.accept(no.get());
            return;
        }
        Alert a = confirmation(source, e);
        initOwner(a, owner);
        a.showAndWait().filter(x -> x.getButtonData() == ButtonBar.ButtonData.OK_DONE).ifPresent(x -> {
            report.accept(MessageFormat.format(b.getString("close.running"), describe(e)));
            CompletableFuture.supplyAsync(() -> CloseConnection.close(source, e), ctx.services().background())
                    .thenAccept(o -> Platform.runLater(() -> {
                        String text = MessageFormat.format(b.getString(o.messageKey()), describe(e), o.detail());
                        report.accept(text);
                        if (!o.closed()) {
                            Alert fail = new Alert(Alert.AlertType.WARNING, text, ButtonType.OK);
                            fail.setTitle(b.getString("close.title"));
                            fail.setHeaderText(b.getString("close.notClosed"));
                            fail.getDialogPane().setPrefWidth(560);
                            initOwner(fail, owner);
                            fail.show();
                        }
                        ctx.requestRefresh();
                    }));
        });
    }

    private static void initOwner(Alert a, Node owner) {
        Window w = owner.getScene() == null ? null : owner.getScene().getWindow();
        if (w != null) a.initOwner(w);
    }
}
