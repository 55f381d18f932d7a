package io.tcplens.ui.shell;

import javafx.geometry.HPos;
import javafx.scene.control.Label;

/**
 * The header's source badge: the source's whole label where it fits, else the longest shorter form that
 * does ("live", never a cut word like "live · n…" in a 1024 px window). The region takes the room the
 * header can give; the pill inside is as wide as the form it shows. The whole label is its tooltip; the
 * Source box and the status bar name the source too.
 */
final class SourceBadge extends FittedLabel {
    SourceBadge() {
        super(HPos.LEFT);
        label().getStyleClass().add("source-badge");
    }

    /** The pill: its style classes name the source's kind (live, lab, replay, simulated). */
    Label pill() {
        return label();
    }
}
