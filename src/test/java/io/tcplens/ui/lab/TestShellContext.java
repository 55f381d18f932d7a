package io.tcplens.ui.lab;

import io.tcplens.model.ConnectionKey;
import io.tcplens.model.TcpState;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.theme.Theme;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/** A minimal ShellContext for views shown on their own. */
final class TestShellContext implements ShellContext {
    final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(Theme.LIGHT);
    final ObjectProperty<Set<ConnectionKey>> selected = new SimpleObjectProperty<>(Set.of());
    final ResourceBundle bundle = ResourceBundle.getBundle("io.tcplens.ui.messages", Locale.ENGLISH);

    @Override
    public ResourceBundle bundle() {
        return bundle;
    }

    @Override
    public ObjectProperty<Theme> theme() {
        return theme;
    }

    @Override
    public ObjectProperty<Set<ConnectionKey>> selectedConnections() {
        return selected;
    }

    @Override
    public void showView(String id) {}

    @Override
    public void filterConnectionsByState(TcpState state) {}

    @Override
    public void filterConnectionsByRemote(String addressOrCidr) {}
}
