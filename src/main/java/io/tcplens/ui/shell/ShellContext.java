package io.tcplens.ui.shell;

import io.tcplens.lab.Lab;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.TcpState;
import io.tcplens.ui.theme.Theme;
import java.util.ResourceBundle;
import java.util.Set;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;

/** What every view shares: text, theme, the cross-view selection, navigation and services. FX thread only. */
public interface ShellContext {
    ResourceBundle bundle();

    /** Light or dark; views repaint canvases when it changes. */
    ReadOnlyObjectProperty<Theme> theme();

    /** Connections selected in any view; each view selects them too. */
    ObjectProperty<Set<ConnectionKey>> selectedConnections();

    /** Brings a view's tab to the front. */
    void showView(String id);

    /** Shows the connections table filtered to one state (null clears the state filter). */
    void filterConnectionsByState(TcpState state);

    /** Preferences remembered between runs (the same store the window uses). */
    UiPreferences preferences();

    /** Shows the connections table filtered to one remote address (text form) or CIDR. */
    void filterConnectionsByRemote(String addressOrCidr);

    /** The services built by the composition root (lab, advisor, allowlist, …). */
    UiServices services();

    /**
     * Any thread: asks for a fresh hand-over of the latest poll (after a filter, grouping or sort
     * change). The one path by which a view gets recomputed data.
     */
    void requestRefresh();
}
