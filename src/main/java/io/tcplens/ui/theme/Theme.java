package io.tcplens.ui.theme;

/** The two themes; each has a stylesheet defining the looked-up colours of {@link StatePalette}. */
public enum Theme {
    LIGHT, DARK;

    public boolean isDark() {
        return this == DARK;
    }
}
