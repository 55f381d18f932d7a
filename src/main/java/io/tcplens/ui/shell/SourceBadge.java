package io.tcplens.ui.shell;

import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;

/**
 * The header's source badge: the source's whole label where it fits, else the longest shorter form that
 * does ("live", never a cut word like "live · n…" in a 1024 px window). The region takes the room the
 * header can give; the pill inside is as wide as the form it shows. The whole label is its tooltip; the
 * Source box and the status bar name the source too.
 */
final class SourceBadge extends Region {
    private final Label pill = new Label();
    private final Text measure = new Text();
    private List<String> forms = List.of("");
    private final LazyTooltip tip;

    SourceBadge() {
        pill.getStyleClass().add("source-badge");
        tip = LazyTooltip.install(pill, ""); // made when the pointer first enters the pill (issue 13)
        pill.setAlignment(Pos.CENTER_LEFT);
        getChildren().add(pill);
    }

    /** The pill: its style classes name the source's kind (live, lab, replay, simulated). */
    Label pill() {
        return pill;
    }

    /** The forms to show, longest (the whole label) first, shortest last. */
    void show(List<String> longestFirst) {
        forms = List.copyOf(longestFirst);
        tip.setText(forms.getFirst());
        pill.setText(forms.getFirst());
        requestLayout();
    }

    private double widthOf(String s) {
        measure.setFont(pill.getFont());
        measure.setText(s);
        return Math.ceil(measure.getLayoutBounds().getWidth()) + pill.snappedLeftInset() + pill.snappedRightInset() + 2;
    }

    @Override
    protected double computePrefWidth(double height) {
        return widthOf(forms.getFirst());
    }

    @Override
    protected double computeMinWidth(double height) {
        return widthOf(forms.getLast());
    }

    @Override
    protected double computePrefHeight(double width) {
        return pill.prefHeight(-1);
    }

    @Override
    protected double computeMinHeight(double width) {
        return pill.minHeight(-1);
    }

    @Override
    protected void layoutChildren() {
        String pick = forms.getLast();
        for (String f : forms) {
            if (widthOf(f) <= getWidth() + 0.5) {
                pick = f;
                break;
            }
        }
        if (!pick.equals(pill.getText())) pill.setText(pick);
        double h = pill.prefHeight(-1);
        pill.resizeRelocate(0, Math.round((getHeight() - h) / 2), Math.min(getWidth(), widthOf(pick)), h);
    }
}
