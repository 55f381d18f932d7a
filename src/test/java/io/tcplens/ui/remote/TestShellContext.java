package io.tcplens.ui.remote;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.TcpState;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.theme.Theme;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/** A shell context for testing one view on its own; records navigation requests. */
final class TestShellContext implements ShellContext {
    final SimpleObjectProperty<Theme> theme = new SimpleObjectProperty<>(Theme.LIGHT);
    final SimpleObjectProperty<Set<ConnectionKey>> selected = new SimpleObjectProperty<>(Set.of());
    final List<String> requests = new ArrayList<>();

    @Override
    public ResourceBundle bundle() {
        return ResourceBundle.getBundle("io.tcplens.ui.messages");
    }

    @Override
    public ReadOnlyObjectProperty<Theme> theme() {
        return theme;
    }

    @Override
    public ObjectProperty<Set<ConnectionKey>> selectedConnections() {
        return selected;
    }

    @Override
    public void showView(String id) {
        requests.add("show " + id);
    }

    @Override
    public void filterConnectionsByState(TcpState state) {
        requests.add("state " + state);
    }

    @Override
    public void filterConnectionsByRemote(String addressOrCidr) {
        requests.add("remote " + addressOrCidr);
    }
}
