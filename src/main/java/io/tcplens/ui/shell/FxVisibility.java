package io.tcplens.ui.shell;

import javafx.scene.Node;

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
}
