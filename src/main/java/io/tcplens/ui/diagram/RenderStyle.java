package io.tcplens.ui.diagram;

import io.tcplens.ui.theme.Theme;

/** How the diagram is painted: the theme and what gives a token its colour. */
record RenderStyle(Theme theme, TokenColouring colourBy) {
    /** A token's colour: its state, or one colour per process or remote host. */
    enum TokenColouring { STATE, PROCESS, REMOTE }

    static final RenderStyle DEFAULT = new RenderStyle(Theme.LIGHT, TokenColouring.STATE);

    RenderStyle withTheme(Theme t) {
        return new RenderStyle(t, colourBy);
    }

    RenderStyle withColourBy(TokenColouring c) {
        return new RenderStyle(theme, c);
    }
}
