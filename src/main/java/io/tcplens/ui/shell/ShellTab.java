package io.tcplens.ui.shell;

import javafx.scene.Node;

/**
 * A tab of the main window. The shell drives its lifecycle: {@link #onHidden} when another tab is
 * brought to the front, {@link #onShown} when it comes back (followed by a fresh hand-over if it is
 * also a {@link ShellView}). A tab that is not fed by polls (the scenario player) is only this.
 */
public interface ShellTab {
    /** Stable id, e.g. "connections", "diagram"; used by {@link ShellContext#showView(String)}. */
    String id();

    /** Resource-bundle key of the tab title. */
    String titleKey();

    /**
     * The tab's root node; created once, on the FX thread. The shell asks for it when the tab is first
     * shown, and a view builds its controls then, not in its constructor (issue 13: only the tab in
     * front is built before the first frame); polls reach a view before that through
     * {@link Presenter#observe}, which needs no control.
     */
    Node node();

    /** Whether the tab's controls exist yet (they are built by the first {@link #node()}). */
    default boolean isBuilt() {
        return true;
    }

    /** A node shown beside the title in the tab header (a count badge), or null. */
    default Node tabGraphic() {
        return null;
    }

    /** FX thread: the tab came to the front. */
    default void onShown() {}

    /** FX thread: another tab came to the front; this one is not drawn until {@link #onShown}. */
    default void onHidden() {}
}
