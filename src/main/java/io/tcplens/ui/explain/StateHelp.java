package io.tcplens.ui.explain;

import io.tcplens.analysis.advisor.SysctlReader;
import io.tcplens.analysis.explain.StateExplanation;
import io.tcplens.analysis.explain.StateExplanations;
import io.tcplens.model.TcpState;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.theme.StatePalette;
import io.tcplens.ui.theme.ThemeStyles;
import java.nio.file.Files;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.util.Duration;

/**
 * "Explain this state" in the window: a tooltip per state (summary, how long it lasts, the F1 hint)
 * for table cells and tiles, and the full explanation in a window of its own on F1. The text is
 * {@link StateExplanations}', the same the command line prints ({@code tcplens explain STATE}). FX
 * thread only.
 */
public final class StateHelp {
    public static final String CSS = Objects.requireNonNull(StateHelp.class.getResource("explain.css")).toExternalForm();

    private final ShellContext ctx;
    private final StateExplanations text;
    private final Map<TcpState, Tooltip> tooltips = new EnumMap<>(TcpState.class);
    private Stage stage;
    private TcpState shown;

    public StateHelp(ShellContext ctx) {
        this(ctx, new StateExplanations(ctx.bundle().getLocale(), Files.isDirectory(SysctlReader.system().root())
                ? SysctlReader.system() : null));
    }

    public StateHelp(ShellContext ctx, StateExplanations text) {
        this.ctx = ctx;
        this.text = text;
    }

    public StateExplanations text() {
        return text;
    }

    /** The tooltip text of a state: summary, how long it lasts, the F1 hint. */
    public String tooltipText(TcpState s) {
        StateExplanation e = text.explainWithoutSettings(s);
        return e.state() + ": " + e.summary() + "\n\n" + e.section("duration").text() + "\n\n" + text.text("explain.more");
    }

    /** One shared tooltip per state (cells are recycled; the tooltip is not). */
    public Tooltip tooltip(TcpState s) {
        return tooltips.computeIfAbsent(s, k -> {
            Tooltip t = new Tooltip(tooltipText(k));
            t.setWrapText(true);
            t.setMaxWidth(460);
            t.setShowDelay(Duration.millis(400));
            t.setShowDuration(Duration.seconds(30));
            return t;
        });
    }

    /** F1 anywhere inside {@code node} explains the state {@code selected} returns (nothing when null). */
    public void installF1(Node node, Supplier<TcpState> selected) {
        node.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() != KeyCode.F1) return;
            TcpState s = selected.get();
            if (s == null) return;
            show(s, node.getScene() == null ? null : node.getScene().getWindow());
            e.consume();
        });
    }

    /** The state whose explanation window is open, or null. */
    public TcpState shownState() {
        return stage != null && stage.isShowing() ? shown : null;
    }

    public Stage stage() {
        return stage;
    }

    /** Opens (or re-fills) the explanation window for this state. */
    public void show(TcpState s, Window owner) {
        if (stage == null) {
            stage = new Stage();
            if (owner != null) stage.initOwner(owner);
            stage.setScene(new Scene(new Region(), 640, 720));
            stage.getScene().addEventHandler(KeyEvent.KEY_PRESSED, e -> {
                if (e.getCode() == KeyCode.ESCAPE) stage.hide();
            });
        }
        shown = s;
        Scene scene = stage.getScene();
        scene.setRoot(pane(s, stage::hide));
        ThemeStyles.apply(scene, ctx.theme().get());
        if (!scene.getStylesheets().contains(CSS)) scene.getStylesheets().add(CSS);
        stage.setTitle(text.explain(s).state() + " · TcpLens");
        stage.show();
        stage.toFront();
    }

    /** The explanation as a node (the window's content; tests snapshot it). */
    public BorderPane pane(TcpState s, Runnable close) {
        StateExplanation e = text.explain(s);
        Circle dot = new Circle(7);
        dot.getStyleClass().add("state-dot");
        Label title = new Label(e.state() + (e.rfcName().equals(e.state()) ? "" : "  (" + e.rfcName() + ")"));
        title.getStyleClass().add("explain-title");
        HBox head = new HBox(10, dot, title);
        head.setAlignment(Pos.CENTER_LEFT);
        head.getStyleClass().addAll("explain-head", StatePalette.styleClass(s));
        Label summary = wrapped(e.summary(), "explain-summary");

        VBox body = new VBox(4, summary);
        for (StateExplanation.Section sec : e.sections()) {
            Label h = new Label(sec.heading());
            h.getStyleClass().add("explain-heading");
            if (sec.id().equals("notFixes")) h.getStyleClass().add("explain-not");
            body.getChildren().addAll(h, wrapped(sec.text(), "explain-text"));
        }
        if (!e.settings().isEmpty()) {
            Label h = new Label(text.text("explain.heading.settings"));
            h.getStyleClass().add("explain-heading");
            body.getChildren().add(h);
            for (String v : e.settings()) body.getChildren().add(wrapped(v, "explain-setting"));
        }
        body.setPadding(new Insets(4, 16, 16, 16));
        body.getStyleClass().add("explain-body");
        ScrollPane scroll = new ScrollPane(body);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("explain-scroll");

        Button copy = new Button(ctx.bundle().getString("explain.copy"));
        copy.setOnAction(a -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(e.plainText(text.text("explain.heading.settings")));
            Clipboard.getSystemClipboard().setContent(c);
        });
        Button closeButton = new Button(ctx.bundle().getString("explain.close"));
        closeButton.setCancelButton(true);
        closeButton.setOnAction(a -> close.run());
        Label cli = new Label("tcplens explain " + e.state());
        cli.getStyleClass().add("explain-cli");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox buttons = new HBox(8, cli, spacer, copy, closeButton);
        buttons.setAlignment(Pos.CENTER_LEFT);
        buttons.setPadding(new Insets(8, 16, 12, 16));

        BorderPane root = new BorderPane(scroll, head, null, buttons, null);
        root.getStyleClass().add("explain-pane");
        return root;
    }

    private static Label wrapped(String s, String styleClass) {
        Label l = new Label(s);
        l.setWrapText(true);
        l.setMaxWidth(Double.MAX_VALUE);
        l.setMinHeight(Region.USE_PREF_SIZE);
        l.getStyleClass().add(styleClass);
        return l;
    }
}
