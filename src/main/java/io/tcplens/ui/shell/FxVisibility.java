package io.tcplens.ui.shell;

import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;

/**
 * Whether a view can be seen: neither it nor an ancestor (such as the content of an unselected tab)
 * is invisible. A node not yet in a scene counts as shown, so views built off-screen stay current.
 */
public final class FxVisibility {
    private FxVisibility() {}

    public static boolean showing(Node node) {
        for (Node n = node; n != null; n = n.getParent()) if (!n.isVisible()) return false;
        return true;
    }

    /** {@link #showing} and in a scene: what a view that draws needs before drawing. */
    public static boolean onScreen(Node node) {
        return node.getScene() != null && showing(node);
    }

    /**
     * Whether the window {@code node} is in is on screen: showing and, for a stage, not iconified. A node in a
     * scene that is in no window counts as on screen (a view drawn off-screen for a snapshot); one in no scene
     * does not. What an animation of the node needs to keep running: a running {@code AnimationTimer} or
     * {@code Timeline} makes JavaFX pulse 60 times a second, in a closed or minimised window for nobody (issue 11).
     * A lazy binding: hold it in a field and listen to it.
     */
    public static ObservableValue<Boolean> windowOnScreen(Node node) {
        return node.sceneProperty().flatMap(FxVisibility::windowOnScreen).orElse(false);
    }

    private static ObservableValue<Boolean> windowOnScreen(Scene scene) {
        return scene.windowProperty().flatMap(FxVisibility::onScreen).orElse(true);
    }

    private static ObservableValue<Boolean> onScreen(Window w) {
        if (w instanceof Stage s)
            return Bindings.createBooleanBinding(() -> s.isShowing() && !s.isIconified(), s.showingProperty(), s.iconifiedProperty());
        return w.showingProperty();
    }
}
