package io.tcplens.ui.shell;

import javafx.beans.value.ChangeListener;
import javafx.scene.Node;
import javafx.scene.Parent;

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

    /** Runs {@code action} whenever the node's tab (its parent) becomes visible again. */
    public static void whenShown(Node node, Runnable action) {
        ChangeListener<Boolean> onVisible = (o, was, now) -> {
            if (now && showing(node)) action.run();
        };
        node.visibleProperty().addListener(onVisible);
        node.parentProperty().addListener((o, oldParent, parent) -> {
            if (oldParent != null) oldParent.visibleProperty().removeListener(onVisible);
            if (parent != null) parent.visibleProperty().addListener(onVisible);
        });
        Parent p = node.getParent();
        if (p != null) p.visibleProperty().addListener(onVisible);
        node.sceneProperty().addListener((o, a, scene) -> {
            if (scene != null && showing(node)) action.run();
        });
    }
}
