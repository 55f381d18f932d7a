package io.tcplens.ui.timeline;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.TcpState;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.theme.Theme;
import java.util.ResourceBundle;
import java.util.Set;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/** A shell context for showing one view on its own. */
final class TestShellContext implements ShellContext {
    final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(Theme.LIGHT);
    final ObjectProperty<Set<ConnectionKey>> selection = new SimpleObjectProperty<>(Set.of());
    private final ResourceBundle bundle = ResourceBundle.getBundle("io.tcplens.ui.messages");

    @Override
    public ResourceBundle bundle() {
        return bundle;
    }

    @Override
    public ReadOnlyObjectProperty<Theme> theme() {
        return theme;
    }

    @Override
    public ObjectProperty<Set<ConnectionKey>> selectedConnections() {
        return selection;
    }

    @Override
    public void showView(String id) {}

    @Override
    public void filterConnectionsByState(TcpState state) {}

    @Override
    public void filterConnectionsByRemote(String addressOrCidr) {}
}
