package io.tcplens.ui.diagram;

import io.tcplens.ui.theme.Theme;

/** How the diagram is painted: the theme and what gives a token its colour. */
record RenderStyle(Theme theme, ColourBy colourBy) {
    /** A token's colour: its state, or one colour per process or remote host. */
    enum ColourBy { STATE, PROCESS, REMOTE }

    static final RenderStyle DEFAULT = new RenderStyle(Theme.LIGHT, ColourBy.STATE);

    RenderStyle withTheme(Theme t) {
        return new RenderStyle(t, colourBy);
    }

    RenderStyle withColourBy(ColourBy c) {
        return new RenderStyle(theme, c);
    }
}
