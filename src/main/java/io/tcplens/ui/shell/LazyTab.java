package io.tcplens.ui.shell;

import java.util.Objects;
import java.util.function.Supplier;
import javafx.scene.Node;

/**
 * A tab that polls do not feed (the scenario player), made only when it is first shown (issue 13:
 * nothing but the tab in front is built before the first frame). Until then it is its id and title.
 * {@link MainWindow#part} finds the tab inside by its type (and makes it then).
 */
public final class LazyTab implements ShellTab {
    private final String id;
    private final String titleKey;
    private final Class<? extends ShellTab> type;
    private final Supplier<? extends ShellTab> make;
    private ShellTab tab;

    private LazyTab(String id, String titleKey, Class<? extends ShellTab> type, Supplier<? extends ShellTab> make) {
        this.id = Objects.requireNonNull(id);
        this.titleKey = Objects.requireNonNull(titleKey);
        this.type = Objects.requireNonNull(type);
        this.make = Objects.requireNonNull(make);
    }

    /** A tab of this type, made by {@code make} on the FX thread when first shown; {@code make} must not be fed by polls. */
    public static <T extends ShellTab> LazyTab of(String id, String titleKey, Class<T> type, Supplier<T> make) {
        if (Presenter.class.isAssignableFrom(type)) throw new IllegalArgumentException(type.getSimpleName() + " is fed by polls: it must exist from the start");
        return new LazyTab(id, titleKey, type, make);
    }

    /** The tab inside (made now if it was not). FX thread. */
    public ShellTab get() {
        if (tab == null) {
            tab = make.get();
            if (!tab.id().equals(id)) throw new IllegalStateException("made tab " + tab.id() + " for " + id);
        }
        return tab;
    }

    /** The type of the tab inside. */
    public Class<? extends ShellTab> type() {
        return type;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String titleKey() {
        return titleKey;
    }

    @Override
    public Node node() {
        return get().node();
    }

    @Override
    public boolean isBuilt() {
        return tab != null && tab.isBuilt();
    }

    @Override
    public void onShown() {
        if (tab != null) tab.onShown();
    }

    @Override
    public void onHidden() {
        if (tab != null) tab.onHidden();
    }
}
