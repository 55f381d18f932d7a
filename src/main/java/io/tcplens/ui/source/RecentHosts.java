package io.tcplens.ui.source;

import java.util.ArrayList;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/** The servers connected to lately (ssh:// URIs, newest first), remembered between runs. */
public final class RecentHosts {
    static final int MAX = 8;
    private static final String KEY = "recent.";
    private final Preferences node;

    public RecentHosts(Preferences node) {
        this.node = node;
    }

    public static RecentHosts user() {
        return new RecentHosts(Preferences.userRoot().node("io/tcplens/ui/source"));
    }

    public List<String> list() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < MAX; i++) {
            String v = node.get(KEY + i, null);
            if (v != null && !v.isBlank() && !out.contains(v)) out.add(v);
        }
        return out;
    }

    /** Puts {@code uri} first; the oldest beyond {@link #MAX} is forgotten. */
    public void add(String uri) {
        List<String> l = list();
        l.remove(uri);
        l.add(0, uri);
        for (int i = 0; i < MAX; i++) {
            if (i < l.size()) node.put(KEY + i, l.get(i));
            else node.remove(KEY + i);
        }
        try {
            node.flush();
        } catch (BackingStoreException e) {
            // kept for this run only
        }
    }
}
