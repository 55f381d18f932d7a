package io.tcplens.ui.shell;

import io.tcplens.ui.theme.Theme;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Preferences remembered between runs (java.util.prefs). Tests use another node through the
 * system property {@code tcplens.prefs.node} so they never touch a user's settings.
 */
public final class UiPreferences {
    private static final Logger LOG = LoggerFactory.getLogger(UiPreferences.class);
    private final Preferences node;

    public UiPreferences() {
        this(Preferences.userRoot().node(System.getProperty("tcplens.prefs.node", "io/tcplens")));
    }

    public UiPreferences(Preferences node) {
        this.node = node;
    }

    public Preferences node() {
        return node;
    }

    public Theme theme() {
        try {
            return Theme.valueOf(node.get("theme", Theme.LIGHT.name()));
        } catch (IllegalArgumentException e) {
            return Theme.LIGHT;
        }
    }

    public void setTheme(Theme t) {
        node.put("theme", t.name());
        flush();
    }

    public long intervalMillis() {
        long v = node.getLong("intervalMs", 1000);
        return Math.max(250, Math.min(10_000, v));
    }

    public void setIntervalMillis(long ms) {
        node.putLong("intervalMs", ms);
        flush();
    }

    public String source() {
        return node.get("source", "auto");
    }

    public void setSource(String s) {
        node.put("source", s);
        flush();
    }

    public int threshold(String key, int def) {
        return node.getInt("threshold." + key, def);
    }

    public void setThreshold(String key, int value) {
        node.putInt("threshold." + key, value);
        flush();
    }

    public String get(String key, String def) {
        return node.get(key, def);
    }

    public void put(String key, String value) {
        node.put(key, value);
        flush();
    }

    public double getDouble(String key, double def) {
        return node.getDouble(key, def);
    }

    public void putDouble(String key, double value) {
        node.putDouble(key, value);
        flush();
    }

    public boolean getBoolean(String key, boolean def) {
        return node.getBoolean(key, def);
    }

    public void putBoolean(String key, boolean value) {
        node.putBoolean(key, value);
        flush();
    }

    private void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            LOG.warn("preferences not saved: {}", e.getMessage());
        }
    }
}
