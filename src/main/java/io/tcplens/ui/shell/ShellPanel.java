package io.tcplens.ui.shell;

import javafx.scene.Node;

/** A part of the window above the tabs (the state tiles), fed by polls and always shown. */
public interface ShellPanel<P> extends Presenter<P> {
    Node node();
}
