package io.tcplens.ui;

import io.tcplens.ui.shell.UiPreferences;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * Remembered settings of a test's own: a preferences node under the user root (by convention below
 * {@code tcplens-test/}), cleared first, so that nothing saved by a run or another test changes what a
 * test sees and no user's settings are touched.
 */
public final class TestPreferences {
    private TestPreferences() {}

    /** The node {@code path} (e.g. "tcplens-test/trust"), cleared, as the window's preferences. */
    public static UiPreferences cleared(String path) {
        Preferences node = Preferences.userRoot().node(path);
        try {
            node.clear();
        } catch (BackingStoreException e) {
            throw new IllegalStateException(e);
        }
        return new UiPreferences(node);
    }

    /** The same, with the window's poll interval set. */
    public static UiPreferences cleared(String path, long intervalMillis) {
        UiPreferences prefs = cleared(path);
        prefs.setIntervalMillis(intervalMillis);
        return prefs;
    }
}
