package io.tcplens.ui.shell;

import io.tcplens.common.AppVersion;
import io.tcplens.ui.theme.Theme;
import io.tcplens.ui.theme.ThemeStyles;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.ResourceBundle;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Scene;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.slf4j.LoggerFactory;

/**
 * F1 (where no state is selected) and Help → Keyboard shortcuts: every key the window answers, by
 * where it works, and the links to the documentation. A window of its own, not modal; Esc closes it.
 */
public final class ShortcutSheet {
    /** The project's documentation (the README: the window, the command line, every setting). */
    public static final String DOCS_URL = "https://github.com/tcplens/tcplens#readme";

    /** Opens a link in the desktop's browser (set by the application to its HostServices). */
    private static volatile Consumer<String> linkOpener = ShortcutSheet::openWithDesktop;

    private record Key(String keys, String what) {}

    private final ResourceBundle b;
    private Stage stage;

    public ShortcutSheet(ResourceBundle bundle) {
        this.b = bundle;
    }

    public static void setLinkOpener(Consumer<String> opener) {
        linkOpener = opener;
    }

    public static void openLink(String url) {
        try {
            linkOpener.accept(url);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ShortcutSheet.class).warn("cannot open {}: {}", url, e.getMessage());
        }
    }

    private static void openWithDesktop(String url) {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        List<String> cmd = os.startsWith("windows") ? List.of("rundll32", "url.dll,FileProtocolHandler", url)
                : os.startsWith("mac") ? List.of("open", url) : List.of("xdg-open", url);
        try {
            new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private List<List<Key>> sections() {
        return List.of(
                List.of(new Key("F1", b.getString("help.key.f1")),
                        new Key("Ctrl+1 … Ctrl+9", b.getString("help.key.tabs")),
                        new Key("Ctrl+D", b.getString("help.key.theme")),
                        new Key("F11", b.getString("help.key.presentation"))),
                List.of(new Key("Ctrl+F|/", b.getString("help.key.search")),
                        new Key("Ctrl+P", b.getString("help.key.pause")),
                        new Key("Ctrl+C", b.getString("help.key.copy")),
                        new Key("F1", b.getString("help.key.explainRow")),
                        new Key(b.getString("help.key.rightClick"), b.getString("help.key.menu"))),
                List.of(new Key(b.getString("help.key.click") + "|Enter", b.getString("help.key.tile")),
                        new Key("F1", b.getString("help.key.explainTile"))),
                List.of(new Key(b.getString("help.key.space"), b.getString("help.key.diagramPause")),
                        new Key("→|.", b.getString("help.key.diagramStep")),
                        new Key("+  −", b.getString("help.key.zoom")),
                        new Key("0|F", b.getString("help.key.fit")),
                        new Key("Esc", b.getString("help.key.unfollow"))),
                List.of(new Key(b.getString("help.key.space"), b.getString("help.key.play")),
                        new Key("→  ←", b.getString("help.key.step")),
                        new Key("+  −", b.getString("help.key.speed")),
                        new Key("F", b.getString("help.key.fullscreen")),
                        new Key("Esc", b.getString("help.key.leave"))));
    }

    private static final String[] SECTION_KEYS = {"help.section.window", "help.section.table", "help.section.tiles",
            "help.section.diagram", "help.section.presentation"};

    /** The sheet as a node (the window's content; tests snapshot it). */
    public VBox content() {
        VBox box = new VBox(8);
        box.setPadding(new Insets(16));
        box.getStyleClass().add("shortcut-sheet");
        Label title = new Label(b.getString("help.shortcuts"));
        title.getStyleClass().add("title-3");
        box.getChildren().add(title);
        List<List<Key>> secs = sections();
        for (int i = 0; i < secs.size(); i++) {
            Label h = new Label(b.getString(SECTION_KEYS[i]));
            h.getStyleClass().add("title-4");
            GridPane g = new GridPane();
            ColumnConstraints keyColumn = new ColumnConstraints();
            keyColumn.setMinWidth(150);
            keyColumn.setPrefWidth(150);
            g.getColumnConstraints().add(keyColumn);
            g.setHgap(16);
            g.setVgap(4);
            int r = 0;
            for (Key k : secs.get(i)) {
                HBox keys = keyCaps(k.keys());
                Label what = new Label(k.what());
                what.setWrapText(true);
                g.addRow(r++, keys, what);
            }
            box.getChildren().addAll(h, g);
        }
        Label docs = new Label(b.getString("help.docs"));
        docs.getStyleClass().add("title-4");
        Hyperlink readme = new Hyperlink(DOCS_URL);
        readme.setOnAction(e -> openLink(DOCS_URL));
        Label cli = new Label(b.getString("help.cli"));
        cli.setWrapText(true);
        cli.getStyleClass().add("text-muted");
        box.getChildren().addAll(docs, readme, cli, new HBox(new Label("TcpLens " + AppVersion.version())));
        return box;
    }

    /**
     * One key chip per key: "A|B" reads "A or B" (two ways to do the same), "A  B" two chips side by
     * side (the two directions of one thing, as "Zoom in, out"). A chip never holds two keys.
     */
    private HBox keyCaps(String spec) {
        HBox row = new HBox(4);
        row.setAlignment(Pos.CENTER_LEFT);
        row.setMinWidth(Region.USE_PREF_SIZE);
        String[] alternatives = spec.split("\\|");
        for (int a = 0; a < alternatives.length; a++) {
            if (a > 0) {
                Label or = new Label(b.getString("help.key.or"));
                or.getStyleClass().addAll("shortcut-or", "text-muted");
                row.getChildren().add(or);
            }
            for (String key : alternatives[a].split("  ")) {
                Label cap = new Label(key.strip());
                cap.getStyleClass().add("shortcut-keys");
                cap.setMinWidth(Region.USE_PREF_SIZE);
                row.getChildren().add(cap);
            }
        }
        return row;
    }

    public Stage stage() {
        return stage;
    }

    public boolean isShowing() {
        return stage != null && stage.isShowing();
    }

    /** Opens (or brings to the front) the sheet. */
    public void show(Window owner, Theme theme) {
        if (stage == null) {
            stage = new Stage();
            if (owner != null) stage.initOwner(owner);
            stage.setTitle(b.getString("help.shortcuts") + " · TcpLens");
            ScrollPane sp = new ScrollPane(content());
            sp.setFitToWidth(true);
            sp.setFitToHeight(true); // no bare strip under a short sheet
            stage.setScene(new Scene(sp, 600, 860));
            stage.getScene().addEventHandler(KeyEvent.KEY_PRESSED, e -> {
                if (e.getCode() == KeyCode.ESCAPE || e.getCode() == KeyCode.F1) stage.hide();
            });
        }
        ThemeStyles.apply(stage.getScene(), theme);
        if (!stage.getScene().getStylesheets().contains(CSS)) stage.getScene().getStylesheets().add(CSS);
        stage.show();
        stage.toFront();
        if (stage.getScene().getRoot() instanceof ScrollPane sp) sp.setVvalue(0);
    }

    static final String CSS = Objects.requireNonNull(ShortcutSheet.class.getResource("help.css")).toExternalForm();
}
