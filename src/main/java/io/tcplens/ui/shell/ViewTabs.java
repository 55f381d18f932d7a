package io.tcplens.ui.shell;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Consumer;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;

/** The views' tabs: one per view, found by view id; the selected one is remembered and handed on. */
final class ViewTabs {
    static final String LAST_TAB_KEY = "window.tab";

    private final TabPane tabs = new TabPane();
    private final Map<String, Tab> tabById = new HashMap<>();
    private final Map<Tab, ShellTab> viewByTab = new IdentityHashMap<>();
    /** Whether the tab in front has its content (see {@link #attachFront}). */
    private boolean attached;

    /** @param selected told the view in front now (and at once, the first one) */
    ViewTabs(ResourceBundle bundle, List<ShellTab> views, UiPreferences prefs, Consumer<ShellTab> selected) {
        for (ShellTab v : views) {
            Tab t = new Tab(bundle.getString(v.titleKey())); // content when first shown (issue 13: no skins or CSS for hidden tabs before the first frame)
            t.setClosable(false);
            t.setGraphic(v.tabGraphic());
            t.setId("tab-" + v.id());
            tabById.put(v.id(), t);
            viewByTab.put(t, v);
            tabs.getTabs().add(t);
        }
        tabs.getSelectionModel().selectedItemProperty().addListener((o, a, t) -> {
            if (attached) attach(t);
            selected.accept(viewByTab.get(t));
            if (t != null && t.getId() != null) prefs.put(LAST_TAB_KEY, t.getId().substring("tab-".length()));
        });
        selected.accept(viewByTab.get(tabs.getSelectionModel().getSelectedItem()));
    }

    /**
     * Gives the tab in front its content (its view builds its controls then, if it has not), and from
     * now on every tab when it is first brought to the front. Until this is called, choosing a tab (the
     * remembered one, issue 13) builds nothing: only the tab the window opens on is built before the
     * first frame.
     */
    void attachFront() {
        attached = true;
        attach(tabs.getSelectionModel().getSelectedItem());
    }

    private void attach(Tab t) {
        if (t != null && t.getContent() == null) t.setContent(viewByTab.get(t).node());
    }

    TabPane node() {
        return tabs;
    }

    /** Brings a view's tab to the front (an unknown id: nothing). */
    void show(String viewId) {
        Tab t = tabById.get(viewId);
        if (t != null) tabs.getSelectionModel().select(t);
    }

    /** Brings the tab at this position to the front (past the last: nothing). */
    void showAt(int index) {
        if (index < tabs.getTabs().size()) tabs.getSelectionModel().select(index);
    }
}
