package io.tcplens.ui.shell;

import io.tcplens.lab.Lab;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.TcpState;
import io.tcplens.ui.theme.Theme;
import java.util.ResourceBundle;
import java.util.Set;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;

/** What every view shares: text, theme, the cross-view selection and navigation. FX thread only. */
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
    default UiPreferences preferences() {
        return new UiPreferences();
    }

    /** Shows the connections table filtered to one remote address (text form) or CIDR. */
    void filterConnectionsByRemote(String addressOrCidr);

    /** The window's lab service (one per window: the engine tags its sockets, the lab tab drives it). */
    Lab lab();
}
