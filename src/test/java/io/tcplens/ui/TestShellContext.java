package io.tcplens.ui;

import io.tcplens.app.UiComposition;
import io.tcplens.model.ConnectionKey;
import io.tcplens.model.TcpState;
import io.tcplens.ui.shell.ShellContext;
import io.tcplens.ui.shell.UiPreferences;
import io.tcplens.ui.shell.UiServices;
import io.tcplens.ui.theme.Theme;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.prefs.Preferences;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.SimpleObjectProperty;

/** A shell context for testing one view on its own: theme and selection are settable, navigation requests are recorded. */
public final class TestShellContext implements ShellContext {
    public final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(Theme.LIGHT);
    public final ObjectProperty<Set<ConnectionKey>> selected = new SimpleObjectProperty<>(Set.of());
    public final List<TcpState> stateFilters = new ArrayList<>();
    public final List<String> shown = new ArrayList<>();
    public final List<String> remoteFilters = new ArrayList<>();
    /** A preferences store of its own, so tests never change the user's. */
    public UiPreferences preferences = new UiPreferences(Preferences.userRoot().node("tcplens-test/views"));
    /** This machine's services, as the app builds them; a test may replace them. */
    public UiServices services = UiComposition.services();
    /** What a view's refresh request does here (a test that wants refreshed data installs a re-prepare). */
    public Runnable onRefresh = () -> {};
    public int refreshRequests;
    private final ResourceBundle bundle = ResourceBundle.getBundle("io.tcplens.ui.messages", Locale.ENGLISH);

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
        return selected;
    }

    @Override
    public void showView(String id) {
        shown.add(id);
    }

    @Override
    public void filterConnectionsByState(TcpState state) {
        stateFilters.add(state);
    }

    @Override
    public void filterConnectionsByRemote(String addressOrCidr) {
        remoteFilters.add(addressOrCidr);
    }

    @Override
    public UiPreferences preferences() {
        return preferences;
    }

    @Override
    public UiServices services() {
        return services;
    }

    @Override
    public void requestRefresh() {
        refreshRequests++;
        onRefresh.run();
    }
}
