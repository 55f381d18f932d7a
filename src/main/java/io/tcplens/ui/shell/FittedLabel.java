package io.tcplens.ui.shell;

import java.util.List;
import javafx.geometry.HPos;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.Region;
import javafx.scene.text.Text;

/**
 * A label with several forms of its text, longest first: it shows the longest form that fits the
 * width it is given, never a cut one ("live", not "live · n…"). Its minimum width is that of the
 * shortest form, its preferred width that of the longest; the longest is its tooltip. The header's
 * source badge and a view's source line (where the data on screen comes from) are such labels.
 */
public class FittedLabel extends Region {
    private final Label label = new Label();
    private final Text measure = new Text();
    private final HPos side;
    private final LazyTooltip tip;
    private List<String> forms = List.of("");

    /** @param side where the text sits when the label is given more room than its form needs */
    public FittedLabel(HPos side) {
        this.side = side;
        tip = LazyTooltip.install(label, ""); // made when the pointer first enters the label (issue 13)
        label.setAlignment(side == HPos.RIGHT ? Pos.CENTER_RIGHT : Pos.CENTER_LEFT);
        label.setMinWidth(0);
        getChildren().add(label);
    }

    /** The label drawn (style it through its style classes). */
    public Label label() {
        return label;
    }

    /** The forms to show, longest (the whole text) first, shortest last. */
    public void show(List<String> longestFirst) {
        if (longestFirst.isEmpty()) longestFirst = List.of("");
        if (longestFirst.equals(forms)) return;
        forms = List.copyOf(longestFirst);
        tip.setText(forms.getFirst());
        label.setText(pick(getWidth() > 0 ? getWidth() : Double.MAX_VALUE));
        requestLayout();
    }

    /** The forms, longest first. */
    public List<String> forms() {
        return forms;
    }

    /** The form on show. */
    public String shown() {
        return label.getText();
    }

    private double widthOf(String s) {
        measure.setFont(label.getFont());
        measure.setText(s);
        return Math.ceil(measure.getLayoutBounds().getWidth()) + label.snappedLeftInset() + label.snappedRightInset() + 2;
    }

    private String pick(double width) {
        for (String f : forms) if (widthOf(f) <= width + 0.5) return f;
        return forms.getLast();
    }

    @Override
    protected double computePrefWidth(double height) {
        return widthOf(forms.getFirst()) + snappedLeftInset() + snappedRightInset();
    }

    @Override
    protected double computeMinWidth(double height) {
        return widthOf(forms.getLast()) + snappedLeftInset() + snappedRightInset();
    }

    @Override
    protected double computePrefHeight(double width) {
        return label.prefHeight(-1) + snappedTopInset() + snappedBottomInset();
    }

    @Override
    protected double computeMinHeight(double width) {
        return label.minHeight(-1) + snappedTopInset() + snappedBottomInset();
    }

    @Override
    protected void layoutChildren() {
        double room = getWidth() - snappedLeftInset() - snappedRightInset();
        String pick = pick(room);
        if (!pick.equals(label.getText())) label.setText(pick);
        double h = label.prefHeight(-1);
        double w = Math.min(room, widthOf(pick));
        double x = side == HPos.RIGHT ? getWidth() - snappedRightInset() - w : snappedLeftInset();
        label.resizeRelocate(Math.round(x), Math.round((getHeight() - h) / 2), w, h);
    }
}
