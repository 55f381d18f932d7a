package io.tcplens.ui.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.stage.Stage;

/**
 * Presentation mode for a scene: full screen, large type, high contrast, the shell's header, tiles and
 * status bar hidden. While it is on, keys drive whichever {@link Target} is showing: space play/pause,
 * → step, ← step back, +/− speed, F full screen, Esc leaves. F11 toggles the mode at any time.
 */
public final class Presentation {
    /** Something the presentation keys can drive (the scenario player, a replay). */
    public interface Target {
        void togglePlay();

        void step();

        void stepBack();

        void faster();

        void slower();

        /** Whether this target is on screen now (its tab selected). */
        boolean isShowing();
    }

    public static final String CSS = Objects.requireNonNull(Presentation.class.getResource("/io/tcplens/ui/lab/lab.css"))
            .toExternalForm();
    private static final String STATE_KEY = "tcplens.presentation";
    private static final String[] CHROME = {".app-header", ".status-bar", ".tiles-strip", ".presentation-hide"};

    private final Scene scene;
    private final List<Target> targets = new ArrayList<>();
    private final List<Node> hidden = new ArrayList<>();
    private boolean on;

    private Presentation(Scene scene) {
        this.scene = scene;
        // lab.css stays a stylesheet of the views that use it: the same sheet also on the scene made JavaFX
        // lose AtlantaFX's looked-up colours (-color-fg-default unresolved, ClassCastException at start-up)
        scene.addEventFilter(KeyEvent.KEY_PRESSED, this::onKey);
    }

    /** The scene's presentation controller, created (and its key filter installed) on first use. */
    public static Presentation of(Scene scene) {
        Object p = scene.getProperties().get(STATE_KEY);
        if (p instanceof Presentation pr) return pr;
        Presentation pr = new Presentation(scene);
        scene.getProperties().put(STATE_KEY, pr);
        return pr;
    }

    /** Registers a target once its node is in a scene (call again freely: duplicates are ignored). */
    public static void attach(Node node, Target target) {
        node.sceneProperty().addListener((o, a, s) -> {
            if (s != null) of(s).add(target);
        });
        if (node.getScene() != null) of(node.getScene()).add(target);
    }

    public void add(Target t) {
        if (!targets.contains(t)) targets.add(t);
    }

    public boolean isOn() {
        return on;
    }

    public void toggle() {
        set(!on);
    }

    public void set(boolean enable) {
        if (enable == on) return;
        on = enable;
        Parent root = scene.getRoot();
        if (enable) {
            root.getStyleClass().add("presentation");
            for (String sel : CHROME)
                for (Node n : root.lookupAll(sel))
                    if (n.isVisible()) {
                        n.setVisible(false);
                        n.setManaged(false);
                        hidden.add(n);
                    }
        } else {
            root.getStyleClass().remove("presentation");
            for (Node n : hidden) {
                n.setVisible(true);
                n.setManaged(true);
            }
            hidden.clear();
        }
        if (scene.getWindow() instanceof Stage st) {
            st.setFullScreenExitHint("");
            st.setFullScreenExitKeyCombination(KeyCombination.NO_MATCH);
            st.setFullScreen(enable);
        }
    }

    private void onKey(KeyEvent e) {
        if (e.getCode() == KeyCode.F11) {
            toggle();
            e.consume();
            return;
        }
        if (!on) return;
        if (scene.getFocusOwner() instanceof TextInputControl && e.getCode() != KeyCode.ESCAPE) return;
        Target t = targets.stream().filter(Target::isShowing).findFirst().orElse(null);
        boolean handled = true;
        switch (e.getCode()) {
            case ESCAPE -> set(false);
            case F -> {
                if (scene.getWindow() instanceof Stage st) st.setFullScreen(!st.isFullScreen());
            }
            case SPACE -> { if (t != null) t.togglePlay(); }
            case RIGHT -> { if (t != null) t.step(); }
            case LEFT -> { if (t != null) t.stepBack(); }
            case PLUS, ADD, EQUALS -> { if (t != null) t.faster(); }
            case MINUS, SUBTRACT -> { if (t != null) t.slower(); }
            default -> handled = false;
        }
        if (handled) e.consume();
    }

    /** Whether a node and all its ancestors are visible (i.e. its tab is the selected one). */
    public static boolean treeVisible(Node n) {
        return FxVisibility.onScreen(n);
    }
}
