package io.tcplens.ui.shell;

/**
 * A tab that is fed by polls: the shell calls {@link #prepare} for every hand-over and {@link #show}
 * while the tab is at the front; when it comes back to the front it gets {@link #onShown} and a fresh
 * hand-over, so views never check their own visibility.
 *
 * @param <P> what prepare computes for show
 */
public interface ShellView<P> extends ShellTab, Presenter<P> {}
