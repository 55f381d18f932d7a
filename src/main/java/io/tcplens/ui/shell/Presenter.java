package io.tcplens.ui.shell;

import io.tcplens.engine.PollResult;
import java.util.List;

/**
 * Something the {@link FrameDispatcher} feeds with polls: a tab ({@link ShellView}) or a part of the
 * window's chrome ({@link ShellPanel}). {@link #prepare} runs on a background thread for every
 * hand-over (never on the FX thread), then {@link #show} on the FX thread with what prepare
 * returned. Heavy work (sorting, aggregating, layout maths) belongs in prepare.
 *
 * @param <P> what prepare computes for show
 */
public interface Presenter<P> {
    /**
     * Background thread. {@code batch} holds every poll since the previous hand-over, oldest first
     * (so no diff is lost when polls outrun frames); {@code latest} is its last element. A refresh
     * (after a filter change, or when a hidden tab is shown again) passes the same latest poll with
     * an empty batch when nothing new arrived. Must not touch any JavaFX node.
     */
    P prepare(PollResult latest, List<PollResult> batch);

    /** FX thread, once per hand-over, and only while the presenter is shown. */
    void show(P prepared);

    /** FX thread: the window switched to another source; called before the first poll of it. */
    default void sourceChanged(ShellSource source) {}
}
