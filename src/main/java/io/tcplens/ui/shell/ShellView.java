package io.tcplens.ui.shell;

import io.tcplens.engine.PollResult;
import java.util.List;
import javafx.scene.Node;

/**
 * A view that plugs into the main window as a tab. The shell calls {@link #prepare} on a background
 * thread for every hand-over (never on the FX thread), then {@link #show} once on the FX thread with
 * what prepare returned. Heavy work (sorting, aggregating, layout maths) belongs in prepare.
 *
 * @param <P> what prepare computes for show
 */
public interface ShellView<P> {
    /** Stable id, e.g. "connections", "diagram"; used by {@link ShellContext#showView(String)}. */
    String id();

    /** Resource-bundle key of the tab title. */
    String titleKey();

    /** The view's root node; created once, on the FX thread. */
    Node node();

    /**
     * Background thread. {@code batch} holds every poll since the previous hand-over, oldest first
     * (so no diff is lost when polls outrun frames); {@code latest} is its last element.
     * Must not touch any JavaFX node.
     */
    P prepare(PollResult latest, List<PollResult> batch);

    /** FX thread, once per hand-over. */
    void show(P prepared);
}
