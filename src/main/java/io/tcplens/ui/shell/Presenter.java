package io.tcplens.ui.shell;

import io.tcplens.engine.PollResult;
import java.util.List;

/**
 * Something the {@link FrameDispatcher} feeds with polls: a tab ({@link ShellView}) or a part of the
 * window's chrome ({@link ShellPanel}). While it is shown, {@link #prepare} runs on a background
 * thread for every hand-over (never on the FX thread), then {@link #show} on the FX thread with what
 * prepare returned. Heavy work (sorting, aggregating, layout maths) belongs in prepare. While its tab
 * is in the background only {@link #observe} runs: it keeps the history the tab needs when it comes
 * back (rates, growth, highlights, a recording) and nothing that only feeds the screen.
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

    /**
     * Background thread, instead of {@link #prepare} while the presenter's tab is in the background:
     * take {@code batch} (every poll since the previous prepare or observe, oldest first) into whatever
     * history the presenter keeps, so that the prepare that follows {@link ShellTab#onShown} (with an
     * empty batch) shows the same as if the tab had been at the front all along. Must be cheap: at
     * 100k sockets the hidden tabs' observe runs every poll. Default: nothing is kept.
     */
    default void observe(List<PollResult> batch) {}

    /** FX thread, once per hand-over, and only while the presenter is shown. */
    void show(P prepared);

    /** FX thread: the window switched to another source; called before the first poll of it. */
    default void sourceChanged(ShellSource source) {}
}
